// Initial directions and bases, shared by the ICA learner (learnBasis) and the
// SAE's decoder start, so neither imports from the other. Blog E6: a 'spread'
// start puts the columns as far apart in angle as possible, so that their
// positive half-spaces cover the data from the first step. On E6's regular
// data (three features 120° apart) that is the truth's layout up to one
// rotation, so 'spread' gives the answer away there; 'data' knows nothing of
// the layout: it picks data points' directions by k-means++ seeding
// (Arthur & Vassilvitskii 2007) with the cosine distance.
import { createRng, type Rng } from "./random";
import { declareOptions, requireInt } from "./options";
import { checkMatrix, type Matrix } from "./linalg";
import { fromRows, type Mat } from "./matrix";

export type InitKind = "perturbed-truth" | "random" | "spread" | "data";

/** Unit vector at a uniformly random direction in ℝ^m (a normalised Gaussian draw). */
function randomDirection(rng: Rng, m: number): number[] {
  for (;;) {
    const v = Array.from({ length: m }, () => rng.normal());
    const norm = Math.hypot(...v);
    if (norm > 1e-12) return v.map((x) => x / norm);
  }
}

/**
 * n unit directions in ℝ^m drawn from rng: 'random' is uniform, 'spread' is
 * as far apart in angle as possible (for m = 2, evenly spaced from a random
 * offset; above, greedy max–min angle among 64·n random candidates).
 */
export function unitDirections(kind: "random" | "spread", m: number, n: number, rng: Rng): number[][] {
  const cols: number[][] = [];
  if (kind === "random") {
    for (let i = 0; i < n; i++) cols.push(randomDirection(rng, m));
  } else if (m === 2) {
    const offset = rng.uniform() * 2 * Math.PI;
    for (let i = 0; i < n; i++) {
      const t = offset + (2 * Math.PI * i) / n;
      cols.push([Math.cos(t), Math.sin(t)]);
    }
  } else {
    const cand = Array.from({ length: 64 * n }, () => randomDirection(rng, m));
    cols.push(cand[0]!);
    while (cols.length < n) cols.push(farthest(cand, cols));
  }
  return cols;
}

/** The candidate whose nearest chosen direction is the farthest away (the first on ties). */
function farthest(cand: number[][], chosen: number[][]): number[] {
  let best = cand[0]!;
  let bestGap = -Infinity;
  for (const c of cand) {
    const gap = Math.min(...chosen.map((u) => -u.reduce((s, v, r) => s + v * c[r]!, 0)));
    if (gap > bestGap) {
      bestGap = gap;
      best = c;
    }
  }
  return best;
}

/**
 * n unit directions of data points (columns of X), chosen by k-means++
 * seeding on the sphere: the first uniformly among the non-zero points, each
 * next one with probability ∝ 1 − cos to the nearest direction chosen so far.
 * The start sees the data and nothing else: not the number of features, nor
 * their layout. Points that repeat a chosen direction have weight 0, so when
 * the data have fewer than n distinct directions the rest are drawn uniformly.
 */
export function dataDirections(X: Mat, n: number, rng: Rng): number[][] {
  const { rows: m, cols: p, data } = X;
  const dirs: number[][] = [];
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += data[j * m + r]! * data[j * m + r]!;
    if (s > 0) {
      const len = Math.sqrt(s);
      dirs.push(Array.from({ length: m }, (_, r) => data[j * m + r]! / len));
    }
  }
  if (dirs.length === 0) throw new RangeError("init 'data' needs at least one non-zero data point");
  const gap = new Float64Array(dirs.length).fill(1);
  const cols: number[][] = [];
  let pick = rng.int(dirs.length);
  while (cols.length < n) {
    const c = dirs[pick]!;
    cols.push(c.slice());
    let total = 0;
    for (let j = 0; j < dirs.length; j++) {
      let dot = 0;
      for (let r = 0; r < m; r++) dot += dirs[j]![r]! * c[r]!;
      gap[j] = Math.min(gap[j]!, Math.max(0, 1 - dot));
      total += gap[j]!;
    }
    if (cols.length === n) break;
    if (!(total > 1e-12)) {
      while (cols.length < n) cols.push(randomDirection(rng, m));
      break;
    }
    let u = rng.uniform() * total;
    pick = dirs.length - 1;
    for (let j = 0; j < dirs.length; j++) {
      u -= gap[j]!;
      if (u < 0) {
        pick = j;
        break;
      }
    }
  }
  return cols;
}

