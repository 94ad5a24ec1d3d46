// MAP inference of the sources for a fixed basis (blog E2; the first half of
// each learning step in Lewicki & Sejnowski 2000). For every data point x we
// minimise
//     L(s) = ‖x − A s‖² / (2σ²) + ‖s‖₁ / b,      with s ≥ 0 when nonNegative,
// which is −log P(s | x, A) up to a constant for Gaussian noise of standard
// deviation σ and a Laplace (or one-sided exponential) prior of scale b.
import { requirePositive } from "./options";
import {
  checkMatrix,
  fromColMajor,
  gram,
  solveSmall,
  spectralNormSquared,
  toColMajor,
  type Matrix,
} from "./linalg";

export type InferenceMethod = "gradient" | "fista" | "exact";

export interface InferenceOptions {
  /** Solver. Default 'exact' when the support enumeration is small, else 'fista'. */
  method?: InferenceMethod;
  /** Noise standard deviation σ. Default 1. */
  sigma?: number;
  /** Prior scale b (the ‖s‖₁ weight is 1/b). Default 1. */
  b?: number;
  /** Constrain s ≥ 0 (exponential prior). Default true. */
  nonNegative?: boolean;
  /** Iteration cap for 'gradient' and 'fista'. Default 5000. */
  maxIter?: number;
  /** Stop when no coefficient moves by more than tol·max(1, ‖s‖∞). Default 1e-12; 0 runs all maxIter iterations. */
  tol?: number;
  /** Step size η. Default 1/L with L = ‖A‖₂²/σ², the gradient's Lipschitz constant. */
  step?: number;
  /**
   * Keep η in the range where the method provably converges (η < 2/L for
   * 'gradient', η ≤ 1/L for 'fista'); a larger step is replaced by 1/L and
   * reported. Default true. Set false to watch an unsafe step misbehave.
   */
  guard?: boolean;
  /**
   * 'exact' only: try every support for every point instead of the m = 2
   * geometric cut. Same ŝ, slower; for checking the cut. Default false.
   */
  enumerate?: boolean;
  /** Warm start, n×p. Default zeros. */
  S0?: Matrix;
  /** Record the total objective at each iteration, and optionally the iterates. */
  trace?: boolean | { iterates?: boolean; every?: number };
}

export interface Divergence {
  iteration: number;
  reason: string;
}

export interface InferenceDiagnostics {
  method: InferenceMethod;
  /** Iterations taken (0 for 'exact'). */
  iterations: number;
  converged: boolean;
  /** Lipschitz constant L = ‖A‖₂²/σ² of the smooth part's gradient. */
  lipschitz: number;
  /** Step actually used (NaN for 'exact'). */
  step: number;
  /** True when the guard replaced a requested step that could diverge. */
  stepGuarded: boolean;
  /**
   * Largest violation of the optimality (KKT) conditions over all points, in
   * units of ∂L/∂s: 0 at an exact minimiser. See kktResidual().
   */
  kktResidual: number;
  /** Set when an unguarded run blew up; S is then the best iterate seen. */
  diverged: Divergence | null;
  /**
   * 'exact' only: 'geometric' when the m = 2 cut chose each point's (≤ 3)
   * candidates, 'all' when every support was tried.
   */
  candidates?: "geometric" | "all";
  /** 'exact' only: points for which the geometric cut found nothing and every support was tried. */
  fallbackPoints?: number;
}

export interface InferenceTrace {
  /** Sum over points of L(s) after each iteration (index 0 is the start). */
  objective: number[];
  /** Snapshots of S (n×p) at the recorded iterations. */
  iterates: Matrix[];
  /** Iteration number of each snapshot. */
  iterations: number[];
}

export interface InferenceResult {
  /** n×p MAP sources. */
  S: Matrix;
  /** L(ŝ) for each point. */
  objective: number[];
  diagnostics: InferenceDiagnostics;
  trace?: InferenceTrace;
}

interface Problem {
  A: Float64Array;
  X: Float64Array;
  G: Float64Array;
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

const MAX_SUPPORTS = 200_000;
/** Up to this many supports the default solver is 'exact'; above, 'fista'. */
const EXACT_DEFAULT_LIMIT = 2_000;

/** Validates A, X and the scalar options, and precomputes AᵀA and AᵀX. */
function buildProblem(
  A: Matrix,
  X: Matrix,
  opts: { sigma?: number; b?: number; nonNegative?: boolean },
): Problem {
  const { rows: m, cols: n } = checkMatrix("A", A);
  const { cols: p } = checkMatrix("X", X, { rows: m });
  const sigma = opts.sigma ?? 1;
  const b = opts.b ?? 1;
  requirePositive("sigma", sigma);
  requirePositive("b", b);
  const Ab = toColMajor(A);
  const Xb = toColMajor(X);
  return {
    A: Ab,
    X: Xb,
    G: gram(Ab, m, n),
    C: null,
    m,
    n,
    p,
    inv2s2: 1 / (2 * sigma * sigma),
    invS2: 1 / (sigma * sigma),
    lam: 1 / b,
    nonNegative: opts.nonNegative ?? true,
  };
}

/** MAP estimate ŝ of the sources of every column of X under basis A. */
export function inferSources(A: Matrix, X: Matrix, opts: InferenceOptions = {}): InferenceResult {
  const prob = buildProblem(A, X, opts);
  const { m, n } = prob;
  const method = opts.method ?? (supportCount(n, m, prob.nonNegative) <= EXACT_DEFAULT_LIMIT ? "exact" : "fista");
  if (method !== "gradient" && method !== "fista" && method !== "exact") {
    throw new RangeError(`method must be 'gradient', 'fista' or 'exact', got ${String(method)}`);
  }
  const lipschitz = spectralNormSquared(prob.A, m, n) * prob.invS2;
  if (method === "exact") return solveExact(prob, lipschitz, opts.enumerate ?? false);
  return solveIterative(prob, method, lipschitz, opts);
}

function supportCount(n: number, m: number, nonNegative: boolean): number {
  let total = 0;
  let choose = 1;
  for (let k = 0; k <= Math.min(m, n); k++) {
    if (k > 0) choose = (choose * (n - k + 1)) / k;
    total += choose * (nonNegative ? 1 : 2 ** k);
  }
  return total;
}

/** AᵀX for the problem, computed once. */
function coefficients(P: Problem): Float64Array {
  if (P.C === null) P.C = multiplyAtX(P.A, P.X, P.m, P.n, P.p);
  return P.C;
}

function multiplyAtX(A: Float64Array, X: Float64Array, m: number, n: number, p: number): Float64Array {
  const C = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let k = 0; k < m; k++) acc += A[i * m + k]! * X[j * m + k]!;
      C[j * n + i] = acc;
    }
  }
  return C;
}

