// Tests of lib/learning/diagnostics.ts: turnRates, columnParts and the
// radial and tangential parts fixedPointBias returns. The references are
// independent of the code under test: closed forms worked by hand (a pure
// scaling, a pure rotation), the angle a finite step actually turns a column,
// projections computed with mathjs, and a data set with the regular basis's
// mirror symmetries, on which no column can turn.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as math from "mathjs";
import * as ica from "../lib/index";
import { columnParts } from "../lib/learning/diagnostics";
import { createRng } from "../lib/random";

const DEG = 180 / Math.PI;

test("turnRates on a 2×2 basis: the hand-derived rates, no turn for a radial update, 0 for a zero column", () => {
  // Column (1, 0) pushed by α·(0, 1) points at atan(α): d/dα at 0 is 1 rad.
  // Column (0, 2) pushed by α·(−1, 0) points at atan2(2, −α) = π/2 + atan(α/2):
  // d/dα at 0 is 1/2 rad. Both counter-clockwise, so positive.
  const A = [[1, 0], [0, 2]];
  const dA = [[0, -1], [1, 0]];
  const rates = ica.turnRates(A, dA);
  assert.equal(rates.length, 2);
  assert.ok(Math.abs(rates[0]! - DEG) < 1e-12, `column 0: ${rates[0]} against ${DEG}`);
  assert.ok(Math.abs(rates[1]! - DEG / 2) < 1e-12, `column 1: ${rates[1]} against ${DEG / 2}`);
  // A clockwise push turns the other way.
  assert.ok(Math.abs(ica.turnRates(A, [[0, 1], [-1, 0]])[0]! + DEG) < 1e-12);
  // An update along the column only lengthens it.
  assert.deepEqual(ica.turnRates(A, [[3, 0], [0, -5]]).map(Math.abs), [0, 0]);
  // A zero column has no direction to turn.
  assert.deepEqual(ica.turnRates([[0, 1], [0, 0]], dA), [0, 0]);
});

test("turnRates against the angle a small step turns each column, by central differences", () => {
  const rng = createRng(20261201);
  const n = 7;
  const draw = () => Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  /** Signed angle from u to v (radians), from their cross and dot products. */
  const angle = (ux: number, uy: number, vx: number, vy: number) => Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  for (let trial = 0; trial < 20; trial++) {
    const scale = 10 ** (4 * rng.uniform() - 2);
    const A = [draw().map((v) => v * scale), draw().map((v) => v * scale)];
    const dA = [draw(), draw()];
    const rates = ica.turnRates(A, dA);
    for (let i = 0; i < n; i++) {
      const x = A[0]![i]!;
      const y = A[1]![i]!;
      const h = 1e-5 * Math.hypot(x, y);
      const plus = angle(x, y, x + h * dA[0]![i]!, y + h * dA[1]![i]!);
      const minus = angle(x, y, x - h * dA[0]![i]!, y - h * dA[1]![i]!);
      const fd = ((plus - minus) / (2 * h)) * DEG;
      assert.ok(Math.abs(fd - rates[i]!) <= 1e-6 * (1 + Math.abs(fd)), `trial ${trial}, column ${i}: ${rates[i]} against ${fd}`);
    }
  }
});

test("turnRates takes only 2-row matrices of the same size, and names the one that is wrong", () => {
  const dA = [[0, 1], [1, 0]];
  assert.throws(() => ica.turnRates([[1, 0], [0, 1], [0, 0]], dA), /A must have 2 rows, got 3/);
  assert.throws(() => ica.turnRates([[1, 0], [0, 1]], [[0, 1, 2], [1, 0, 2]]), /dA/);
});

test("turnRates at extreme scales: A and dA scaled together by c turn at the same rate (no NaN at 1e160, no 0 at 1e-170)", () => {
  const A = [[1, -0.5, 2], [0.25, 1, -1]];
  const dA = [[0.3, 0.1, -0.2], [-0.4, 0.7, 0.05]];
  const unit = ica.turnRates(A, dA);
  for (const c of [1e160, 1e-170, 1e300, 1e-300]) {
    const scaledRates = ica.turnRates(A.map((r) => r.map((v) => v * c)), dA.map((r) => r.map((v) => v * c)));
    scaledRates.forEach((r, i) => assert.ok(Math.abs(r - unit[i]!) <= 1e-12 * Math.abs(unit[i]!), `c = ${c}, column ${i}: ${r} against ${unit[i]}`));
  }
});


