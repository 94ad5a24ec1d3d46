// Tests of lib/coders.ts: one interface for ICA's MAP coder and the SAE.
// References: inferSources and A ŝ computed directly, closed-form coverages of
// a hand-built encoder, and the digests of the previous implementation.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { bitsHash } from "./helpers/bits";

const regular = { angles: [30, 150, 270], samples: 400 };

test("coders: the MAP coder is inferSources and A ŝ; scores agree with basisError", () => {
  const d = ica.generateData({ ...regular, seed: 3 });
  const coder = ica.mapCoder(d.A, { sigma: 0.1, b: 2 });
  const S = coder.encode(d.X);
  assert.deepEqual(S, ica.inferSources(d.A, d.X, { sigma: 0.1, b: 2 }).S);
  assert.deepEqual(coder.decode(S), ica.reconstruct(d.A, S));
  const score = ica.scoreCoder(coder, d.X, d.A);
  assert.equal(score.angleDeg, 0);
  assert.ok(score.mse < 1e-3 && score.l0 <= 2);
  const st = ica.codeStats(coder, d.X);
  const energy = d.X[0]!.reduce((t, _, j) => t + d.X[0]![j]! ** 2 + d.X[1]![j]! ** 2, 0) / d.X[0]!.length;
  assert.ok(Math.abs(st.relativeMse - st.mse / energy) < 1e-12);
  assert.throws(() => ica.mapCoder(d.A, { sigma: 0 }), /sigma must be > 0, got 0/);
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
  // Counted by hand: codes [3−2=1,0], [0,0], [1,4], [0,5] against supports {1}, {1}, {1,2}, {2}:
  // 4 active entries, all wanted (precision 1); 4 of the 5 wanted entries active (recall 0.8).
  assert.equal(cov.precision, 1);
  assert.equal(cov.recall, 4 / 5);
  // A third point type: covered but not exact (an extra feature fires): precision ½, recall 1.
  const cov2 = ica.supportCoverage(coder, I, [[3], [1]], [[3], [0]]);
  assert.deepEqual(cov2, { covered: [true], exact: [false], precision: 0.5, recall: 1 });
  // Nothing fires: precision is undefined (NaN), recall 0.
  const cov3 = ica.supportCoverage(coder, I, [[1], [0]], [[1], [0]]);
  assert.ok(Number.isNaN(cov3.precision) && cov3.recall === 0);
  // Density: 1-hot points along feature 1 have magnitude ~ Exp(mean 2); x_1 > 2 fires, so
  // coverage of 1-hot points is (P(feature 2 chosen) + P(feature 1 chosen)·P(s > 2)) = ½ + ½e^{−1}.
  const curve = ica.densityCurve(coder, I, { samples: 20000, seed: 1 });
  assert.equal(curve.length, 2);
  const expected = 0.5 + 0.5 * Math.exp(-1);
  assert.ok(Math.abs(curve[0]!.covered - expected) < 0.015, `k = 1 covered ${curve[0]!.covered} vs ${expected}`);
  assert.ok(Math.abs(curve[1]!.covered - Math.exp(-1)) < 0.015, `k = 2 covered ${curve[1]!.covered} vs ${Math.exp(-1)}`);
  // Feature 2 always fires when present and never otherwise; feature 1 fires with probability e^{−1}
  // when present: at k = 1 every active entry is wanted (precision 1), recall = ½ + ½e^{−1}.
  assert.equal(curve[0]!.precision, 1);
  assert.ok(Math.abs(curve[0]!.recall - expected) < 0.015, `k = 1 recall ${curve[0]!.recall} vs ${expected}`);
  assert.ok(Math.abs(curve[1]!.recall - (1 + Math.exp(-1)) / 2) < 0.015, `k = 2 recall ${curve[1]!.recall}`);
});


test("coders: the same bits as before solveMap (the MAP coder's defaults were already the one model's)", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 300, seed: 0 });
  const c = ica.mapCoder(d.A);
  // The density curve's fields from before precision and recall were added keep their bits.
  const curve = ica.densityCurve(c, d.A, { seed: 0, samples: 50 }).map(({ precision: _p, recall: _r, ...old }) => old);
  assert.equal(bitsHash([c.encode(d.X), ica.scoreCoder(c, d.X, d.A), curve]), "48467756d1f9b778");
  assert.equal(bitsHash(ica.mapCoder(d.A, { sigma: 0.5, b: 1 }).encode(d.X)), "6acca3d2d4d3907d");
});

test("coders: options are declared; a misspelling, the retired nonNegative and rate are named", () => {
  const A = ica.basisFromAngles([30, 150, 270]);
  assert.throws(() => ica.mapCoder(A, { sigm: 0.1 } as never), /mapCoder: unknown option 'sigm' \(did you mean 'sigma'\?\)/);
  assert.throws(() => ica.mapCoder(A, { nonNegative: true } as never), /option 'nonNegative' was replaced by prior/);
  assert.throws(() => ica.mapCoder(A, { name: 3 } as never), /name must be a string, got 3/);
  const coder = ica.mapCoder(A);
  assert.equal(coder.name, "ICA (MAP)");
  assert.throws(() => ica.densityCurve(coder, A, { rate: 0.5 } as never), /option 'rate' was replaced by b/);
  assert.throws(() => ica.densityCurve(coder, A, { samples: 0 }), /samples must be an integer ≥ 1, got 0/);
  assert.throws(() => coder.encode([[1, 2, 3]]), /X must have 2 rows, got 1/);
});
