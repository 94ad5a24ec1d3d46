// Tests of learnBasis's gain adaptation (Olshausen & Field 1997; lib/learning/rule.ts):
// one step against a hand computation from the public pieces, the spread of the
// codes' powers against free norms, and the options.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

const data = ica.generateData({ angles: [30, 150, 270], samples: 300, b: 2, seed: 4 });
const maxAbs = (M: number[][]) => Math.max(...M.flat().map(Math.abs));
const sub = (P: number[][], Q: number[][]) => P.map((r, i) => r.map((v, j) => v - Q[i]![j]!));

test("gain: one step is the rule's step with each column scaled by (⟨ŝ_i²⟩/g)^γ, computed by hand; an unused column is left alone", () => {
  // Points in the first quadrant; the third column points away from all of
  // them, so no non-negative code uses it (⟨ŝ₃²⟩ = 0): every point is
  // already a non-negative mix of the first two, and the third would only add
  // to both their coefficients.
  const d = ica.generateData({ angles: [0, 90], lengths: [1, 1.5], samples: 200, seed: 2 });
  const A0 = [[1, 0, -0.7], [0, 1, -0.7]];
  const lr = 0.05, gamma = 0.3, model = { sigma: 0.5, b: 2 };
  const r = ica.learnBasis(d.X, { init: A0, steps: 1, lr, gain: true, gainRate: gamma, ...model });
  // By hand, from the public pieces: MAP codes, the rule's ΔA, then the gains.
  const S = ica.inferSources(A0, d.X, model).S;
  const dA = ica.ruleTerms(A0, S, model).dA;
  const v = S.map((row) => row.reduce((s, x) => s + x * x, 0) / row.length);
  assert.ok(v[0]! > 0 && v[1]! > 0 && v[2] === 0, `code powers ${v}`);
  const g = Math.sqrt(v[0]! * v[1]!); // the geometric mean over the used columns
  const f = [(v[0]! / g) ** gamma, (v[1]! / g) ** gamma, 1];
  const A1 = A0.map((row, k) => row.map((a, i) => (a + lr * dA[k]![i]!) * f[i]!));
  assert.ok(maxAbs(sub(r.A, A1)) < 1e-12, `max |ΔA| ${maxAbs(sub(r.A, A1))}`);
  assert.deepEqual(r.history[0]!.codeMeanSquare!.map((x, i) => Math.abs(x - v[i]!) < 1e-12), [true, true, true]);
  assert.deepEqual(r.options.gain, true);
  assert.equal(r.options.gainRate, gamma);
  // Without gain the options and the history carry no gain fields.
  const plain = ica.learnBasis(d.X, { init: A0, steps: 1, lr, ...model });
  assert.equal("gain" in plain.options || "gainRate" in plain.options || "codeMeanSquare" in plain.history[0]!, false);
});

test("gain: on columns of lengths 1, 2, 0.5 from the true directions, it brings the codes' powers closer together than free norms do", () => {
  const d = ica.generateData({ angles: [30, 150, 270], lengths: [1, 2, 0.5], samples: 1000, seed: 0 });
  const opts = { init: ica.basisFromAngles([30, 150, 270]), sigma: 0.5, lr: 0.01, steps: 100 };
  const spread = (A: number[][]) => {
    const v = ica.inferSources(A, d.X, { sigma: 0.5, b: 2 }).S.map((row) => row.reduce((s, x) => s + x * x, 0) / row.length);
    return Math.max(...v) / Math.min(...v);
  };
  const start = spread(opts.init);
  const free = spread(ica.learnBasis(d.X, opts).A);
  const gain = spread(ica.learnBasis(d.X, { ...opts, gain: true }).A);
  // At the unit-length start the longest true column's code is 2/0.5 = 4 times
  // the shortest's, about 16 times its power.
  assert.ok(start > 10, `start: max/min ⟨ŝ_i²⟩ = ${start}`);
  assert.ok(gain < free && gain < 1.25, `max/min ⟨ŝ_i²⟩: gain ${gain}, free ${free}`);
});

test("gain: options are checked, and gain with equalizeNorms is an error naming both", () => {
  assert.throws(() => ica.learnBasis(data.X, { gain: true, equalizeNorms: true }), /gain and equalizeNorms cannot both be true/);
  assert.throws(() => ica.learnBasis(data.X, { preset: "best-effort", gain: true }), /gain and equalizeNorms cannot both be true.*preset 'best-effort' sets equalizeNorms: give equalizeNorms: false/);
  assert.equal(ica.learnBasis(data.X, { preset: "best-effort", gain: true, equalizeNorms: false, steps: 1 }).options.gainRate, 0.02);
  assert.throws(() => ica.learnBasis(data.X, { gainRate: 0.1 }), /gainRate \(0.1\) applies only with gain: true/);
  assert.throws(() => ica.learnBasis(data.X, { gain: true, gainRate: 1 }), /gainRate must be .*< 1, got 1/);
  assert.throws(() => ica.learnBasis(data.X, { gain: true, gainRate: 0 }), /gainRate must be .*> 0.*got 0/);
  assert.throws(() => ica.learnBasis(data.X, { gain: "yes" } as never), /gain must be true or false, got 'yes'/);
});
