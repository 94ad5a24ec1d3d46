// Tests of the SAE baseline (lib/sae/). References nobody here wrote: mathjs
// for the forward pass, central finite differences for the gradient,
// closed-form geometric medians, and the bits of the implementation before
// lib/sae.ts was split (stored hashes).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as math from "mathjs";
import * as ica from "../lib/index";
import { geometricMedian, SAE_OPTIONS } from "../lib/sae";
import { passFor } from "../lib/sae/pass";
import { zeros } from "../lib/sae/model";
import { mat } from "../lib/matrix";
import { randomModel } from "./helpers/sae-model";

const regular = { angles: [30, 150, 270], samples: 400 };

test("sae: the forward pass and the loss match a mathjs reference", () => {
  const model = randomModel(3, 5, "fwd");
  const X = ica.generateData({ A: ica.basisFromAngles([0, 70, 140, 210, 280]).concat([[0.2, -0.1, 0.4, 0.3, -0.5]]), samples: 40, seed: 3 }).X;
  const lambda = 0.07;
  const W = math.matrix(model.Wenc);
  let sq = 0;
  let l1 = 0;
  const S = ica.encodeSAE(model, X);
  const R = ica.reconstructSAE(model, X);
  for (let j = 0; j < X[0]!.length; j++) {
    const x = math.matrix(X.map((r) => r[j]!));
    const u = math.add(math.multiply(W, math.subtract(x, math.matrix(model.bDec))), math.matrix(model.bEnc)) as math.Matrix;
    const s = u.map((v: number) => Math.max(0, v));
    const xr = math.add(math.multiply(math.matrix(model.Wdec), s), math.matrix(model.bDec)) as math.Matrix;
    (s.toArray() as number[]).forEach((v, i) => assert.ok(Math.abs(v - S[i]![j]!) < 1e-12));
    (xr.toArray() as number[]).forEach((v, k) => assert.ok(Math.abs(v - R[k]![j]!) < 1e-12));
    const diff = math.subtract(x, xr) as math.Matrix;
    sq += math.dot(diff, diff) as number;
    l1 += math.sum(s) as number;
  }
  const p = X[0]!.length;
  const L = ica.saeLoss(model, X, lambda);
  assert.ok(Math.abs(L.mse - sq / p) < 1e-10, `mse ${L.mse} vs ${sq / p}`);
  assert.ok(Math.abs(L.l1 - l1 / p) < 1e-10);
  assert.ok(Math.abs(L.loss - (sq + lambda * l1) / p) < 1e-10);
});

test("sae: the gradient matches central finite differences of the loss", () => {
  const model = randomModel(2, 4, "grad");
  const X = ica.generateData({ ...regular, samples: 30, seed: 5 }).X;
  const lambda = 0.3;
  const G = ica.saeGradient(model, X, lambda);
  const h = 1e-6;
  let checked = 0;
  for (const key of ["Wenc", "bEnc", "Wdec", "bDec"] as const) {
    const P = model[key] as number[] | number[][];
    const G1 = G[key] as number[] | number[][];
    const cells: [number, number | null][] = Array.isArray(P[0])
      ? (P as number[][]).flatMap((row, r) => row.map((_, c): [number, number | null] => [r, c]))
      : (P as number[]).map((_, r): [number, number | null] => [r, null]);
    for (const [r, c] of cells) {
      const bump = (d: number): number => {
        const copy = JSON.parse(JSON.stringify(model)) as ica.SAEModel;
        const target = copy[key] as number[] | number[][];
        if (c === null) (target as number[])[r] = (target as number[])[r]! + d;
        else (target as number[][])[r]![c] = (target as number[][])[r]![c]! + d;
        return ica.saeLoss(copy, X, lambda).loss;
      };
      const numeric = (bump(h) - bump(-h)) / (2 * h);
      const analytic = c === null ? (G1 as number[])[r]! : (G1 as number[][])[r]![c]!;
      assert.ok(Math.abs(numeric - analytic) < 1e-5 * Math.max(1, Math.abs(numeric)), `${key}[${r}${c === null ? "" : "," + c}]: numeric ${numeric}, analytic ${analytic}`);
      checked++;
    }
  }
  assert.equal(checked, 2 * 4 + 4 + 2 * 4 + 2);
});

