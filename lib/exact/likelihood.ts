// The exact log-likelihood log P(x | A) of Lewicki & Sejnowski's model in two
// dimensions, x = A s + ε, ε ~ N(0, σ²I), with exponential (s ≥ 0, mean b) or
// Laplace (scale b) sources, and its gradient with respect to A.
//
// Why it is closed-form (notebook E11 derives it):
// 1. y = A s has Laplace transform Π_k 1/(1 + b tᵀa_k). In the plane, a
//    product of n such affine factors splits into a sum over column pairs,
//        Π_k 1/l_k = Σ_{i<j} c_ij /(l_i l_j),  c_ij = Π_{k≠i,j} 1/(1 − w_ijᵀa_k),
//    where w_ij = [a_i a_j]⁻ᵀ1 is the point where l_i and l_j vanish
//    (rescaled). So P(x|A) = Σ c_ij P(x | [a_i a_j]): a signed mixture of
//    complete two-column likelihoods.
// 2. A complete pair B is the Gaussian integral of an exponential-linear
//    density over the cone B·R₊²: completing the square,
//        P(x|B) = exp(−wᵀx/b + σ²‖w‖²/(2b²)) / (b²|det B|) · P(N(μ, σ²I) ∈ cone B),
//    μ = x − σ²w/b, and the cone's probability is a bivariate-normal orthant
//    probability Φ₂(h, k; ρ) (lib/exact/normal.ts), with h and k the signed
//    distances of μ from the cone's edges in units of σ and ρ = −cos∠(a_i, a_j).
// 3. A Laplace source is an exponential one with a random sign; summing the
//    pair formula over the signs gives
//        P(x|A) = ¼ Σ_{i<j} Σ_{±,±} P(x | [±a_i ±a_j]) Π_{k≠i,j} 1/(1 − (wᵀa_k)²).
//
// Every term is kept in log space, so points far outside the support (log
// P ≈ −10⁴) keep full relative precision. Where the split is near-singular
// (two columns within 1e-3 of parallel, or three column tips within 1e-4
// (relative) of one line, or a point where the signed terms cancel by more
// than e^9), one column's source is integrated out numerically instead
// (integrate.ts):
//     P(x|A) = ∫ p(s) P(x − s a_k | A without a_k) ds,
// by 10-point Gauss–Legendre panels in log space, placed by a coarse scan and
// halved until they settle; a basis whose columns are
// all parallel (rank 1) has its own exact one-dimensional form (rank1.ts),
// with the same fallback for two equal lengths on one line. A zero column
// adds nothing to x and is dropped; its gradient is −E[s]·∇ₓ log P.
import { declareOptions } from "../options";
import { type Matrix } from "../linalg";
import { fromRows, type Mat } from "../matrix";
import { MODEL_OPTIONS, type Model } from "../model";
import { cross, norm, pairLikelihood, SplitCancelled, splitPairs } from "./pairs";
import { rank1Likelihood } from "./rank1";
import { integrateOut } from "./integrate";

export interface ExactLikelihoodOptions extends Partial<Model> {
  /** Also return ∂(mean log P)/∂A. Default true. */
  gradient?: boolean;
}

export const EXACT_LIKELIHOOD_OPTIONS = declareOptions<ExactLikelihoodOptions>("logLikelihood", {
  ...MODEL_OPTIONS.schema,
  gradient: { kind: "boolean", default: true, doc: "also return the gradient of the mean log-likelihood with respect to A" },
});

export interface ExactLikelihood {
  /** The mean of log P(x_j | A) over the columns of X. */
  value: number;
  /** log P(x_j | A) for each point. */
  perPoint: number[];
  /** ∂ value/∂A (m×n), or null when not asked for. */
  gradient: Matrix | null;
  /** How the value was computed: 'pairs' (the split), 'integrated' (a column's source integrated out where the split is near-singular) or 'rank-1'. */
  method: Method;
}

/**
 * The exact mean log-likelihood (1/p) Σ_j log P(x_j | A) for m = 2, any
 * number of columns, both priors. Accuracy, as tested (tests/exact.test.ts):
 * against a log-space product quadrature for n = 2, 1.6e-12 relative in log P
 * (down to log P ≈ −1.25e5); the density integrates to 1 within 4e-10 (the
 * integrated path included); for n = 3 at σ = 0.1, b = 2, both paths, far
 * points included, agree with one source integrated numerically over the
 * n = 2 form within 1e-9 in log P. Where the split's terms cancel by a factor
 * e^c (c ≤ 9 is accepted), its relative error grows to about 1e-13·e^c.
 * Throws, naming the parameter, on a
 * non-finite entry, m ≠ 2, or a zero basis.
 */
