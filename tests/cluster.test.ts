// Tests of clustering (E6.3), success-rate statistics, the verdict's data
// options and the best-effort recipe's switches. References: exhaustive
// search over every partition, hand-computed silhouettes, published Wilson
// intervals, and sample statistics of large draws.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

const deg = (d: number) => (d * Math.PI) / 180;
const fromAngles = (angles: number[], lengths?: number[]) => ica.basisFromAngles(angles, lengths);

/** Global optimum of the spherical k-means objective by trying every labelling. */
function bruteForce(A: number[][], k: number): number {
  const n = A[0]!.length;
  const u = A[0]!.map((_, i) => {
    const len = Math.hypot(A[0]![i]!, A[1]![i]!);
    return [A[0]![i]! / len, A[1]![i]! / len];
  });
  let best = Infinity;
  const labels = new Array<number>(n).fill(0);
  const total = k ** n;
  for (let code = 0; code < total; code++) {
    let c = code;
    for (let i = 0; i < n; i++) {
      labels[i] = c % k;
      c = Math.floor(c / k);
    }
    if (new Set(labels).size !== k) continue;
    // For a fixed labelling the best centroid is the normalised sum, and a
    // cluster's cost is (size − ‖Σu‖).
    let cost = 0;
    for (let g = 0; g < k; g++) {
      let sx = 0;
      let sy = 0;
      let size = 0;
      labels.forEach((l, i) => {
        if (l === g) {
          sx += u[i]![0]!;
          sy += u[i]![1]!;
          size++;
        }
      });
      cost += size - Math.hypot(sx, sy);
    }
    best = Math.min(best, cost);
  }
  return best;
}

test("clusterColumns: reaches the exhaustive-search optimum of spherical k-means", () => {
  // Eight random directions into three clusters: ambiguous enough that one
  // k-means++ start finds the optimum only about 60% of the time, three
  // starts about 83%.
  const rng = ica.createRng(3);
  let hits = 0;
  const trials = 100;
  for (let t = 0; t < trials; t++) {
    const angles = Array.from({ length: 8 }, () => 360 * rng.uniform());
    const A = fromAngles(angles, angles.map(() => 0.1 + 3 * rng.uniform()));
    const c = ica.clusterColumns(A, 3, { seed: t });
    const opt = bruteForce(A, 3);
    assert.ok(c.objective >= opt - 1e-9, `objective ${c.objective} below the optimum ${opt}`);
    if (c.objective <= opt + 1e-9) hits++;
  }
  assert.ok(hits >= 95, `optimum reached in ${hits}/${trials}`);
});

test("clusterColumns: planted groups are found; lengths do not matter; rotation moves the centroids with the data", () => {
  const rng = ica.createRng(5);
  const centres = [30, 150, 270];
  const angles = centres.flatMap((c) => [c - 2 + rng.normal(), c + 2 + rng.normal(), c + rng.normal()]);
  const A = fromAngles(angles, angles.map(() => 0.2 + 2 * rng.uniform()));
  const c = ica.clusterColumns(A, 3, { seed: 0 });
  const err = ica.basisError(c.centroids, fromAngles(centres));
  assert.ok(err.maxAngleDeg < 2, `centroids ${err.anglesDeg} off the planted centres`);
  assert.deepEqual([...c.sizes].sort(), [3, 3, 3]);
  const unit = ica.clusterColumns(fromAngles(angles), 3, { seed: 0 });
  assert.ok(Math.abs(unit.objective - c.objective) < 1e-12, "column lengths changed the clustering");
  const turned = ica.clusterColumns(fromAngles(angles.map((a) => a + 40)), 3, { seed: 0 });
  assert.ok(ica.basisError(turned.centroids, fromAngles(centres.map((a) => a + 40))).maxAngleDeg < 2);
  const curve = ica.clusterCurve(A, { seed: 0 });
  assert.equal(curve.bestK, 3, `silhouette picked k = ${curve.bestK}`);
  assert.equal(curve.points.length, 9);
  assert.ok(curve.points[8]!.dispersionDeg < 1e-6, "k = n must have zero dispersion");
  assert.ok(curve.points[0]!.dispersionDeg > 50 && curve.points[2]!.dispersionDeg < 3);
  // Same seed, same answer.
  assert.deepEqual(ica.clusterColumns(A, 3, { seed: 0 }), c);
});

