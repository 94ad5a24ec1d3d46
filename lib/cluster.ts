// Clustering the directions of learned columns (blog E6.3): an
// over-provisioned A splits a true feature into several nearby columns, and
// the post proposes to recover the features by clustering. Only directions
// count (a column's length trades with its source's scale), so this is
// spherical k-means: distance 1 − cos, centroids are normalised weighted sums.
import { createRng, type Rng } from "./random";
import { declareOptions, show, type Schema } from "./options";
import { checkMatrix, type Matrix } from "./linalg";
import { fromRows } from "./matrix";
import { MODEL_OPTIONS, RETIRED_NON_NEGATIVE, type Model } from "./model";
import { solveMap } from "./inference/solve";

export interface ClusterOptions {
  /** Seed of the k-means++ starts. Default 0. */
  seed?: number | string;
  /** Independent k-means++ starts; the one with the lowest objective wins. Default 20. */
  restarts?: number;
  /** Lloyd iterations per start. Default 100. */
  maxIter?: number;
  /**
   * Non-negative weight of each column (default 1). A centroid is the
   * weighted mean direction of its members; a column of weight 0 is still
   * assigned to its nearest centroid but does not pull it.
   */
  weights?: number[];
}

export interface Clustering {
  k: number;
  /** m×k unit-length centroid directions. */
  centroids: Matrix;
  /** Cluster of each column of A; −1 for a zero column, which has no direction. */
  assignment: number[];
  /** Number of columns in each cluster. */
  sizes: number[];
  /** Weighted sum over columns of 1 − cos(column, its centroid): what k-means minimises. */
  objective: number;
  /** Weighted mean angle between each column and its centroid, degrees. */
  dispersionDeg: number;
  /** Mean silhouette with the cosine distance, or null when k = 1 or every cluster is a single column. */
  silhouette: number | null;
}

export interface ClusterCurvePoint {
  k: number;
  dispersionDeg: number;
  objective: number;
  silhouette: number | null;
}

/** Unit directions of the columns of A (null for a zero column). */
function directions(A: Matrix): (number[] | null)[] {
  const m = A.length;
  const n = A[0]!.length;
  const out: (number[] | null)[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += A[r]![i]! * A[r]![i]!;
    const len = Math.sqrt(s);
    out.push(len === 0 ? null : Array.from({ length: m }, (_, r) => A[r]![i]! / len));
  }
  return out;
}

const dot = (u: number[], v: number[]): number => u.reduce((s, x, r) => s + x * v[r]!, 0);

const clusterSchema: Schema<ClusterOptions> = {
  seed: { kind: "seed", default: 0, doc: "seed of the k-means++ starts (stream `<seed>/cluster/<k>`)" },
  restarts: { kind: "integer", min: 1, default: 20, doc: "independent k-means++ starts; the lowest objective wins" },
  maxIter: { kind: "integer", min: 1, default: 100, doc: "Lloyd iterations per start" },
  weights: { kind: "numbers", min: 0, doc: "non-negative weight of each column (default all 1)" },
};

export const CLUSTER_OPTIONS = declareOptions<ClusterOptions>("clusterColumns", clusterSchema);

export const CURVE_OPTIONS = declareOptions<ClusterOptions & { kMax?: number }>("clusterCurve", {
  ...clusterSchema,
  kMax: { kind: "integer", min: 1, doc: "the largest k (default: every usable column)" },
});

/** The weights, checked against the columns of A (one each, default all 1). */
function weightsOf(A: Matrix, weights: number[] | undefined): number[] {
  const { cols: n } = checkMatrix("A", A);
  if (weights === undefined) return new Array<number>(n).fill(1);
  if (weights.length !== n) throw new RangeError(`weights must have one entry per column of A (${n}), got ${weights.length}`);
  return weights;
}

/**
 * Spherical k-means of the column directions of A into k clusters. Seeded
 * k-means++ starts (probability ∝ weight × distance), Lloyd iterations, and
 * the best of `restarts` starts; the same seed gives the same clustering.
 */
