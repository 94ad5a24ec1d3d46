// Tests of lib/toy/ (the toy model of superposition: its feature law, its
// training and its geometry) and of the toy sweep (lib/sweep/toy.ts). The
// gradient is checked against finite differences of the loss, the feature law
// against its stated rates, the geometry against formulas written out here
// and shapes whose answers are known, and AdamW against what its first step
// must be.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { createRng } from "../lib/random";
import { drawFeatures, fastUniform, sampleFeatures } from "../lib/toy/sample";
import { batchGradient, meanLoss } from "../lib/toy/train";
import type { FeatureLaw } from "../lib/toy/options";
import { normalisingScale, toyModel, TOY_TARGET_NORM, type ToyLaw } from "../lib/sweep/toy";
import { TOY_LEARNER_DATASETS } from "../lib/sweep/registry";

const law = (features: number, sparsity: number, pairs: Partial<FeatureLaw> = {}): FeatureLaw =>
  ({ features, sparsity, correlatedPairs: 0, anticorrelatedPairs: 0, nestedPairs: 0, ...pairs });

/** Column-major m×n from rows. */
const colMajor = (rows: number[][]): Float64Array => {
  const m = rows.length, n = rows[0]!.length;
  const out = new Float64Array(m * n);
  for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) out[i * m + k] = rows[k]![i]!;
  return out;
};

/** n columns at the given angles (degrees) and lengths, as a 2×n matrix. */
const atAngles = (deg: number[], len: number[]): number[][] =>
  [deg.map((d, i) => len[i]! * Math.cos((d * Math.PI) / 180)), deg.map((d, i) => len[i]! * Math.sin((d * Math.PI) / 180))];

// ------------------------------------------------------------ the gradient

test("toy gradient: batchGradient's gW and gb match central differences of meanLoss on the same points, away from every ReLU kink", () => {
  const n = 6, m = 3, points = 16, seed = "grad", h = 1e-6;
  const L = law(n, 0.5, { correlatedPairs: 1 });
  const I = Float64Array.from({ length: n }, (_, i) => 0.8 ** i);
  const r = createRng(7);
  const W = Float64Array.from({ length: m * n }, () => r.normal());
  const b = Float64Array.from({ length: n }, () => 0.5 * r.normal());
  assert.ok(W.some((v) => v < 0) && W.some((v) => v > 0) && b.some((v) => v < 0) && b.some((v) => v > 0), "mixed signs");
  const gW = new Float64Array(m * n), gb = new Float64Array(n);
  const batchLoss = batchGradient(L, I, W, b, m, fastUniform(seed), points, gW, gb);
  const loss = (W2: Float64Array, b2: Float64Array) => meanLoss(L, I, W2, b2, m, fastUniform(seed), points);
  assert.equal(batchLoss, loss(W, b), "two generators of one seed give the same points");
  // The outputs o = Wᵀ W x + b at the points, written out here: each must be farther from 0 than a step of h could move it.
  // A step of h in W_kq moves o_i by at most h(|h_k| + |W_ki| x_q) + h², in b_i by h; x_q < 1.
  const u = fastUniform(seed), x = new Float64Array(n);
  const maxW = Math.max(...Array.from(W, Math.abs));
  let minMargin = Infinity, active = 0, reach = 0;
  for (let j = 0; j < points; j++) {
    drawFeatures(L, u, x);
    const hid = Array.from({ length: m }, (_, k) => x.reduce((t, xq, q) => t + W[q * m + k]! * xq, 0));
    reach = Math.max(reach, h * (Math.max(...hid.map(Math.abs)) + maxW + 1) + h * h);
    for (let i = 0; i < n; i++) {
      let o = b[i]!;
      for (let k = 0; k < m; k++) o += W[i * m + k]! * hid[k]!;
      minMargin = Math.min(minMargin, Math.abs(o));
      if (o > 0) active++;
    }
  }
  assert.ok(minMargin > 10 * reach, `the closest output to a kink is ${minMargin}, a step of h moves an output by up to ${reach}`);
  assert.ok(active > 0 && active < points * n, "some outputs on each side of the ReLU");
  const fd = (p: Float64Array, i: number) => {
    const up = p.slice(), down = p.slice();
    up[i] += h;
    down[i] -= h;
    return p === W ? (loss(up, b) - loss(down, b)) / (2 * h) : (loss(W, up) - loss(W, down)) / (2 * h);
  };
  let worst = 0;
  for (const [p, g] of [[W, gW], [b, gb]] as const) {
    for (let i = 0; i < p.length; i++) {
      const f = fd(p, i);
      assert.ok(Math.abs(g[i]!) > 1e-6, `entry ${i}: a gradient that small cannot test the relative error`);
      worst = Math.max(worst, Math.abs(g[i]! - f) / Math.abs(g[i]!));
    }
  }
  assert.ok(worst < 1e-6, `worst relative error ${worst}`);
});

