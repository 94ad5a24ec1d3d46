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
// P ≈ −10⁴) keep full relative precision. Configurations where the split is
// singular (two parallel columns, or three column tips on one line: c_ij
// infinite) are handled by averaging the likelihood at the basis turned by
// ±1e-4 rad column by column (an O(δ²) = 1e-8 relative error); a basis whose
// columns are all parallel (rank 1) has its own exact one-dimensional form.
import { declareOptions } from "../options";
import { type Matrix } from "../linalg";
import { fromRows, mat, type Mat } from "../matrix";
import { MODEL_OPTIONS, type Model } from "../model";
import { logBvnFrom, logPhi, logPhiPair, type LogBvn, type LogPhiPair } from "./normal";

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
  /** How the value was computed: 'pairs' (the split), 'turned' (the ±δ average at a singular split) or 'rank-1'. */
  method: "pairs" | "turned" | "rank-1";
}

/**
 * The exact mean log-likelihood (1/p) Σ_j log P(x_j | A) for m = 2, any
 * number of columns, both priors; relative accuracy ~1e-12 per point (tests),
 * 1e-8 where the split is singular. Throws, naming the parameter, on a
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
  method: "pairs" | "turned" | "rank-1";
}

/** Turning angle of the singular-split fallback. */
const TURN = 1e-4;
/** A split is treated as singular below this |sin∠| of a pair, or this |1 − wᵀa_k| relative to its terms. */
const SINGULAR = 1e-7;

/**
 * The workhorse on internal matrices: totals, per-point values, and (when
 * asked) the summed gradient and the per-point scores.
 */
export function exactLogLikelihood(A: Mat, X: Mat, model: Model, gradient: boolean, scores = false): Exact {
  const cols: number[] = [];
  let maxNorm = 0;
  for (let i = 0; i < A.cols; i++) maxNorm = Math.max(maxNorm, Math.hypot(A.data[2 * i]!, A.data[2 * i + 1]!));
  if (!(maxNorm > 0)) throw new RangeError("logLikelihood: A is zero; every column has length 0, so x = ε and the basis has no direction to score");
  // A zero column adds s·0 to y: it has no effect on the likelihood.
  for (let i = 0; i < A.cols; i++) if (Math.hypot(A.data[2 * i]!, A.data[2 * i + 1]!) > 0) cols.push(i);
  const rank1 = cols.every((i) => Math.abs(cross(A, cols[0]!, i)) <= 1e-12 * norm(A, cols[0]!) * norm(A, i));
  if (rank1) {
    if (gradient || scores) {
      throw new RangeError("logLikelihood: every column of A is parallel (rank 1); the value is exact there, but the gradient is not defined by this module: pass gradient: false");
    }
    return { ...rank1Likelihood(A, cols, X, model), grad: null, scores: null, method: "rank-1" };
  }
  const pairs = splitPairs(A, cols, model);
  if (pairs !== null) return pairLikelihood(A, cols, pairs, X, model, gradient, scores, "pairs");
  // Singular split: average P at the basis turned by ±δ (a different small
  // turn per column, so that duplicates separate), in probability space.
  const turned = (sign: number): Exact => {
    const B = mat(2, A.cols, new Float64Array(A.data));
    for (let i = 0; i < A.cols; i++) {
      const t = sign * TURN * (((i + 1) * 0.6180339887498949) % 1 + 0.5);
      const c = Math.cos(t), s = Math.sin(t);
      const x = A.data[2 * i]!, y = A.data[2 * i + 1]!;
      B.data[2 * i] = c * x - s * y;
      B.data[2 * i + 1] = s * x + c * y;
    }
    const split = splitPairs(B, cols, model);
    if (split === null) throw new RangeError("logLikelihood: the pair split stays singular after turning A's columns by 1e-4 rad; report this basis");
    return pairLikelihood(B, cols, split, X, model, gradient, scores, "turned");
  };
  const plus = turned(1);
  const minus = turned(-1);
  const p = X.cols;
  const perPoint = new Float64Array(p);
  const grad = gradient ? new Float64Array(2 * A.cols) : null;
  const sc = scores ? new Float64Array(p * 2 * A.cols) : null;
  let total = 0;
  for (let j = 0; j < p; j++) {
    const a = plus.perPoint[j]!, b = minus.perPoint[j]!;
    const mx = Math.max(a, b);
    const wa = Math.exp(a - mx), wb = Math.exp(b - mx);
    perPoint[j] = mx + Math.log(0.5 * (wa + wb));
    total += perPoint[j]!;
    if (sc) for (let q = 0; q < 2 * A.cols; q++) sc[j * 2 * A.cols + q] = (wa * plus.scores![j * 2 * A.cols + q]! + wb * minus.scores![j * 2 * A.cols + q]!) / (wa + wb);
  }
  // The mean gradient of the average: weighted per point; without the scores,
  // the two gradients' plain average (equal weights to O(δ)).
  if (grad) for (let q = 0; q < grad.length; q++) grad[q] = 0.5 * (plus.grad![q]! + minus.grad![q]!);
  return { total, perPoint, grad, scores: sc, method: "turned" };
}