/** L(s_j) for point j, from the residual itself to keep precision near the optimum. */
function pointObjective(P: Problem, S: Float64Array, j: number): number {
  const { A, X, m, n } = P;
  let rss = 0;
  for (let k = 0; k < m; k++) {
    let acc = X[j * m + k]!;
    for (let i = 0; i < n; i++) acc -= A[i * m + k]! * S[j * n + i]!;
    rss += acc * acc;
  }
  let l1 = 0;
  for (let i = 0; i < n; i++) l1 += Math.abs(S[j * n + i]!);
  return rss * P.inv2s2 + l1 * P.lam;
}

function totalObjective(P: Problem, S: Float64Array): number {
  let t = 0;
  for (let j = 0; j < P.p; j++) t += pointObjective(P, S, j);
  return t;
}

/**
 * Largest KKT violation of point j's sources: with g = ∇ of the smooth part,
 * an active s_i needs g_i + sign(s_i)/b = 0; an inactive one needs
 * g_i ≥ −1/b (non-negative) or |g_i| ≤ 1/b (signed); and s ≥ 0 when constrained.
 * g = −Aᵀ(x − As)/σ² is formed from the residual, which skips the zero
 * sources and keeps precision near the optimum. `r` is scratch of length m.
 */
function pointKkt(P: Problem, S: Float64Array, j: number, r: Float64Array): number {
  const { A, X, m, n, invS2, lam, nonNegative } = P;
  for (let k = 0; k < m; k++) r[k] = X[j * m + k]!;
  for (let i = 0; i < n; i++) {
    const s = S[j * n + i]!;
    if (s !== 0) for (let k = 0; k < m; k++) r[k] -= A[i * m + k]! * s;
  }
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let k = 0; k < m; k++) acc += A[i * m + k]! * r[k]!;
    const v = kktViolation(-acc * invS2, S[j * n + i]!, lam, nonNegative);
    if (v > worst) worst = v;
  }
  return worst;
}

/** One coordinate's KKT violation, for the smooth part's gradient g at source value s. */
function kktViolation(g: number, s: number, lam: number, nonNegative: boolean): number {
  if (s > 0) return Math.abs(g + lam);
  if (s < 0) return nonNegative ? Math.max(-s, Math.abs(g - lam)) : Math.abs(g - lam);
  return nonNegative ? Math.max(0, -g - lam) : Math.max(0, Math.abs(g) - lam);
}

/** Largest KKT violation of S (n×p) as a minimiser of L for basis A and data X. */
export function kktResidual(
  A: Matrix,
  X: Matrix,
  S: Matrix,
  opts: { sigma?: number; b?: number; nonNegative?: boolean } = {},
): number {
  const P = buildProblem(A, X, opts);
  checkMatrix("S", S, { rows: P.n, cols: P.p });
  const Sb = toColMajor(S);
  let worst = 0;
  const r = new Float64Array(P.m);
  for (let j = 0; j < P.p; j++) worst = Math.max(worst, pointKkt(P, Sb, j, r));
  return worst;
}

/** L(s) per point for given sources; the objective inferSources minimises. */
export function lassoObjective(A: Matrix, X: Matrix, S: Matrix, opts: { sigma?: number; b?: number } = {}): number[] {
  const P = buildProblem(A, X, opts);
  checkMatrix("S", S, { rows: P.n, cols: P.p });
  const Sb = toColMajor(S);
  return Array.from({ length: P.p }, (_, j) => pointObjective(P, Sb, j));
}

function finish(
  P: Problem,
  S: Float64Array,
  diag: Omit<InferenceDiagnostics, "kktResidual">,
  trace?: InferenceTrace,
): InferenceResult {
  const objective = new Array<number>(P.p);
  let kkt = 0;
  if (P.m === 2) {
    // pointObjective and pointKkt in one pass for 2-D data: one residual per
    // point, the zero sources skipped, every sum in their order (same bits).
    const { A, X, n, invS2, lam, nonNegative, inv2s2 } = P;
    for (let j = 0; j < P.p; j++) {
      let r0 = X[2 * j]!;
      let r1 = X[2 * j + 1]!;
      let l1 = 0;
      for (let i = 0; i < n; i++) {
        const s = S[j * n + i]!;
        if (s === 0) continue;
        r0 -= A[2 * i]! * s;
        r1 -= A[2 * i + 1]! * s;
        l1 += Math.abs(s);
      }
      objective[j] = (r0 * r0 + r1 * r1) * inv2s2 + l1 * lam;
      for (let i = 0; i < n; i++) {
        const v = kktViolation(-(A[2 * i]! * r0 + A[2 * i + 1]! * r1) * invS2, S[j * n + i]!, lam, nonNegative);
        if (v > kkt) kkt = v;
      }
    }
  } else {
    const r = new Float64Array(P.m);
    for (let j = 0; j < P.p; j++) {
      objective[j] = pointObjective(P, S, j);
      kkt = Math.max(kkt, pointKkt(P, S, j, r));
    }
  }
  const out: InferenceResult = {
    S: fromColMajor(S, P.n, P.p),
    objective,
    diagnostics: { ...diag, kktResidual: kkt },
  };
  if (trace) out.trace = trace;
  return out;
}