// ------------------------------------------------------------ the feature law

test("toy features: presence rates, pairs, nesting and U[0, 1) values as stated; H = W X exactly", () => {
  const S = 0.7, p = 20_000, q = 1 - S;
  const L = law(10, S, { correlatedPairs: 1, anticorrelatedPairs: 1, nestedPairs: 1 });
  const m = 3, Wrows = [[1, -2, 0.5, 0.25, 3, -1, 0.1, 2, -0.3, 1], [0, 1, -1, 2, 0.5, 0.7, -2, 1, 1, -1], [0.3, 0.3, 0.3, -0.3, 1, 2, 0, -1, 0.5, 4]];
  const { X, H } = sampleFeatures(L, colMajor(Wrows), m, { samples: p, seed: 3 });
  const on = (i: number) => X[i]!.map((v) => v > 0);
  const rate = (a: boolean[]) => a.filter(Boolean).length / p;
  const near = (got: number, want: number, what: string) => {
    const se = Math.sqrt((want * (1 - want)) / p);
    assert.ok(Math.abs(got - want) < 4 * se, `${what}: rate ${got}, expected ${want} ± ${4 * se}`);
  };
  for (let i = 6; i < 10; i++) near(rate(on(i)), q, `independent feature ${i}`);
  // Correlated pair (0, 1): present together, always.
  assert.deepEqual(on(0), on(1));
  near(rate(on(0)), q, "correlated pair");
  // Anticorrelated pair (2, 3): never together, each at 1 − S.
  const [a2, a3] = [on(2), on(3)];
  assert.equal(a2.filter((v, j) => v && a3[j]).length, 0);
  near(rate(a2), q, "anticorrelated feature 2");
  near(rate(a3), q, "anticorrelated feature 3");
  // Nested pair (4 parent, 5 child): the child only with its parent, at ½(1 − S).
  const [par, child] = [on(4), on(5)];
  assert.equal(child.filter((v, j) => v && !par[j]).length, 0);
  near(rate(par), q, "parent");
  near(rate(child), q / 2, "child");
  // The values present: uniform on [0, 1): mean ½, variance 1/12, and a tenth of them in each tenth of [0, 1).
  const vals = X.flat().filter((v) => v !== 0);
  assert.ok(vals.every((v) => v > 0 && v < 1), "every value present lies in (0, 1)");
  const N = vals.length, mean = vals.reduce((s, v) => s + v, 0) / N;
  const variance = vals.reduce((s, v) => s + (v - mean) ** 2, 0) / N;
  assert.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / N), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 4 * Math.sqrt(1 / 180 / N), `variance ${variance}`);
  const bins = new Array<number>(10).fill(0);
  for (const v of vals) bins[Math.floor(v * 10)]!++;
  for (const c of bins) assert.ok(Math.abs(c / N - 0.1) < 4 * Math.sqrt(0.09 / N), `bins ${bins}`);
  // H = W X, recomputed.
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < 10; i++) s += Wrows[k]![i]! * X[i]![j]!;
      if (s !== H[k]![j]) assert.fail(`H[${k}][${j}] = ${H[k]![j]}, W X gives ${s}`);
    }
  }
});