export interface InitOptions {
  /** Data dimension m. */
  m: number;
  /** Number of columns n. */
  n: number;
  seed?: number | string;
  /** Needed by 'perturbed-truth'. */
  trueBasis?: Matrix;
  /** Column length. Default 1 (for 'perturbed-truth': the true lengths times this). */
  scale?: number;
  /** Rotation noise of 'perturbed-truth', degrees. Default 10. */
  perturbDeg?: number;
  /** The m×p data whose points 'data' picks its directions from. */
  data?: Matrix;
}

export const INIT_OPTIONS = declareOptions<InitOptions>("initialBasis", {
  m: { kind: "integer", min: 1, doc: "data dimension m (required)" },
  n: { kind: "integer", min: 1, doc: "number of columns n (required)" },
  seed: { kind: "seed", default: 0, doc: "seed of the directions (its own stream, `<seed>/init`)" },
  trueBasis: { kind: "matrix", doc: "the true m×n basis, needed by 'perturbed-truth'" },
  scale: { kind: "number", above: 0, default: 1, doc: "column length ('perturbed-truth': a factor on the true lengths)" },
  perturbDeg: { kind: "number", min: 0, default: 10, doc: "standard deviation of the rotation of 'perturbed-truth', degrees" },
  data: { kind: "matrix", doc: "the m×p data, needed by 'data' (its points' directions, picked by k-means++ seeding)" },
});

/**
 * Initial bases. 'random': independent uniform directions. 'spread': as far
 * apart in angle as possible (for m = 2, evenly spaced around the circle from
 * a random offset), so the positive half-spaces of the columns cover the
 * plane (blog E6). 'data': directions of data points, spread out by k-means++
 * seeding (dataDirections). 'perturbed-truth': each true column rotated by a
 * normal angle (m = 2) and kept at its length.
 */
export function initialBasis(kind: InitKind, opts: InitOptions): Matrix {
  const o = INIT_OPTIONS.parse(opts);
  const m = requireInt("m", o.m, 1);
  const n = requireInt("sources", o.n, 1);
  const scale = o.scale!;
  const rng = createRng(`${String(o.seed)}/init`);
  let cols: number[][];
  if (kind === "random" || kind === "spread") {
    cols = unitDirections(kind, m, n, rng).map((c) => c.map((v) => v * scale));
  } else if (kind === "data") {
    if (o.data === undefined) throw new TypeError("init 'data' needs data (the m×p points)");
    cols = dataDirections(fromRows("data", o.data, { rows: m }), n, rng).map((c) => c.map((v) => v * scale));
  } else if (kind === "perturbed-truth") {
    cols = perturbedTruth(o, m, n, scale, rng);
  } else {
    throw new RangeError(`init must be 'perturbed-truth', 'random', 'spread', 'data' or an m×n matrix, got ${String(kind)}`);
  }
  return Array.from({ length: m }, (_, r) => cols.map((c) => c[r]!));
}

/** Each true column turned by a N(0, perturbDeg²) angle; columns beyond the truth start at random directions. */
function perturbedTruth(o: InitOptions, m: number, n: number, scale: number, rng: Rng): number[][] {
  if (o.trueBasis === undefined) throw new TypeError("init 'perturbed-truth' needs trueBasis");
  const { cols: nt } = checkMatrix("trueBasis", o.trueBasis, { rows: m });
  if (m !== 2) throw new RangeError(`init 'perturbed-truth' rotates columns in the plane and needs m = 2, got m = ${m}`);
  const sd = o.perturbDeg!;
  const cols: number[][] = [];
  for (let i = 0; i < n; i++) {
    if (i >= nt) {
      cols.push(randomDirection(rng, m).map((v) => v * scale));
      continue;
    }
    const t = ((rng.normal() * sd) * Math.PI) / 180;
    const x = o.trueBasis[0]![i]!;
    const y = o.trueBasis[1]![i]!;
    cols.push([scale * (x * Math.cos(t) - y * Math.sin(t)), scale * (x * Math.sin(t) + y * Math.cos(t))]);
  }
  return cols;
}