function norm(A: Mat, i: number): number {
  return Math.hypot(A.data[2 * i]!, A.data[2 * i + 1]!);
}

function cross(A: Mat, i: number, j: number): number {
  return A.data[2 * i]! * A.data[2 * j + 1]! - A.data[2 * i + 1]! * A.data[2 * j]!;
}

/** One term of the split: the columns (with signs) of a complete pair and its constants. */
interface Pair {
  i: number;
  j: number;
  ei: number;
  ej: number;
  /** The pair's columns a = ei·a_i, b = ej·a_j. */
  a0: number; a1: number; b0: number; b1: number;
  det: number;
  w0: number; w1: number;
  na0: number; na1: number; nb0: number; nb1: number;
  rho: number;
  /** log|c| + the x-free part of log P(x|B). */
  constant: number;
  sign: number;
}

/** The pairs of the split, or null where it is singular. */
function splitPairs(A: Mat, cols: number[], model: Model): Pair[] | null {
  const laplace = model.prior === "laplace";
  const b = model.b;
  const s2 = model.sigma * model.sigma;
  const signs = laplace ? [[1, 1], [1, -1], [-1, 1], [-1, -1]] : [[1, 1]];
  const out: Pair[] = [];
  for (let x = 0; x < cols.length; x++) {
    for (let y = x + 1; y < cols.length; y++) {
      const i = cols[x]!, j = cols[y]!;
      const ni = norm(A, i), nj = norm(A, j);
      if (Math.abs(cross(A, i, j)) <= SINGULAR * ni * nj) return null;
      for (const [ei, ej] of signs) {
        const a0 = ei! * A.data[2 * i]!, a1 = ei! * A.data[2 * i + 1]!;
        const b0 = ej! * A.data[2 * j]!, b1 = ej! * A.data[2 * j + 1]!;
        const det = a0 * b1 - a1 * b0;
        const w0 = (b1 - a1) / det, w1 = (a0 - b0) / det;
        let logC = laplace ? Math.log(0.25) : 0;
        let sign = 1;
        const wn = Math.hypot(w0, w1);
        for (const k of cols) {
          if (k === i || k === j) continue;
          const t = w0 * A.data[2 * k]! + w1 * A.data[2 * k + 1]!;
          const f = laplace ? (1 - t) * (1 + t) : 1 - t;
          if (Math.abs(laplace ? Math.min(Math.abs(1 - t), Math.abs(1 + t)) : f) <= SINGULAR * (1 + wn * norm(A, k))) return null;
          logC -= Math.log(Math.abs(f));
          if (f < 0) sign = -sign;
        }
        const sd = det > 0 ? 1 : -1;
        const la = Math.hypot(a0, a1), lb = Math.hypot(b0, b1);
        const na0 = (sd * -a1) / la, na1 = (sd * a0) / la;
        const nb0 = (sd * b1) / lb, nb1 = (sd * -b0) / lb;
        out.push({
          i, j, ei: ei!, ej: ej!, a0, a1, b0, b1, det, w0, w1, na0, na1, nb0, nb1,
          rho: na0 * nb0 + na1 * nb1,
          constant: logC - 2 * Math.log(b) - Math.log(Math.abs(det)) + (s2 * (w0 * w0 + w1 * w1)) / (2 * b * b),
          sign,
        });
      }
    }
  }
  return out;
}

