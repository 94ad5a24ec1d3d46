// Random true bases of any size m×n (issue 18, point 1). Columns are unit
// vectors drawn uniformly on the sphere (normalised Gaussian draws). With a
// coherence μ, the largest |cos| between two columns is made exactly μ:
// pairs above μ are pushed apart by rotations in their own plane, sweep after
// sweep, until none is above μ; then one pair is turned to exactly μ.
import { createRng } from "./random";
import { declareOptions, requireInt } from "./options";
import { fromColMajor, type Matrix } from "./linalg";

export interface RandomBasisOptions {
  /** Seed of the basis's own stream. Default 0. */
  seed?: number | string;
  /**
   * The largest |cos| between two columns, made exactly this value (to
   * rounding). At least the Welch bound √((n − m)/(m(n − 1))). Default: none,
   * the columns are left as drawn.
   */
  coherence?: number;
}

export const RANDOM_BASIS_OPTIONS = declareOptions<RandomBasisOptions>("randomBasis", {
  seed: { kind: "seed", default: 0, doc: "seed of the basis's own stream" },
  coherence: { kind: "number", min: 0, max: 1, doc: "the largest |cos| between two columns, made exactly this (default: as drawn)" },
});

/** Sweeps of pairwise rotations before randomBasis gives up on a coherence. */
const MAX_SWEEPS = 400;
/** randomBasis also gives up when this many sweeps did not cut the pairs above μ by a tenth. */
const PATIENCE = 50;

/** The Welch bound: no m×n basis of unit columns has a smaller coherence (0 when n ≤ m). */
export function welchBound(m: number, n: number): number {
  return n > m ? Math.sqrt((n - m) / (m * (n - 1))) : 0;
}

/**
 * An m×n basis of unit columns, uniform on the sphere, from the stream of
 * `seed`. With `coherence: μ` the largest |cos| between two columns is μ;
 * n ≤ m with μ = 0 gives orthonormal columns. The same seed gives the same bits.
 */
export function randomBasis(m: number, n: number, opts: RandomBasisOptions = {}): Matrix {
  requireInt("m", m, 1);
  requireInt("n", n, 1);
  const o = RANDOM_BASIS_OPTIONS.parse(opts);
  const A = drawColumns(m, n, o.seed!);
  const mu = o.coherence;
  if (mu !== undefined) {
    if (n < 2) throw new RangeError(`coherence needs at least 2 columns (it is the largest |cos| between two), got n = ${n}`);
    const welch = welchBound(m, n);
    if (mu < welch) {
      throw new RangeError(`coherence must be at least the Welch bound √((n − m)/(m(n − 1))) = ${welch} for m = ${m}, n = ${n}, got ${mu}`);
    }
    if (mu === 0) orthonormalise(A, m, n);
    else setCoherence(A, m, n, mu);
  }
  return fromColMajor(A, m, n);
}

/** n normalised Gaussian draws in ℝ^m, column-major; a draw of norm ≤ 1e-12 is drawn again. */
function drawColumns(m: number, n: number, seed: number | string): Float64Array {
  const rng = createRng(seed);
  const A = new Float64Array(m * n);
  for (let i = 0; i < n; i++) {
    for (;;) {
      let ss = 0;
      for (let r = 0; r < m; r++) {
        const v = rng.normal();
        A[i * m + r] = v;
        ss += v * v;
      }
      const norm = Math.sqrt(ss);
      if (norm > 1e-12) {
        for (let r = 0; r < m; r++) A[i * m + r]! /= norm;
        break;
      }
    }
  }
  return A;
}

function dot(A: Float64Array, m: number, i: number, j: number): number {
  let s = 0;
  for (let r = 0; r < m; r++) s += A[i * m + r]! * A[j * m + r]!;
  return s;
}

function normalise(A: Float64Array, m: number, i: number): void {
  const norm = Math.sqrt(dot(A, m, i, i));
  for (let r = 0; r < m; r++) A[i * m + r]! /= norm;
}

/** Modified Gram–Schmidt, twice (n ≤ m): the columns become orthonormal to rounding. */
function orthonormalise(A: Float64Array, m: number, n: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++) {
        const c = dot(A, m, i, j);
        for (let r = 0; r < m; r++) A[i * m + r]! -= c * A[j * m + r]!;
      }
      normalise(A, m, i);
    }
  }
}

/**
 * Columns i and j turned in their own plane, symmetrically about their
 * bisector, so that their cos becomes sign(cos)·t; written into out (2m
 * values: the new i, then the new j).
 */
