// Tests of lib/coders.ts: the MAP coder against inferSources, and coverage
// and density curves of a hand-built ReLU encoder against closed forms.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

const regular = { angles: [30, 150, 270], samples: 400 };

test("coders: the MAP coder is inferSources and A ŝ; scores agree with basisError", () => {
  const d = ica.generateData({ ...regular, seed: 3 });
  const coder = ica.mapCoder(d.A, { sigma: 0.1, b: 2 });
  const S = coder.encode(d.X);
  assert.deepEqual(S, ica.inferSources(d.A, d.X, { sigma: 0.1, b: 2, nonNegative: true }).S);
  assert.deepEqual(coder.decode(S), ica.reconstruct(d.A, S));
  const score = ica.scoreCoder(coder, d.X, d.A);
  assert.equal(score.angleDeg, 0);
  assert.ok(score.mse < 1e-3 && score.l0 <= 2);
  const st = ica.codeStats(coder, d.X);
  const energy = d.X[0]!.reduce((t, _, j) => t + d.X[0]![j]! ** 2 + d.X[1]![j]! ** 2, 0) / d.X[0]!.length;
  assert.ok(Math.abs(st.relativeMse - st.mse / energy) < 1e-12);
  assert.throws(() => ica.mapCoder(d.A, { sigma: 0 }), /sigma must be a finite number > 0, got 0/);
});

test("coders: support coverage and the density curve on a hand-built encoder", () => {
  // Identity ReLU encoder: feature i fires exactly when x_i > −bEnc_i.
  const model: ica.SAEModel = { Wenc: [[1, 0], [0, 1]], bEnc: [-2, 0], Wdec: [[1, 0], [0, 1]], bDec: [0, 0] };
  const coder = ica.saeCoder(model);
  const I = [[1, 0], [0, 1]];
  const X = [[3, 1, 3, 0], [0, 0, 4, 5]];
  const S = [[3, 1, 3, 0], [0, 0, 4, 5]];
  const cov = ica.supportCoverage(coder, I, X, S);
  assert.deepEqual(cov.covered, [true, false, true, true]);
  assert.deepEqual(cov.exact, [true, false, true, true]);
  // A third point type: covered but not exact (an extra feature fires).
  const cov2 = ica.supportCoverage(coder, I, [[3], [1]], [[3], [0]]);
  assert.deepEqual(cov2, { covered: [true], exact: [false] });
  // Density: 1-hot points along feature 1 have magnitude ~ Exp(mean 2); x_1 > 2 fires, so
  // coverage of 1-hot points is (P(feature 2 chosen) + P(feature 1 chosen)·P(s > 2)) = ½ + ½e^{−1}.
  const curve = ica.densityCurve(coder, I, { samples: 20000, seed: 1 });
  assert.equal(curve.length, 2);
  const expected = 0.5 + 0.5 * Math.exp(-1);
  assert.ok(Math.abs(curve[0]!.covered - expected) < 0.015, `k = 1 covered ${curve[0]!.covered} vs ${expected}`);
  assert.ok(Math.abs(curve[1]!.covered - Math.exp(-1)) < 0.015, `k = 2 covered ${curve[1]!.covered} vs ${Math.exp(-1)}`);
});