test("toy samples: nonZero leaves no all-zero point (without it their share is S^n); the same seed gives the same points; a model's sampler is H = W X", () => {
  const L = law(5, 0.97), W = colMajor(atAngles([0, 72, 144, 216, 288], [1, 1, 1, 1, 1])), p = 5000;
  const allZero = (X: number[][]) => X[0]!.filter((_, j) => X.every((row) => row[j] === 0)).length / p;
  const plain = sampleFeatures(L, W, 2, { samples: p, seed: 1 });
  const want = 0.97 ** 5;
  assert.ok(Math.abs(allZero(plain.X) - want) < 4 * Math.sqrt((want * (1 - want)) / p), `share of empty points ${allZero(plain.X)}`);
  assert.equal(allZero(sampleFeatures(L, W, 2, { samples: p, seed: 1, nonZero: true }).X), 0);
  assert.deepEqual(sampleFeatures(L, W, 2, { samples: 50, seed: "s" }), sampleFeatures(L, W, 2, { samples: 50, seed: "s" }));
  assert.notDeepEqual(sampleFeatures(L, W, 2, { samples: 50, seed: "s" }).X, sampleFeatures(L, W, 2, { samples: 50, seed: "t" }).X);
  const model = ica.trainToyModel({ features: 4, hidden: 2, steps: 3, batchSize: 8, seed: 1 });
  const s = model.sample({ samples: 200, seed: 2, nonZero: true });
  assert.equal(s.X.length, 4);
  assert.equal(s.H.length, 2);
  for (let k = 0; k < 2; k++) for (let j = 0; j < 200; j++) assert.equal(s.H[k]![j], model.W[k]!.reduce((t, w, i) => t + w * s.X[i]![j]!, 0));
});

// ------------------------------------------------------------ geometry

/** D_i = ‖W_i‖² / Σ_j (Ŵ_i · W_j)², written out on the columns. */
const bruteDimensionality = (W: number[][]): number[] => {
  const cols = W[0]!.map((_, i) => W.map((row) => row[i]!));
  const dot = (a: number[], c: number[]) => a.reduce((s, v, k) => s + v * c[k]!, 0);
  return cols.map((wi) => {
    const nn = dot(wi, wi);
    if (nn === 0) return 0;
    const unit = wi.map((v) => v / Math.sqrt(nn));
    return nn / cols.reduce((s, wj) => s + dot(unit, wj) ** 2, 0);
  });
};

test("toy geometry: featureDimensionality against the formula written out, known shapes, and Σ D_i ≤ m", () => {
  for (let s = 0; s < 20; s++) {
    const r = createRng(`dim${s}`), m = 2 + (s % 4), n = m + 1 + (s % 5);
    const W = Array.from({ length: m }, () => Array.from({ length: n }, () => r.normal() * (s % 2 ? 1 : 5)));
    const D = ica.featureDimensionality(W), want = bruteDimensionality(W);
    D.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12 * Math.max(1, want[i]!), `seed ${s}, feature ${i}: ${v} against ${want[i]}`));
    const sum = D.reduce((t, v) => t + v, 0);
    assert.ok(sum <= m + 1e-9, `Σ D_i = ${sum} > m = ${m}`);
  }
  const close = (got: number[], want: number[]) => got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12, `${got} against ${want}`));
  // An orthonormal set (a rotation), with a zero column added: 1 each, and 0 for the zero column.
  const c = Math.cos(0.3), s = Math.sin(0.3);
  close(ica.featureDimensionality([[c, -s, 0, 0], [s, c, 0, 0], [0, 0, 1, 0]]), [1, 1, 1, 0]);
  // An antipodal pair, of unequal lengths: ½ each.
  close(ica.featureDimensionality(atAngles([40, 220], [0.7, 0.7])), [0.5, 0.5]);
  // A regular pentagon of any common length: 2/5 each, summing to m = 2.
  for (const len of [0.3, 1.15, 40]) close(ica.featureDimensionality(atAngles([13, 85, 157, 229, 301], [len, len, len, len, len])), [0.4, 0.4, 0.4, 0.4, 0.4]);
});

