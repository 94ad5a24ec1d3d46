// The fast paths of inference: the dual-polygon cut of the exact solver and
// the 2-D FISTA loop, each against the slower code it stands in for.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import * as math from "mathjs";
import * as ica from "../lib/index";
import { solveMap } from "../lib/inference/solve";
import { toColMajor, fromColMajor, type Matrix } from "../lib/linalg";
import { createHash } from "node:crypto";
import { fromRows, mat, toRows } from "../lib/matrix";
import { INFER_OPTIONS } from "../lib/inference";
import { mathjsExact } from "../scripts/bench-mathjs";
const priorOf = (nonNegative: boolean) => (nonNegative ? "exponential" : "laplace") as "exponential" | "laplace";


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

// Random LASSO instances: a 2×n basis of random directions and lengths.
const lassoCase = fc.record({
  n: fc.integer({ min: 1, max: 6 }),
  p: fc.integer({ min: 1, max: 12 }),
  seed: fc.integer({ min: 0, max: 1e6 }),
  sigma: fc.double({ min: 0.2, max: 2, noNaN: true }),
  b: fc.double({ min: 0.3, max: 4, noNaN: true }),
  nonNegative: fc.boolean(),
});

function makeCase(c: { n: number; p: number; seed: number }) {
  const r = ica.createRng(c.seed);
  const A = [0, 1].map(() => Array.from({ length: c.n }, () => r.normal()));
  const X = [0, 1].map(() => Array.from({ length: c.p }, () => 3 * r.normal()));
  return { A, X };
}

test("inferSources: the exact solver is optimal, certified, and matched by FISTA and gradient", () => {
  fc.assert(
    fc.property(lassoCase, (c) => {
      const { A, X } = makeCase(c);
      const opts = { sigma: c.sigma, b: c.b, prior: priorOf(c.nonNegative) };
      const ex = ica.inferSources(A, X, { ...opts, method: "exact" });
      const scale = 1 / c.b + ica.columnNorms(A).reduce((a, v) => Math.max(a, v), 0) * 10 / (c.sigma * c.sigma);
      assert.ok(ex.diagnostics.kktResidual < 1e-9 * scale, `KKT ${ex.diagnostics.kktResidual}`);
      if (c.nonNegative) assert.ok(ex.S.flat().every((s) => s >= 0));
      // At most m = 2 non-zeros per point.
      for (let j = 0; j < c.p; j++) assert.ok(ex.S.filter((row) => row[j] !== 0).length <= 2);
      const fi = ica.inferSources(A, X, { ...opts, method: "fista", maxIter: 20000 });
      const gd = ica.inferSources(A, X, { ...opts, method: "gradient", maxIter: 20000 });
      for (let j = 0; j < c.p; j++) {
        const e = ex.objective[j]!;
        assert.ok(e <= fi.objective[j]! + 1e-9 * (1 + e), `exact ${e} > fista ${fi.objective[j]}`);
        assert.ok(e <= gd.objective[j]! + 1e-9 * (1 + e), `exact ${e} > gradient ${gd.objective[j]}`);
        assert.ok(fi.objective[j]! - e <= 1e-6 * (1 + e), `fista gap ${fi.objective[j]! - e}`);
      }
      // Random feasible points never beat the exact solution.
      const r = ica.createRng(c.seed + 1);
      const S = ex.S.map((row) => row.map((v) => (c.nonNegative ? Math.max(0, v + r.normal()) : v + r.normal())));
      const o = ica.lassoObjective(A, X, S, opts);
      o.forEach((v, j) => assert.ok(v >= ex.objective[j]! - 1e-9));
    }),
    { numRuns: 80 },
  );
});

test("inferSources: the exact solution of one point matches a mathjs solve on its support", () => {
  const A = [[1, 0, 0.6], [0, 1, 0.8]];
  const X = [[2.5], [0.4]];
  const r = ica.inferSources(A, X, { sigma: 0.5, b: 2, method: "exact" });
  const support = r.S.map((row, i) => (row[0]! > 0 ? i : -1)).filter((i) => i >= 0);
  const AT = math.subset(math.matrix(A), math.index([0, 1], support));
  const lhs = math.multiply(math.transpose(AT), AT);
  const rhs = math.subtract(math.multiply(math.transpose(AT), math.matrix([2.5, 0.4])), math.multiply(0.25 / 2, math.ones(support.length))) as math.Matrix;
  const sT = (math.lusolve(lhs as math.Matrix, rhs) as math.Matrix).toArray().flat() as number[];
  support.forEach((i, k) => assert.ok(Math.abs(r.S[i]![0]! - sT[k]!) < 1e-12));
});

