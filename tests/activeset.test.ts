// The active-set MAP solver (lib/inference/activeset.ts) against references
// it does not share code with: the enumeration of every support ('exact',
// enumerate), FISTA run long, and the KKT certificate computed from the
// residual. Then its warm start, degenerate inputs, the pivot cap, and the
// learning loop's warm start.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { fromRows, mat, toRows, type Mat } from "../lib/matrix";
import { solveMap } from "../lib/inference/solve";
import { activeSetSources } from "../lib/inference/activeset";
import { problemOf } from "../lib/inference/problem";
import { fitTerms } from "../lib/learning/likelihood";
import type { Model } from "../lib/model";

type Prior = "exponential" | "laplace";
const PRIORS: Prior[] = ["exponential", "laplace"];

/** Random unit columns (m×n) and p points with exactly k active sources (exponential amplitudes, random signs under Laplace) plus noise. */
function sparseProblem(seed: string, m: number, n: number, p: number, k: number, noise: number, prior: Prior) {
  const rng = ica.createRng(seed);
  const A = new Float64Array(m * n);
  for (let i = 0; i < n; i++) {
    let len = 0;
    for (let r = 0; r < m; r++) {
      A[i * m + r] = rng.normal();
      len += A[i * m + r]! ** 2;
    }
    for (let r = 0; r < m; r++) A[i * m + r] = A[i * m + r]! / Math.sqrt(len);
  }
  const X = new Float64Array(m * p);
  const S = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    let placed = 0;
    while (placed < k) {
      const i = rng.int(n);
      if (S[j * n + i] !== 0) continue;
      S[j * n + i] = (prior === "laplace" && rng.uniform() < 0.5 ? -1 : 1) * rng.exponential(0.5);
      placed++;
    }
    for (let r = 0; r < m; r++) {
      let acc = noise * rng.normal();
      for (let i = 0; i < n; i++) acc += A[i * m + r]! * S[j * n + i]!;
      X[j * m + r] = acc;
    }
  }
  return { A: mat(m, n, A), X: mat(m, p, X), S: mat(n, p, S) };
}

const bitsOf = (M: Mat) => Buffer.from(M.data.buffer, M.data.byteOffset, M.data.byteLength).toString("hex");
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

test("active-set: the enumeration's support, ŝ within 1e-10 and L within 1e-12 (relative), m = 3–5, both priors, with noise", () => {
  let points = 0;
  for (let seed = 0; seed < 12; seed++) {
    const m = 3 + (seed % 3);
    const n = Math.min(10, m + 2 + (seed % 4));
    for (const prior of PRIORS) {
      const { A, X } = sparseProblem(`as-enum/${seed}/${prior}`, m, n, 40, 2, 0.2, prior);
      const model: Model = { prior, sigma: 0.2, b: 1.5 };
      const ref = solveMap(A, X, model, { method: "exact", enumerate: true });
      const got = solveMap(A, X, model, { method: "active-set" });
      assert.equal(got.diagnostics.method, "active-set");
      assert.ok(got.diagnostics.converged, JSON.stringify(got.diagnostics.failures));
      for (let j = 0; j < X.cols; j++) {
        let big = 0;
        for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(ref.S.data[j * n + i]!));
        for (let i = 0; i < n; i++) {
          const e = ref.S.data[j * n + i]!, a = got.S.data[j * n + i]!;
          assert.equal(a === 0, e === 0, `seed ${seed} ${prior} point ${j} source ${i}: support`);
          assert.ok(Math.abs(a - e) <= 1e-10 * big, `seed ${seed} ${prior} point ${j} source ${i}: ${a} vs ${e}`);
        }
        assert.ok(rel(got.objective![j]!, ref.objective![j]!) <= 1e-12, `seed ${seed} ${prior} point ${j}: L`);
        points++;
      }
    }
  }
  assert.equal(points, 12 * 2 * 40);
});