test("toy geometry: featureNorms and representedFeatures (‖W_i‖ ≥ 0.5 by default, or the given threshold; a bad threshold is named)", () => {
  const W = [[0.49, 0.5, 0, 3, 0], [0, 0, 0.51, 4, 0]];
  assert.deepEqual(ica.featureNorms(W), [0.49, 0.5, 0.51, 5, 0]);
  assert.equal(ica.REPRESENTED_NORM, 0.5);
  assert.deepEqual(ica.representedFeatures(W), [1, 2, 3]);
  assert.deepEqual(ica.representedFeatures(W, 1), [3]);
  assert.deepEqual(ica.representedFeatures(W, 0), [0, 1, 2, 3, 4]);
  assert.throws(() => ica.representedFeatures(W, -1), /threshold must be a finite number ≥ 0, got -1/);
});

test("toy geometry: polygon sorts the represented directions; gaps sum to 360; a rotated regular pentagon has 72° gaps; m ≠ 2 is an error naming the rows", () => {
  // A pentagon turned by 17°, listed out of order, with a sixth column too short to count.
  const deg = [161, 17, 305, 89, 233, 50];
  const W = atAngles(deg, [1.15, 1.15, 1.15, 1.15, 1.15, 0.2]);
  const g = ica.polygon(W);
  assert.deepEqual(g.order, [1, 3, 0, 4, 2]);
  g.gapsDeg.forEach((v) => assert.ok(Math.abs(v - 72) < 1e-9, `gaps ${g.gapsDeg}`));
  g.anglesDeg.forEach((v, k) => assert.ok(Math.abs(v - [17, 89, 161, 233, 305][k]!) < 1e-9, `angles ${g.anglesDeg}`));
  g.norms.forEach((v) => assert.ok(Math.abs(v - 1.15) < 1e-12, `norms ${g.norms}`));
  const r = createRng("poly");
  for (let t = 0; t < 10; t++) {
    const q = ica.polygon([Array.from({ length: 7 }, () => r.normal()), Array.from({ length: 7 }, () => r.normal())], 0);
    assert.ok(Math.abs(q.gapsDeg.reduce((s, v) => s + v, 0) - 360) < 1e-9, `gaps ${q.gapsDeg}`);
    assert.ok(q.gapsDeg.every((v) => v >= 0), `gaps ${q.gapsDeg}`);
  }
  assert.throws(() => ica.polygon([[1, 0], [0, 1], [0, 0]]), /polygon needs a model with 2 hidden units, got W with 3 rows/);
});

// ------------------------------------------------------------ training

const small = { features: 5, hidden: 2, sparsity: 0.9, steps: 30, batchSize: 32 };

test("toy training: the same seed gives the same model; another seed another", () => {
  const a = ica.trainToyModel({ ...small, seed: 4 }), b = ica.trainToyModel({ ...small, seed: 4 }), c = ica.trainToyModel({ ...small, seed: 5 });
  assert.deepEqual([a.W, a.b, a.loss, a.history], [b.W, b.b, b.loss, b.history]);
  assert.notDeepEqual(a.W, c.W);
  assert.notEqual(a.loss, c.loss);
});

