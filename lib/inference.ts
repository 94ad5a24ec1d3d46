// MAP inference of the sources for a fixed basis (blog E2; the first half of
// each learning step in Lewicki & Sejnowski 2000). For every data point x we
// minimise
//     L(s) = ‖x − A s‖² / (2σ²) + ‖s‖₁ / b,      with s ≥ 0 when nonNegative,
// which is −log P(s | x, A) up to a constant for Gaussian noise of standard
// deviation σ and a Laplace (or one-sided exponential) prior of scale b.
import { requirePositive } from "./random";
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
  /** Stop when no coefficient moves by more than tol·max(1, ‖s‖∞). Default 1e-12. */
  tol?: number;
  /** Step size η. Default 1/L with L = ‖A‖₂²/σ², the gradient's Lipschitz constant. */
  step?: number;
  /**
   * Keep η in the range where the method provably converges (η < 2/L for
   * 'gradient', η ≤ 1/L for 'fista'); a larger step is replaced by 1/L and
   * reported. Default true. Set false to watch an unsafe step misbehave.
   */
  guard?: boolean;
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
  C: Float64Array; // AᵀX, n×p column-major
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
    C: multiplyAtX(Ab, Xb, m, n, p),
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
  if (method === "exact") return solveExact(prob, lipschitz);
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
 */
function pointKkt(P: Problem, S: Float64Array, j: number): number {
  const { G, C, n, invS2, lam, nonNegative } = P;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let g = -C[j * n + i]!;
    for (let k = 0; k < n; k++) g += G[k * n + i]! * S[j * n + k]!;
    g *= invS2;
    const s = S[j * n + i]!;
    let v: number;
    if (s > 0) v = Math.abs(g + lam);
    else if (s < 0) v = nonNegative ? Math.max(-s, Math.abs(g - lam)) : Math.abs(g - lam);
    else v = nonNegative ? Math.max(0, -g - lam) : Math.max(0, Math.abs(g) - lam);
    if (v > worst) worst = v;
  }
  return worst;
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
  for (let j = 0; j < P.p; j++) worst = Math.max(worst, pointKkt(P, Sb, j));
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
  const objective: number[] = [];
  let kkt = 0;
  for (let j = 0; j < P.p; j++) {
    objective.push(pointObjective(P, S, j));
    kkt = Math.max(kkt, pointKkt(P, S, j));
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
 * is the global minimum. The KKT residual then certifies it.
 */
function solveExact(P: Problem, lipschitz: number): InferenceResult {
  return finish(P, exactSources(P), {
    method: "exact",
    iterations: 0,
    converged: true,
    lipschitz,
    step: Number.NaN,
    stepGuarded: false,
    diverged: null,
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
  o: { sigma: number; b: number; nonNegative: boolean },
): Float64Array | null {
  if (supportCount(n, m, o.nonNegative) > EXACT_DEFAULT_LIMIT) return null;
  return exactSources({
    A, X, G: gram(A, m, n), C: multiplyAtX(A, X, m, n, p), m, n, p,
    inv2s2: 1 / (2 * o.sigma * o.sigma), invS2: 1 / (o.sigma * o.sigma), lam: 1 / o.b, nonNegative: o.nonNegative,
  });
}

function exactSources(P: Problem): Float64Array {
  const { n, m, p, G, C, nonNegative } = P;
  const count = supportCount(n, m, nonNegative);
  if (count > MAX_SUPPORTS) {
    throw new RangeError(
      `method 'exact' would enumerate ${count} supports for m=${m}, n=${n}; use 'fista' for problems this large`,
    );
  }
  // Candidate = support indices, signs, and s_T = base + Cᵀ-dependent part.
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

  // Flattened candidates for the hot loop: support, signs, inverse block.
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
  const S = new Float64Array(n * p);
  const v = new Float64Array(maxK);
  const bestV = new Float64Array(maxK);
  const shrink = P.lam / P.invS2; // σ²/b
  for (let j = 0; j < p; j++) {
    // At a stationary point of support T, G_T s_T = c_T − (σ²/b)·sgn_T, so
    // L = (‖x‖² − s_Tᵀ c_T)/(2σ²) + ‖s_T‖₁/(2b): O(|T|) per candidate.
    // Comparing on L − ‖x‖²/(2σ²) leaves the empty support at 0.
    let best = 0;
    let bestQ = -1;
    for (let q = 0; q < K; q++) {
      const d = cDim[q]!;
      const base = q * maxK;
      const ib = base * maxK;
      let ok = true;
      let sc = 0;
      let l1 = 0;
      for (let a = 0; a < d; a++) {
        let acc = 0;
        for (let c = 0; c < d; c++) acc += cInv[ib + c * d + a]! * (C[j * n + cIdx[base + c]!]! - shrink * cSgn[base + c]!);
        if (!(acc * cSgn[base + a]! > 0)) {
          ok = false;
          break;
        }
        v[a] = acc;
        sc += acc * C[j * n + cIdx[base + a]!]!;
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
      for (let a = 0; a < cDim[bestQ]!; a++) S[j * n + cIdx[bestQ * maxK + a]!] = bestV[a]!;
    }
  }
  return S;
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
  const { n, p, G, C, invS2, lam, nonNegative } = P;
  const maxIter = opts.maxIter ?? 5000;
  const tol = opts.tol ?? 1e-12;
  if (!Number.isInteger(maxIter) || maxIter < 0) {
    throw new RangeError(`maxIter must be an integer ≥ 0, got ${String(maxIter)}`);
  }
  requirePositive("tol", tol);
  const guard = opts.guard ?? true;
  const safe = lipschitz > 0 ? 1 / lipschitz : 1;
  let step = safe;
  let stepGuarded = false;
  if (opts.step !== undefined) {
    requirePositive("step", opts.step);
    step = opts.step;
    const limit = method === "gradient" ? 2 * safe * (1 - 1e-9) : safe;
    if (guard && step > limit) {
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
  const grad = new Float64Array(n);
  // Best iterate so far, copied into one buffer rather than reallocated.
  const best = new Float64Array(S);
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
    for (let j = 0; j < p; j++) {
      const o = j * n;
      const base = method === "fista" ? Y : S;
      for (let i = 0; i < n; i++) {
        let g = -C[o + i]!;
        for (let k = 0; k < n; k++) g += G[k * n + i]! * base[o + k]!;
        grad[i] = g * invS2;
      }
      for (let i = 0; i < n; i++) {
        prev[o + i] = S[o + i]!;
        const v = base[o + i]! - step * grad[i]!;
        let s: number;
        if (nonNegative) s = v > thr ? v - thr : 0;
        else s = v > thr ? v - thr : v < -thr ? v + thr : 0;
        S[o + i] = s;
        moved = Math.max(moved, Math.abs(s - prev[o + i]!));
        scale = Math.max(scale, Math.abs(s));
      }
      if (method === "fista") {
        // Restart momentum when it points against the latest step.
        let dot = 0;
        for (let i = 0; i < n; i++) dot += (Y[o + i]! - S[o + i]!) * (S[o + i]! - prev[o + i]!);
        let tj = t[j]!;
        if (dot > 0) tj = 1;
        const tn = (1 + Math.sqrt(1 + 4 * tj * tj)) / 2;
        const beta = (tj - 1) / tn;
        t[j] = tn;
        for (let i = 0; i < n; i++) Y[o + i] = S[o + i]! + beta * (S[o + i]! - prev[o + i]!);
      }
    }
    const obj = totalObjective(P, S);
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
    if (obj < bestObj) {
      bestObj = obj;
      best.set(S);
    }
    if (moved <= tol * scale) {
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
