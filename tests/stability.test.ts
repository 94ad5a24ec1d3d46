// Tests of lib/learning/stability.ts. The references do not go through
// ruleJacobian: the change of each column's tangential or radial update under
// an exact rotation or stretch of one column (ruleTerms on re-inferred ŝ), the
// trace and determinant of T against its eigenvalues, and hand-made Jacobians.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { predictTurns, turnOffsets, turnResponse, turnedRay } from "../lib/learning/stability";

const model = { sigma: 0.5, b: 2 };
const d = ica.generateData({ angles: [30, 150, 270], samples: 1000, b: 2, seed: 3 });

/** A with column i turned by angle t (radians) and stretched by factor s. */
function moved(A: number[][], i: number, t: number, s: number): number[][] {
  const B = A.map((row) => [...row]);
  const x = A[0]![i]!, y = A[1]![i]!;
  B[0]![i] = s * (x * Math.cos(t) - y * Math.sin(t));
  B[1]![i] = s * (x * Math.sin(t) + y * Math.cos(t));
  return B;
}

/** Column k's update along (radial) and across (tangential) its own direction at A. */
function parts(A: number[][], k: number, base: number[][]): { along: number; across: number } {
  const dA = ica.ruleTerms(A, ica.inferSources(A, d.X, model).S, model).dA;
  const x = base[0]![k]!, y = base[1]![k]!, len = Math.hypot(x, y);
  return { along: (x * dA[0]![k]! + y * dA[1]![k]!) / len, across: (-y * dA[0]![k]! + x * dA[1]![k]!) / len };
}

test("splitJacobian: T and R match the change of each column's update under an exact turn or stretch of one column", () => {
  const c = 0.6;
  const A = d.A.map((row) => row.map((v) => v * c));
  const delta = 1e-6;
  const [s] = ica.rayStability(d.A, d.X, [c], { ...model, hRel: delta });
  for (let i = 0; i < 3; i++) {
    const len = Math.hypot(A[0]![i]!, A[1]![i]!);
    for (let k = 0; k < 3; k++) {
      // A turn by δ moves column i by δ·len across itself; a stretch by (1 ± δ) by δ·len along.
      const t = (parts(moved(A, i, delta, 1), k, A).across - parts(moved(A, i, -delta, 1), k, A).across) / (2 * delta * len);
      const r = (parts(moved(A, i, 0, 1 + delta), k, A).along - parts(moved(A, i, 0, 1 - delta), k, A).along) / (2 * delta * len);
      assert.ok(Math.abs(s!.T[k]![i]! - t) < 1e-4 * (1 + Math.abs(t)), `T[${k}][${i}] = ${s!.T[k]![i]} against ${t}`);
      assert.ok(Math.abs(s!.R[k]![i]! - r) < 1e-4 * (1 + Math.abs(r)), `R[${k}][${i}] = ${s!.R[k]![i]} against ${r}`);
    }
  }
  // The eigenvalues: their sum is the trace and their product the determinant.
  for (const [M, mu] of [[s!.T, s!.rotational], [s!.R, s!.radial]] as const) {
    const trace = M[0]![0]! + M[1]![1]! + M[2]![2]!;
    const det = M[0]![0]! * (M[1]![1]! * M[2]![2]! - M[1]![2]! * M[2]![1]!) - M[0]![1]! * (M[1]![0]! * M[2]![2]! - M[1]![2]! * M[2]![0]!) +
      M[0]![2]! * (M[1]![0]! * M[2]![1]! - M[1]![1]! * M[2]![0]!);
    const prod = mu.reduce((p, v) => ({ re: p.re * v.re - p.im * v.im, im: p.re * v.im + p.im * v.re }), { re: 1, im: 0 });
    assert.ok(Math.abs(mu.reduce((a, v) => a + v.re, 0) - trace) < 1e-9 * (1 + Math.abs(trace)));
    assert.ok(Math.abs(prod.re - det) < 1e-9 * (1 + Math.abs(det)) && Math.abs(prod.im) < 1e-9 * (1 + Math.abs(det)));
    assert.ok(mu.every((v, k) => k === 0 || v.re <= mu[k - 1]!.re), "largest real part first");
  }
});