test("toy training: n = m = 2 with dense features reaches its optimum (orthogonal unit columns, b ≈ 0); the loss history starts at step 0 and falls", () => {
  const steps = 3000, every = 100;
  const model = ica.trainToyModel({ features: 2, hidden: 2, sparsity: 0, steps, batchSize: 64, historyEvery: every, seed: 0 });
  assert.equal(model.diverged, null);
  const [n0, n1] = ica.featureNorms(model.W);
  const cos = (model.W[0]![0]! * model.W[0]![1]! + model.W[1]![0]! * model.W[1]![1]!) / (n0! * n1!);
  assert.ok(Math.abs(n0! - 1) < 0.01 && Math.abs(n1! - 1) < 0.01, `norms ${n0}, ${n1}`);
  assert.ok(Math.abs(cos) < 0.01, `cos ${cos}`);
  assert.ok(model.b.every((v) => Math.abs(v) < 0.01), `b ${model.b}`);
  assert.ok(model.loss < 1e-5, `loss ${model.loss}`);
  assert.deepEqual(model.history.map((e) => e.step), Array.from({ length: steps / every }, (_, i) => i * every));
  const h = model.history.map((e) => e.loss), q = h.length / 4;
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  assert.ok(mean(h.slice(-q)) < mean(h.slice(0, q)) / 10, "the last quarter's loss is a tenth of the first quarter's or less");
  assert.ok(h[h.length - 1]! < h[0]! / 10, `history ${h}`);
});

test("toy training: AdamW's first step moves every parameter by lr against its gradient's sign, and decoupled decay takes lr·wd·p off", () => {
  const base = { features: 4, hidden: 2, sparsity: 0.5, importance: 0.9, steps: 1, batchSize: 64, seed: 9 };
  const a = 1e-3;
  const one = ica.trainToyModel({ ...base, lr: a, weightDecay: 0 });
  const two = ica.trainToyModel({ ...base, lr: 2 * a, weightDecay: 0 });
  const decayed = ica.trainToyModel({ ...base, lr: a, weightDecay: 0.5 });
  // b starts at 0: after one step each b_i is ±lr.
  one.b.forEach((v) => assert.ok(Math.abs(Math.abs(v) - a) < 1e-4 * a, `b ${one.b}`));
  two.b.forEach((v, i) => assert.ok(Math.abs(v - 2 * one.b[i]!) < 1e-4 * a, `b at 2lr ${two.b}, at lr ${one.b}`));
  // W_lr = W0 − lr·sign(g): the two step sizes differ by a in every entry, which gives W0 back.
  const W0 = one.W.map((row, k) => row.map((v, i) => 2 * v - two.W[k]![i]!));
  const step = one.W.map((row, k) => row.map((v, i) => v - W0[k]![i]!));
  step.flat().forEach((d) => assert.ok(Math.abs(Math.abs(d) - a) < 1e-4 * a, `step ${d}`));
  // The step goes against the first batch's gradient (the batches are the stream '<seed>/toy-batches').
  const o = one.options, m = o.hidden, n = o.features;
  const gW = new Float64Array(m * n), gb = new Float64Array(n);
  const I = Float64Array.from({ length: n }, (_, i) => 0.9 ** i);
  batchGradient(o, I, colMajor(W0), new Float64Array(n), m, fastUniform(`${o.seed}/toy-batches`), o.batchSize, gW, gb);
  for (let k = 0; k < m; k++) for (let i = 0; i < n; i++) assert.equal(Math.sign(step[k]![i]!), -Math.sign(gW[i * m + k]!), `W[${k}][${i}]`);
  one.b.forEach((v, i) => assert.equal(Math.sign(v), -Math.sign(gb[i]!), `b[${i}]`));
  // AdamW: the decay is decoupled, W ← W0(1 − lr·wd) − lr·sign(g).
  decayed.W.forEach((row, k) => row.forEach((v, i) => assert.ok(Math.abs(v - (one.W[k]![i]! - a * 0.5 * W0[k]![i]!)) < 1e-12, `W[${k}][${i}] with decay ${v}`)));
});

// ------------------------------------------------------------ bad input

