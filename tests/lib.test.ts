// Unit and property tests of lib/. Independent references: brute-force
// assignment for the Hungarian method, mathjs for the small linear algebra,
// the KKT conditions for the LASSO solvers, sample moments for the RNG.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import * as math from "mathjs";
import * as ica from "../lib/index";
import { solveSmall, symmetricEigenvalues, toColMajor, fromColMajor } from "../lib/linalg";

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const mean = (v: number[]) => sum(v) / v.length;

test("rng: same seed, same stream; different seed, different stream", () => {
  const a = ica.createRng(7);
  const b = ica.createRng(7);
  const c = ica.createRng(8);
  const xs = Array.from({ length: 5 }, () => a.normal());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.normal()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.normal()));
});

test("rng: sample moments match the distributions", () => {
  const r = ica.createRng("moments");
  const N = 40000;
  const normal = Array.from({ length: N }, () => r.normal());
  const expo = Array.from({ length: N }, () => r.exponential(0.5));
  const lap = Array.from({ length: N }, () => r.laplace(2));
  assert.ok(Math.abs(mean(normal)) < 0.03);
  assert.ok(Math.abs(mean(normal.map((x) => x * x)) - 1) < 0.04);
  assert.ok(Math.abs(mean(expo) - 2) < 0.06, `exponential mean ${mean(expo)}`);
  assert.ok(expo.every((x) => x > 0));
  assert.ok(Math.abs(mean(lap)) < 0.06);
  assert.ok(Math.abs(mean(lap.map(Math.abs)) - 2) < 0.06, `laplace E|s| ${mean(lap.map(Math.abs))}`);
  // Laplace variance is 2b² = 8.
  assert.ok(Math.abs(mean(lap.map((x) => x * x)) - 8) < 0.4);
});

test("rng: bad parameters name themselves", () => {
  const r = ica.createRng(1);
  assert.throws(() => r.exponential(0), /rate must be a finite number > 0, got 0/);
  assert.throws(() => r.laplace(Number.NaN), /scale .* got NaN/);
  assert.throws(() => ica.createRng(Number.POSITIVE_INFINITY), /seed must be finite, got Infinity/);
});

test("linalg: solveSmall and symmetricEigenvalues agree with mathjs", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e6 }), (d, seed) => {
      const r = ica.createRng(seed);
      const B = Array.from({ length: d }, () => Array.from({ length: d }, () => r.normal()));
      const M = math.add(math.multiply(math.transpose(B), B), math.multiply(0.1, math.identity(d))) as math.Matrix;
      const Mn = M.toArray() as number[][];
      const rhs = Array.from({ length: d }, () => r.normal());
      const y = solveSmall(toColMajor(Mn), rhs, d)!;
      const ref = math.lusolve(Mn, rhs) as number[][];
      y.forEach((v, i) => assert.ok(Math.abs(v - ref[i]![0]!) < 1e-8 * (1 + Math.abs(v))));
      const ev = symmetricEigenvalues(toColMajor(Mn), d);
      const refEv = (math.eigs(Mn).values as number[]).slice().sort((a, b) => b - a);
      ev.forEach((v, i) => assert.ok(Math.abs(v - refEv[i]!) < 1e-8 * (1 + Math.abs(v))));
    }),
    { numRuns: 60 },
  );
  assert.equal(solveSmall([1, 2, 2, 4], [1, 1], 2), null, "singular systems are reported");
  assert.deepEqual(fromColMajor(toColMajor([[1, 2, 3], [4, 5, 6]]), 2, 3), [[1, 2, 3], [4, 5, 6]]);
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
      const opts = { sigma: c.sigma, b: c.b, nonNegative: c.nonNegative };
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
  assert.throws(() => ica.inferSources(A, X, { sigma: 0 }), /sigma must be a finite number > 0, got 0/);
  assert.throws(() => ica.inferSources(A, X, { b: -2 }), /b must be a finite number > 0, got -2/);
  assert.throws(() => ica.inferSources(A, [[1, Number.NaN], [3, 4]]), /X\[0\]\[1\] must be a finite number, got NaN/);
  assert.throws(() => ica.inferSources(A, [[1, 2], [3, 4], [5, 6]]), /X must have 2 rows, got 3/);
  assert.throws(() => ica.inferSources(A, []), /X must be a non-empty number\[\]\[\], got an array of length 0/);
  assert.throws(() => ica.inferSources(A, X, { method: "newton" as ica.InferenceMethod }), /method must be .* got newton/);
  assert.throws(() => ica.inferSources(A, X, { method: "fista", step: 0 }), /step must be a finite number > 0, got 0/);
  assert.throws(() => ica.inferSources(A, X, { method: "fista", maxIter: 1.5 }), /maxIter must be an integer ≥ 0, got 1.5/);
});