test("clusterColumns: weights pull centroids; a zero weight does not; a zero column is left out", () => {
  const A = fromAngles([0, 20, 180]);
  const even = ica.clusterColumns(A, 2, { seed: 0 });
  const centre = (c: ica.Clustering, g: number) => (Math.atan2(c.centroids[1]![g]!, c.centroids[0]![g]!) * 180) / Math.PI;
  const g0 = even.assignment[0]!;
  assert.ok(Math.abs(centre(even, g0) - 10) < 1e-9);
  const heavy = ica.clusterColumns(A, 2, { seed: 0, weights: [3, 1, 1] });
  // Weighted mean direction of 0° (×3) and 20° (×1).
  const ref = (Math.atan2(Math.sin(deg(20)), 3 + Math.cos(deg(20))) * 180) / Math.PI;
  assert.ok(Math.abs(centre(heavy, heavy.assignment[0]!) - ref) < 1e-9);
  const ignored = ica.clusterColumns(A, 2, { seed: 0, weights: [1, 0, 1] });
  assert.ok(Math.abs(centre(ignored, ignored.assignment[0]!)) < 1e-9);
  assert.equal(ignored.assignment[1], ignored.assignment[0], "a zero-weight column is still assigned");
  const withZero = [[1, 0, 0, -1], [0, 0, 1, 0]];
  const z = ica.clusterColumns(withZero, 2, { seed: 0 });
  assert.equal(z.assignment[1], -1);
});

test("silhouette: matches a hand computation with the cosine distance", () => {
  const angles = [0, 10, 90, 100];
  const A = fromAngles(angles);
  const c = ica.clusterColumns(A, 2, { seed: 0 });
  const d = (a: number, b: number) => 1 - Math.cos(deg(a - b));
  const s = (i: number, mate: number, others: number[]) => {
    const a = d(angles[i]!, angles[mate]!);
    const b = (d(angles[i]!, others[0]!) + d(angles[i]!, others[1]!)) / 2;
    return (b - a) / Math.max(a, b);
  };
  const ref = (s(0, 1, [90, 100]) + s(1, 0, [90, 100]) + s(2, 3, [0, 10]) + s(3, 2, [0, 10])) / 4;
  assert.ok(Math.abs(c.silhouette! - ref) < 1e-12, `${c.silhouette} vs ${ref}`);
  assert.equal(ica.clusterColumns(A, 1).silhouette, null);
  assert.equal(ica.clusterColumns(A, 4).silhouette, null);
});

test("clusterColumns and clusterCurve: bad input names the parameter and the value", () => {
  const A = fromAngles([0, 90, 180]);
  assert.throws(() => ica.clusterColumns(A, 4), /k must be an integer in \[1, 3\].*got 4/);
  assert.throws(() => ica.clusterColumns(A, 1.5), /k must be an integer in \[1, 3\].*got 1\.5/);
  assert.throws(() => ica.clusterColumns(A, 2, { weights: [1, 1] }), /weights must have one entry per column of A \(3\), got 2/);
  assert.throws(() => ica.clusterColumns(A, 2, { weights: [1, -1, 1] }), /weights\[1\] must be a finite number ≥ 0, got -1/);
  assert.throws(() => ica.clusterColumns(A, 2, { restarts: 0 }), /restarts must be an integer ≥ 1, got 0/);
  assert.throws(() => ica.clusterColumns([[1, Number.NaN]], 1), /A\[0\]\[1\] must be a finite number, got NaN/);
  assert.throws(() => ica.clusterCurve(A, { kMax: 5 }), /kMax must be an integer in \[1, 3\], got 5/);
});

test("columnUsage: shares sum to 1 and a column facing away from the data is unused", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 400, seed: 3 });
  const A = fromAngles([30, 150, 270, 210]);
  // The 4th column points at 210°, opposite 30°: exponential data there is rare but not absent.
  const u = ica.columnUsage(A, d.X, { sigma: 0.1, b: 2 });
  assert.ok(Math.abs(u.share.reduce((s, v) => s + v, 0) - 1) < 1e-12);
  const away = ica.columnUsage(fromAngles([30, 150, 270, 0]).map((r, i) => r.map((v, j) => (j === 3 ? [-1, 0][i]! * 0.01 : v))), d.X, { sigma: 0.1, b: 2 });
  assert.ok(u.active.every((a) => a >= 0 && a <= 1));
  assert.ok(away.share[3]! < 1e-3, `a tiny column kept share ${away.share[3]}`);
});