test("toy options: bad input is an error that names the option and the value", () => {
  const ok = { features: 5, hidden: 2, steps: 1, batchSize: 1 };
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ hidden: 2 }, /trainToyModel: option 'features' is required/],
    [{ ...ok, hidden: 6 }, /hidden must be at most features \(5\), got 6/],
    [{ ...ok, sparsity: 1 }, /sparsity must be ≥ 0 and < 1, got 1/],
    [{ ...ok, importance: [1, 1] }, /importance must have one weight per feature \(5\), got 2/],
    [{ ...ok, importance: 0 }, /importance must be a finite number > 0.*got 0/],
    [{ ...ok, importance: -0.5 }, /importance must be a finite number > 0.*got -0.5/],
    [{ ...ok, importance: [1, 1, -1, 1, 1] }, /importance\[2\] must be a finite number ≥ 0, got -1/],
    [{ ...ok, importance: [0, 0, 0, 0, 0] }, /importance must have at least one weight > 0/],
    [{ ...ok, correlatedPairs: 2, nestedPairs: 1 }, /correlatedPairs \+ anticorrelatedPairs \+ nestedPairs = 3 pairs need 6 features, but features is 5/],
    [{ ...ok, anticorrelatedPairs: 1, sparsity: 0.4 }, /anticorrelatedPairs needs sparsity ≥ 0.5.*got sparsity 0.4/],
    [{ ...ok, sparsty: 0.5 }, /trainToyModel: unknown option 'sparsty' \(did you mean 'sparsity'\?\)/],
  ];
  for (const [opts, re] of bad) assert.throws(() => ica.trainToyModel(opts as ica.ToyModelOptions), re, JSON.stringify(opts));
  const model = ica.trainToyModel(ok);
  assert.throws(() => model.sample({ samples: 0 }), /samples must be an integer ≥ 1.*got 0/);
  assert.throws(() => model.sample({ sample: 3 } as never), /sampleToy: unknown option 'sample' \(did you mean 'samples'\?\)/);
});

// ------------------------------------------------------------ the toy sweep

test("toy sweep: normalisingScale makes the median point norm TOY_TARGET_NORM ('raw' leaves 1); all-zero data is an error", () => {
  assert.equal(TOY_TARGET_NORM, 2);
  // Norms 5, 1, 2: median 2, so c = 1; with a fourth point of norm 3 the median is 2.5, so c = 0.8.
  assert.equal(normalisingScale([[3, 0, 0], [4, 1, 2]], "normalised"), 1);
  const c4 = normalisingScale([[3, 0, 0, 3], [4, 1, 2, 0]], "normalised");
  assert.ok(Math.abs(c4 - 0.8) < 1e-15, `c = ${c4}`);
  assert.equal(normalisingScale([[3, 0, 0], [4, 1, 2]], "raw"), 1);
  const r = createRng("scale");
  for (const p of [101, 100]) {
    const H = Array.from({ length: 3 }, () => Array.from({ length: p }, () => 7 * r.normal()));
    const c = normalisingScale(H, "normalised");
    const norms = H[0]!.map((_, j) => c * Math.hypot(H[0]![j]!, H[1]![j]!, H[2]![j]!));
    const below = norms.filter((v) => v < TOY_TARGET_NORM - 1e-12).length, above = norms.filter((v) => v > TOY_TARGET_NORM + 1e-12).length;
    assert.ok(below <= p / 2 && above <= p / 2 && Math.abs(below - above) <= 1, `${below} below and ${above} above`);
  }
  assert.throws(() => normalisingScale([[0, 0, 0], [0, 0, 0]], "normalised"), /median norm is 0: nothing to normalise/);
});