/**
 * Exact solver: an optimal ŝ exists whose active columns are linearly
 * independent, so it has at most m non-zeros. For each such support T (and,
 * when signed, each sign pattern σ_T) the stationarity condition
 * A_Tᵀ(A_T s_T − x)/σ² + σ_T/b = 0 is a |T|×|T| linear system; the candidates
 * whose solution has the assumed signs are feasible, and the cheapest of them
 * is the global minimum. The KKT residual then certifies it. For m = 2 the
 * dual polygon (see DualPolygon) narrows each point to at most three
 * candidates; `enumerate` turns that off.
 */
function solveExact(P: Problem, lipschitz: number, enumerate: boolean): InferenceResult {
  const stats: ExactStats = { geometric: false, fallbackPoints: 0 };
  const S = exactSources(P, enumerate, stats);
  return finish(P, S, {
    method: "exact",
    iterations: 0,
    converged: true,
    lipschitz,
    step: Number.NaN,
    stepGuarded: false,
    diverged: null,
    candidates: stats.geometric ? "geometric" : "all",
    fallbackPoints: stats.fallbackPoints,
  });
}

/**
 * The exact solver's ŝ for column-major buffers, without validation, the
 * objective or the certificate: the inner step of learnBasis, which checks
 * its inputs once and runs thousands of inferences. Null when 'exact' would
 * enumerate too many supports for the default choice (the caller then uses
 * inferSources).
 */
export function exactSourcesColMajor(
  A: Float64Array, X: Float64Array, m: number, n: number, p: number,
  o: { sigma: number; b: number; nonNegative: boolean; enumerate?: boolean },
  stats?: ExactStats,
): Float64Array | null {
  if (supportCount(n, m, o.nonNegative) > EXACT_DEFAULT_LIMIT) return null;
  return exactSources({
    A, X, G: gram(A, m, n), C: null, m, n, p,
    inv2s2: 1 / (2 * o.sigma * o.sigma), invS2: 1 / (o.sigma * o.sigma), lam: 1 / o.b, nonNegative: o.nonNegative,
  }, o.enumerate ?? false, stats);
}

/**
 * The candidate supports of the exact solver, flattened for the hot loop:
 * support indices, signs and the inverse of the support's Gram block, in a
 * fixed enumeration order (singletons, then pairs, …; sign patterns within).
 * For m = 2, `geometry` also lists, for each edge of the dual polygon, the
 * at most three candidates that can be optimal for a point beyond that edge.
 */
interface ExactPlan {
  K: number;
  maxK: number;
  cDim: Int32Array;
  cIdx: Int32Array;
  cSgn: Float64Array;
  cInv: Float64Array;
  geometry: DualPolygon | null;
  /** Work space of bestCandidate (2·maxK), so that it allocates nothing per point. */
  scratch: Float64Array;
}

/**
 * The dual view of the m = 2 problem. Scaled by σ², the LASSO is
 * min ½‖x − As‖² + λ‖s‖₁ (s ≥ 0) with λ = σ²/b, and its dual says that the
 * optimal residual r = x − Aŝ is the projection of x onto the polygon
 * P = { r : a_iᵀr ≤ λ for every column } (with −a_i added when signed).
 * ŝ = 0 inside P; beyond P the projection lands on an edge (one active column)
 * or a vertex (two). The edge whose line x lies farthest beyond, in distance
 * (a_eᵀx − λ)/‖a_e‖, is always the edge of the projection or one of its two
 * end points: outside P, the normal cone of the projected point holds x − r,
 * and no other constraint line can be farther from x than the ones bounding
 * that cone. So a point needs one scan over the H ≤ 2n edges and at most three
 * candidate solves, instead of all 1 + n + n(n−1)/2 supports (×4 signed).
 */
interface DualPolygon {
  /** Number of edges. */
  H: number;
  /** The two entries of each edge's original column. */
  ax: Float64Array;
  ay: Float64Array;
  /** Unit outward normal and offset: (nx, ny)·x − off is x's distance beyond the edge's line. */
  nx: Float64Array;
  ny: Float64Array;
  off: Float64Array;
  /**
   * Slots 3e, 3e+1, 3e+2: edge e's candidates (the edge alone, its two
   * vertices) in enumeration order, unpacked: dimension (0 = no candidate),
   * the edges holding the columns, their signs, the inverse Gram block
   * (column-major, 4 per slot) and the output rows.
   */
  kDim: Int32Array;
  kE0: Int32Array;
  kE1: Int32Array;
  kS0: Float64Array;
  kS1: Float64Array;
  kI: Float64Array;
  kC0: Int32Array;
  kC1: Int32Array;
  /** The candidate index of each slot (−1: none), for breaking ties as the enumeration does. */
  kQ: Int32Array;
  /** True when two neighbouring edges face the same way to within 10⁻⁶ rad (twin columns). */
  twins: boolean;
}

