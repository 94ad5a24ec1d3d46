// Extreme scales. The MAP problem has two exact symmetries:
//   A → cA, s → s/c, b → b/c      (‖x − As‖ and ‖s‖₁/b unchanged),
//   X → kX, s → ks, σ → kσ, b → kb (both terms of L unchanged),
// so with c = 2^−eA and k = 2^−eX (powers of two: every product is exact) the
// problem (A, X, σ, b) becomes (Â, X̂, σ̂, b̂) = (A/2^eA, X/2^eX, σ/2^eX,
// b·2^(eA−eX)) with max|Â|, max|X̂| in [½, 1), the same L at corresponding
// points, and ŝ = 2^(eX−eA)·ŝ_hat. Only the ℓ₁ weight λ̂ = σ̂²/b̂ in those
// units is left; when it is outside what double precision resolves, no
// rescaling can help and the answer says so.
import type { Mat } from "../matrix";
import type { Model } from "../model";

/** Rescale only beyond this (2^±100 ≈ 10^±30): inside, sums and squares are safe and bits stay as they were. */
const SAFE_EXP = 100;
/**
 * The iterative solvers stop when no coefficient moves by more than
 * tol·max(1, ‖s‖∞): the 1 is a unit of s, right only when s is of order one.
 * Beyond 2^±20 between the scales of X and A (the scale of s), they run in
 * rescaled units.
 */
const UNIT_EXP = 20;
/** σ̂ and b̂ outside [10⁻¹⁰⁰, 10¹⁰⁰] would overflow 1/σ̂² or σ̂²/b̂ on the way. */
const MODEL_RANGE = 1e100;
/**
 * Below this ℓ₁ weight λ̂ = σ̂²/b̂ (with max|X̂| ≈ 1) the objective's ℓ₁ term
 * is smaller than the rounding of its fit term (≈ 1e-16·‖x̂‖²/σ̂²), so which
 * exact fit wins is decided by rounding, not by ‖s‖₁.
 */
const MIN_WEIGHT = 1e-12;

export interface Scaling {
  /** ŝ = 2^shift · ŝ_hat, shift = eX − eA. */
  shift: number;
  A: Mat;
  X: Mat;
  /** The model the solver runs on (σ̂, b̂ clamped into range when they are not). */
  model: Model;
  /** σ̂ and b̂ unclamped (possibly 0 or Infinity), for the objective the caller asked about. */
  exact: { sigma: number; b: number };
  /** True when A or X was rescaled. */
  rescaled: boolean;
  /** Why the problem cannot be solved to double precision, or null. */
  reason: string | null;
}

/** 2^e with max|data|·2^−e in [½, 1); 0 for an all-zero body. */
function exponentOf(data: Float64Array): number {
  let big = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]!);
    if (a > big) big = a;
  }
  return big === 0 ? 0 : Math.floor(Math.log2(big)) + 1;
}

/** x·2^e, exact unless the result over- or underflows (in steps, so that 2^e itself never overflows). */
export function times2(x: number, e: number): number {
  while (e > 1000 && x !== 0 && Number.isFinite(x)) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000 && x !== 0 && Number.isFinite(x)) {
    x *= 2 ** -1000;
    e += 1000;
  }
  return x * 2 ** e;
}

function scaled(M: Mat, e: number): Mat {
  const data = new Float64Array(M.data.length);
  for (let i = 0; i < data.length; i++) data[i] = times2(M.data[i]!, -e);
  return { rows: M.rows, cols: M.cols, data };
}

/**
 * The problem in safe units, or null when it already is in them (the common
 * case: nothing is copied and every bit stays as it was). `iterative`: for
 * 'gradient' and 'fista', whose stopping rule has a unit (UNIT_EXP).
 */
export function scalingOf(A: Mat, X: Mat, model: Model, iterative = false): Scaling | null {
  const eA = exponentOf(A.data);
  const eX = exponentOf(X.data);
  const L2 = Math.log10(2);
  // log10 of σ̂, b̂ and λ̂ = σ̂²/b̂ in the units where max|A|, max|X| ≈ 1, without forming them.
  const logSigma = Math.log10(model.sigma) - eX * L2;
  const logB = Math.log10(model.b) + (eA - eX) * L2;
  const logWeight = 2 * logSigma - logB;
  let reason: string | null = null;
  if (Math.abs(logSigma) > Math.log10(MODEL_RANGE) || Math.abs(logB) > Math.log10(MODEL_RANGE)) {
    reason = `the model is out of scale with the data: σ/max|X| = ${fmt(logSigma)} and b·max|A|/max|X| = ${fmt(logB)} ` +
      `must lie in [1e-100, 1e100]; ŝ is a best effort at the nearest scale in range`;
  } else if (logWeight < Math.log10(MIN_WEIGHT)) {
    reason = `the ℓ₁ weight σ²/b is ${fmt(logWeight)} in units of max|A|·max|X| (below ${MIN_WEIGHT}): the sparsity term is ` +
      `smaller than the rounding of the fit term, so the support of ŝ among exact fits is decided by rounding`;
  }
  const rescaled = Math.abs(eA) > SAFE_EXP || Math.abs(eX) > SAFE_EXP || reason !== null ||
    (iterative && Math.abs(eX - eA) > UNIT_EXP);
  if (!rescaled) return null;
  const sigma = times2(model.sigma, -eX);
  const b = times2(model.b, eA - eX);
  const clamp = (v: number) => Math.min(MODEL_RANGE, Math.max(1 / MODEL_RANGE, v));
  return {
    shift: eX - eA,
    A: scaled(A, eA),
    X: scaled(X, eX),
    model: { prior: model.prior, sigma: clamp(sigma), b: clamp(b) },
    exact: { sigma, b },
    rescaled,
    reason,
  };
}

/** A base-10 exponent as "1e-200". */
function fmt(log10: number): string {
  return Number.isFinite(log10) ? `1e${Math.round(log10)}` : String(10 ** log10);
}

/**
 * L per point for the caller's own σ̂, b̂ (which may be 0 or Infinity in
 * double precision) in the rescaled units, where L is the same number: each
 * term is 0 when its factor is (never 0·∞), and may be Infinity, never NaN.
 */
export function safeObjective(A: Mat, X: Mat, S: Float64Array, sigma: number, b: number): Float64Array {
  const { rows: m, cols: n } = A;
  const p = X.cols;
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let rss = 0;
    for (let k = 0; k < m; k++) {
      let acc = X.data[j * m + k]!;
      for (let i = 0; i < n; i++) acc -= A.data[i * m + k]! * S[j * n + i]!;
      rss += acc * acc;
    }
    let l1 = 0;
    for (let i = 0; i < n; i++) l1 += Math.abs(S[j * n + i]!);
    const fit = rss === 0 ? 0 : (Math.sqrt(rss) / sigma) ** 2 / 2;
    out[j] = fit + (l1 === 0 ? 0 : l1 / b);
  }
  return out;
}