/** log of (Σ signed terms): the terms' logs in `L`, their signs in `S`. */
function signedLogSum(L: Float64Array, S: Int8Array, count: number): { value: number; max: number } {
  let max = -Infinity;
  for (let q = 0; q < count; q++) if (L[q]! > max) max = L[q]!;
  let sum = 0;
  for (let q = 0; q < count; q++) sum += S[q]! * Math.exp(L[q]! - max);
  return { value: max + Math.log(sum), max };
}

function pairLikelihood(
  A: Mat, cols: number[], pairs: Pair[], X: Mat, model: Model, gradient: boolean, scores: boolean, method: "pairs" | "turned",
): Exact {
  const { sigma, b } = model;
  const laplace = model.prior === "laplace";
  const p = X.cols, n = A.cols, P = pairs.length;
  const perPoint = new Float64Array(p);
  const grad = gradient ? new Float64Array(2 * n) : null;
  const sc = scores ? new Float64Array(p * 2 * n) : null;
  const L = new Float64Array(P);
  const S = new Int8Array(P);
  const bvn: LogBvn[] = pairs.map(() => ({ value: 0, dh: 0, dk: 0, drho: 0 }));
  const H = new Float64Array(P), K = new Float64Array(P), M0 = new Float64Array(P), M1 = new Float64Array(P);
  const bound = new Float64Array(P);
  // log Φ(±h), log Φ(±k) of each term, from one erfcx each.
  const LH = new Float64Array(P), LNH = new Float64Array(P), LK = new Float64Array(P), LNK = new Float64Array(P);
  const pp: LogPhiPair = { lower: 0, upper: 0 };
  const order = new Int32Array(P);
  const idx = new Int32Array(P);
  const done = new Uint8Array(P);
  const g = new Float64Array(2 * n);
  const f = sigma * sigma / b;
  const full = (q: number, count: number): void => {
    const t = pairs[q]!;
    const d = logBvnFrom(H[q]!, K[q]!, t.rho, LH[q]!, LNH[q]!, LK[q]!, LNK[q]!, bvn[q]!);
    L[count] = bound[q]! - Math.min(LH[q]!, LK[q]!) + d.value;
    S[count] = t.sign;
    idx[count] = q;
    done[q] = 1;
  };
  let total = 0;
  for (let j = 0; j < p; j++) {
    const x0 = X.data[2 * j]!, x1 = X.data[2 * j + 1]!;
    // Cheap upper bounds first (Φ₂ ≤ min(Φ(h), Φ(k))); the orthant
    // probability is computed in full only for terms that can matter.
    for (let q = 0; q < P; q++) {
      const t = pairs[q]!;
      const m0 = x0 - f * t.w0, m1 = x1 - f * t.w1;
      M0[q] = m0; M1[q] = m1;
      const h = (t.na0 * m0 + t.na1 * m1) / sigma, k = (t.nb0 * m0 + t.nb1 * m1) / sigma;
      H[q] = h; K[q] = k;
      logPhiPair(h, pp); LH[q] = pp.lower; LNH[q] = pp.upper;
      logPhiPair(k, pp); LK[q] = pp.lower; LNK[q] = pp.upper;
      bound[q] = t.constant - (t.w0 * x0 + t.w1 * x1) / b + Math.min(pp.lower, LH[q]!);
      done[q] = 0;
      // Insertion sort, largest bound first (ties keep index order, as a stable sort does).
      let at = q;
      while (at > 0 && bound[order[at - 1]!]! < bound[q]!) {
        order[at] = order[at - 1]!;
        at--;
      }
      order[at] = q;
    }
    let best = -Infinity;
    let count = 0;
    for (let o = 0; o < P; o++) {
      const q = order[o]!;
      if (bound[q]! < best - 45) break;
      full(q, count);
      if (L[count]! > best) best = L[count]!;
      count++;
    }
    let { value } = signedLogSum(L, S, count);
    if (count < P && !(value > best - 20)) {
      // Cancellation: the skipped terms could matter; take them all.
      for (let q = 0; q < P; q++) {
        if (done[q]) continue;
        full(q, count);
        count++;
      }
      value = signedLogSum(L, S, count).value;
    }
    if (!Number.isFinite(value)) {
      throw new RangeError(`logLikelihood: the pair split lost all precision at point ${j} (x = [${x0}, ${x1}]); the basis is too close to a singular split`);
    }
    perPoint[j] = value;
    total += value;
    if (!grad && !sc) continue;
    g.fill(0);
    for (let c = 0; c < count; c++) {
      const weight = S[c]! * Math.exp(L[c]! - value);
      if (weight === 0) continue;
      const q = idx[c]!;
      addTermGradient(A, cols, pairs[q]!, bvn[q]!, M0[q]!, M1[q]!, model, laplace, weight, g);
    }
    if (grad) for (let q = 0; q < 2 * n; q++) grad[q] += g[q]!;
    if (sc) sc.set(g, j * 2 * n);
  }
  return { total, perPoint, grad, scores: sc, method };
}