test("wilsonInterval: published values and edge cases; bad counts are named", () => {
  const close = (a: number, b: number) => Math.abs(a - b) < 5e-4;
  const half = ica.wilsonInterval(10, 20);
  assert.ok(close(half.low, 0.2993) && close(half.high, 0.7007), JSON.stringify(half));
  const none = ica.wilsonInterval(0, 20);
  assert.ok(none.low === 0 && close(none.high, 0.1611));
  const all = ica.wilsonInterval(20, 20);
  assert.ok(all.high === 1 && close(all.low, 0.8389));
  assert.equal(ica.formatRate(ica.rateBelow([1, 2, 5, 9], 3)), "2/4 (50%, 95% CI 15%–85%)");
  assert.equal(ica.median([3, 1, 2]), 2);
  assert.equal(ica.median([4, 1, 2, 3]), 2.5);
  assert.throws(() => ica.wilsonInterval(3, 2), /successes must be an integer in \[0, 2\], got 3/);
  assert.throws(() => ica.wilsonInterval(0, 0), /trials must be an integer ≥ 1, got 0/);
  assert.throws(() => ica.rateBelow([1, Number.NaN], 3), /values\[1\] must be a number, got NaN/);
});

test("generateData: column lengths, and a correlated pair with Pearson ρ and unchanged marginals", () => {
  const d = ica.generateData({ angles: [0, 90], lengths: [0.5, 2], samples: 10, seed: 1 });
  assert.deepEqual(ica.columnNorms(d.A).map((v) => Math.round(v * 1e12) / 1e12), [0.5, 2]);
  const base = ica.generateData({ angles: [30, 150, 270], samples: 20000, seed: 9 });
  const zero = ica.generateData({ angles: [30, 150, 270], samples: 20000, seed: 9, correlated: { pair: [0, 1], rho: 0 } });
  assert.deepEqual(zero.S, base.S, "rho = 0 must leave the sources as they were");
  for (const rho of [0.3, 0.8]) {
    const c = ica.generateData({ angles: [30, 150, 270], samples: 20000, seed: 9, correlated: { pair: [0, 1], rho } });
    const [s0, s1, s2] = c.S as [number[], number[], number[]];
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const corr = (a: number[], b: number[]) => {
      const ma = mean(a);
      const mb = mean(b);
      let sab = 0;
      let saa = 0;
      let sbb = 0;
      a.forEach((x, i) => {
        sab += (x - ma) * (b[i]! - mb);
        saa += (x - ma) ** 2;
        sbb += (b[i]! - mb) ** 2;
      });
      return sab / Math.sqrt(saa * sbb);
    };
    assert.ok(Math.abs(corr(s0, s1) - rho) < 0.03, `Pearson ${corr(s0, s1)} for rho ${rho}`);
    assert.ok(Math.abs(corr(s0, s2)) < 0.03);
    assert.ok(Math.abs(mean(s1) - 2) < 0.06, `mean of the copied source ${mean(s1)}`);
  }
  assert.throws(() => ica.generateData({ angles: [0, 90], correlated: { pair: [0, 2], rho: 0.5 } }), /correlated.pair\[1\] must be a source index in \[0, 1\], got 2/);
  assert.throws(() => ica.generateData({ angles: [0, 90], correlated: { pair: [0, 1], rho: 1.5 } }), /correlated.rho must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => ica.generateData({ angles: [0, 90], lengths: [1] }), /lengths must have one entry per angle \(2\), got 1/);
  assert.throws(() => ica.generateData({ angles: [0, 90], lengths: [1, 0] }), /lengths\[1\] must be a finite number > 0, got 0/);
});