test("splitJacobian on hand-made Jacobians: a pure turn, a pure stretch, and the sign (positive grows)", () => {
  const A = [[2, 0, -1], [0, 3, -1]];
  const n = 3;
  const unit = (i: number) => { const l = Math.hypot(A[0]![i]!, A[1]![i]!); return [A[0]![i]! / l, A[1]![i]! / l]; };
  // J = Σ_i g_i q_i q_iᵀ with q_i the tangent (or radial) unit vector of column i, in row-major entries.
  const build = (gains: number[], tangent: boolean) => {
    const J = Array.from({ length: 2 * n }, () => new Array<number>(2 * n).fill(0));
    for (let i = 0; i < n; i++) {
      const [ux, uy] = unit(i);
      const q = tangent ? [-uy!, ux!] : [ux!, uy!];
      for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) J[a * n + i]![b * n + i] = gains[i]! * q[a]! * q[b]!;
    }
    return J;
  };
  const turn = ica.splitJacobian(build([0.5, -1, 2], true), A);
  assert.deepEqual(turn.rotational.map((v) => +v.re.toFixed(12)), [2, 0.5, -1]);
  assert.deepEqual(turn.radial.map((v) => Math.abs(+v.re.toFixed(12))), [0, 0, 0]);
  const stretch = ica.splitJacobian(build([-0.25, 0.75, 0], false), A);
  assert.deepEqual(stretch.radial.map((v) => +v.re.toFixed(12)), [0.75, 0, -0.25]);
  assert.deepEqual(stretch.rotational.map((v) => Math.abs(+v.re.toFixed(12))), [0, 0, 0]);
});

test("restLength: the mean radial update vanishes there, lengthens shorter columns and shortens longer ones", () => {
  const c = ica.restLength(d.A, d.X, model)!;
  assert.ok(c > 0.1 && c < 1, `c* = ${c}`);
  // Independent of radialUpdate: ruleTerms at c·A_true, each column's update along itself.
  const mean = (k: number) => {
    const A = d.A.map((row) => row.map((v) => v * k));
    return [0, 1, 2].reduce((s, i) => s + parts(A, i, A).along, 0) / (3 * k);
  };
  assert.ok(Math.abs(mean(c)) < 1e-6, `radial update ${mean(c)} at c* = ${c}`);
  assert.ok(mean(0.9 * c) > 0 && mean(1.1 * c) < 0);
  assert.ok(Math.abs(ica.radialUpdate(d.A, d.X, 0.9 * c, model) - mean(0.9 * c)) < 1e-12);
  // With a soft threshold σ²/b far above every point, nothing is used and every column shrinks.
  assert.equal(ica.restLength(d.A, d.X, { sigma: 100, b: 2 }), null);
});

test("signChange: linear interpolation between the grid points around the first change; null without one", () => {
  assert.equal(ica.signChange([0, 1, 2], [1, -1, -3]), 0.5);
  assert.equal(ica.signChange([0, 1, 2, 3], [-2, -1, 1, -1]), 1.5);
  assert.equal(ica.signChange([0, 1], [-1, -2]), null);
  assert.throws(() => ica.signChange([0, 1], [1]), /cs and y must have the same length/);
  assert.throws(() => ica.signChange([1, 0], [1, -1]), /cs must increase/);
});

test("rayStability and splitJacobian name the bad input", () => {
  assert.throws(() => ica.rayStability(d.A, d.X, [0.5], { ...model, hRel: 0 }), /hRel/);
  assert.throws(() => ica.rayStability(d.A, d.X, [-1], model), /cs must hold positive finite lengths, got -1/);
  assert.throws(() => ica.splitJacobian([[1]], [[1, 0], [0, 1], [0, 0]]), /A must have 2 rows, got 3/);
  assert.throws(() => ica.splitJacobian([[1, 0], [0, 1]], [[0, 1], [0, 1]]), /J/);
  assert.throws(() => ica.splitJacobian(Array.from({ length: 4 }, () => [0, 0, 0, 0]), [[0, 1], [0, 1]]), /column 1 has length 0/);
});