test("sae: decoder columns stay unit length, the loss falls, and the same seed gives the same model", () => {
  const d = ica.generateData({ ...regular, seed: 2 });
  const a = ica.trainSAE(d.X, { lambda: 0.1, seed: 4, steps: 400, historyEvery: 100 });
  const b = ica.trainSAE(d.X, { lambda: 0.1, seed: 4, steps: 400, historyEvery: 100 });
  const c = ica.trainSAE(d.X, { lambda: 0.1, seed: 5, steps: 400, historyEvery: 100 });
  assert.deepEqual(a.model, b.model);
  assert.notDeepEqual(a.model, c.model);
  for (const len of ica.columnNorms(a.basis)) assert.ok(Math.abs(len - 1) < 1e-12, `column length ${len}`);
  assert.deepEqual(a.basis, a.model.Wdec);
  assert.ok(a.history.at(-1)!.loss < 0.2 * a.history[0]!.loss, `loss ${a.history[0]!.loss} → ${a.history.at(-1)!.loss}`);
  assert.equal(a.history.at(-1)!.step, 400);
  assert.equal(a.diverged, null);
});

test("sae: without a decoder bias it recovers the regular basis; with one it drifts (E7's finding)", () => {
  for (const seed of [1, 2]) {
    const d = ica.generateData({ angles: [30, 150, 270], samples: 1000, seed });
    const free = ica.trainSAE(d.X, { lambda: 0.1, seed, decoderBias: false });
    const std = ica.trainSAE(d.X, { lambda: 0.1, seed });
    assert.ok(ica.basisError(free.basis, d.A).meanAngleDeg < 3, `seed ${seed}: bias-free error ${ica.basisError(free.basis, d.A).meanAngleDeg}`);
    assert.ok(ica.basisError(std.basis, d.A).meanAngleDeg > 10, `seed ${seed}: standard error ${ica.basisError(std.basis, d.A).meanAngleDeg}`);
    assert.deepEqual(free.model.bDec, [0, 0]);
  }
});

test("sae: a dead feature is counted, and resampling revives it", () => {
  // Data in the first quadrant from features at 0°, 45° and 90°. Feature 3
  // starts at 225°, pointing away from every point, so with b_dec = 0 its
  // pre-activation is negative everywhere and it never learns.
  const d = ica.generateData({ angles: [0, 45, 90], samples: 300, seed: 1 });
  const init = ica.basisFromAngles([0, 90, 225]);
  const base = { lambda: 0.1, seed: 1, steps: 600, init, features: 3, decoderBias: false, deadWindow: 100, historyEvery: 50 };
  const dead = ica.trainSAE(d.X, base);
  assert.deepEqual(dead.dead, [2]);
  assert.deepEqual(dead.resampled, []);
  assert.ok(dead.history.filter((h) => h.step >= 150).every((h) => h.deadFeatures === 1), "silent for 100 steps = dead");
  assert.ok(dead.history.filter((h) => h.step < 100).every((h) => h.deadFeatures === 0), "not dead before the window");
  const revived = ica.trainSAE(d.X, { ...base, resample: [300] });
  assert.deepEqual(revived.resampled, [{ step: 300, features: [2] }]);
  assert.deepEqual(revived.dead, []);
  assert.ok(revived.history.filter((h) => h.step >= 300).every((h) => h.deadFeatures === 0));
  // The revived feature finds the 45° feature that the dead run never had.
  const err = (r: ica.SAEResult) => ica.basisError(r.basis, d.A).meanAngleDeg;
  assert.ok(err(revived) < err(dead) - 20, `error ${err(dead)} → ${err(revived)}`);
  const scheduled = ica.trainSAE(d.X, { ...base, resample: true });
  assert.equal(scheduled.resampled[0]!.step, 150); // 25% of 600, the first scheduled check after it died
});

test("sae: a blow-up is reported with its step and the model stays finite", () => {
  const d = ica.generateData({ ...regular, seed: 1 });
  const r = ica.trainSAE(d.X, { lambda: 0.1, lr: 1e300, steps: 50, schedule: "constant" });
  assert.ok(r.diverged !== null, "expected a divergence");
  assert.match(r.diverged!.reason, /non-finite/);
  assert.ok(r.diverged!.step >= 1 && r.diverged!.step <= 50);
  for (const v of [...r.model.Wenc.flat(), ...r.model.bEnc, ...r.model.Wdec.flat(), ...r.model.bDec]) assert.ok(Number.isFinite(v));
});