test("best-effort recipe: each part switches off alone; keepBest and bestBy choose what comes back", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 200, seed: 2 });
  const full = ica.learnBasis(d.X, { preset: "best-effort", trueBasis: d.A, steps: 40 });
  assert.deepEqual(
    [full.options.init, full.options.precondition, full.options.schedule, full.options.equalizeNorms, full.options.keepBest, full.options.sigma],
    ["spread", "inverse-AAT", "warmup-cosine", true, true, 0.1],
  );
  assert.deepEqual(full.learned, full.bestA);
  const parts: [Record<string, unknown>, (o: ica.ResolvedOptions) => unknown, unknown][] = [
    [{ init: "random" }, (o) => o.init, "random"],
    [{ precondition: "none" }, (o) => o.precondition, "none"],
    [{ schedule: "constant" }, (o) => o.schedule, "constant"],
    [{ equalizeNorms: false }, (o) => o.equalizeNorms, false],
    [{ keepBest: false }, (o) => o.keepBest, false],
  ];
  for (const [off, read, want] of parts) {
    const r = ica.learnBasis(d.X, { preset: "best-effort", trueBasis: d.A, steps: 2, ...off });
    assert.equal(read(r.options), want);
    // Only the switched part differs from the full recipe.
    const diff = Object.keys(r.options).filter((k) => JSON.stringify((r.options as unknown as Record<string, unknown>)[k]) !== JSON.stringify((full.options as unknown as Record<string, unknown>)[k]) && k !== "steps");
    assert.equal(diff.length, 1, `switching ${JSON.stringify(off)} changed ${diff}`);
  }
  const last = ica.learnBasis(d.X, { preset: "best-effort", trueBasis: d.A, steps: 40, keepBest: false });
  assert.deepEqual(last.learned, last.A);
  const byLik = ica.learnBasis(d.X, { preset: "best-effort", trueBasis: d.A, steps: 40, bestBy: "likelihood" });
  const entry = byLik.history.find((h) => h.step === byLik.bestStep)!;
  assert.ok(entry.angleError! >= full.bestScore, "the oracle choice must be at least as good in angle");
  assert.notEqual(byLik.bestScore, entry.angleError, "the likelihood choice scores by the likelihood proxy");
  assert.throws(() => ica.learnBasis(d.X, { sources: 3, bestBy: "angle" }), /bestBy 'angle' needs trueBasis/);
  assert.throws(() => ica.learnBasis(d.X, { sources: 3, bestBy: "closest" as never }), /bestBy must be one of 'angle', 'likelihood', 'none', got closest/);
  assert.throws(() => ica.learnBasis(d.X, { sources: 3, keepBest: 1 as never }), /keepBest must be true or false, got 1/);
});

test("fixedPointBias: rotationDeg is the turn of each column under the update, checked by a finite step", () => {
  const d = ica.generateData({ angles: [0, 60, 150, 250], samples: 2000, seed: 7 });
  const f = ica.fixedPointBias(d.A, d.X, { sigma: 0.1, b: 2, precondition: "inverse-AAT" });
  const A = d.A.map((r) => r.map((v) => v * f.scale));
  const eps = 1e-6;
  f.rotationDeg.forEach((rate, i) => {
    const before = Math.atan2(A[1]![i]!, A[0]![i]!);
    const after = Math.atan2(A[1]![i]! + eps * f.dA[1]![i]!, A[0]![i]! + eps * f.dA[0]![i]!);
    const fd = ((after - before) / eps) * (180 / Math.PI);
    assert.ok(Math.abs(fd - rate) < 1e-4 * (1 + Math.abs(rate)), `column ${i}: ${rate} vs ${fd}`);
  });
  // The irregular basis is not a fixed point: some column turns fast.
  assert.ok(Math.max(...f.rotationDeg.map(Math.abs)) > 5);
});

test("columnRoles: features, two-feature mixtures, split features and strays", () => {
  const truth = fromAngles([30, 150, 270]);
  const A = fromAngles([32, 90, 145, 155, 185, 0], [1, 1, 1, 1, 1, 1e-9]).map((r) => r.map((v, j) => (j === 5 ? 0 : v)));
  const roles = ica.columnRoles(A, truth, 15);
  assert.deepEqual(roles.map((r) => r.kind), ["feature", "mixture", "feature", "feature", "other", "other"]);
  assert.deepEqual(roles[1]!.target, [0, 1]);
  assert.ok(Math.abs(roles[1]!.angleDeg) < 1e-9, "30° + 150° sum points at 90°");
  assert.deepEqual([roles[2]!.target, roles[3]!.target], [[1], [1]], "the 145° and 155° columns split feature 2");
  assert.ok(Math.abs(roles[4]!.angleDeg - 25) < 1e-9, "185° is 25° from the 210° mixture");
  assert.throws(() => ica.columnRoles(A, truth, 0), /toleranceDeg must be in \(0, 180\], got 0/);
});

test("a trueBasis only tracks the error; keepBest without one keeps the likelihood-best A", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 200, seed: 2 });
  const blind = ica.learnBasis(d.X, { preset: "best-effort", steps: 30, keepBest: false });
  const tracked = ica.learnBasis(d.X, { preset: "best-effort", steps: 30, keepBest: false, trueBasis: d.A });
  assert.deepEqual(tracked.A, blind.A, "a trueBasis must not change the run");
  assert.deepEqual(blind.learned, blind.A);
  const kept = ica.learnBasis(d.X, { preset: "best-effort", steps: 30 });
  assert.equal(kept.options.bestBy, "likelihood");
  assert.deepEqual(kept.learned, kept.bestA);
  assert.throws(() => ica.learnBasis(d.X, { sources: 3, bestEvery: 0 }), /bestEvery must be an integer ≥ 1, got 0/);
});
