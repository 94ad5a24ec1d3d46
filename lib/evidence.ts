// The marginal likelihood log P(x|A) that Lewicki & Sejnowski's rule climbs
// (2000, eqs. 2–3), three ways: their Laplace (Gaussian-integral)
// approximation, a brute-force quadrature to check it, and, in the complete
// noiseless case, the exact value.
//
// Every function takes the one model (lib/model.ts) and its defaults; the
// prior used to default to 'laplace' here, so callers that relied on it pass
// prior: 'laplace' now.
import { declareOptions } from "./options";
import { checkMatrix, gram, solveSmall, symmetricEigenvalues, type Matrix } from "./linalg";
import { fromRows } from "./matrix";
import { MODEL_OPTIONS, RETIRED_NON_NEGATIVE, type Model, type Prior } from "./model";
import { solveMap } from "./inference/solve";

export type EvidenceOptions = Partial<Model>;

export interface QuadratureOptions extends EvidenceOptions {
  /** Grid points per axis. Default 401. */
  points?: number;
  /** Half-width of the grid in posterior standard deviations. Default 12. */
  width?: number;
}

const RENAMED = RETIRED_NON_NEGATIVE;

export const EVIDENCE_OPTIONS = declareOptions<EvidenceOptions>("laplaceLogEvidence", MODEL_OPTIONS.schema, RENAMED);

export const QUADRATURE_OPTIONS = declareOptions<QuadratureOptions>("quadratureLogEvidence", {
  ...MODEL_OPTIONS.schema,
  points: { kind: "integer", min: 1, default: 401, doc: "grid points per axis" },
  width: { kind: "number", above: 0, default: 12, doc: "half-width of the grid, in posterior standard deviations" },
}, RENAMED);

export const COMPLETE_OPTIONS = declareOptions<Pick<EvidenceOptions, "b" | "prior">>("completeLogLikelihood", {
  b: MODEL_OPTIONS.schema.b,
  prior: MODEL_OPTIONS.schema.prior,
}, RENAMED);

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

/** The checked point x as an m×1 matrix, and the shape of A. */
function checkPoint(A: Matrix, x: number[]): { m: number; n: number } {
  const { rows: m, cols: n } = checkMatrix("A", A);
  checkMatrix("x", [x], { cols: m });
  return { m, n };
}

/**
 * The Laplace approximation
 *     log P(x|A) ≈ log P(ŝ) + log P(x|A,ŝ) + (n/2) log 2π − ½ log det K,
 * with K = AᵀA/σ² the negative Hessian of the log posterior at ŝ (the prior
 * adds no curvature away from 0). K is singular when n > m, so the value is
 * +Infinity there: the Gaussian integral runs along the null space of A.
 */
export function laplaceLogEvidence(A: Matrix, x: number[], opts: EvidenceOptions = {}): { value: number; sHat: number[] } {
  const { m, n } = checkPoint(A, x);
  const o = EVIDENCE_OPTIONS.parse(opts) as Model;
  const Am = fromRows("A", A);
  const sHat = Array.from(solveMap(Am, fromRows("x", x.map((v) => [v]), { rows: m }), o, { certify: false }).S.data);
  const prior = o.prior;
  const K = gram(Am.data, m, n).map((v) => v / (o.sigma * o.sigma));
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
export function quadratureLogEvidence(A: Matrix, x: number[], opts: QuadratureOptions = {}): number {
  const { n } = checkPoint(A, x);
  const o = QUADRATURE_OPTIONS.parse(opts) as Required<QuadratureOptions>;
  const prior = o.prior;
  if (n > 2 || n > A.length) {
    throw new RangeError(`quadratureLogEvidence needs n ≤ min(m, 2) sources so that the posterior is a bounded blob, got m = ${A.length}, n = ${n}`);
  }
  const { points, width } = o;
  const { sHat } = laplaceLogEvidence(A, x, { sigma: o.sigma, b: o.b, prior });
  // The posterior's spread along any axis is at most σ/√λ_min(AᵀA).
  const G = gram(fromRows("A", A).data, A.length, n);
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
export function completeLogLikelihood(A: Matrix, X: Matrix, opts: Pick<EvidenceOptions, "b" | "prior"> = {}): number {
  const { rows: m, cols: n } = checkMatrix("A", A);
  if (m !== n) throw new RangeError(`completeLogLikelihood needs a square A, got ${m}×${n}`);
  const { cols: p } = checkMatrix("X", X, { rows: m });
  const o = COMPLETE_OPTIONS.parse(opts) as { b: number; prior: Prior };
  const Ab = fromRows("A", A).data;
  // log|det A| = ½ log det(AᵀA).
  const eig = symmetricEigenvalues(gram(Ab, m, n), n);
  if (eig[n - 1]! <= 0) throw new RangeError("A is singular");
  const logDet = eig.reduce((s, v) => s + Math.log(v), 0) / 2;
  let total = 0;
  for (let j = 0; j < p; j++) {
    const s = solveSmall(Ab, X.map((r) => r[j]!), n);
    if (s === null) throw new RangeError("A is singular");
    total += logPrior(s, o.b, o.prior);
  }
  return total / p - logDet;
}
