// Tests of the SAE baseline, the coder interface, activation zones and the
// k-hot data of notebook E7. References nobody here wrote: mathjs for the
// forward pass, central finite differences for the gradient, and closed-form
// answers (geometric medians, zone areas, hand-built encoders).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as math from "mathjs";
import * as ica from "../lib/index";
import { geometricMedian } from "../lib/sae";

const regular = { angles: [30, 150, 270], samples: 400 };

function randomModel(m: number, n: number, seed: string): ica.SAEModel {
  const rng = ica.createRng(seed);
  const Wdec = Array.from({ length: m }, () => Array.from({ length: n }, () => rng.normal()));
  for (let i = 0; i < n; i++) {
    const len = Math.hypot(...Wdec.map((r) => r[i]!));
    for (const r of Wdec) r[i] = r[i]! / len;
  }
  return {
    Wenc: Array.from({ length: n }, () => Array.from({ length: m }, () => rng.normal())),
    bEnc: Array.from({ length: n }, () => 0.3 * rng.normal()),
    Wdec,
    bDec: Array.from({ length: m }, () => 0.3 * rng.normal()),
  };
}

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
    [{ lamda: 0.1 }, /unknown option 'lamda'; valid options are .*lambda/],
    [{ lambda: -1 }, /lambda must be a finite number ≥ 0, got -1/],
    [{ lambda: NaN }, /lambda must be a finite number ≥ 0, got NaN/],
    [{ steps: 2.5 }, /steps must be an integer ≥ 0, got 2.5/],
    [{ lr: 0 }, /lr must be a finite number > 0, got 0/],
    [{ batchSize: 401 }, /batchSize must be an integer in \[1, 400\], got 401/],
    [{ beta1: 1 }, /beta1 must be a number in \[0, 1\), got 1/],
    [{ features: 2, trueBasis: A }, /features \(2\) must be at least the number of true columns \(3\)/],
    [{ init: "spreadd" }, /init must be 'random', 'spread' or an m×n matrix, got spreadd/],
    [{ init: [[1, 0, 0], [0, 1, 0]] }, /init column 3 is zero/],
    [{ decoderBias: "no" }, /decoderBias must be true or false, got no/],
    [{ resample: [0] }, /resample\[0\] must be an integer in \[1, 2999\], got 0/],
    [{ seed: Infinity }, /seed must be finite/],
    [{ schedule: "cosine" }, /schedule must be 'constant' or 'warmup-cosine', got cosine/],
  ];
  for (const [opts, re] of cases) assert.throws(() => ica.trainSAE(d.X, opts as ica.SAEOptions), re, JSON.stringify(opts));
  const bad = d.X.map((r) => r.slice());
  bad[1]![7] = NaN;
  assert.throws(() => ica.trainSAE(bad), /X\[1\]\[7\]/);
  assert.throws(() => ica.saeLoss({ ...ica.trainSAE(d.X, { steps: 1 }).model, bDec: [0] }, d.X, 0.1), /model.bDec must be an array of 2 numbers/);
});

test("sae: geometric median by Weiszfeld matches closed forms", () => {
  // Equilateral triangle: the centre. Collinear odd set: the middle point.
  const tri = new Float64Array([1, 0, Math.cos((2 * Math.PI) / 3), Math.sin((2 * Math.PI) / 3), Math.cos((4 * Math.PI) / 3), Math.sin((4 * Math.PI) / 3)]);
  const c = geometricMedian(tri, 2, 3);
  assert.ok(Math.hypot(c[0]!, c[1]!) < 1e-9);
  const line = new Float64Array([0, 0, 1, 1, 5, 5, 6, 6, 100, 100]);
  const mid = geometricMedian(line, 2, 5, 2000);
  assert.ok(Math.abs(mid[0]! - 5) < 1e-3 && Math.abs(mid[1]! - 5) < 1e-3, `got ${Array.from(mid)}`);
});

test("zones: shares of a hand-built encoder match the grid count, and edges are where features switch", () => {
  const model: ica.SAEModel = { Wenc: [[1, 0], [0, 1]], bEnc: [0, 0], Wdec: [[1, 0], [0, 1]], bDec: [0, 0] };
  const res = 101;
  const z = ica.activationZones(ica.saeCoder(model), { xRange: [-1, 1], yRange: [-1, 1], resolution: res });
  // 50 of 101 grid values per axis are > 0 (0 itself is off).
  const on = 50 / res;
  const share = (label: string) => z.zones.find((q) => ica.zoneLabel(q.active) === label)!.share;
  assert.ok(Math.abs(share("1+2") - on * on) < 1e-12);
  assert.ok(Math.abs(share("1") - on * (1 - on)) < 1e-12);
  assert.ok(Math.abs(share("none") - (1 - on) ** 2) < 1e-12);
  assert.equal(z.zones.reduce((t, q) => t + q.share, 0).toFixed(12), "1.000000000000");
  assert.equal(z.mask[res - 1]![res - 1], 3); // top right: both on
  const edges = ica.reluBoundaries({ ...randomModel(2, 3, "edges") });
  const m = randomModel(2, 3, "edges");
  edges.forEach((e, i) => {
    // A point on the edge has pre-activation 0 for feature i.
    const nn = e.normal[0]! ** 2 + e.normal[1]! ** 2;
    const x = [e.normal[0]! * e.offset / nn, e.normal[1]! * e.offset / nn];
    const u = m.Wenc[i]!.reduce((t, w, k) => t + w * (x[k]! - m.bDec[k]!), m.bEnc[i]!);
    assert.ok(Math.abs(u) < 1e-12);
  });
  assert.deepEqual(ica.activeMasks([[0, 1, 2], [3, 0, 1]]), [2, 1, 3]);
  assert.throws(() => ica.activationZones(ica.saeCoder(model), { xRange: [1, -1], yRange: [-1, 1] }), /xRange must be \[min, max\]/);
  assert.throws(() => ica.activationZones(ica.saeCoder(model), { xRange: [-1, 1], yRange: [-1, 1], resolution: 1 }), /resolution must be an integer in \[2, 1001\], got 1/);
});

test("zones: ICA's MAP zones in 2-D never hold three columns", () => {
  const d = ica.generateData({ ...regular, seed: 1 });
  const z = ica.activationZones(ica.mapCoder(d.A, { sigma: 0.1, b: 2 }), { xRange: [-6, 6], yRange: [-6, 6], resolution: 61 });
  assert.ok(z.zones.every((q) => q.active.length <= 2));
  assert.ok(z.zones.some((q) => q.active.length === 2));
});