test("inferSources: the step guard, divergence as data, and the iterate trace", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 30, seed: 2 });
  const opts = { sigma: 0.5, b: 2, method: "gradient" as const, step: 1 };
  const wild = ica.inferSources(d.A, d.X, { ...opts, guard: false });
  assert.ok(wild.diagnostics.diverged !== null);
  assert.match(wild.diagnostics.diverged!.reason, /objective (grew|became non-finite)/);
  assert.ok(wild.diagnostics.diverged!.iteration > 0);
  assert.ok(wild.S.flat().every(Number.isFinite) && wild.objective.every(Number.isFinite));
  const safe = ica.inferSources(d.A, d.X, opts);
  assert.equal(safe.diagnostics.stepGuarded, true);
  assert.equal(safe.diagnostics.diverged, null);
  assert.ok(Math.abs(safe.diagnostics.step - 1 / safe.diagnostics.lipschitz) < 1e-12);
  const tr = ica.inferSources(d.A, d.X, { sigma: 0.5, b: 2, method: "gradient", trace: { iterates: true, every: 5 } });
  assert.equal(tr.trace!.objective.length, tr.diagnostics.iterations + 1);
  assert.ok(tr.trace!.iterations.every((it, k) => k === tr.trace!.iterations.length - 1 || it % 5 === 0));
  // Projected gradient with η ≤ 1/L never raises the objective.
  tr.trace!.objective.forEach((o, k) => k === 0 || assert.ok(o <= tr.trace!.objective[k - 1]! + 1e-9));
  const a = ica.inferSources(d.A, d.X, { sigma: 0.5, b: 2, method: "fista" });
  assert.deepEqual(a, ica.inferSources(d.A, d.X, { sigma: 0.5, b: 2, method: "fista" }), "deterministic");
});

test("inferSources: invalid input raises errors that name the parameter and value", () => {
  const A = [[1, 0, 1], [0, 1, 1]];
  const X = [[1, 2], [3, 4]];
  assert.throws(() => ica.inferSources(A, X, { sigma: 0 }), /sigma must be > 0, got 0/);
  assert.throws(() => ica.inferSources(A, X, { b: -2 }), /b must be > 0, got -2/);
  assert.throws(() => ica.inferSources(A, [[1, Number.NaN], [3, 4]]), /X\[0\]\[1\] must be a finite number, got NaN/);
  assert.throws(() => ica.inferSources(A, [[1, 2], [3, 4], [5, 6]]), /X must have 2 rows, got 3/);
  assert.throws(() => ica.inferSources(A, []), /X must be a non-empty number\[\]\[\], got an array of length 0/);
  assert.throws(() => ica.inferSources(A, X, { method: "newton" as ica.InferenceMethod }), /method must be one of 'gradient', 'fista', 'exact', 'active-set', got 'newton'/);
  assert.throws(() => ica.inferSources(A, X, { method: "fista", step: 0 }), /step must be > 0, got 0/);
  assert.throws(() => ica.inferSources(A, X, { method: "fista", maxIter: 1.5 }), /maxIter must be an integer, got 1.5/);
});

test("inferSources options are declared once: misspelled, retired and mistyped options are errors that name them", () => {
  const A = [[1, 0, 1], [0, 1, 1]];
  const X = [[1, 2], [3, 4]];
  assert.throws(() => ica.inferSources(A, X, { sigm: 0.1 } as ica.InferenceOptions), /unknown option 'sigm' \(did you mean 'sigma'\?\)/);
  assert.throws(() => ica.inferSources(A, X, { nonNegative: true } as ica.InferenceOptions), /option 'nonNegative' was replaced by prior: 'exponential'/);
  assert.throws(() => ica.inferSources(A, X, { prior: "gaussian" } as unknown as ica.InferenceOptions), /prior must be one of 'exponential', 'laplace', got 'gaussian'/);
  assert.throws(() => ica.inferSources(A, X, { guard: "false" } as unknown as ica.InferenceOptions), /guard must be true or false, got 'false'/);
  assert.throws(() => ica.inferSources(A, X, { trace: { every: 0 } }), /trace.every must be an integer ≥ 1, got 0/);
  assert.throws(() => ica.inferSources(A, X, { S0: [[1, 2]] }), /S0 must have 3 rows, got 1/);
  assert.throws(() => ica.kktResidual(A, X, [[0, 0], [0, 0], [0, 0]], { sigm: 1 } as object), /kktResidual: unknown option 'sigm'/);
  assert.throws(() => ica.lassoObjective(A, X, [[0, 0], [0, 0], [0, 0]], { nonNegative: false } as object), /lassoObjective: option 'nonNegative' was replaced/);
  // The defaults are the one model's (lib/model.ts): exponential prior, σ 0.1, b 2.
  const d = ica.inferSources(A, X);
  assert.deepEqual(d, ica.inferSources(A, X, { prior: "exponential", sigma: 0.1, b: 2 }));
  assert.deepEqual(Object.keys(INFER_OPTIONS.schema).sort(),
    ["S0", "b", "enumerate", "guard", "maxIter", "method", "prior", "sigma", "step", "tol", "trace"]);
});