/**
 * weight × ∂ log T/∂A for one term T = c·P(x|B), added into g (2×n, column-major).
 * See the header for the chain: through w (the exponent, μ and c), the edge
 * normals, ρ, and log|det B|.
 */
function addTermGradient(
  A: Mat, cols: number[], t: Pair, d: LogBvn, m0: number, m1: number, model: Model, laplace: boolean, weight: number, g: Float64Array,
): void {
  const { sigma, b } = model;
  // ∂/∂w from the exponent and μ: −μ/b − (σ/b)(G_h n_a + G_k n_b).
  let gw0 = -m0 / b - (sigma / b) * (d.dh * t.na0 + d.dk * t.nb0);
  let gw1 = -m1 / b - (sigma / b) * (d.dh * t.na1 + d.dk * t.nb1);
  // ∂ log|c| through w and through the other columns.
  for (const k of cols) {
    if (k === t.i || k === t.j) continue;
    const ak0 = A.data[2 * k]!, ak1 = A.data[2 * k + 1]!;
    const u = t.w0 * ak0 + t.w1 * ak1;
    const coef = laplace ? (2 * u) / ((1 - u) * (1 + u)) : 1 / (1 - u);
    gw0 += coef * ak0;
    gw1 += coef * ak1;
    g[2 * k] += weight * coef * t.w0;
    g[2 * k + 1] += weight * coef * t.w1;
  }
  // ∂ via the normals and ρ = n_a·n_b.
  const gna0 = (d.dh * m0) / sigma + d.drho * t.nb0, gna1 = (d.dh * m1) / sigma + d.drho * t.nb1;
  const gnb0 = (d.dk * m0) / sigma + d.drho * t.na0, gnb1 = (d.dk * m1) / sigma + d.drho * t.na1;
  const det = t.det, sd = det > 0 ? 1 : -1;
  // w = B⁻ᵀ1: ∂(g_w·w)/∂B = −w (B⁻¹g_w)ᵀ, B⁻¹ = [[b1, −b0], [−a1, a0]]/det.
  const v0 = (t.b1 * gw0 - t.b0 * gw1) / det;
  const v1 = (-t.a1 * gw0 + t.a0 * gw1) / det;
  let da0 = -t.w0 * v0, da1 = -t.w1 * v0;
  let db0 = -t.w0 * v1, db1 = -t.w1 * v1;
  // −log|det B|: −B⁻ᵀ, whose columns are (b1, −b0)/det and (−a1, a0)/det.
  da0 -= t.b1 / det; da1 -= -t.b0 / det;
  db0 -= -t.a1 / det; db1 -= t.a0 / det;
  // n_a = sd·R â (R a = (−a1, a0)): ∂(g·n_a)/∂a = sd (I − ââᵀ) Rᵀg/|a|, Rᵀg = (g1, −g0).
  {
    const la = Math.hypot(t.a0, t.a1), u0 = t.a0 / la, u1 = t.a1 / la;
    const r0 = gna1, r1 = -gna0;
    const dot = u0 * r0 + u1 * r1;
    da0 += (sd * (r0 - dot * u0)) / la;
    da1 += (sd * (r1 - dot * u1)) / la;
  }
  // n_b = sd·Rᵀ b̂ (Rᵀb = (b1, −b0)): ∂(g·n_b)/∂b = sd (I − b̂b̂ᵀ) R g/|b|, R g = (−g1, g0).
  {
    const lb = Math.hypot(t.b0, t.b1), u0 = t.b0 / lb, u1 = t.b1 / lb;
    const r0 = -gnb1, r1 = gnb0;
    const dot = u0 * r0 + u1 * r1;
    db0 += (sd * (r0 - dot * u0)) / lb;
    db1 += (sd * (r1 - dot * u1)) / lb;
  }
  // Back to A's columns: a = ei·a_i, b = ej·a_j.
  g[2 * t.i] += weight * t.ei * da0;
  g[2 * t.i + 1] += weight * t.ei * da1;
  g[2 * t.j] += weight * t.ej * db0;
  g[2 * t.j + 1] += weight * t.ej * db1;
}

