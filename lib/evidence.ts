// The marginal likelihood log P(x|A) that Lewicki & Sejnowski's rule climbs
// (2000, eqs. 2–3), three ways: their Laplace (Gaussian-integral)
// approximation, a brute-force quadrature to check it, and, in the complete
// noiseless case, the exact value.
import { requirePositive } from "./options";
import { checkMatrix, gram, solveSmall, symmetricEigenvalues, toColMajor, type Matrix } from "./linalg";
import { inferSources } from "./inference";
import type { Prior } from "./data";

export interface EvidenceOptions {
  /** Noise standard deviation σ. */
  sigma: number;
  /** Prior scale b. */
  b: number;
  /** Default 'laplace'. */
  prior?: Prior;
}

function logPrior(s: ArrayLike<number>, b: number, prior: Prior): number {
  let t = 0;
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!;
    if (prior === "exponential") {
      if (v < 0) return -Infinity;
      t += -v / b - Math.log(b);
    } else {
      t += -Math.abs(v) / b - Math.log(2 * b);
    }
  }
  return t;
}

function logLikelihood(A: Matrix, x: number[], s: ArrayLike<number>, sigma: number): number {
  const m = A.length;
  let rss = 0;
  for (let r = 0; r < m; r++) {
    let res = x[r]!;
    for (let i = 0; i < s.length; i++) res -= A[r]![i]! * s[i]!;
    rss += res * res;
  }
  return -rss / (2 * sigma * sigma) - (m / 2) * Math.log(2 * Math.PI * sigma * sigma);
}

function checkPoint(A: Matrix, x: number[], o: EvidenceOptions): { m: number; n: number; prior: Prior } {
  const { rows: m, cols: n } = checkMatrix("A", A);
  checkMatrix("x", [x], { cols: m });
  requirePositive("sigma", o.sigma);
  requirePositive("b", o.b);
  const prior = o.prior ?? "laplace";
  if (prior !== "laplace" && prior !== "exponential") {
    throw new RangeError(`prior must be 'exponential' or 'laplace', got ${String(prior)}`);
  }
  return { m, n, prior };
}

/**
 * The Laplace approximation
 *     log P(x|A) ≈ log P(ŝ) + log P(x|A,ŝ) + (n/2) log 2π − ½ log det K,
 * with K = AᵀA/σ² the negative Hessian of the log posterior at ŝ (the prior
 * adds no curvature away from 0). K is singular when n > m, so the value is
 * +Infinity there: the Gaussian integral runs along the null space of A.
 */
export function laplaceLogEvidence(A: Matrix, x: number[], o: EvidenceOptions): { value: number; sHat: number[] } {
  const { n, prior } = checkPoint(A, x, o);
  const X = x.map((v) => [v]);
  const sHat = inferSources(A, X, { sigma: o.sigma, b: o.b, nonNegative: prior === "exponential" }).S.map((r) => r[0]!);
  const K = gram(toColMajor(A), A.length, n).map((v) => v / (o.sigma * o.sigma));
  const eig = symmetricEigenvalues(K, n);
  const logDet = eig.some((v) => v <= 1e-12 * Math.max(1, eig[0]!)) ? -Infinity : eig.reduce((s, v) => s + Math.log(v), 0);
  const value = logPrior(sHat, o.b, prior) + logLikelihood(A, x, sHat, o.sigma) + (n / 2) * Math.log(2 * Math.PI) - logDet / 2;
  return { value, sHat };
}

/**
 * log P(x|A) by the midpoint rule on a (points)^n grid around ŝ, wide enough
 * to hold the posterior (±`width` posterior standard deviations), for n ≤ m
 * and n ≤ 2. Meant as the reference for laplaceLogEvidence.
 */
export function quadratureLogEvidence(
  A: Matrix,
  x: number[],
  o: EvidenceOptions & { points?: number; width?: number },
): number {
  const { n, prior } = checkPoint(A, x, o);
  if (n > 2 || n > A.length) {
    throw new RangeError(`quadratureLogEvidence needs n ≤ min(m, 2) sources so that the posterior is a bounded blob, got m = ${A.length}, n = ${n}`);
  }
  const points = o.points ?? 401;
  const width = o.width ?? 12;
  const { sHat } = laplaceLogEvidence(A, x, o);
  // The posterior's spread along any axis is at most σ/√λ_min(AᵀA).
  const G = gram(toColMajor(A), A.length, n);
  const lmin = symmetricEigenvalues(G, n)[n - 1]!;
  if (!(lmin > 1e-12)) throw new RangeError("quadratureLogEvidence needs AᵀA to be invertible");
  const spread = o.sigma / Math.sqrt(lmin);
  const half = width * spread;
  const lo = sHat.map((v) => (prior === "exponential" ? Math.max(0, v - half) : v - half));
  const hi = sHat.map((v) => v + half);
  const h = lo.map((l, i) => (hi[i]! - l) / points);
  const cell = h.reduce((a, v) => a * v, 1);
  const s = new Float64Array(n);
  const vals: number[] = [];
  const idx = new Array<number>(n).fill(0);
  for (;;) {
    for (let i = 0; i < n; i++) s[i] = lo[i]! + (idx[i]! + 0.5) * h[i]!;
    vals.push(logPrior(s, o.b, prior) + logLikelihood(A, x, s, o.sigma));
    let d = 0;
    while (d < n && ++idx[d]! === points) idx[d++] = 0;
    if (d === n) break;
  }
  let mx = -Infinity;
  for (const v of vals) mx = Math.max(mx, v);
  let sum = 0;
  for (const v of vals) sum += Math.exp(v - mx);
  return mx + Math.log(sum * cell);
}

/**
 * Mean exact log-likelihood of the columns of X for a square invertible A
 * with no noise: ŝ = A⁻¹x and log P(x|A) = log P(A⁻¹x) − log|det A|.
 */
export function completeLogLikelihood(A: Matrix, X: Matrix, o: { b: number; prior?: Prior }): number {
  const { rows: m, cols: n } = checkMatrix("A", A);
  if (m !== n) throw new RangeError(`completeLogLikelihood needs a square A, got ${m}×${n}`);
  const { cols: p } = checkMatrix("X", X, { rows: m });
  requirePositive("b", o.b);
  const Ab = toColMajor(A);
  // log|det A| = ½ log det(AᵀA).
  const eig = symmetricEigenvalues(gram(Ab, m, n), n);
  if (eig[n - 1]! <= 0) throw new RangeError("A is singular");
  const logDet = eig.reduce((s, v) => s + Math.log(v), 0) / 2;
  let total = 0;
  for (let j = 0; j < p; j++) {
    const s = solveSmall(Ab, X.map((r) => r[j]!), n);
    if (s === null) throw new RangeError("A is singular");
    total += logPrior(s, o.b, o.prior ?? "laplace");
  }
  return total / p - logDet;
}