export function logLikelihood(A: Matrix, X: Matrix, opts: ExactLikelihoodOptions = {}): ExactLikelihood {
  const Am = fromRows("A", A);
  if (Am.rows !== 2) throw new RangeError(`logLikelihood is exact in two dimensions only: A has ${Am.rows} rows (m = ${Am.rows}); beyond m = 2 see E11`);
  const Xm = fromRows("X", X, { rows: 2 });
  const o = EXACT_LIKELIHOOD_OPTIONS.parse(opts) as Required<ExactLikelihoodOptions>;
  const res = exactLogLikelihood(Am, Xm, o, o.gradient);
  const p = Xm.cols;
  const grad = res.grad;
  return {
    value: res.total / p,
    perPoint: Array.from(res.perPoint),
    gradient: grad === null ? null : [Array.from({ length: Am.cols }, (_, i) => grad[2 * i]! / p), Array.from({ length: Am.cols }, (_, i) => grad[2 * i + 1]! / p)],
    method: res.method,
  };
}

export interface Exact {
  /** Σ_j log P(x_j|A). */
  total: number;
  perPoint: Float64Array;
  /** Σ_j ∂ log P(x_j|A)/∂A, column-major 2×n, or null. */
  grad: Float64Array | null;
  /** Per-point scores ∂ log P(x_j|A)/∂A, p × 2n (point-major), when asked for. */
  scores: Float64Array | null;
  /** Per-point ∇ₓ log P(x_j|A), p × 2 (point-major), when asked for. */
  dx: Float64Array | null;
  method: Method;
}

export type Method = "pairs" | "integrated" | "rank-1";

/** What a caller wants besides the values. */
export interface Want {
  gradient: boolean;
  scores: boolean;
  dx: boolean;
  /** Allow the (slow) path that integrates a source out; false: a basis that needs it is refused with a RangeError. */
  integrate: boolean;
}

/**
 * The workhorse on internal matrices: totals, per-point values, and (when
 * asked) the summed gradient, the per-point scores and ∇ₓ log P.
 */
export function exactLogLikelihood(A: Mat, X: Mat, model: Model, gradient: boolean, scores = false, dx = false, integrate = true): Exact {
  const cols: number[] = [];
  for (let i = 0; i < A.cols; i++) if (norm(A, i) > 0) cols.push(i);
  if (cols.length === 0) throw new RangeError("logLikelihood: A is zero; every column has length 0, so x = ε and the basis has no direction to score");
  // A zero column adds s·0 to y: it changes no value. Its gradient is that of
  // ∫ p(s) P(x − s a | …) ds at a = 0: −E[s] ∇ₓ log P, which needs ∇ₓ.
  const zeros = A.cols - cols.length;
  const needDx = dx || (zeros > 0 && model.prior === "exponential" && (gradient || scores));
  const want: Want = { gradient, scores, dx: needDx, integrate };
  const res = nonZero(A, cols, X, model, want);
  if (zeros > 0 && model.prior === "exponential" && (gradient || scores)) {
    const n = A.cols;
    for (let k = 0; k < n; k++) {
      if (norm(A, k) > 0) continue;
      for (let j = 0; j < X.cols; j++) {
        const g0 = -model.b * res.dx![2 * j]!, g1 = -model.b * res.dx![2 * j + 1]!;
        if (res.grad) { res.grad[2 * k] += g0; res.grad[2 * k + 1] += g1; }
        if (res.scores) { res.scores[j * 2 * n + 2 * k] = g0; res.scores[j * 2 * n + 2 * k + 1] = g1; }
      }
    }
  }
  if (!dx) res.dx = null;
  return res;
}

/** integrateOut, unless the caller refused it. */
function integrated(A: Mat, k: number, X: Mat, model: Model, want: Want, why: string): Exact {
  if (!want.integrate) throw new RangeError(`logLikelihood: this basis needs a source integrated out (${why}), which the caller did not allow`);
  return integrateOut(A, k, X, model, want);
}

/** The likelihood over the non-zero columns `cols` of A, by the path the basis allows. */
function nonZero(A: Mat, cols: number[], X: Mat, model: Model, want: Want): Exact {
  const rank1 = cols.every((i) => Math.abs(cross(A, cols[0]!, i)) <= 1e-12 * norm(A, cols[0]!) * norm(A, i));
  if (rank1) {
    const r = rank1Likelihood(A, cols, X, model);
    if ("out" in r) return integrated(A, r.out, X, model, want, r.why);
    if (want.gradient || want.scores || want.dx) {
      throw new RangeError(`logLikelihood: the gradient is not defined by this module for a basis of rank 1 (every column parallel${A.cols > cols.length ? ", after a zero or integrated-out column" : ""}; two columns within 1e-3 rad of parallel with no third leave that after one is integrated out); the value is: pass gradient: false`);
    }
    return { ...r, grad: null, scores: null, dx: null, method: "rank-1" };
  }
  const split = splitPairs(A, cols, model);
  if ("out" in split) return integrated(A, split.out, X, model, want, split.why);
  try {
    return pairLikelihood(A, cols, split.pairs, X, model, want);
  } catch (e) {
    // Cancellation at some point beyond what the thresholds foresaw: integrate
    // out the column whose tip is closest to a line through two others.
    if (e instanceof SplitCancelled) return integrated(A, split.weakest, X, model, want, e.message);
    throw e;
  }
}