/** m = 2, n unit columns at random angles, p points of exponential sources plus noise. */
function wide(n: number, p: number, seed: number): { A: Matrix; X: Matrix } {
  const rng = ica.createRng(`wide/${seed}`);
  const angles = Array.from({ length: n }, () => 360 * rng.uniform());
  const A = ica.basisFromAngles(angles);
  const X: Matrix = [[], []];
  for (let j = 0; j < p; j++) {
    const i = rng.int(n);
    const k = rng.int(n);
    const a = -2 * Math.log(1 - rng.uniform());
    const c = rng.uniform() < 0.3 ? -2 * Math.log(1 - rng.uniform()) : 0;
    X[0]!.push(a * A[0]![i]! + c * A[0]![k]! + 0.05 * rng.normal());
    X[1]!.push(a * A[1]![i]! + c * A[1]![k]! + 0.05 * rng.normal());
  }
  return { A, X };
}

test("defect 4: in 2-D the exact path serves any n and stays the default (n = 64, 700), certified, no worse than FISTA", () => {
  for (const n of [64, 700]) {
    const { A, X } = wide(n, 150, n);
    for (const prior of ["exponential", "laplace"] as const) {
      const o = { sigma: 0.1, b: 2, prior };
      const t0 = performance.now();
      const def = ica.inferSources(A, X, o);
      const ms = performance.now() - t0;
      assert.equal(def.diagnostics.method, "exact", `n = ${n}: the default must stay exact`);
      assert.equal(def.diagnostics.candidates, "geometric");
      assert.ok(def.diagnostics.converged);
      // Certified to rounding, relative to the gradient's scale max|aᵢᵀx|/σ². (At n = 700 neighbouring
      // columns lie 4e-5 rad apart; their pair's Gram block has condition ≈ 1e9, which sets the residual.)
      const gradScale = 1 / o.b + Math.max(...X.flat().map(Math.abs)) * Math.SQRT2 / (o.sigma * o.sigma);
      assert.ok(def.diagnostics.kktResidual < 1e-7 * gradScale, `n = ${n}: KKT ${def.diagnostics.kktResidual} against ${gradScale}`);
      assert.ok(ms < 2000, `n = ${n}: ${ms.toFixed(0)} ms`);
      assert.deepEqual(ica.inferSources(A, X, { ...o, method: "exact" }).S, def.S);
      const fista = ica.inferSources(A, X, { ...o, method: "fista", maxIter: 400 });
      def.objective.forEach((v, j) => assert.ok(v <= fista.objective[j]! * (1 + 1e-12) + 1e-12, `n = ${n}, point ${j}: ${v} > FISTA ${fista.objective[j]}`));
      if (n === 64) {
        // Cross-check against the full enumeration where it is affordable.
        assert.deepEqual(ica.inferSources(A, X, { ...o, method: "exact", enumerate: true }).S, def.S);
      } else {
        assert.throws(() => ica.inferSources(A, X, { ...o, method: "exact", enumerate: true }), /would enumerate \d+ supports for m=2, n=700/);
      }
    }
  }
});

const total = (v: number[]) => v.reduce((s, x) => s + x, 0);
const scaleRows = (M: Matrix, c: number) => M.map((r) => r.map((v) => v * c));

test("defect 6: the problem is invariant under A → cA, s → s/c, b → b/c; solved the same at c = 2^40, 1e3, 2^700 and 1e200", () => {
  const d = ica.generateData({ angles: [20, 110, 250], samples: 120, seed: 5, noise: 0.05 });
  for (const prior of ["exponential", "laplace"] as const) {
    for (const method of ["exact", "fista"] as const) {
      const o = { sigma: 0.1, b: 2, prior, method, maxIter: 3000 };
      const ref = ica.inferSources(d.A, d.X, o);
      for (const c of [2 ** 40, 1e3, 2 ** 700, 1e200, 1e-200]) {
        const r = ica.inferSources(scaleRows(d.A, c), d.X, { ...o, b: o.b / c });
        const tag = `${prior} ${method}, c = ${c}`;
        assert.ok(r.diagnostics.converged, tag);
        const exactPower = method === "exact" && Number.isInteger(Math.log2(c));
        r.S.forEach((row, i) => row.forEach((v, j) => {
          const want = ref.S[i]![j]! / c;
          if (exactPower) assert.equal(v, want, `${tag}: powers of two rescale exactly`);
          else assert.ok(Math.abs(v - want) <= 1e-8 * (Math.abs(want) + 1 / c), `${tag}: ŝ[${i}][${j}] ${v} against ${want}`);
        }));
        assert.ok(Math.abs(total(r.objective) - total(ref.objective)) <= 1e-8 * total(ref.objective), `${tag}: L is invariant`);
        assert.ok(Number.isFinite(r.diagnostics.kktResidual), tag);
      }
    }
  }
});