test("basisError: Hungarian matching equals brute force over permutations", () => {
  const permutations = (k: number, n: number): number[][] => {
    if (n === 0) return [[]];
    const out: number[][] = [];
    for (const rest of permutations(k, n - 1)) for (let i = 0; i < k; i++) if (!rest.includes(i)) out.push([...rest, i]);
    return out;
  };
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1e6 }), (n, extra, seed) => {
      const r = ica.createRng(seed);
      const k = n + extra;
      const cost = Array.from({ length: n }, () => Array.from({ length: k }, () => r.uniform()));
      const asg = ica.hungarian(cost);
      assert.equal(new Set(asg).size, n);
      const got = sum(asg.map((c, j) => cost[j]![c]!));
      const brute = Math.min(...permutations(k, n).map((perm) => sum(perm.map((c, j) => cost[j]![c]!))));
      assert.ok(Math.abs(got - brute) < 1e-12, `${got} vs ${brute}`);
    }),
    { numRuns: 150 },
  );
});

test("basisError: angles, permutation and scale invariance, extra columns, MMCS, sign", () => {
  const T = ica.basisFromAngles([0, 90, 225]);
  const L = ica.basisFromAngles([92, 224, 3, 45]).map((row) => row.map((v, i) => v * (i + 1)));
  const e = ica.basisError(L, T);
  assert.deepEqual(e.assignment, [2, 0, 1]);
  assert.ok(Math.abs(e.meanAngleDeg - 2) < 1e-9);
  assert.ok(Math.abs(e.maxAngleDeg - 3) < 1e-9);
  // MMCS ignores sign: the learned 45° column is exactly opposite the true 225° one.
  assert.ok(Math.abs(e.mmcs - mean([3, 2, 0].map((d) => Math.cos((d * Math.PI) / 180)))) < 1e-12);
  // With non-negative sources −A_i is another feature; with signed ones it is the same.
  const one = ica.basisFromAngles([30]);
  const flipped = one.map((row) => row.map((v) => -v));
  assert.ok(Math.abs(ica.basisError(flipped, one).meanAngleDeg - 180) < 1e-5);
  assert.ok(ica.basisError(flipped, one, { ignoreSign: true }).meanAngleDeg < 1e-5);
  assert.ok(ica.basisError(T.map((row) => row.map((v) => -v)), T, { ignoreSign: true }).meanAngleDeg < 1e-5);
  assert.throws(() => ica.basisError(ica.basisFromAngles([0]), T), /at least as many columns as Atrue \(3\), got 1/);
  const dead = ica.basisError([[0, 0, 1, 0], [0, 1, 0, 0]], ica.basisFromAngles([0, 90]));
  assert.ok(dead.meanAngleDeg < 1e-5, "a zero column is never preferred");
});

test("angularFraction: counts points near the given directions", () => {
  const X = ica.basisFromAngles([0, 5, 40, 181, 270]);
  assert.equal(ica.angularFraction(X, [0], 10), 2 / 5);
  assert.equal(ica.angularFraction(X, [180, 275], 6), 2 / 5);
  assert.throws(() => ica.angularFraction(X, [0], 0), /halfWidthDeg must be in \(0, 180\], got 0/);
});

test("figures: animation frames target the animated traces; HTML is script-safe", () => {
  const X = ica.basisFromAngles([0, 90, 180]);
  const fig = ica.animation({
    title: "t",
    background: [ica.pointsTrace(X)],
    frames: [0, 1, 2].map((k) => ({ label: String(k), at: k, traces: [ica.pointsTrace(X)], bases: [{ A: X, name: "A" }] })),
    curve: { series: [{ y: [3, 2, 1], name: "loss" }], xTitle: "step", yTitle: "loss" },
  });
  assert.equal(fig.frames!.length, 3);
  // background + curve are fixed; the frame trace and the marker follow.
  assert.deepEqual(fig.frames![0]!.traces, [2, 3]);
  assert.equal(fig.data.length, 4);
  assert.equal((fig.layout.sliders as { steps: unknown[] }[])[0]!.steps.length, 3);
  assert.deepEqual((fig.frames![2]!.data[1] as { y: number[] }).y, [1]);
  assert.throws(() => ica.animation({ title: "t", frames: [] }), /at least one frame, got 0/);
  const html = ica.figureHtml({ data: [{ type: "scatter", name: "</script><b>" }], layout: { title: { text: "x" } } });
  assert.ok(!html.slice(0, html.lastIndexOf("</script>")).includes("</script><b>"));
  assert.match(html, /Plotly\.newPlot/);
  assert.deepEqual(ica.sourceColors([[1, 0], [0, 0]], ["#ff0000", "#00ff00"]), ["rgb(255,0,0)", "rgb(150,150,150)"]);
});

test("claim: throws a ClaimError with the measurement", () => {
  assert.doesNotThrow(() => ica.claim(true, "fine"));
  assert.throws(() => ica.claim(false, "error below 2°", { err: 3.1 }), (e: unknown) => e instanceof ica.ClaimError && /error below 2°.*"err":3.1/.test(String(e)));
});