function rotatePair(A: Float64Array, m: number, i: number, j: number, t: number, out: Float64Array): void {
  const c = dot(A, m, i, j);
  const s = c < 0 ? -1 : 1;
  // e1 = (a_i + s a_j)/|·|, e2 = (a_i − s a_j)/|·|; a_i = cos φ e1 + sin φ e2 with cos 2φ = |c|.
  const n1 = Math.sqrt(2 + 2 * Math.abs(c));
  const n2 = Math.sqrt(2 - 2 * Math.abs(c));
  const half = Math.acos(t) / 2;
  const ch = Math.cos(half);
  const sh = Math.sin(half);
  for (let r = 0; r < m; r++) {
    const ai = A[i * m + r]!;
    const aj = s * A[j * m + r]!;
    const e1 = (ai + aj) / n1;
    const e2 = (ai - aj) / n2;
    out[r] = ch * e1 + sh * e2;
    out[m + r] = s * (ch * e1 - sh * e2);
  }
}

/** The upper-triangle pairs (i, j) whose |cos| is above `above`, largest first. */
function pairsAbove(A: Float64Array, m: number, n: number, above: number): { i: number; j: number; c: number }[] {
  const out: { i: number; j: number; c: number }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const c = Math.abs(dot(A, m, i, j));
      if (c > above) out.push({ i, j, c });
    }
  }
  return out.sort((a, b) => b.c - a.c || a.i - b.i || a.j - b.j);
}

/**
 * Makes the largest |cos| between two columns exactly mu (mu > 0): pairs
 * above mu are rotated apart to a little below it until none is above, then
 * one of the closest pairs is turned to exactly mu, keeping every other pair
 * at or below mu. Throws if either step fails.
 */
function setCoherence(A: Float64Array, m: number, n: number, mu: number): void {
  // Pairs pushed apart land this far below mu, so later rotations rarely lift them over it again.
  const target = mu - Math.min(0.02 * mu, (mu - welchBound(m, n)) / 4);
  const buf = new Float64Array(2 * m);
  // Progress: a tenth fewer pairs above mu (or one fewer, below ten) than PATIENCE sweeps before.
  const counts: number[] = [];
  for (let over = pairsAbove(A, m, n, mu); over.length > 0; over = pairsAbove(A, m, n, mu)) {
    const sweeps = counts.push(over.length) - 1;
    const before = sweeps >= PATIENCE ? counts[sweeps - PATIENCE]! : Infinity;
    if (sweeps >= MAX_SWEEPS || over.length > Math.min(0.9 * before, before - 1)) {
      throw new RangeError(`randomBasis: could not bring the coherence of a ${m}×${n} basis down to ${mu} (${sweeps >= MAX_SWEEPS ? `${sweeps} sweeps of rotations` : `${sweeps} sweeps of rotations, the last ${PATIENCE} cutting the pairs above it by less than a tenth`}; ${over.length} pairs still above, the largest |cos| ${over[0]!.c}); the Welch bound is ${welchBound(m, n)}, try a larger coherence`);
    }
    for (const { i, j } of over) {
      if (Math.abs(dot(A, m, i, j)) <= target) continue;
      rotatePair(A, m, i, j, target, buf);
      A.set(buf.subarray(0, m), i * m);
      A.set(buf.subarray(m), j * m);
      normalise(A, m, i);
      normalise(A, m, j);
    }
  }
  raiseOnePair(A, m, n, mu, buf);
}

/** Turns one of the closest pairs to |cos| = mu exactly, if that leaves every other pair at or below mu. */
function raiseOnePair(A: Float64Array, m: number, n: number, mu: number, buf: Float64Array): void {
  // The closest pairs: those within 0.05 of the largest |cos| (at least that one), at most 32.
  let largest = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) largest = Math.max(largest, Math.abs(dot(A, m, i, j)));
  const candidates = pairsAbove(A, m, n, largest - 0.05).slice(0, 32);
  for (const { i, j } of candidates) {
    rotatePair(A, m, i, j, mu, buf);
    const trial = A.slice();
    trial.set(buf.subarray(0, m), i * m);
    trial.set(buf.subarray(m), j * m);
    normalise(trial, m, i);
    normalise(trial, m, j);
    let ok = Math.abs(Math.abs(dot(trial, m, i, j)) - mu) <= 1e-14;
    for (let k = 0; ok && k < n; k++) {
      if (k !== i && k !== j) ok = Math.abs(dot(trial, m, i, k)) <= mu && Math.abs(dot(trial, m, j, k)) <= mu;
    }
    if (ok) {
      A.set(trial);
      return;
    }
  }
  throw new RangeError(`randomBasis: could not set the coherence of a ${m}×${n} basis to exactly ${mu} (turning any of the ${candidates.length} closest pairs to ${mu} lifts another pair above it)`);
}