export function clusterColumns(A: Matrix, k: number, opts: ClusterOptions = {}): Clustering {
  const { restarts, maxIter, seed, ...o } = CLUSTER_OPTIONS.parse(opts);
  const weights = weightsOf(A, o.weights);
  const dirs = directions(A);
  const live = dirs.map((d, i) => (d !== null && weights[i]! > 0 ? i : -1)).filter((i) => i >= 0);
  if (!Number.isInteger(k) || k < 1 || k > live.length) {
    throw new RangeError(`k must be an integer in [1, ${live.length}] (the columns with a direction and weight > 0), got ${show(k)}`);
  }
  const rng = createRng(`${String(seed)}/cluster/${k}`);
  let best: { centroids: number[][]; objective: number } | null = null;
  for (let t = 0; t < restarts!; t++) {
    const run = lloyd(dirs, weights, live, k, maxIter!, rng);
    if (best === null || run.objective < best.objective - 1e-12) best = run;
  }
  return describeClustering(dirs, weights, best!.centroids);
}

function kmeansPlusPlus(dirs: (number[] | null)[], weights: number[], live: number[], k: number, rng: Rng): number[][] {
  const pickWeighted = (score: (i: number) => number): number => {
    const total = live.reduce((s, i) => s + score(i), 0);
    if (total <= 0) return live[rng.int(live.length)]!;
    let u = rng.uniform() * total;
    for (const i of live) {
      u -= score(i);
      if (u < 0) return i;
    }
    return live[live.length - 1]!;
  };
  const centroids = [dirs[pickWeighted((i) => weights[i]!)]!.slice()];
  while (centroids.length < k) {
    const next = pickWeighted((i) => {
      const d = Math.min(...centroids.map((c) => 1 - dot(dirs[i]!, c)));
      return weights[i]! * Math.max(0, d);
    });
    centroids.push(dirs[next]!.slice());
  }
  return centroids;
}

function nearest(u: number[], centroids: number[][]): number {
  let bestJ = 0;
  let bestCos = -Infinity;
  centroids.forEach((c, j) => {
    const v = dot(u, c);
    if (v > bestCos) {
      bestCos = v;
      bestJ = j;
    }
  });
  return bestJ;
}

function lloyd(
  dirs: (number[] | null)[],
  weights: number[],
  live: number[],
  k: number,
  maxIter: number,
  rng: Rng,
): { centroids: number[][]; objective: number } {
  const m = dirs[live[0]!]!.length;
  let centroids = kmeansPlusPlus(dirs, weights, live, k, rng);
  let labels = live.map((i) => nearest(dirs[i]!, centroids));
  for (let it = 0; it < maxIter; it++) {
    const sums = Array.from({ length: k }, () => new Array<number>(m).fill(0));
    live.forEach((i, a) => {
      for (let r = 0; r < m; r++) sums[labels[a]!]![r] += weights[i]! * dirs[i]![r]!;
    });
    const next = sums.map((s, j) => {
      const len = Math.sqrt(dot(s, s));
      if (len > 1e-12) return s.map((v) => v / len);
      // An empty cluster (or members that cancel) restarts at the live column
      // worst served by the other centroids.
      let far = live[0]!;
      let farD = -Infinity;
      for (const i of live) {
        const d = weights[i]! * (1 - Math.max(...centroids.filter((_, q) => q !== j).map((c) => dot(dirs[i]!, c)), -1));
        if (d > farD) {
          farD = d;
          far = i;
        }
      }
      return dirs[far]!.slice();
    });
    const nextLabels = live.map((i) => nearest(dirs[i]!, next));
    const moved = nextLabels.some((l, a) => l !== labels[a]);
    centroids = next;
    labels = nextLabels;
    if (!moved && it > 0) break;
  }
  const objective = live.reduce((s, i, a) => s + weights[i]! * (1 - dot(dirs[i]!, centroids[labels[a]!]!)), 0);
  return { centroids, objective };
}

function describeClustering(dirs: (number[] | null)[], weights: number[], centroids: number[][]): Clustering {
  const k = centroids.length;
  const m = centroids[0]!.length;
  const assignment = dirs.map((d) => (d === null ? -1 : nearest(d, centroids)));
  const sizes = new Array<number>(k).fill(0);
  assignment.forEach((a) => {
    if (a >= 0) sizes[a]! += 1;
  });
  let objective = 0;
  let angle = 0;
  let wsum = 0;
  dirs.forEach((d, i) => {
    if (d === null || weights[i]! === 0) return;
    const c = Math.max(-1, Math.min(1, dot(d, centroids[assignment[i]!]!)));
    objective += weights[i]! * (1 - c);
    angle += (weights[i]! * Math.acos(c) * 180) / Math.PI;
    wsum += weights[i]!;
  });
  return {
    k,
    centroids: Array.from({ length: m }, (_, r) => centroids.map((c) => c[r]!)),
    assignment,
    sizes,
    objective,
    dispersionDeg: wsum > 0 ? angle / wsum : 0,
    silhouette: silhouette(dirs.map((d, i) => (weights[i]! > 0 ? d : null)), assignment, k),
  };
}