function exactPlan(P: Problem, withGeometry: boolean): ExactPlan {
  const { n, m, G, nonNegative } = P;
  const count = supportCount(n, m, nonNegative);
  if (count > MAX_SUPPORTS) {
    throw new RangeError(
      `method 'exact' would enumerate ${count} supports for m=${m}, n=${n}; use 'fista' for problems this large`,
    );
  }
  if (m === 2 && n >= 2) return exactPlan2D(P, withGeometry);
  interface Candidate { idx: number[]; sgn: number[]; inv: Float64Array; }
  const cands: Candidate[] = [];
  const maxK = Math.min(m, n);
  const choose = (start: number, k: number, acc: number[]): void => {
    if (acc.length === k) {
      const d = k;
      const Gt = new Float64Array(d * d);
      for (let a = 0; a < d; a++) for (let c = 0; c < d; c++) Gt[c * d + a] = G[acc[c]! * n + acc[a]!]!;
      // Invert column by column; a singular block means dependent columns.
      const inv = new Float64Array(d * d);
      for (let c = 0; c < d; c++) {
        const e = new Float64Array(d);
        e[c] = 1;
        const col = solveSmall(Gt, e, d);
        if (col === null) return;
        inv.set(col, c * d);
      }
      const patterns = nonNegative ? 1 : 2 ** d;
      for (let pat = 0; pat < patterns; pat++) {
        const sgn = acc.map((_, a) => (nonNegative || ((pat >> a) & 1) === 0 ? 1 : -1));
        cands.push({ idx: acc.slice(), sgn, inv });
      }
      return;
    }
    for (let i = start; i < n; i++) {
      acc.push(i);
      choose(i + 1, k, acc);
      acc.pop();
    }
  };
  for (let k = 1; k <= maxK; k++) choose(0, k, []);
  const K = cands.length;
  const cDim = new Int32Array(K);
  const cIdx = new Int32Array(K * maxK);
  const cSgn = new Float64Array(K * maxK);
  const cInv = new Float64Array(K * maxK * maxK);
  cands.forEach((cand, q) => {
    const d = cand.idx.length;
    cDim[q] = d;
    for (let a = 0; a < d; a++) {
      cIdx[q * maxK + a] = cand.idx[a]!;
      cSgn[q * maxK + a] = cand.sgn[a]!;
    }
    for (let c = 0; c < d; c++) for (let a = 0; a < d; a++) cInv[q * maxK * maxK + c * d + a] = cand.inv[c * d + a]!;
  });
  return { K, maxK, cDim, cIdx, cSgn, cInv, geometry: null, scratch: new Float64Array(2 * maxK) };
}

/**
 * The inverse of the symmetric 2×2 block [[g00, g01], [g01, g11]], column by
 * column, with solveSmall's arithmetic step for step (so the exact solver's
 * answers do not change by a bit); false when solveSmall would call it
 * singular. Writes column-major into out[o..o+4).
 */
function inverse2(g00: number, g01: number, g11: number, out: Float64Array, o: number): boolean {
  const scale = Math.max(Math.abs(g00), Math.abs(g01), Math.abs(g01), Math.abs(g11));
  if (scale === 0) return false;
  const swap = Math.abs(g01) > Math.abs(g00);
  // Rows after the pivot swap: [[p0, p2], [q0, q2]].
  const p0 = swap ? g01 : g00;
  const p2 = swap ? g11 : g01;
  const q0 = swap ? g00 : g01;
  let q2 = swap ? g01 : g11;
  if (Math.abs(p0) <= 1e-12 * scale) return false;
  const f = q0 / p0;
  if (f !== 0) q2 -= f * p2;
  if (Math.abs(q2) <= 1e-12 * scale) return false;
  for (let c = 0; c < 2; c++) {
    let y0 = c === 0 ? 1 : 0;
    let y1 = c === 0 ? 0 : 1;
    if (swap) [y0, y1] = [y1, y0];
    if (f !== 0) y1 -= f * y0;
    y1 = y1 / q2;
    y0 = (y0 - p2 * y1) / p0;
    out[o + 2 * c] = y0;
    out[o + 2 * c + 1] = y1;
  }
  return true;
}

/**
 * exactPlan for m = 2 without string keys or per-candidate allocations (it
 * runs once per learning step): the same candidates in the same order, and,
 * when asked, the dual polygon that cuts each point down to three of them.
 */
function exactPlan2D(P: Problem, withGeometry: boolean): ExactPlan {
  const { n, G, nonNegative } = P;
  const patterns = nonNegative ? 1 : 2;
  const K0 = supportCount(n, 2, nonNegative);
  const cDim = new Int32Array(K0);
  const cIdx = new Int32Array(K0 * 2);
  const cSgn = new Float64Array(K0 * 2);
  const cInv = new Float64Array(K0 * 4);
  // Candidate index of the single column i with sign pattern s (0: +, 1: −),
  // and of the pair i < k with pattern bits (bit a set: member a negative).
  const singleQ = new Int32Array(n * 2).fill(-1);
  const pairQ = new Int32Array(n * n * 4).fill(-1);
  let K = 0;
  for (let i = 0; i < n; i++) {
    const g = G[i * n + i]!;
    if (g === 0) continue;
    for (let pat = 0; pat < patterns; pat++) {
      cDim[K] = 1;
      cIdx[2 * K] = i;
      cSgn[2 * K] = pat === 0 ? 1 : -1;
      cInv[4 * K] = 1 / g;
      singleQ[2 * i + pat] = K;
      K++;
    }
  }
  const inv = new Float64Array(4);
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++) {
      if (!inverse2(G[i * n + i]!, G[k * n + i]!, G[k * n + k]!, inv, 0)) continue;
      for (let pat = 0; pat < patterns * patterns; pat++) {
        cDim[K] = 2;
        cIdx[2 * K] = i;
        cIdx[2 * K + 1] = k;
        cSgn[2 * K] = (pat & 1) === 0 ? 1 : -1;
        cSgn[2 * K + 1] = (pat & 2) === 0 ? 1 : -1;
        cInv.set(inv, 4 * K);
        pairQ[(i * n + k) * 4 + pat] = K;
        K++;
      }
    }
  }
  const plan: ExactPlan = { K, maxK: 2, cDim, cIdx, cSgn, cInv, geometry: null, scratch: new Float64Array(4) };
  if (withGeometry) plan.geometry = dualPolygon(P, plan, singleQ, pairQ);
  return plan;
}

/**
 * The edges of the dual polygon and their neighbours, from the m = 2 basis.
 * Null when the polygon's edge chain is inconsistent in floating point; the
 * caller then enumerates every support.
 */
