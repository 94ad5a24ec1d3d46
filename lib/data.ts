// Synthetic data for the toy problem x = A s + ε (blog E1; Lewicki & Sejnowski
// 2000, "Examples"). Columns of A are the true features; s is sparse.
import { createRng, requirePositive } from "./random";
import { checkMatrix, type Matrix } from "./linalg";

export type Prior = "exponential" | "laplace";

export interface DataOptions {
  /** Directions of the true basis vectors in degrees; gives unit-norm columns. */
  angles?: number[];
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
}

export interface Dataset {
  /** m×p data, one column per point. */
  X: Matrix;
  /** n×p sources that generated X. */
  S: Matrix;
  /** m×n true basis. */
  A: Matrix;
}

/** Unit-norm 2×n basis whose column i points at angles[i] degrees. */
export function basisFromAngles(angles: number[]): Matrix {
  if (!Array.isArray(angles) || angles.length === 0) {
    throw new TypeError(`angles must be a non-empty array of degrees, got ${String(angles)}`);
  }
  angles.forEach((a, i) => {
    if (typeof a !== "number" || !Number.isFinite(a)) {
      throw new RangeError(`angles[${i}] must be a finite number of degrees, got ${String(a)}`);
    }
  });
  const rad = angles.map((a) => (a * Math.PI) / 180);
  return [rad.map(Math.cos), rad.map(Math.sin)];
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
  const A = opts.A !== undefined ? opts.A.map((r) => r.slice()) : basisFromAngles(angles!);
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
  const rng = createRng(seed);
  const p = archetypes ? n : samples;
  const S: Matrix = Array.from({ length: n }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) {
      if (archetypes) S[i]![j] = i === j ? 1 / rate : 0;
      else S[i]![j] = prior === "exponential" ? rng.exponential(rate) : rng.laplace(1 / rate);
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