test("sae: bad options name the option and the value", () => {
  const d = ica.generateData({ ...regular, seed: 1 });
  const A = d.A;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ lamda: 0.1 }, /trainSAE: unknown option 'lamda' \(did you mean 'lambda'\?\); valid options are .*lambda/],
    [{ lambda: -1 }, /lambda must be ≥ 0, got -1/],
    [{ lambda: NaN }, /lambda must be a finite number, got NaN/],
    [{ steps: 2.5 }, /steps must be an integer, got 2.5/],
    [{ steps: "10" }, /steps must be an integer, got '10'/],
    [{ lr: 0 }, /lr must be > 0, got 0/],
    [{ batchSize: 401 }, /batchSize must be an integer in \[1, 400\], got 401/],
    [{ beta1: 1 }, /beta1 must be ≥ 0 and < 1, got 1/],
    [{ features: 0 }, /features must be an integer ≥ 1, got 0/],
    [{ features: 2, trueBasis: A }, /features \(2\) must be at least the number of true columns \(3\)/],
    [{ trueBasis: [[1, 0]] }, /trueBasis must have 2 rows, got 1/],
    [{ init: "spreadd" }, /init must be 'random', 'spread', 'data' or an m×n matrix, got 'spreadd'/],
    [{ init: [[1, 0, 0], [0, 1, 0]] }, /init column 3 is zero/],
    [{ decoderBias: "false" }, /decoderBias must be true or false, got 'false'/],
    [{ resample: "yes" }, /resample must be true, false or a list of steps, got 'yes'/],
    [{ resample: [0] }, /resample\[0\] must be an integer in \[1, 2999\], got 0/],
    [{ seed: Infinity }, /seed must be finite/],
    [{ seed: null }, /seed must be a number or a string, got null/],
    [{ schedule: "cosine" }, /schedule must be 'constant' or 'warmup-cosine', got cosine/],
  ];
  for (const [opts, re] of cases) assert.throws(() => ica.trainSAE(d.X, opts as ica.SAEOptions), re, JSON.stringify(opts));
  const bad = d.X.map((r) => r.slice());
  bad[1]![7] = NaN;
  assert.throws(() => ica.trainSAE(bad), /X\[1\]\[7\]/);
  assert.throws(() => ica.saeLoss({ ...ica.trainSAE(d.X, { steps: 1 }).model, bDec: [0] }, d.X, 0.1), /model.bDec must be an array of 2 numbers/);
  assert.throws(() => ica.trainSAE(d.X, null as unknown as ica.SAEOptions), /trainSAE: options must be an object, got null/);
});

test("sae: SAE_OPTIONS fills every default, in the order sweep records store them", () => {
  const X = ica.generateData({ ...regular, seed: 1 }).X;
  const r = ica.trainSAE(X, { steps: 0 });
  assert.deepEqual(Object.entries(r.options), Object.entries({
    features: 3, lambda: 0.01, steps: 0, lr: 0.01, schedule: "warmup-cosine", batchSize: 256, seed: 0, init: "random",
    decoderBias: true, beta1: 0.9, beta2: 0.999, eps: 1e-8, deadWindow: 200, resample: [], historyEvery: 50,
  }));
  assert.equal(ica.trainSAE([[1, 2, 3], [0, 1, 0]], { steps: 0 }).options.batchSize, 3);
  assert.deepEqual(ica.trainSAE(X, { steps: 600, resample: true }).options.resample, [150, 300, 450]);
  assert.deepEqual(Object.keys(SAE_OPTIONS.schema), [
    "features", "activation", "k", "bandwidth", "initThreshold", "lambda", "steps", "lr", "schedule", "batchSize", "seed", "init", "decoderBias", "beta1", "beta2", "eps",
    "deadWindow", "resample", "trueBasis", "historyEvery",
  ]);
});

test("sae: transposed data (more rows than columns) is rejected with the transpose suggested (defect 5)", () => {
  const d = ica.generateData({ angles: [0, 60, 120], samples: 1000, seed: 1 });
  const transposed = d.X[0]!.map((_, j) => [d.X[0]![j]!, d.X[1]![j]!]);
  assert.throws(() => ica.trainSAE(transposed, { steps: 10 }), {
    name: "RangeError",
    message: "X is 1000×2: more rows (dimensions) than columns (points); pass the transpose, one column per point",
  });
});

/** A fingerprint of every number a run returns, their bits included. */
function runBits(r: ica.SAEResult): string {
  const nums = [...r.model.Wenc.flat(), ...r.model.bEnc, ...r.model.Wdec.flat(), ...r.model.bDec,
    ...r.history.flatMap((e) => [e.step, e.loss, e.mse, e.l1, e.l0, e.deadFeatures, e.angleError ?? Number.NaN, e.lr])];
  return createHash("sha256").update(new Uint8Array(Float64Array.from(nums).buffer))
    .update(JSON.stringify([r.dead, r.resampled, r.diverged, r.options])).digest("hex").slice(0, 16);
}