test("rayStability with a finite step: T matches the secant of each column's turning rate under exact turns of 0.01 rad, where the 1e-6 step does not", () => {
  // 20,000 points, so that a turn of 0.01 spans many support changes and the secant is close to the expected update's slope.
  const big = ica.generateData({ angles: [30, 150, 270], samples: 20000, b: 2, seed: 3 });
  const across = (A: number[][], k: number, base: number[][]) => {
    const dA = ica.ruleTerms(A, ica.inferSources(A, big.X, model).S, model).dA;
    const x = base[0]![k]!, y = base[1]![k]!;
    return (-y * dA[0]![k]! + x * dA[1]![k]!) / Math.hypot(x, y);
  };
  const delta = 0.01;
  let worstSmall = 0;
  for (const c of [0.32, 1]) {
    const A = big.A.map((row) => row.map((v) => v * c));
    const [finite] = ica.rayStability(big.A, big.X, [c], { ...model, hRel: delta });
    const [small] = ica.rayStability(big.A, big.X, [c], { ...model, hRel: 1e-6 });
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 3; k++) {
        const secant = (across(moved(A, i, delta, 1), k, A) - across(moved(A, i, -delta, 1), k, A)) / (2 * delta * c);
        assert.ok(Math.abs(finite!.T[k]![i]! - secant) < 0.15, `c = ${c}: T[${k}][${i}] = ${finite!.T[k]![i]} against the secant ${secant}`);
        worstSmall = Math.max(worstSmall, Math.abs(small!.T[k]![i]! - secant));
      }
    }
  }
  assert.ok(worstSmall > 0.5, `the 1e-6 step's T should miss the secant somewhere by more than 0.5, missed by at most ${worstSmall}`);
});

test("turnedRay, turnOffsets and predictTurns against hand computations", () => {
  const At = [[1, 0], [0, 1]];
  const B = turnedRay(At, 2, [90, -45]);
  assert.ok(Math.abs(B[0]![0]!) < 1e-12 && Math.abs(B[1]![0]! - 2) < 1e-12, `column 1 turned by 90°: ${B.map((r) => r[0])}`);
  assert.ok(Math.abs(B[0]![1]! - Math.SQRT2) < 1e-12 && Math.abs(B[1]![1]! - Math.SQRT2) < 1e-12, `column 2 turned by −45°: ${B.map((r) => r[1])}`);
  const off = turnOffsets(B, At);
  assert.ok(Math.abs(off[0]! - 90) < 1e-9 && Math.abs(off[1]! + 45) < 1e-9, `offsets ${off}`);
  // (I + αT)^t θ by hand for a diagonal T, and for a coupled 2×2 one after two steps.
  assert.deepEqual(predictTurns([[-1, 0], [0, 0.5]], [2, 4], 0.1, 3).map((v) => +v.toFixed(12)), [2 * 0.9 ** 3, 4 * 1.05 ** 3].map((v) => +v.toFixed(12)));
  const T = [[0, 1], [1, 0]], a = 0.5;   // (I + aT)² = [[1 + a², 2a], [2a, 1 + a²]]
  assert.deepEqual(predictTurns(T, [1, 0], a, 2), [1 + a * a, 2 * a]);
  assert.throws(() => predictTurns(T, [1, 0], 0, 2), /lr must be positive/);
  assert.throws(() => predictTurns(T, [1, 0], 0.1, 1.5), /steps must be a whole number/);
  assert.throws(() => turnedRay(At, -1, []), /c must be a positive finite length, got -1/);
});

test("turnResponse: the control comes first, and the net turn is the turned run's end minus the control's", () => {
  const runs = turnResponse(d.A, d.X, 0.5, [2, -1, 0], [1], { ...model, lr: 0.02, steps: 5 });
  assert.equal(runs[0]!.scale, 0);
  assert.deepEqual(runs[0]!.start.map((v) => Math.abs(+v.toFixed(9))), [0, 0, 0]);
  const ctrl = ica.learnBasis(d.X, { ...model, init: turnedRay(d.A, 0.5, []), lr: 0.02, steps: 5, trueBasis: d.A });
  const one = ica.learnBasis(d.X, { ...model, init: turnedRay(d.A, 0.5, [2, -1, 0]), lr: 0.02, steps: 5, trueBasis: d.A });
  const want = turnOffsets(one.A, d.A).map((v, i) => v - turnOffsets(ctrl.A, d.A)[i]!);
  runs[1]!.net.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) < 1e-12, `net ${runs[1]!.net} against ${want}`));
  assert.ok(Math.abs(runs[1]!.factor - Math.max(...want.map(Math.abs)) / 2) < 1e-12);
  assert.throws(() => turnResponse(d.A, d.X, 0.5, [1], [0], { ...model, lr: 0.02, steps: 5 }), /scales must hold positive finite factors, got 0/);
});