const column = (M: number[][], i: number) => M.map((row) => row[i]!);

test("columnParts: a pure scaling ΔA = −kA is all radial (−k|a_i|), a pure rotation all tangential (ω|a_i|)", () => {
  const A = [[1, 0, -3, 0.5], [0, 2, 4, -0.5]];
  const lengths = [1, 2, 5, Math.SQRT1_2];
  const k = 0.37;
  const shrink = columnParts(A, A.map((row) => row.map((v) => -k * v)));
  shrink.radial.forEach((r, i) => assert.ok(Math.abs(r + k * lengths[i]!) < 1e-14, `column ${i}: radial ${r} against ${-k * lengths[i]!}`));
  shrink.tangential.forEach((t, i) => assert.ok(Math.abs(t) < 1e-14, `column ${i}: tangential ${t} against 0`));
  // ω·J·A with J = [[0, −1], [1, 0]] turns every column counter-clockwise at ω rad per unit step.
  const w = -0.8;
  const turn = columnParts(A, [A[1]!.map((v) => -w * v), A[0]!.map((v) => w * v)]);
  turn.radial.forEach((r, i) => assert.ok(Math.abs(r) < 1e-14, `column ${i}: radial ${r} against 0`));
  turn.tangential.forEach((t, i) => assert.ok(Math.abs(t - w * lengths[i]!) < 1e-14, `column ${i}: tangential ${t} against ${w * lengths[i]!}`));
  // A zero column has neither part; a 3-row basis has no signed tangential part.
  assert.deepEqual(columnParts([[0, 1], [0, 0]], [[1, 1], [1, 1]]), { radial: [0, 1], tangential: [0, 1] });
  assert.deepEqual(columnParts([[1], [0], [0]], [[2], [3], [4]]), { radial: [2], tangential: [] });
});

test("columnParts against mathjs projections, at scales from 1e-150 to 1e150", () => {
  const rng = createRng(20261202);
  const draw = (rows: number, cols: number, scale: number) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => scale * (2 * rng.uniform() - 1)));
  for (let trial = 0; trial < 30; trial++) {
    const m = trial % 3 === 0 ? 3 : 2;
    const scale = 10 ** (300 * rng.uniform() - 150);
    const A = draw(m, 5, scale);
    const dA = draw(m, 5, 1);
    const parts = columnParts(A, dA);
    for (let i = 0; i < 5; i++) {
      // mathjs on the column divided by its scale, so that its norm is a plain double.
      const a = column(A, i).map((v) => v / scale);
      const g = column(dA, i);
      const len = math.norm(a) as number;
      const radial = (math.dot(a, g) as number) / len;
      assert.ok(Math.abs(parts.radial[i]! - radial) <= 1e-12 * (1 + Math.abs(radial)), `trial ${trial}, column ${i}: radial ${parts.radial[i]} against ${radial}`);
      if (m === 2) {
        const tangential = (math.det([a, g]) as number) / len;
        assert.ok(Math.abs(parts.tangential[i]! - tangential) <= 1e-12 * (1 + Math.abs(tangential)), `trial ${trial}, column ${i}: tangential ${parts.tangential[i]} against ${tangential}`);
      }
    }
    if (m === 3) assert.deepEqual(parts.tangential, []);
  }
});

test("columnParts is the one lib/index.ts exports", () => {
  assert.equal(ica.columnParts, columnParts);
});

test("columnParts names the matrix that has the wrong shape", () => {
  assert.throws(() => columnParts([[1, 0], [0, 1]], [[0, 1, 2], [1, 0, 2]]), /dA/);
  assert.throws(() => columnParts([[1, 0], [0, 1]], [[0, 1], [1, 0], [0, 0]]), /dA must have 2 rows, got 3/);
});

test("fixedPointBias: radial and tangential are the projections of dA on the columns of c·A_true, and tangential/|cA_i| is rotationDeg", () => {
  const d = ica.generateData({ angles: [0, 60, 150, 250], samples: 800, seed: 3 });
  for (const precondition of ["none", "inverse-AAT"] as const) {
    const r = ica.fixedPointBias(d.A, d.X, { sigma: 0.3, b: 2, precondition });
    for (let i = 0; i < 4; i++) {
      const a = column(d.A, i).map((v) => r.scale * v);
      const g = column(r.dA, i);
      const len = math.norm(a) as number;
      const radial = (math.dot(a, g) as number) / len;
      const tangential = (math.det([a, g]) as number) / len;
      assert.ok(Math.abs(r.radial[i]! - radial) < 1e-12, `${precondition}, column ${i}: radial ${r.radial[i]} against ${radial}`);
      assert.ok(Math.abs(r.tangential[i]! - tangential) < 1e-12, `${precondition}, column ${i}: tangential ${r.tangential[i]} against ${tangential}`);
      assert.ok(Math.abs((r.tangential[i]! / len) * DEG - r.rotationDeg[i]!) < 1e-9, `${precondition}, column ${i}: ${r.tangential[i]! / len} rad against ${r.rotationDeg[i]}°`);
    }
  }
});