test("toy sweep: one record of the oracle on the pentagon carries the model's and the learner's fields, in range", () => {
  const config = "tms-n5-m2-S0.97/toy-ica-truth";
  const rec = ica.runSweepTask(config, 0);
  assert.deepEqual([rec.dataset, rec.method, rec.seed, rec.fingerprint], ["tms-n5-m2-S0.97", "toy-ica-truth", 0, ica.sweepConfig(config).fingerprint]);
  const e = rec.extra!;
  const fields = ["modelLoss", "represented", "normMin", "normMax", "normSpread", "sumDim", "meanDimRepresented", "firstDropped", "gapMin", "gapMax",
    "dim0", "dim1", "dim2", "dim3", "dim4", "chosen", "scale", "angle", "worst", "mmcs", "within5", "normRatio", "precision", "recall", "dead", "l0", "objective0"];
  for (const f of fields) assert.ok(f in e, `extra has no ${f}`);
  assert.equal(e.represented, 5);
  assert.equal(e.firstDropped, -1);
  for (const f of ["precision", "recall", "mmcs", "within5"]) assert.ok(e[f]! >= 0 && e[f]! <= 1, `${f} = ${e[f]}`);
  assert.ok(Number.isInteger(e.dead) && e.dead! >= 0 && e.dead! <= 5, `dead = ${e.dead}`);
  assert.ok(e.angle! >= 0 && e.angle! <= e.worst!, `angle ${e.angle}, worst ${e.worst}`);
  assert.ok(e.normMin! <= e.normMax! && Math.abs(e.normSpread! - e.normMax! / e.normMin!) < 1e-5, `norms ${e.normMin} … ${e.normMax}, spread ${e.normSpread}`);
  assert.ok(e.gapMin! <= 72 && e.gapMax! >= 72, `gaps ${e.gapMin} … ${e.gapMax}`);
  assert.ok(e.sumDim! <= 2 + 1e-6, `Σ D_i = ${e.sumDim}`);
  // The model the record describes (trained once per process, so this costs nothing): its dimensionalities by the formula above.
  const model = toyModel((ica.sweepConfig(config).dataset.data as { toy: ToyLaw }).toy, 0);
  bruteDimensionality(model.W).forEach((v, i) => assert.ok(Math.abs(v - e[`dim${i}`]!) < 1e-6, `dim${i}`));
  assert.equal(e.modelLoss, Number(model.loss.toFixed(8)));
});

test("toy sweep: the registry has every toy model with its geometry, and the six learner models with every method, 20 seeds each, unique fingerprints", () => {
  const models = [...[0, 0.5, 0.8, 0.9, 0.95, 0.97, 0.99].map((S) => `tms-n5-m2-S${S}`), "tms-n5-m2-S0.9-imp0.7",
    "tms-n10-m5-S0.9", "tms-n10-m5-S0.9-corr5", "tms-n10-m5-S0.9-anti5", "tms-n20-m5-S0.9", "tms-n40-m10-S0.9"];
  const learners = ["tms-n5-m2-S0.97", "tms-n5-m2-S0.9-imp0.7", "tms-n10-m5-S0.9", "tms-n20-m5-S0.9", "tms-n10-m5-S0.9-corr5", "tms-n10-m5-S0.9-anti5"];
  assert.deepEqual([...TOY_LEARNER_DATASETS].sort(), [...learners].sort());
  const methods = ["toy-ica-raw", "toy-ica", "toy-ica-free", "toy-ica-gain", "toy-ica-truth", "toy-ica-truth-small", "toy-relu", "toy-topk", "toy-jumprelu"];
  const want = [...models.map((d) => `${d}/toy-geometry`), ...learners.flatMap((d) => methods.map((m) => `${d}/${m}`))].sort();
  const toy = ica.SWEEP_CONFIGS.filter((c) => c.method.spec.kind === "toy");
  assert.deepEqual(toy.map((c) => c.name).sort(), want);
  assert.ok(toy.every((c) => c.seeds === 20), "20 seeds each");
  assert.equal(toy.reduce((t, c) => t + c.seeds, 0), 1340);
  assert.equal(new Set(toy.map((c) => c.fingerprint)).size, toy.length);
  // Each name says its law.
  for (const c of toy) {
    const l = (c.dataset.data as { toy: ToyLaw }).toy;
    const [, n, m, S] = /^tms-n(\d+)-m(\d+)-S([\d.]+)/.exec(c.dataset.name)!;
    assert.deepEqual([l.features, l.hidden, l.sparsity], [Number(n), Number(m), Number(S)], c.name);
    assert.equal(l.importance, c.dataset.name.endsWith("-imp0.7") ? 0.7 : undefined, c.name);
    assert.equal(l.correlatedPairs ?? 0, c.dataset.name.endsWith("-corr5") ? 5 : 0, c.name);
    assert.equal(l.anticorrelatedPairs ?? 0, c.dataset.name.endsWith("-anti5") ? 5 : 0, c.name);
  }
});