/**
 * Rank 1: every column is ±β_k u. Then y = r u with r = Σ β_k s_k, whose
 * Laplace transform Π 1/(1 + b β_k t) splits into Σ_k C_k/(1 + b β_k t),
 * C_k = Π_{l≠k} 1/(1 − β_l/β_k): one-sided exponentials of scale b|β_k|,
 * each convolved with N(0, σ²) along u (an exponentially modified Gaussian),
 * times N(0, σ²) across u. A Laplace source counts as two, ±β_k. Equal β's
 * (a repeated root) are separated by ±1e-6 relative and averaged.
 */
function rank1Likelihood(A: Mat, cols: number[], X: Mat, model: Model): { total: number; perPoint: Float64Array } {
  const { sigma, b } = model;
  const i0 = cols[0]!;
  const len = norm(A, i0);
  const u0 = A.data[2 * i0]! / len, u1 = A.data[2 * i0 + 1]! / len;
  let betas: number[] = [];
  for (const k of cols) {
    const beta = A.data[2 * k]! * u0 + A.data[2 * k + 1]! * u1;
    betas.push(beta);
    if (model.prior === "laplace") betas.push(-beta);
  }
  const eval1 = (bs: number[]): Float64Array | null => {
    const C: number[] = [];
    const signC: number[] = [];
    for (let k = 0; k < bs.length; k++) {
      let lc = 0, sg = 1;
      for (let l = 0; l < bs.length; l++) {
        if (l === k) continue;
        const f = 1 - bs[l]! / bs[k]!;
        if (Math.abs(f) < 1e-9) return null;
        lc -= Math.log(Math.abs(f));
        if (f < 0) sg = -sg;
      }
      C.push(lc);
      signC.push(sg);
    }
    const out = new Float64Array(X.cols);
    const L = new Float64Array(bs.length);
    const S = new Int8Array(bs.length);
    for (let j = 0; j < X.cols; j++) {
      const x0 = X.data[2 * j]!, x1 = X.data[2 * j + 1]!;
      const along = x0 * u0 + x1 * u1;
      const across = -x0 * u1 + x1 * u0;
      for (let k = 0; k < bs.length; k++) {
        // Exp of rate λ = 1/(b|β|) on the side sign(β), convolved with N(0, σ²):
        // λ exp(λ²σ²/2 − λ z) Φ(z/σ − λσ), z the coordinate on that side.
        const lam = 1 / (b * Math.abs(bs[k]!));
        const z = bs[k]! > 0 ? along : -along;
        L[k] = C[k]! + Math.log(lam) + (lam * lam * sigma * sigma) / 2 - lam * z + logPhi(z / sigma - lam * sigma);
        S[k] = signC[k]! as 1 | -1;
      }
      const across2 = -(across * across) / (2 * sigma * sigma) - 0.5 * Math.log(2 * Math.PI * sigma * sigma);
      out[j] = signedLogSum(L, S, bs.length).value + across2;
    }
    return out;
  };
  let res = eval1(betas);
  if (res === null) {
    const plus = eval1(betas.map((v, k) => v * (1 + 1e-6 * (((k + 1) * 0.6180339887498949) % 1 + 0.5))));
    const minus = eval1(betas.map((v, k) => v * (1 - 1e-6 * (((k + 1) * 0.6180339887498949) % 1 + 0.5))));
    if (plus === null || minus === null) throw new RangeError("logLikelihood: rank-1 basis with repeated lengths that stay equal after a 1e-6 split");
    res = plus.map((v, j) => {
      const w = minus[j]!;
      const mx = Math.max(v, w);
      return mx + Math.log(0.5 * (Math.exp(v - mx) + Math.exp(w - mx)));
    });
  }
  betas = [];
  let total = 0;
  for (const v of res) total += v;
  return { total, perPoint: res };
}