function dualPolygon(P: Problem, plan: ExactPlan, singleQ: Int32Array, pairQ: Int32Array): DualPolygon | null {
  const { A, n, nonNegative } = P;
  const lam = P.lam / P.invS2; // σ²/b, the dual bound
  // Constraint u: g_uᵀ r ≤ λ with g_u = a_u (u < n) or −a_{u−n} (signed).
  const U = nonNegative ? n : 2 * n;
  const gx = new Float64Array(U);
  const gy = new Float64Array(U);
  for (let u = 0; u < U; u++) {
    const s = u < n ? 1 : -1;
    gx[u] = s * A[(u % n) * 2]!;
    gy[u] = s * A[(u % n) * 2 + 1]!;
  }
  // Where line u meets P: r(t) = o + t·w, o = λ g_u/‖g_u‖², w = g_u turned by
  // +90°; the constraints met at the ends are its neighbours. `live` marks
  // the constraints that count (all non-zero ones on the first pass).
  const prevOf = new Int32Array(U);
  const nextOf = new Int32Array(U);
  const live = new Uint8Array(U);
  const sweep = (u: number): boolean => {
    const ux = gx[u]!;
    const uy = gy[u]!;
    const nn = ux * ux + uy * uy;
    const ox = (lam * ux) / nn;
    const oy = (lam * uy) / nn;
    let lo = -Infinity;
    let hi = Infinity;
    let prev = -1;
    let next = -1;
    for (let v = 0; v < U; v++) {
      if (v === u || live[v] === 0) continue;
      const vx = gx[v]!;
      const vy = gy[v]!;
      const den = vy * ux - vx * uy; // g_v · w
      if (den > 0) {
        const t = (lam - (vx * ox + vy * oy)) / den;
        if (t < hi) { hi = t; next = v; }
      } else if (den < 0) {
        const t = (lam - (vx * ox + vy * oy)) / den;
        if (t > lo) { lo = t; prev = v; }
      } else if (vx * ux + vy * uy > 0) {
        // Parallel and facing the same way: the longer column's line is the
        // nearer one and hides the other; of two equal lines the first stays.
        const nv = vx * vx + vy * vy;
        if (nv > nn || (nv === nn && v < u)) return false;
      }
    }
    prevOf[u] = prev;
    nextOf[u] = next;
    return lo < hi;
  };
  for (let u = 0; u < U; u++) live[u] = gx[u] !== 0 || gy[u] !== 0 ? 1 : 0;
  const keep = new Uint8Array(U);
  for (let u = 0; u < U; u++) if (live[u] === 1 && sweep(u)) keep[u] = 1;
  live.set(keep);
  const edgeOf = new Int32Array(U).fill(-1);
  let H = 0;
  for (let u = 0; u < U; u++) if (live[u] === 1) edgeOf[u] = H++;
  const ax = new Float64Array(H);
  const ay = new Float64Array(H);
  const nx = new Float64Array(H);
  const ny = new Float64Array(H);
  const off = new Float64Array(H);
  const cands = new Int32Array(H * 3).fill(-1);
  const slots = new Int32Array(H * 6).fill(-1);
  for (let u = 0; u < U; u++) if (live[u] === 1) sweep(u);
  for (let u = 0; u < U; u++) {
    const e = edgeOf[u]!;
    if (e < 0) continue;
    const prev = prevOf[u]!;
    const next = nextOf[u]!;
    // The chain must agree from both sides, or rounding has made a mess.
    if ((prev >= 0 && nextOf[prev] !== u) || (next >= 0 && prevOf[next] !== u)) return null;
    const i = u % n;
    ax[e] = A[2 * i]!;
    ay[e] = A[2 * i + 1]!;
    const inv = 1 / Math.hypot(gx[u]!, gy[u]!);
    nx[e] = gx[u]! * inv;
    ny[e] = gy[u]! * inv;
    off[e] = lam * inv;
    // The edge alone, and its vertices with the previous and the next edge,
    // in enumeration order (ascending candidate index).
    let r = 0;
    const add = (q: number, s0: number, s1: number): void => {
      if (q < 0) return;
      let at = e * 3 + r++;
      cands[at] = q;
      slots[2 * at] = s0;
      slots[2 * at + 1] = s1;
      while (at > e * 3 && cands[at - 1]! > cands[at]!) {
        for (const [a, b] of [[cands, 1], [slots, 2]] as const) {
          for (let z = 0; z < b; z++) {
            const t = a[b * at + z]!;
            a[b * at + z] = a[b * (at - 1) + z]!;
            a[b * (at - 1) + z] = t;
          }
        }
        at--;
      }
    };
    add(singleQ[2 * i + (u < n ? 0 : 1)]!, e, -1);
    for (const v of [prev, next]) {
      if (v < 0 || v % n === i) continue;
      const [lo, hi] = i < v % n ? [u, v] : [v, u];
      const pat = (lo < n ? 0 : 1) | (hi < n ? 0 : 2);
      add(pairQ[((lo % n) * n + (hi % n)) * 4 + pat]!, edgeOf[lo]!, edgeOf[hi]!);
    }
  }
  // Each edge's candidates unpacked for the hot loop: dimension (0 = none),
  // the edges and signs of their columns, the inverse Gram block
  // (column-major) and the output rows.
  const { cDim, cIdx, cSgn, cInv } = plan;
  const N = 3 * H;
  const kDim = new Int32Array(N);
  const kE0 = new Int32Array(N);
  const kE1 = new Int32Array(N);
  const kS0 = new Float64Array(N);
  const kS1 = new Float64Array(N);
  const kI = new Float64Array(4 * N);
  const kC0 = new Int32Array(N);
  const kC1 = new Int32Array(N);
  for (let k = 0; k < N; k++) {
    const q = cands[k]!;
    if (q < 0) continue;
    kDim[k] = cDim[q]!;
    kE0[k] = slots[2 * k]!;
    kE1[k] = slots[2 * k + 1]!;
    kS0[k] = cSgn[2 * q]!;
    kS1[k] = cSgn[2 * q + 1]!;
    kC0[k] = cIdx[2 * q]!;
    kC1[k] = cIdx[2 * q + 1]!;
    for (let z = 0; z < 4; z++) kI[4 * k + z] = cInv[4 * q + z]!;
  }
  let twins = false;
  for (let u = 0; u < U; u++) {
    const e = edgeOf[u]!;
    const f = nextOf[u]! >= 0 ? edgeOf[nextOf[u]!]! : -1;
    if (e >= 0 && f >= 0 && nx[e]! * nx[f]! + ny[e]! * ny[f]! > 1 - 5e-13) twins = true;
  }
  return { H, ax, ay, nx, ny, off, kDim, kE0, kE1, kS0, kS1, kI, kC0, kC1, kQ: cands, twins };
}