test("active-set: KKT residual ≤ 1e-9 at m = 16, n = 64, and L no higher than FISTA's after 20,000 iterations", () => {
  for (const prior of PRIORS) {
    const { A, X } = sparseProblem(`as-kkt/${prior}`, 16, 64, 12, 3, 0.1, prior);
    const model: Model = { prior, sigma: 0.1, b: 2 };
    const got = solveMap(A, X, model, { method: "active-set" });
    assert.ok(got.diagnostics.converged);
    assert.ok(got.diagnostics.kktResidual <= 1e-9, `${prior}: KKT ${got.diagnostics.kktResidual}`);
    const fista = solveMap(A, X, model, { method: "fista", maxIter: 20_000, tol: 0 });
    for (let j = 0; j < X.cols; j++) {
      const a = got.objective![j]!, f = fista.objective![j]!;
      assert.ok(a <= f * (1 + 1e-14), `${prior} point ${j}: ${a} vs FISTA ${f}`);
    }
  }
});

test("active-set: warm starts from the true ŝ, a wrong support and zeros give the same bits", () => {
  for (const prior of PRIORS) {
    const { A, X, S } = sparseProblem(`as-warm/${prior}`, 12, 40, 60, 3, 0.05, prior);
    const model: Model = { prior, sigma: 0.1, b: 2 };
    const cold = solveMap(A, X, model, { method: "active-set" });
    const rng = ica.createRng(`as-warm/wrong/${prior}`);
    const wrong = new Float64Array(S.data.length).map(() => (rng.uniform() < 0.3 ? rng.normal() : 0));
    const exact = solveMap(A, X, model, { method: "active-set", S0: cold.S });
    for (const S0 of [S, mat(S.rows, S.cols, wrong), mat(S.rows, S.cols), exact.S]) {
      const warm = solveMap(A, X, model, { method: "active-set", S0 });
      assert.equal(bitsOf(warm.S), bitsOf(cold.S), prior);
    }
    // Started from its own answer, nothing is left to pivot.
    assert.ok(exact.diagnostics.iterations < cold.diagnostics.iterations / 4, `${exact.diagnostics.iterations} vs ${cold.diagnostics.iterations}`);
  }
});

test("active-set: degenerate inputs (duplicate, opposite and zero columns, x = 0, x on a column, dependent columns) neither loop nor NaN", () => {
  const base = sparseProblem("as-degenerate", 4, 6, 30, 2, 0.1, "laplace");
  const a = Array.from(base.A.data);
  const m = 4;
  const col = (i: number) => a.slice(i * m, i * m + m);
  // Columns: 6 random, a duplicate of 0, the opposite of 1, a zero column, 2 + 3 (dependent), then a copy of 4 scaled by 2.
  const cols = [...a, ...col(0), ...col(1).map((v) => -v), 0, 0, 0, 0, ...col(2).map((v, r) => v + col(3)[r]!), ...col(4).map((v) => 2 * v)];
  const A = mat(m, cols.length / m, Float64Array.from(cols));
  const X = new Float64Array(base.X.data);
  X.fill(0, 0, m); // x = 0
  for (let r = 0; r < m; r++) X[m + r] = 3 * a[r]!; // x exactly on column 0 (and its duplicate)
  for (let r = 0; r < m; r++) X[2 * m + r] = a[2 * m + r]! + a[3 * m + r]!; // x on the dependent column
  const Xm = mat(m, base.X.cols, X);
  for (const prior of PRIORS) {
    const model: Model = { prior, sigma: 0.1, b: 2 };
    const ref = solveMap(A, Xm, model, { method: "exact" });
    const got = solveMap(A, Xm, model, { method: "active-set" });
    assert.ok(got.S.data.every(Number.isFinite), prior);
    assert.ok(got.diagnostics.converged, `${prior}: ${JSON.stringify(got.diagnostics.failures)}`);
    assert.ok(got.diagnostics.kktResidual <= 1e-9, `${prior}: KKT ${got.diagnostics.kktResidual}`);
    for (let j = 0; j < Xm.cols; j++) {
      assert.ok(got.objective![j]! <= ref.objective![j]! * (1 + 1e-12) + 1e-300, `${prior} point ${j}: ${got.objective![j]} vs ${ref.objective![j]}`);
    }
    for (let i = 0; i < A.cols; i++) assert.equal(got.S.data[i], 0, "x = 0 gives ŝ = 0");
  }
});