/**
 * Mean silhouette (Rousseeuw 1987) of the directions with d = 1 − cos, over
 * the columns that have a direction. A column alone in its cluster scores 0.
 */
export function silhouette(dirs: (number[] | null)[], assignment: number[], k: number): number | null {
  const idx = dirs.map((d, i) => (d === null || assignment[i]! < 0 ? -1 : i)).filter((i) => i >= 0);
  const occupied = new Set(idx.map((i) => assignment[i]!));
  if (k < 2 || occupied.size < 2 || occupied.size === idx.length) return null;
  let total = 0;
  for (const i of idx) {
    const sum = new Array<number>(k).fill(0);
    const count = new Array<number>(k).fill(0);
    for (const j of idx) {
      if (j === i) continue;
      sum[assignment[j]!]! += 1 - dot(dirs[i]!, dirs[j]!);
      count[assignment[j]!]! += 1;
    }
    const own = assignment[i]!;
    if (count[own] === 0) continue; // a singleton scores 0
    const a = sum[own]! / count[own]!;
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && count[c]! > 0) b = Math.min(b, sum[c]! / count[c]!);
    const denom = Math.max(a, b);
    total += denom > 0 ? (b - a) / denom : 0;
  }
  return total / idx.length;
}

/**
 * The error-versus-k curve of clusterColumns for k = 1 … kMax (default: every
 * usable column), and the k with the highest silhouette.
 */
export function clusterCurve(
  A: Matrix,
  opts: ClusterOptions & { kMax?: number } = {},
): { points: ClusterCurvePoint[]; bestK: number | null } {
  const { kMax, ...rest } = CURVE_OPTIONS.parse(opts);
  const weights = weightsOf(A, rest.weights);
  const usable = directions(A).filter((d, i) => d !== null && weights[i]! > 0).length;
  const top = kMax ?? usable;
  if (top > usable) {
    throw new RangeError(`kMax must be an integer in [1, ${usable}], got ${top}`);
  }
  const points: ClusterCurvePoint[] = [];
  for (let k = 1; k <= top; k++) {
    const c = clusterColumns(A, k, rest);
    points.push({ k, dispersionDeg: c.dispersionDeg, objective: c.objective, silhouette: c.silhouette });
  }
  let bestK: number | null = null;
  let bestS = -Infinity;
  for (const p of points) {
    if (p.silhouette !== null && p.silhouette > bestS) {
      bestS = p.silhouette;
      bestK = p.k;
    }
  }
  return { points, bestK };
}

export interface ColumnUsage {
  /** Fraction of the points whose MAP ŝ_i is non-zero, per column. */
  active: number[];
  /** Share of the reconstruction ‖A_i‖·Σ_j ŝ_ij carried by each column (sums to 1). */
  share: number[];
}

export const USAGE_OPTIONS = declareOptions<Partial<Model>>("columnUsage", MODEL_OPTIONS.schema, RETIRED_NON_NEGATIVE);

/** How much of the data each column explains under MAP inference (for weighting or dropping columns). */
export function columnUsage(A: Matrix, X: Matrix, opts: Partial<Model> = {}): ColumnUsage {
  const Am = fromRows("A", A);
  const Xm = fromRows("X", X, { rows: Am.rows });
  const model = USAGE_OPTIONS.parse(opts) as Model;
  const { rows: n, cols: p, data: S } = solveMap(Am, Xm, model, { certify: false }).S;
  const lengths = Array.from({ length: n }, (_, i) => Math.hypot(...A.map((row) => row[i]!)));
  const active: number[] = [];
  const mass: number[] = [];
  for (let i = 0; i < n; i++) {
    // Per column: the count of points that use it, and Σ_j |ŝ_ij| in point order.
    let used = 0;
    let l1 = 0;
    for (let j = 0; j < p; j++) {
      const v = S[j * n + i]!;
      if (v !== 0) used++;
      l1 += Math.abs(v);
    }
    active.push(used / p);
    mass.push(lengths[i]! * l1);
  }
  const total = mass.reduce((s, v) => s + v, 0);
  return { active, share: mass.map((v) => (total > 0 ? v / total : 0)) };
}