/** Counters of the exact solver: how many points needed the full enumeration. */
export interface ExactStats {
  geometric: boolean;
  fallbackPoints: number;
}

function exactSources(P: Problem, enumerateAll = false, stats?: ExactStats): Float64Array {
  const plan = exactPlan(P, !enumerateAll);
  const geometry = plan.geometry;
  if (stats) {
    stats.geometric = geometry !== null;
    stats.fallbackPoints = 0;
  }
  const { n, p } = P;
  const S = new Float64Array(n * p);
  if (geometry === null) {
    const C = coefficients(P);
    for (let j = 0; j < p; j++) bestCandidate(P, plan, C, j * n, S, j * n);
    return S;
  }
  // m = 2: one scan over the polygon's edges finds the edge x lies farthest
  // beyond, and only that edge's candidates (itself and its two vertices) are
  // tried. Their arithmetic is the enumeration's, term for term, so both give
  // the same bits whenever they pick the same support.
  const { X } = P;
  const { H, ax, ay, nx, ny, off, kDim, kE0, kE1, kS0, kS1, kI, kC0, kC1, kQ, twins } = geometry;
  const shrink = P.lam / P.invS2; // σ²/b, the dual bound
  const inv2s2 = P.inv2s2;
  const halfLam = 0.5 * P.lam;
  const cAll = new Float64Array(n);
  /**
   * The rare path: the cheapest candidate of every edge at least `floor`
   * beyond, ties to the lower candidate index as in the enumeration, written
   * into S; failing that, every support (and false).
   */
  const solveNearTie = (j: number, x0: number, x1: number, floor: number): boolean => {
    let best = 0;
    let bestK = -1;
    let bestQ = Infinity;
    let v0 = 0;
    let v1 = 0;
    for (let h = 0; h < H; h++) {
      if (nx[h]! * x0 + ny[h]! * x1 - off[h]! < floor) continue;
      for (let k = 3 * h; k < 3 * h + 3; k++) {
        const d = kDim[k]!;
        if (d === 0) break;
        const c0 = ax[kE0[k]!]! * x0 + ay[kE0[k]!]! * x1;
        const s0 = kS0[k]!;
        let a0: number;
        let a1 = 0;
        let obj: number;
        if (d === 1) {
          a0 = kI[4 * k]! * (c0 - shrink * s0);
          if (!(a0 * s0 > 0)) continue;
          obj = -(a0 * c0) * inv2s2 + halfLam * Math.abs(a0);
        } else {
          const c1 = ax[kE1[k]!]! * x0 + ay[kE1[k]!]! * x1;
          const s1 = kS1[k]!;
          const t0 = c0 - shrink * s0;
          const t1 = c1 - shrink * s1;
          a0 = kI[4 * k]! * t0 + kI[4 * k + 2]! * t1;
          if (!(a0 * s0 > 0)) continue;
          a1 = kI[4 * k + 1]! * t0 + kI[4 * k + 3]! * t1;
          if (!(a1 * s1 > 0)) continue;
          obj = -(a0 * c0 + a1 * c1) * inv2s2 + halfLam * (Math.abs(a0) + Math.abs(a1));
        }
        if (obj < best || (obj === best && bestK >= 0 && kQ[k]! < bestQ)) {
          best = obj;
          bestK = k;
          bestQ = kQ[k]!;
          v0 = a0;
          v1 = a1;
        }
      }
    }
    if (bestK >= 0) {
      S[j * n + kC0[bestK]!] = v0;
      if (kDim[bestK] === 2) S[j * n + kC1[bestK]!] = v1;
      return true;
    }
    for (let i = 0; i < n; i++) cAll[i] = P.A[2 * i]! * x0 + P.A[2 * i + 1]! * x1;
    bestCandidate(P, plan, cAll, 0, S, j * n);
    return false;
  };
  let fallback = 0;
  for (let j = 0; j < p; j++) {
    const x0 = X[2 * j]!;
    const x1 = X[2 * j + 1]!;
    let far = 0;
    let e = -1;
    if (!twins) {
      for (let h = 0; h < H; h++) {
        const dist = nx[h]! * x0 + ny[h]! * x1 - off[h]!;
        if (dist > far) {
          far = dist;
          e = h;
        }
      }
      if (e < 0) continue; // inside the polygon: ŝ = 0
    } else {
      // Twin edges (columns parallel to 6 digits) lie at nearly the same
      // distance from every point, and which one is farther can be down to
      // rounding: when the two farthest are that close, try the candidates
      // of every edge that close.
      let second = 0;
      for (let h = 0; h < H; h++) {
        const dist = nx[h]! * x0 + ny[h]! * x1 - off[h]!;
        if (dist > far) {
          second = far;
          far = dist;
          e = h;
        } else if (dist > second) second = dist;
      }
      if (e < 0) continue;
      const tol = 1e-10 * (Math.abs(x0) + Math.abs(x1) + off[e]!);
      if (far - second <= tol) {
        if (!solveNearTie(j, x0, x1, far - tol)) fallback++;
        continue;
      }
    }
    // The edge's (at most) three candidates, in enumeration order, so that
    // ties go the same way as when every support is tried.
    let best = 0;
    let bestK = -1;
    let v0 = 0;
    let v1 = 0;
    for (let k = 3 * e; k < 3 * e + 3; k++) {
      const d = kDim[k]!;
      if (d === 0) break;
      const e0 = kE0[k]!;
      const c0 = ax[e0]! * x0 + ay[e0]! * x1;
      const s0 = kS0[k]!;
      if (d === 1) {
        const a0 = kI[4 * k]! * (c0 - shrink * s0);
        if (!(a0 * s0 > 0)) continue;
        const obj = -(a0 * c0) * inv2s2 + halfLam * Math.abs(a0);
        if (obj < best) {
          best = obj;
          bestK = k;
          v0 = a0;
        }
      } else {
        const e1 = kE1[k]!;
        const c1 = ax[e1]! * x0 + ay[e1]! * x1;
        const s1 = kS1[k]!;
        const t0 = c0 - shrink * s0;
        const t1 = c1 - shrink * s1;
        const a0 = kI[4 * k]! * t0 + kI[4 * k + 2]! * t1;
        if (!(a0 * s0 > 0)) continue;
        const a1 = kI[4 * k + 1]! * t0 + kI[4 * k + 3]! * t1;
        if (!(a1 * s1 > 0)) continue;
        const obj = -(a0 * c0 + a1 * c1) * inv2s2 + halfLam * (Math.abs(a0) + Math.abs(a1));
        if (obj < best) {
          best = obj;
          bestK = k;
          v0 = a0;
          v1 = a1;
        }
      }
    }
    if (bestK >= 0) {
      S[j * n + kC0[bestK]!] = v0;
      if (kDim[bestK] === 2) S[j * n + kC1[bestK]!] = v1;
      continue;
    }
    // Rounding left none of them standing (never seen in the tests): try every support.
    fallback++;
    for (let i = 0; i < n; i++) cAll[i] = P.A[2 * i]! * x0 + P.A[2 * i + 1]! * x1;
    bestCandidate(P, plan, cAll, 0, S, j * n);
  }
  if (stats) stats.fallbackPoints = fallback;
  return S;
}

