// The fast paths of inference: the dual-polygon cut of the exact solver and
// the 2-D FISTA loop, each against the slower code it stands in for.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { solveMap } from "../lib/inference/solve";
import { toColMajor, fromColMajor, type Matrix } from "../lib/linalg";
import { mat } from "../lib/matrix";
import { priorOf } from "../lib/model";
import { mathjsExact } from "../scripts/bench-mathjs";

type Kind = "general" | "half-plane" | "parallel" | "zero" | "duplicate" | "near-duplicate";
const KINDS: Kind[] = ["general", "half-plane", "parallel", "zero"];

/** A random 2×n basis of the given kind and p Gaussian points. */
function problem(seed: number, kind: Kind, p: number): { A: Matrix; X: Matrix; n: number; sigma: number; b: number } {
  const rng = ica.createRng(`inference-test/${seed}`);
  const n = 2 + rng.int(9);
  const A: Matrix = [[], []];
  for (let i = 0; i < n; i++) {
    // half-plane: no column points below the x-axis, so the dual polygon is open.
    let ang = kind === "half-plane" ? rng.uniform() * Math.PI * 0.9 : rng.uniform() * 2 * Math.PI;
    if (kind === "parallel" && i > 0 && rng.uniform() < 0.4) ang = Math.atan2(A[1]![i - 1]!, A[0]![i - 1]!);
    const len = kind === "zero" && i % 3 === 1 ? 0 : 0.2 + 2 * rng.uniform();
    A[0]!.push(len * Math.cos(ang));
    A[1]!.push(len * Math.sin(ang));
  }
  if (kind === "duplicate") {
    A[0]![n - 1] = A[0]![0]!;
    A[1]![n - 1] = A[1]![0]!;
  }
  if (kind === "near-duplicate") {
    A[0]![n - 1] = A[0]![0]! * (1 + 1e-13);
    A[1]![n - 1] = A[1]![0]!;
  }
  const X: Matrix = [[], []];
  for (let j = 0; j < p; j++) {
    X[0]!.push(3 * rng.normal());
    X[1]!.push(3 * rng.normal());
  }
  return { A, X, n, sigma: 0.1 + rng.uniform(), b: 0.2 + 2 * rng.uniform() };
}

test("exact ŝ in 2-D: the dual-polygon cut gives the enumeration's ŝ bit for bit, signed or not, on every kind of basis", () => {
  let points = 0;
  for (let seed = 0; seed < 150; seed++) {
    const kind = KINDS[seed % KINDS.length]!;
    const { A, X, n, sigma, b } = problem(seed, kind, 3000);
    const Ab = toColMajor(A);
    const Xb = toColMajor(X);
    for (const nonNegative of [true, false]) {
      const model = { sigma, b, prior: priorOf(nonNegative) };
      const cutRun = solveMap(mat(2, n, Ab), mat(2, 3000, Xb), model, { certify: false });
      const cut = cutRun.S.data;
      const all = solveMap(mat(2, n, Ab), mat(2, 3000, Xb), model, { certify: false, enumerate: true }).S.data;
      assert.equal(cutRun.diagnostics.candidates, "geometric");
      assert.equal(cutRun.diagnostics.fallbackPoints, 0, `seed ${seed} (${kind}): no point should need the full enumeration`);
      for (let i = 0; i < cut.length; i++) {
        if (cut[i] !== all[i]) assert.fail(`seed ${seed} (${kind}, ${nonNegative ? "non-negative" : "signed"}): ŝ[${i % n}][${Math.floor(i / n)}] = ${cut[i]} by the cut, ${all[i]} by the enumeration`);
      }
      points += 3000;
    }
  }
  assert.equal(points, 150 * 2 * 3000);
});

test("exact ŝ with twin columns (equal, or equal to 13 digits): the cut may pick the other twin, at the same objective, certified", () => {
  for (let seed = 0; seed < 60; seed++) {
    const { A, X, sigma, b } = problem(seed, seed % 2 === 0 ? "near-duplicate" : "duplicate", 2000);
    for (const nonNegative of [true, false]) {
      const o = { sigma, b, prior: priorOf(nonNegative) };
      const cut = ica.inferSources(A, X, { ...o, method: "exact" });
      const all = ica.inferSources(A, X, { ...o, method: "exact", enumerate: true });
      assert.equal(cut.diagnostics.candidates, "geometric");
      assert.equal(all.diagnostics.candidates, "all");
      assert.ok(cut.diagnostics.kktResidual < 1e-9, `seed ${seed}: KKT residual ${cut.diagnostics.kktResidual}`);
      cut.objective.forEach((v, j) => {
        const w = all.objective[j]!;
        assert.ok(Math.abs(v - w) <= 1e-9 * (1 + Math.abs(w)), `seed ${seed}, point ${j}: objective ${v} against ${w}`);
      });
    }
  }
});