test("active-set: the pivot cap leaves points uncertified and says which and why, without throwing", () => {
  const { A, X } = sparseProblem("as-cap", 16, 64, 10, 3, 0.1, "exponential");
  const run = activeSetSources(problemOf(A, X, { prior: "exponential", sigma: 0.1, b: 2 }), undefined, 2);
  assert.equal(run.failures.length, 10);
  assert.deepEqual(run.failures.map((f) => f.point), [...Array(10).keys()]);
  assert.match(run.failures[0]!.reason, /pivot cap of 2 reached/);
  assert.ok(run.S.every(Number.isFinite));
});

test("active-set: the default for m > 2 (m = 2 keeps the geometric exact solver); inferSources accepts it and checks S0", () => {
  const { A, X } = sparseProblem("as-public", 5, 12, 8, 2, 0.1, "exponential");
  const Ar = toRows(A), Xr = toRows(X);
  const r = ica.inferSources(Ar, Xr, { sigma: 0.1, b: 2 });
  assert.equal(r.diagnostics.method, "active-set");
  assert.deepEqual(r.diagnostics.failures, []);
  assert.deepEqual(ica.inferSources(Ar, Xr, { sigma: 0.1, b: 2, method: "active-set", S0: r.S }).S, r.S);
  const d = ica.generateData({ angles: [0, 60, 120], samples: 5, seed: 1 });
  assert.equal(ica.inferSources(d.A, d.X).diagnostics.method, "exact");
  assert.throws(() => ica.inferSources(Ar, Xr, { method: "active-set", S0: [[1]] }), /S0 must have 12 rows, got 1/);
  assert.throws(() => ica.inferSources(Ar, Xr, { method: "activeset" as ica.InferenceMethod }), /method must be one of .*'active-set', got 'activeset'/);
});

test("learnBasis at m = 8, n = 16: each step's ŝ, warm-started, has the bits of a cold solve (full batch and minibatches)", () => {
  const { A, X } = sparseProblem("as-learn", 8, 16, 150, 2, 0.05, "exponential");
  const Xr = toRows(X);
  for (const batchSize of [150, 40]) {
    const run = ica.learnBasis(Xr, { sources: 16, steps: 8, init: "random", seed: 3, sigma: 0.1, b: 2, lr: 0.05, batchSize, trueBasis: toRows(A) });
    assert.equal(run.diverged, null);
    assert.equal(run.history.length, 9);
    if (batchSize < 150) continue; // a minibatch's points are not recorded; the full batch checks every step
    for (const h of run.history) {
      const Ah = fromRows("A", h.A);
      const cold = solveMap(Ah, X, { prior: "exponential", sigma: 0.1, b: 2 }, { method: "active-set", certify: false });
      const { sq, l1 } = fitTerms(Ah, X, cold.S);
      assert.equal(h.reconstruction, sq / X.cols, `step ${h.step}`);
      assert.equal(h.sparsity, l1 / (2 * X.cols), `step ${h.step}`);
    }
  }
});

test("active-set: X → kX, σ → kσ, b → kb gives kŝ for k = 1e-200 and 1e200 (exact rescaling), and no NaN where no rescaling helps", () => {
  const { A, X } = sparseProblem("as-scale", 6, 20, 15, 2, 0.1, "laplace");
  const Ar = toRows(A), Xr = toRows(X);
  const ref = ica.inferSources(Ar, Xr, { prior: "laplace", sigma: 0.1, b: 2 });
  for (const k of [1e-200, 1e200]) {
    const r = ica.inferSources(Ar, Xr.map((row) => row.map((v) => v * k)), { prior: "laplace", sigma: 0.1 * k, b: 2 * k });
    assert.equal(r.diagnostics.method, "active-set");
    assert.ok(r.diagnostics.converged, `k = ${k}`);
    r.S.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - k * ref.S[i]![j]!) <= 1e-9 * k * (1 + Math.abs(ref.S[i]![j]!)), `k = ${k}`)));
  }
  const bad = ica.inferSources(Ar, Xr, { prior: "laplace", sigma: 1e-9, b: 2 });
  assert.equal(bad.diagnostics.converged, false);
  assert.match(bad.diagnostics.scaling?.reason ?? "", /decided by rounding/);
  assert.ok(bad.S.flat().every(Number.isFinite) && bad.objective.every((v) => !Number.isNaN(v)));
});