/**
 * Tries every candidate support for the point whose AᵀX column starts at
 * C[off], and writes the cheapest feasible one into S[out..out+n).
 * At a stationary point of support T, G_T s_T = c_T − (σ²/b)·sgn_T, so
 * L = (‖x‖² − s_Tᵀ c_T)/(2σ²) + ‖s_T‖₁/(2b): O(|T|) per candidate.
 * Comparing on L − ‖x‖²/(2σ²) leaves the empty support at 0.
 */
function bestCandidate(P: Problem, plan: ExactPlan, C: Float64Array, off: number, S: Float64Array, out: number): void {
  const { K, maxK, cDim, cIdx, cSgn, cInv } = plan;
  const shrink = P.lam / P.invS2;
  let best = 0;
  let bestQ = -1;
  const v = plan.scratch.subarray(0, maxK);
  const bestV = plan.scratch.subarray(maxK, 2 * maxK);
  for (let q = 0; q < K; q++) {
    const d = cDim[q]!;
    const base = q * maxK;
    const ib = base * maxK;
    let ok = true;
    let sc = 0;
    let l1 = 0;
    for (let a = 0; a < d; a++) {
      let acc = 0;
      for (let c = 0; c < d; c++) acc += cInv[ib + c * d + a]! * (C[off + cIdx[base + c]!]! - shrink * cSgn[base + c]!);
      if (!(acc * cSgn[base + a]! > 0)) {
        ok = false;
        break;
      }
      v[a] = acc;
      sc += acc * C[off + cIdx[base + a]!]!;
      l1 += Math.abs(acc);
    }
    if (!ok) continue;
    const obj = -sc * P.inv2s2 + 0.5 * l1 * P.lam;
    if (obj < best) {
      best = obj;
      bestQ = q;
      for (let a = 0; a < d; a++) bestV[a] = v[a]!;
    }
  }
  if (bestQ >= 0) {
    for (let a = 0; a < cDim[bestQ]!; a++) S[out + cIdx[bestQ * maxK + a]!] = bestV[a]!;
  }
}

/**
 * Proximal gradient on all points at once. 'gradient' is the blog's update
 * s ← ReLU(s − η∇L) (ISTA; soft-thresholding in the signed case); 'fista'
 * adds Nesterov momentum (Beck & Teboulle 2009) with a per-point adaptive
 * restart (O'Donoghue & Candès 2015).
 */