test("fixedPointBias on data with the regular basis's six symmetries: no column turns, and every column is shortened or lengthened alike", () => {
  // Close a sample under the rotations by 120° and the mirror in the 30° line:
  // the basis at 30°, 150°, 270° maps onto itself, so by symmetry the update
  // of each column lies along it (its own mirror fixes it) and has one length.
  const base = ica.generateData({ angles: [30, 150, 270], samples: 300, seed: 11 });
  const rot = (t: number) => [[Math.cos(t), -Math.sin(t)], [Math.sin(t), Math.cos(t)]];
  const mirror = [[Math.cos(Math.PI / 3), Math.sin(Math.PI / 3)], [Math.sin(Math.PI / 3), -Math.cos(Math.PI / 3)]];
  const maps = [0, 1, 2].flatMap((k) => [rot((2 * Math.PI * k) / 3), math.multiply(rot((2 * Math.PI * k) / 3), mirror) as number[][]]);
  const X = math.concat(...maps.map((M) => math.multiply(M, base.X) as number[][]), 1) as number[][];
  for (const prior of ["exponential", "laplace"] as const) {
    const r = ica.fixedPointBias(base.A, X, { sigma: 0.5, b: 2, prior });
    const size = Math.hypot(...r.dA.flat()) / Math.sqrt(3);
    assert.ok(size > 0.01, `${prior}: the update is not trivially zero (${size})`);
    r.tangential.forEach((t, i) => assert.ok(Math.abs(t) < 1e-9 * size, `${prior}, column ${i}: tangential ${t}`));
    r.radial.forEach((v, i) => assert.ok(Math.abs(Math.abs(v) - size) < 1e-9 * size && Math.sign(v) === Math.sign(r.radial[0]!), `${prior}, column ${i}: radial ${v} against ±${size}`));
  }
});

test("turnSpeeds: the angle A_i + α dA_i moves through as α leaves 0 (finite differences, m = 3 and 5), |turnRates| in 2-D, 0 for a zero column", () => {
  const rng = ica.createRng("turnSpeeds");
  // The angle between u and v by atan2 of v's parts across and along u (acos loses the small angles to rounding).
  const angle = (u: number[], v: number[]) => {
    const lu = Math.hypot(...u);
    const along = u.reduce((s, x, r) => s + x * v[r]!, 0) / lu;
    const across = Math.hypot(...v.map((x, r) => x - (along * u[r]!) / lu));
    return (Math.atan2(across, along) * 180) / Math.PI;
  };
  for (const m of [3, 5]) {
    const A = Array.from({ length: m }, () => Array.from({ length: 4 }, () => rng.normal() * 3));
    const dA = Array.from({ length: m }, () => Array.from({ length: 4 }, () => rng.normal()));
    const got = ica.turnSpeeds(A, dA);
    const h = 1e-7;
    for (let i = 0; i < 4; i++) {
      const a = A.map((row) => row[i]!);
      const moved = a.map((v, r) => v + h * dA[r]![i]!);
      const fd = angle(a, moved) / h;
      assert.ok(Math.abs(got[i]! - fd) <= 1e-4 * Math.max(1, fd), `m = ${m}, column ${i}: ${got[i]} against ${fd}`);
    }
  }
  const A2 = [[1, -0.5, 0], [0.2, 2, 0]];
  const d2 = [[0.3, 0.1, 1], [-0.7, 0.4, 1]];
  const rates = ica.turnRates(A2, d2);
  ica.turnSpeeds(A2, d2).forEach((v, i) => assert.ok(Math.abs(v - Math.abs(rates[i]!)) < 1e-12, `2-D column ${i}: ${v} against ${rates[i]}`));
  assert.equal(ica.turnSpeeds(A2, d2)[2], 0);
  assert.throws(() => ica.turnSpeeds(A2, [[1, 2], [3, 4]]), /dA/);
});
