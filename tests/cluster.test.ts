// Tests of lib/cluster.ts: clustering the learned columns (E6.3) and their
// usage. References: exhaustive search over every partition, hand-computed
// silhouettes, and the digests of the previous implementation (60a420e).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { bitsHash } from "./helpers/bits";

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
  assert.throws(() => ica.clusterColumns(A, 2, { weights: [1, -1, 1] }), /weights\[1\] must be ≥ 0, got -1/);
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

test("columnUsage and clustering: the same bits as before (usage by solveMap, options declared)", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 300, seed: 0 });
  const wide = ica.learnBasis(d.X, { preset: "best-effort", sigma: 0.1, seed: 0, steps: 30, sources: 6, keepBest: false });
  const u = ica.columnUsage(wide.A, d.X, { sigma: 0.1, b: 2 });
  assert.equal(bitsHash(u), "775229b10cbde0c0");
  const runs = [ica.clusterColumns(wide.A, 3, { seed: 0 }), ica.clusterColumns(wide.A, 3, { seed: 0, weights: u.share }), ica.clusterCurve(wide.A, { seed: 0 })];
  assert.equal(bitsHash(runs), "d12512dc792175bf");
  // The one model's defaults (exponential, σ 0.1, b 2) are what the sweep passes explicitly.
  assert.deepEqual(ica.columnUsage(wide.A, d.X), u);
});

test("clustering and usage options are declared: misspellings, wrong types and the retired nonNegative are named", () => {
  const A = fromAngles([0, 90, 180]);
  assert.throws(() => ica.clusterColumns(A, 2, { restart: 3 } as never), /clusterColumns: unknown option 'restart' \(did you mean 'restarts'\?\)/);
  assert.throws(() => ica.clusterColumns(A, 2, { seed: true } as never), /seed must be a number or a string, got true/);
  assert.throws(() => ica.clusterCurve(A, { kmax: 2 } as never), /clusterCurve: unknown option 'kmax' \(did you mean 'kMax'\?\)/);
  assert.throws(() => ica.clusterCurve(A, { kMax: 0 }), /kMax must be an integer ≥ 1, got 0/);
  assert.throws(() => ica.columnUsage(A, [[1], [1]], { nonNegative: true } as never), /option 'nonNegative' was replaced by prior/);
  assert.throws(() => ica.columnUsage(A, [[1], [1]], { sigma: -1 }), /sigma must be > 0, got -1/);
});