function solveIterative(
  P: Problem,
  method: "gradient" | "fista",
  lipschitz: number,
  opts: InferenceOptions,
): InferenceResult {
  const { A, X, m, n, p, invS2, lam, nonNegative } = P;
  const maxIter = opts.maxIter ?? 5000;
  const tol = opts.tol ?? 1e-12;
  if (!Number.isInteger(maxIter) || maxIter < 0) {
    throw new RangeError(`maxIter must be an integer ≥ 0, got ${String(maxIter)}`);
  }
  if (typeof tol !== "number" || !Number.isFinite(tol) || tol < 0) {
    throw new RangeError(`tol must be a finite number ≥ 0, got ${String(tol)}`);
  }
  const guard = opts.guard ?? true;
  const safe = lipschitz > 0 ? 1 / lipschitz : 1;
  let step = safe;
  let stepGuarded = false;
  if (opts.step !== undefined) {
    requirePositive("step", opts.step);
    step = opts.step;
    if (guard && step > (method === "gradient" ? 2 * safe * (1 - 1e-9) : safe)) {
      step = safe;
      stepGuarded = true;
    }
  }
  let S: Float64Array = new Float64Array(n * p);
  if (opts.S0 !== undefined) {
    checkMatrix("S0", opts.S0, { rows: n, cols: p });
    S = toColMajor(opts.S0);
    if (nonNegative) for (let i = 0; i < S.length; i++) S[i] = Math.max(0, S[i]!);
  }
  const traceOpt = opts.trace;
  const every = typeof traceOpt === "object" ? Math.max(1, Math.floor(traceOpt.every ?? 1)) : 1;
  const keepIterates = typeof traceOpt === "object" && traceOpt.iterates === true;
  const trace: InferenceTrace | undefined = traceOpt ? { objective: [], iterates: [], iterations: [] } : undefined;
  const record = (it: number, cur: Float64Array, obj: number): void => {
    if (!trace) return;
    trace.objective.push(obj);
    if (keepIterates && it % every === 0) {
      trace.iterates.push(fromColMajor(cur, n, p));
      trace.iterations.push(it);
    }
  };

  const thr = step * lam;
  const prev = new Float64Array(S);
  const Y = new Float64Array(S);
  const t = new Float64Array(p).fill(1);
  const r = new Float64Array(m);
  // Best iterate so far, copied into one buffer rather than reallocated. Only
  // a step beyond the convergent range can blow up; otherwise a (numerically
  // impossible) blow-up falls back on the previous, still finite, iterate.
  const limit = method === "gradient" ? 2 * safe * (1 - 1e-9) : safe;
  const trackBest = !(step <= limit);
  const best = trackBest ? new Float64Array(S) : prev;
  const start = totalObjective(P, S);
  let bestObj = start;
  record(0, S, start);
  let diverged: Divergence | null = null;
  let converged = false;
  let it = 0;
  while (it < maxIter) {
    it++;
    let moved = 0;
    let scale = 1;
    const base = method === "fista" ? Y : S;
    let obj = 0;
    for (let j = 0; j < p; j++) {
      const o = j * n;
      // ∇ = −Aᵀ(x − A·base)/σ², through the residual: O(nm) instead of
      // O(n²), and the zero sources (most of them) cost nothing.
      let r0 = X[j * m]!;
      let r1 = m === 2 ? X[j * m + 1]! : 0;
      if (m === 2) {
        for (let i = 0; i < n; i++) {
          const y = base[o + i]!;
          if (y !== 0) {
            r0 -= A[2 * i]! * y;
            r1 -= A[2 * i + 1]! * y;
          }
        }
      } else {
        for (let k = 0; k < m; k++) r[k] = X[j * m + k]!;
        for (let i = 0; i < n; i++) {
          const y = base[o + i]!;
          if (y !== 0) for (let k = 0; k < m; k++) r[k] -= A[i * m + k]! * y;
        }
      }
      // The proximal step, and the new iterate's residual and ‖s‖₁ on the way.
      let n0 = X[j * m]!;
      let n1 = m === 2 ? X[j * m + 1]! : 0;
      let l1 = 0;
      let dot = 0; // (y − s)·(s − s_prev), for the FISTA restart test
      for (let i = 0; i < n; i++) {
        let g: number;
        if (m === 2) g = -(A[2 * i]! * r0 + A[2 * i + 1]! * r1) * invS2;
        else {
          let acc = 0;
          for (let k = 0; k < m; k++) acc += A[i * m + k]! * r[k]!;
          g = -acc * invS2;
        }
        const old = S[o + i]!;
        prev[o + i] = old;
        const v = base[o + i]! - step * g;
        let s: number;
        if (nonNegative) s = v > thr ? v - thr : 0;
        else s = v > thr ? v - thr : v < -thr ? v + thr : 0;
        S[o + i] = s;
        const d = Math.abs(s - old);
        if (d > moved) moved = d;
        dot += (base[o + i]! - s) * (s - old);
        const a = Math.abs(s);
        if (a > scale) scale = a;
        if (m === 2 && s !== 0) {
          n0 -= A[2 * i]! * s;
          n1 -= A[2 * i + 1]! * s;
        }
        l1 += a;
      }
      // L(s) of the new iterate, summed in the order totalObjective uses.
      obj += m === 2 ? (n0 * n0 + n1 * n1) * P.inv2s2 + l1 * lam : pointObjective(P, S, j);
      if (method === "fista") {
        // Restart momentum when it points against the latest step.
        let tj = t[j]!;
        if (dot > 0) tj = 1;
        const tn = (1 + Math.sqrt(1 + 4 * tj * tj)) / 2;
        const beta = (tj - 1) / tn;
        t[j] = tn;
        for (let i = 0; i < n; i++) Y[o + i] = S[o + i]! + beta * (S[o + i]! - prev[o + i]!);
      }
    }
    if (!Number.isFinite(obj) || obj > 1e8 * (start + 1)) {
      diverged = {
        iteration: it,
        reason: Number.isFinite(obj)
          ? `objective grew from ${start.toPrecision(4)} to ${obj.toPrecision(4)} (step η=${step.toPrecision(4)} against 2/L=${(2 * safe).toPrecision(4)})`
          : `objective became non-finite (step η=${step.toPrecision(4)} against 2/L=${(2 * safe).toPrecision(4)})`,
      };
      break;
    }
    record(it, S, obj);
    if (trackBest && obj < bestObj) {
      bestObj = obj;
      best.set(S);
    }
    if (tol > 0 && moved <= tol * scale) {
      converged = true;
      break;
    }
  }
  if (keepIterates && trace && trace.iterations[trace.iterations.length - 1] !== it && !diverged) {
    trace.iterates.push(fromColMajor(S, n, p));
    trace.iterations.push(it);
  }
  // A diverged run returns its best iterate, never the blown-up one. A
  // converged one returns its last, which is the best up to rounding.
  const out = diverged ? best : S;
  return finish(
    P,
    out,
    { method, iterations: it, converged, lipschitz, step, stepGuarded, diverged },
    trace,
  );
}
