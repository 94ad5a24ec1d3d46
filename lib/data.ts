// Synthetic data for the toy problem x = A s + ε (blog E1; Lewicki & Sejnowski
// 2000, "Examples"). Columns of A are the true features; s is sparse.
import { createRng } from "./random";
import { requirePositive } from "./options";
import { checkMatrix, type Matrix } from "./linalg";

export type Prior = "exponential" | "laplace";

export interface DataOptions {
  /** Directions of the true basis vectors in degrees; gives unit-norm columns. */
  angles?: number[];
  /** Lengths of the columns made from `angles` (blog verdict 2: features of unequal magnitude). Default all 1. */
  lengths?: number[];
  /** An explicit m×n basis; give this or `angles`, not both. */
  A?: Matrix;
  /** Number of data points p (columns of X). Default 500. */
  samples?: number;
  /** Source prior. 'exponential' is one-sided (non-negative s). Default 'exponential'. */
  prior?: Prior;
  /**
   * Rate λ of the exponential prior (mean 1/λ). The Laplace prior uses the
   * scale 1/λ, so both have the same mean magnitude. Default 0.5 (mean 2, as in
   * the blog's E1).
   */
  rate?: number;
  /** Standard deviation of the additive Gaussian noise ε. Default 0. */
  noise?: number;
  /** Seed of the generator. Default 0. */
  seed?: number | string;
  /**
   * Return the blog's "archetype" dataset instead: one point per source,
   * x_i = (1/λ)·A_i, the mean activation of each feature alone. Noise still applies.
   */
  archetypes?: boolean;
  /**
   * Two sources that fire together (blog verdict 3, "fish" and "salmon"):
   * for each point, with probability rho source pair[1] takes source
   * pair[0]'s value, otherwise it is drawn independently. The marginals are
   * unchanged and the Pearson correlation of the pair is rho.
   */
  correlated?: { pair: [number, number]; rho: number };
  /**
   * Exactly this many sources active per point (blog "Comparison with
   * SAEs": one-hot, two-hot, three-hot points): a uniformly random subset of
   * that size keeps its draws, the others are 0. Default: every source drawn.
   */
  active?: number;
}

export interface Dataset {
  /** m×p data, one column per point. */
  X: Matrix;
  /** n×p sources that generated X. */
  S: Matrix;
  /** m×n true basis. */
  A: Matrix;
}

/** 2×n basis whose column i points at angles[i] degrees, with length lengths[i] (default 1). */
export function basisFromAngles(angles: number[], lengths?: number[]): Matrix {
  if (!Array.isArray(angles) || angles.length === 0) {
    throw new TypeError(`angles must be a non-empty array of degrees, got ${String(angles)}`);
  }
  angles.forEach((a, i) => {
    if (typeof a !== "number" || !Number.isFinite(a)) {
      throw new RangeError(`angles[${i}] must be a finite number of degrees, got ${String(a)}`);
    }
  });
  const len = lengths ?? angles.map(() => 1);
  if (!Array.isArray(len) || len.length !== angles.length) {
    throw new RangeError(`lengths must have one entry per angle (${angles.length}), got ${Array.isArray(len) ? len.length : String(len)}`);
  }
  len.forEach((l, i) => requirePositive(`lengths[${i}]`, l));
  const rad = angles.map((a) => (a * Math.PI) / 180);
  return [rad.map((t, i) => len[i]! * Math.cos(t)), rad.map((t, i) => len[i]! * Math.sin(t))];
}

