// One MAP problem in the solvers' own form: the basis and the data as
// column-major buffers (the body of a Mat), and the model's constants. For
// every column x of X the solvers minimise
//     L(s) = ‖x − A s‖² / (2σ²) + ‖s‖₁ / b,      with s ≥ 0 under the exponential prior,
// which is −log P(s | x, A) up to a constant (Lewicki & Sejnowski 2000, eq. 2
// with a Laplace or one-sided exponential prior; see lib/model.ts).
import { gram } from "../linalg";
import type { Mat } from "../matrix";
import { isNonNegative, type Model } from "../model";

export interface Problem {
  /** m×n basis, column-major. */
  A: Float64Array;
  /** m×p data, column-major. */
  X: Float64Array;
  /** AᵀA, n×n column-major, computed on first use (see gramOf()). */
  G: Float64Array | null;
  /** AᵀX, n×p column-major, computed on first use (see coefficients()). */
  C: Float64Array | null;
  m: number;
  n: number;
  p: number;
  inv2s2: number; // 1/(2σ²)
  invS2: number; // 1/σ²
  lam: number; // 1/b
  nonNegative: boolean;
}

/** Up to this many supports the general (m > 2) enumeration runs; beyond, 'exact' refuses. */
export const MAX_SUPPORTS = 200_000;
/**
 * 'active-set': a coordinate enters the support while its KKT condition is
 * violated by more than this, relative to max(max_i |a_iᵀx|, σ²/b) (the
 * point's own scale, in the units of a_iᵀ(x − As)). A violation this small
 * is at the level of the rounding in forming a_iᵀ(x − As) when G_FF is
 * ill-conditioned; a coordinate that enters on such a violation and comes
 * out with the wrong sign is barred until the next successful pivot.
 */
export const ACTIVE_SET_ENTRY_TOL = 1e-12;
/** 'active-set': a point is certified when its KKT residual (same units) is at most this. */
export const ACTIVE_SET_CERT_TOL = 1e-9;
/**
 * 'active-set': a column whose squared distance from the span of the support
 * is at most this times its squared length does not enter (G_FF would be
 * singular to working precision); when violated it is swapped in instead.
 */
export const ACTIVE_SET_SINGULAR = 1e-10;

/** The problem for checked inputs (no validation here: solveMap's contract). */
export function problemOf(A: Mat, X: Mat, model: Model): Problem {
  const { sigma, b } = model;
  return {
    A: A.data,
    X: X.data,
    G: null,
    C: null,
    m: A.rows,
    n: A.cols,
    p: X.cols,
    inv2s2: 1 / (2 * sigma * sigma),
    invS2: 1 / (sigma * sigma),
    lam: 1 / b,
    nonNegative: isNonNegative(model),
  };
}

/** Number of supports of size ≤ m (times the sign patterns when signed). */
export function supportCount(n: number, m: number, nonNegative: boolean): number {
  let total = 0;
  let choose = 1;
  for (let k = 0; k <= Math.min(m, n); k++) {
    if (k > 0) choose = (choose * (n - k + 1)) / k;
    total += choose * (nonNegative ? 1 : 2 ** k);
  }
  return total;
}

/** AᵀA for the problem, computed once (m = 2's polygon needs only a few entries: gramEntry). */
export function gramOf(P: Problem): Float64Array {
  if (P.G === null) P.G = gram(P.A, P.m, P.n);
  return P.G;
}

/** AᵀX for the problem, computed once. */
export function coefficients(P: Problem): Float64Array {
  if (P.C === null) {
    const { A, X, m, n, p } = P;
    const C = new Float64Array(n * p);
    for (let j = 0; j < p; j++) {
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let k = 0; k < m; k++) acc += A[i * m + k]! * X[j * m + k]!;
        C[j * n + i] = acc;
      }
    }
    P.C = C;
  }
  return P.C;
}