test("sae: trained models keep the bits of the implementation before the split (pass and pass2, the hand-written shuffle)", () => {
  const A3 = [[1, 0, 0, 0.6], [0, 1, 0, 0.6], [0, 0, 1, 0.5]];
  const away2 = [[1, 0, -0.7071], [0, 1, -0.7071]];
  const away3 = [[1, 0, 0, -1], [0, 1, 0, -1], [0, 0, 1, -1]];
  // Hashes computed with lib/sae.ts at commit 60a420e (main before issue 15's split).
  const runs: [string, ica.DataOptions, ica.SAEOptions & { truth?: boolean }, string, number][] = [
    ["m2 bias", { angles: [30, 150, 270], samples: 400, seed: 3 }, { seed: 3, steps: 500, resample: true, deadWindow: 40, truth: true }, "09c8b60b1d201df3", 0],
    ["m2 no bias", { angles: [30, 150, 270], samples: 400, seed: 4 }, { seed: 4, steps: 400, decoderBias: false, resample: [100, 200], deadWindow: 30, lambda: 0.1, features: 5 }, "1f38827643c98c0b", 0],
    ["m3 bias", { A: A3, samples: 300, seed: 5 }, { seed: 5, steps: 400, resample: true, deadWindow: 50, features: 6, truth: true }, "d4fbd12bdf84f0f0", 0],
    ["m2 resampled", { angles: [0, 45, 90], samples: 300, seed: 1 }, { seed: 1, steps: 500, lambda: 0.1, init: away2, decoderBias: false, resample: [150, 300], deadWindow: 100 }, "d49098f7289721b8", 1],
    ["m2 bias, init away", { angles: [0, 45, 90], samples: 300, seed: 2 }, { seed: 2, steps: 500, lambda: 0.1, init: away2, resample: [150, 300], deadWindow: 100 }, "aa67b93e395ef011", 0],
    ["m3 resampled", { A: A3, samples: 300, seed: 7 }, { seed: 7, steps: 400, lambda: 0.05, init: away3, decoderBias: false, resample: [100], deadWindow: 50, features: 4 }, "11e423309c0e3419", 1],
    ["m3 spread", { A: A3, samples: 300, seed: 6 }, { seed: 6, steps: 300, decoderBias: false, init: "spread", batchSize: 50 }, "3148b0b7ed073488", 0],
  ];
  for (const [name, data, { truth, ...o }, bits, resamplings] of runs) {
    const d = ica.generateData(data);
    const r = ica.trainSAE(d.X, { ...o, trueBasis: truth ? d.A : undefined });
    assert.equal(r.resampled.length, resamplings, `${name}: resamplings`);
    assert.equal(runBits(r), bits, name);
  }
});

test("sae: the written-out and the looped pass give the same bits, loss and gradient, for m = 1 … 4", () => {
  const bitsOf = (...arrays: Float64Array[]) => arrays.map((a) => Array.from(new Uint32Array(a.slice().buffer)).join(",")).join("|");
  for (const m of [1, 2, 3, 4]) {
    const n = 5;
    const model = randomModel(m, n, `pass${m}`);
    const P = { E: Float64Array.from(model.Wenc.flat()), be: Float64Array.from(model.bEnc), D: Float64Array.from({ length: m * n }, (_, k) => model.Wdec[k % m]![Math.floor(k / m)]!), bd: Float64Array.from(model.bDec) };
    const rng = ica.createRng(`x${m}`);
    const q = 37;
    const X = Float64Array.from({ length: m * q }, () => 2 * rng.normal());
    const out = [true, false].map((unrolled) => {
      const G = zeros(m, n);
      const st = passFor(m, unrolled)(P, X, n, q, 0.07, G);
      return { st, G };
    });
    const [a, b] = out as [typeof out[0], typeof out[0]];
    assert.equal(bitsOf(Float64Array.of(a.st.sq, a.st.l1, a.st.active)), bitsOf(Float64Array.of(b.st.sq, b.st.l1, b.st.active)), `m = ${m}: stats`);
    assert.deepEqual(a.st.fired, b.st.fired);
    assert.equal(bitsOf(a.G.E, a.G.be, a.G.D, a.G.bd), bitsOf(b.G.E, b.G.be, b.G.D, b.G.bd), `m = ${m}: gradient`);
    assert.ok(a.st.active > 0 && a.st.active < q * n, "some features fire, some do not");
  }
  assert.throws(() => passFor(0), /the SAE pass needs an integer dimension m ≥ 1, got 0/);
});

test("sae: geometric median by Weiszfeld matches closed forms", () => {
  // Equilateral triangle: the centre. Collinear odd set: the middle point.
  const tri = new Float64Array([1, 0, Math.cos((2 * Math.PI) / 3), Math.sin((2 * Math.PI) / 3), Math.cos((4 * Math.PI) / 3), Math.sin((4 * Math.PI) / 3)]);
  const c = geometricMedian(mat(2, 3, tri));
  assert.ok(Math.hypot(c[0]!, c[1]!) < 1e-9);
  const line = new Float64Array([0, 0, 1, 1, 5, 5, 6, 6, 100, 100]);
  const mid = geometricMedian(mat(2, 5, line), 2000);
  assert.ok(Math.abs(mid[0]! - 5) < 1e-3 && Math.abs(mid[1]! - 5) < 1e-3, `got ${Array.from(mid)}`);
});