/** Draws a dataset from x = A s + ε; see DataOptions for the defaults. */
export function generateData(opts: DataOptions): Dataset {
  const { angles, samples = 500, prior = "exponential", rate = 0.5, noise = 0, seed = 0, archetypes = false } = opts;
  if (angles !== undefined && opts.A !== undefined) {
    throw new TypeError("generateData takes either angles or A, not both");
  }
  if (angles === undefined && opts.A === undefined) {
    throw new TypeError("generateData needs angles (degrees) or an explicit basis A");
  }
  if (opts.lengths !== undefined && angles === undefined) {
    throw new TypeError("lengths goes with angles; scale the columns of an explicit A yourself");
  }
  const A = opts.A !== undefined ? opts.A.map((r) => r.slice()) : basisFromAngles(angles!, opts.lengths);
  const { rows: m, cols: n } = checkMatrix("A", A);
  if (!Number.isInteger(samples) || samples < 1) {
    throw new RangeError(`samples must be an integer ≥ 1, got ${String(samples)}`);
  }
  if (prior !== "exponential" && prior !== "laplace") {
    throw new RangeError(`prior must be 'exponential' or 'laplace', got ${String(prior)}`);
  }
  requirePositive("rate", rate);
  if (typeof noise !== "number" || !Number.isFinite(noise) || noise < 0) {
    throw new RangeError(`noise must be a finite number ≥ 0, got ${String(noise)}`);
  }
  const pair = checkCorrelated(opts.correlated, n);
  if (pair && archetypes) throw new TypeError("correlated has no meaning for the archetype set");
  const active = opts.active;
  if (active !== undefined) {
    if (!Number.isInteger(active) || active < 1 || active > n) {
      throw new RangeError(`active must be an integer in [1, ${n}] (the number of sources), got ${String(active)}`);
    }
    if (archetypes || pair) throw new TypeError("active cannot be combined with archetypes or correlated");
  }
  // Its own stream, so the subsets do not shift the sources' draws.
  const picker = active !== undefined ? createRng(`${String(seed)}/active`) : null;
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = createRng(seed);
  const coin = pair ? createRng(`${String(seed)}/correlated`) : null;
  const p = archetypes ? n : samples;
  const S: Matrix = Array.from({ length: n }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) {
      if (archetypes) S[i]![j] = i === j ? 1 / rate : 0;
      else S[i]![j] = prior === "exponential" ? rng.exponential(rate) : rng.laplace(1 / rate);
    }
    // Its own stream: every rho sees the same sources and the same coin
    // draws, so a sweep over rho changes only the coupling.
    if (pair && coin!.uniform() < pair.rho) S[pair.j]![j] = S[pair.i]![j]!;
    if (picker) {
      // Partial Fisher–Yates: the first `active` entries of order are a uniform subset.
      for (let k = 0; k < active!; k++) {
        const r = k + picker.int(n - k);
        [order[k], order[r]] = [order[r]!, order[k]!];
      }
      for (let k = active!; k < n; k++) S[order[k]!]![j] = 0;
    }
  }
  const X: Matrix = Array.from({ length: m }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    for (let r = 0; r < m; r++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += A[r]![i]! * S[i]![j]!;
      X[r]![j] = noise > 0 ? acc + noise * rng.normal() : acc;
    }
  }
  return { X, S, A };
}

function checkCorrelated(c: DataOptions["correlated"], n: number): { i: number; j: number; rho: number } | null {
  if (c === undefined) return null;
  if (c === null || typeof c !== "object" || !Array.isArray(c.pair) || c.pair.length !== 2) {
    throw new TypeError(`correlated must be { pair: [i, j], rho }, got ${JSON.stringify(c)}`);
  }
  const [i, j] = c.pair;
  for (const [k, v] of [["pair[0]", i], ["pair[1]", j]] as const) {
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= n) {
      throw new RangeError(`correlated.${k} must be a source index in [0, ${n - 1}], got ${String(v)}`);
    }
  }
  if (i === j) throw new RangeError(`correlated.pair must name two different sources, got [${i}, ${j}]`);
  if (typeof c.rho !== "number" || !(c.rho >= 0 && c.rho <= 1)) {
    throw new RangeError(`correlated.rho must be a number in [0, 1], got ${String(c.rho)}`);
  }
  return { i: i!, j: j!, rho: c.rho };
}