test("defect 6: X → kX, σ → kσ, b → kb, s → ks; tiny and huge data are solved like unit data", () => {
  const d = ica.generateData({ angles: [20, 110, 250], samples: 80, seed: 6, noise: 0.05 });
  const ref = ica.inferSources(d.A, d.X, { sigma: 0.1, b: 2, method: "exact" });
  for (const k of [1e-200, 1e200]) {
    const r = ica.inferSources(d.A, scaleRows(d.X, k), { sigma: 0.1 * k, b: 2 * k, method: "exact" });
    assert.ok(r.diagnostics.converged, `k = ${k}`);
    r.S.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - k * ref.S[i]![j]!) <= 1e-9 * k * (1 + Math.abs(ref.S[i]![j]!)))));
    assert.ok(Math.abs(total(r.objective) - total(ref.objective)) <= 1e-8 * total(ref.objective));
  }
});

test("defect 6: a problem no rescaling can fix says so: never S = 0 with converged true, never NaN", () => {
  const d = ica.generateData({ angles: [20, 110, 250], samples: 60, seed: 7, noise: 0.05 });
  const cases: [string, Matrix, ica.InferenceOptions][] = [
    ["A × 1e200 at b = 2", scaleRows(d.A, 1e200), { sigma: 0.1, b: 2 }],
    ["σ = 1e-200", d.A, { sigma: 1e-200, b: 2 }],
    ["σ = 1e-9 (ℓ₁ weight below rounding)", d.A, { sigma: 1e-9, b: 2 }],
  ];
  for (const [tag, A, o] of cases) {
    for (const method of ["exact", "fista", "gradient"] as const) {
      const r = ica.inferSources(A, d.X, { ...o, method, maxIter: 200 });
      assert.equal(r.diagnostics.converged, false, `${tag}, ${method}: must not claim convergence`);
      assert.match(r.diagnostics.scaling?.reason ?? "", /out of scale|below double precision|decided by rounding/, `${tag}, ${method}`);
      assert.ok(r.S.flat().every(Number.isFinite), `${tag}, ${method}: S finite`);
      assert.ok(r.objective.every((v) => !Number.isNaN(v)), `${tag}, ${method}: objective never NaN`);
      assert.ok(!Number.isNaN(r.diagnostics.kktResidual) && !Number.isNaN(r.diagnostics.lipschitz), `${tag}, ${method}: certificate never NaN`);
      if (method === "exact") assert.ok(r.S.flat().some((v) => v !== 0), `${tag}: the data are not explained by S = 0`);
    }
    assert.ok(!Number.isNaN(ica.kktResidual(A, d.X, ica.inferSources(A, d.X, o).S, { sigma: o.sigma, b: o.b })), `${tag}: kktResidual`);
    assert.ok(ica.lassoObjective(A, d.X, ica.inferSources(A, d.X, o).S, { sigma: o.sigma, b: o.b }).every((v) => !Number.isNaN(v)), `${tag}: lassoObjective`);
  }
});

test("ŝ and L keep main's bits (digest recorded from the pre-rework lib/inference.ts), and solveMap's certify: false gives the same ŝ", () => {
  const h = createHash("sha256");
  for (const m of [2, 3]) for (let n = 3; n <= 8; n++) for (const prior of ["exponential", "laplace"] as const) {
    const rng = ica.createRng(`stored-bits/${m}/${n}/${prior}`);
    const A = Array.from({ length: m }, () => Array.from({ length: n }, () => rng.normal()));
    const X = Array.from({ length: m }, () => Array.from({ length: 50 }, () => 2 * rng.normal()));
    // For m = 3 the default was 'exact' (these enumerations are small) until #18 made it 'active-set'.
    for (const method of [m === 2 ? undefined : "exact", "fista", "gradient"] as const) {
      const o = { prior, sigma: 0.3, b: 1.5, method, maxIter: 100 };
      const r = ica.inferSources(A, X, o);
      h.update(Buffer.from(Float64Array.from(r.S.flat()).buffer));
      h.update(Buffer.from(Float64Array.from(r.objective).buffer));
      const fast = solveMap(fromRows("A", A), fromRows("X", X), { prior, sigma: 0.3, b: 1.5 }, { method, maxIter: 100, certify: false });
      assert.equal(fast.objective, undefined);
      assert.ok(Number.isNaN(fast.diagnostics.kktResidual));
      assert.deepEqual(toRows(fast.S), r.S, `m ${m}, n ${n}, ${prior}, ${method ?? "default"}`);
    }
  }
  assert.equal(h.digest("hex"), "ab11bd82652b01abdc41e4576a58b3d0ac0d943f01ab82482f6c7dc7942bac84");
});