test("inferSources says how 'exact' searched: the cut for m = 2, every support otherwise or when asked", () => {
  const d = ica.generateData({ angles: [10, 100, 200, 300], samples: 200, seed: 3, noise: 0.1 });
  const cut = ica.inferSources(d.A, d.X, { method: "exact", sigma: 0.3, b: 1 });
  assert.equal(cut.diagnostics.candidates, "geometric");
  assert.equal(cut.diagnostics.fallbackPoints, 0);
  const all = ica.inferSources(d.A, d.X, { method: "exact", sigma: 0.3, b: 1, enumerate: true });
  assert.equal(all.diagnostics.candidates, "all");
  assert.deepEqual(all.S, cut.S);
  const A3 = [[1, 0, 0.5, 0.2], [0, 1, 0.5, -0.3], [0.2, 0.1, 1, 0.4]];
  const X3 = [[1, 2, -1], [0.5, 1, 2], [1, -1, 0.3]];
  assert.equal(ica.inferSources(A3, X3, { method: "exact", sigma: 1, b: 1 }).diagnostics.candidates, "all");
});

test("the bench's mathjs enumeration agrees with the exact solver (so the bench compares like with like)", () => {
  const A = ica.basisFromAngles([10, 40, 85, 130, 165, 220, 260, 310]);
  const { X } = ica.generateData({ A, samples: 300, noise: 0.2, seed: 4 });
  const ours = ica.inferSources(A, X, { method: "exact", sigma: 0.2, b: 1 }).S;
  const ref = mathjsExact(A, X, { sigma: 0.2, b: 1 });
  let worst = 0;
  for (let i = 0; i < A[0]!.length; i++) for (let j = 0; j < 300; j++) worst = Math.max(worst, Math.abs(ours[i]![j]! - ref[i]![j]!));
  assert.ok(worst < 1e-10, `largest difference ${worst}`);
});

test("FISTA's 2-D loop, objective and certificate give the general code's bits (a third coordinate of zeros adds nothing)", () => {
  for (const seed of [1, 2, 3]) {
    const { A, X, sigma, b } = problem(seed, "general", 400);
    const A3 = [...A, A[0]!.map(() => 0)];
    const X3 = [...X, X[0]!.map(() => 0)];
    for (const method of ["fista", "gradient"] as const) {
      for (const nonNegative of [true, false]) {
        const o = { method, sigma, b, prior: priorOf(nonNegative), maxIter: 60, tol: 0, trace: true };
        const two = ica.inferSources(A, X, o);
        const three = ica.inferSources(A3, X3, o);
        assert.deepEqual(two.S, three.S, `seed ${seed}, ${method}`);
        assert.deepEqual(two.trace!.objective, three.trace!.objective);
        assert.deepEqual(two.objective, three.objective, "the per-point objective of the 2-D pass");
        assert.equal(two.diagnostics.kktResidual, three.diagnostics.kktResidual, "and its certificate");
        assert.equal(two.diagnostics.iterations, 60, "tol 0 runs every iteration");
      }
    }
  }
  const d = ica.generateData({ angles: [30, 150, 270], samples: 20, seed: 1 });
  assert.throws(() => ica.inferSources(d.A, d.X, { method: "fista", tol: -1 }), /tol must be ≥ 0, got -1/);
});

test("FISTA reaches the exact optimum, and an unguarded gradient step that blows up returns its best iterate", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 100, seed: 2, noise: 0.1 });
  const exact = ica.inferSources(d.A, d.X, { method: "exact", sigma: 0.5, b: 1 });
  const fista = ica.inferSources(d.A, d.X, { method: "fista", sigma: 0.5, b: 1, maxIter: 20000 });
  const sum = (v: number[]) => v.reduce((s, x) => s + x, 0);
  assert.ok(Math.abs(sum(fista.objective) - sum(exact.objective)) < 1e-8 * sum(exact.objective));
  const L = exact.diagnostics.lipschitz;
  const blown = ica.inferSources(d.A, d.X, { method: "gradient", sigma: 0.5, b: 1, step: 3 / L, guard: false, maxIter: 500, trace: true });
  assert.ok(blown.diagnostics.diverged !== null, "a step of 3/L must diverge");
  assert.ok(blown.S.flat().every(Number.isFinite));
  assert.ok(sum(blown.objective) <= Math.min(...blown.trace!.objective) * (1 + 1e-12), "the best iterate comes back");
  const back = toColMajor(blown.S);
  assert.deepEqual(fromColMajor(back, blown.S.length, blown.S[0]!.length), blown.S);
});
