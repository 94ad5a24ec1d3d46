// The split of the exact likelihood into column pairs (see likelihood.ts's
// header for the derivation): the pairs' constants, the per-point signed sum
// of their orthant terms in log space, and its gradient by the chain rule.
import type { Mat } from "../matrix";
import type { Model } from "../model";
import { logBvnFrom, logPhiPair, type LogBvn, type LogPhiPair } from "./normal";
import type { Exact, Want } from "./likelihood";

/**
 * The split is taken as near-singular below this |sin∠| of a pair (whose own
 * orthant is then a sliver), or where |1 − wᵀa_k| is below NEAR_TIPS relative
 * to its terms: three tips nearly on one line, where the signed terms cancel
 * by a factor of up to 1/NEAR_TIPS, which would lift the orthant terms' ~1e-13
 * rounding towards 1e-9. There a column is integrated out numerically
 * instead (integrate.ts).
 */
export const NEAR = 1e-3;
export const NEAR_TIPS = 1e-4;

export function norm(A: Mat, i: number): number {
  return Math.hypot(A.data[2 * i]!, A.data[2 * i + 1]!);
}

export function cross(A: Mat, i: number, j: number): number {
  return A.data[2 * i]! * A.data[2 * j + 1]! - A.data[2 * i + 1]! * A.data[2 * j]!;
}

/** One term of the split: the columns (with signs) of a complete pair and its constants. */
export interface Pair {
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

/**
 * The pairs of the split, or the column to integrate out where the split is
 * near-singular: a pair closer than NEAR in |sin∠| (the shorter column), or
 * three column tips within NEAR of one line (the third).
 */
export function splitPairs(A: Mat, cols: number[], model: Model): { pairs: Pair[]; weakest: number } | { out: number; why: string } {
  const laplace = model.prior === "laplace";
  const b = model.b;
  const s2 = model.sigma * model.sigma;
  const signs = laplace ? [[1, 1], [1, -1], [-1, 1], [-1, -1]] : [[1, 1]];
  const out: Pair[] = [];
  // The column whose tip comes closest to a line through two others: the one
  // to integrate out if the split still cancels too far at some point.
  let weakest = cols[0]!, weakestMargin = Infinity;
  for (let x = 0; x < cols.length; x++) {
    for (let y = x + 1; y < cols.length; y++) {
      const i = cols[x]!, j = cols[y]!;
      const ni = norm(A, i), nj = norm(A, j);
      if (Math.abs(cross(A, i, j)) <= NEAR * ni * nj) {
        return { out: ni < nj ? i : j, why: `columns ${i} and ${j} are ${((Math.asin(Math.min(1, Math.abs(cross(A, i, j)) / (ni * nj))) * 180) / Math.PI).toPrecision(3)}° from parallel` };
      }
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
          const margin = (laplace ? Math.min(Math.abs(1 - t), Math.abs(1 + t)) : Math.abs(f)) / (1 + wn * norm(A, k));
          if (margin <= NEAR_TIPS) return { out: k, why: `the tips of columns ${i}, ${j} and ${k} are nearly on one line` };
          if (margin < weakestMargin) { weakestMargin = margin; weakest = k; }
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
  return { pairs: out, weakest };
}

/** Thrown when the signed terms cancel beyond what the split can resolve at some point; the caller integrates a column out. */
export class SplitCancelled extends Error {
  override name = "SplitCancelled";
}

/**
 * The signed sum may lose this many nats to cancellation: e^9 ≈ 8·10³ times
 * the terms' ~1e-13 relative rounding stays below 1e-9 in log P. Beyond it
 * (far from the data, with three tips near one line) a column is integrated
 * out (tests/exact.test.ts: e^16 had cost 1e-6).
 */
export const MAX_CANCEL = 9;

/** log of (Σ signed terms): the terms' logs in `L`, their signs in `S`. */
export function signedLogSum(L: Float64Array, S: Int8Array, count: number): { value: number; max: number } {
  let max = -Infinity;
  for (let q = 0; q < count; q++) if (L[q]! > max) max = L[q]!;
  let sum = 0;
  for (let q = 0; q < count; q++) sum += S[q]! * Math.exp(L[q]! - max);
  return { value: max + Math.log(sum), max };
}

export function pairLikelihood(A: Mat, cols: number[], pairs: Pair[], X: Mat, model: Model, want: Want): Exact {
  const { gradient, scores } = want;
  const { sigma, b } = model;
  const laplace = model.prior === "laplace";
  const p = X.cols, n = A.cols, P = pairs.length;
  const perPoint = new Float64Array(p);
  const grad = gradient ? new Float64Array(2 * n) : null;
  const sc = scores ? new Float64Array(p * 2 * n) : null;
  const dx = want.dx ? new Float64Array(2 * p) : null;
  const gx = new Float64Array(2);
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
    if (!Number.isFinite(value) || value < best - MAX_CANCEL) {
      throw new SplitCancelled(`the pair split cancels beyond its precision at point ${j} (x = [${x0}, ${x1}])`);
    }
    perPoint[j] = value;
    total += value;
    if (!grad && !sc && !dx) continue;
    g.fill(0);
    gx.fill(0);
    for (let c = 0; c < count; c++) {
      const weight = S[c]! * Math.exp(L[c]! - value);
      if (weight === 0) continue;
      const q = idx[c]!;
      addTermGradient(A, cols, pairs[q]!, bvn[q]!, M0[q]!, M1[q]!, model, laplace, weight, g, gx);
    }
    if (grad) for (let q = 0; q < 2 * n; q++) grad[q] += g[q]!;
    if (sc) sc.set(g, j * 2 * n);
    if (dx) dx.set(gx, 2 * j);
  }
  return { total, perPoint, grad, scores: sc, dx, method: "pairs" };
}

/**
 * weight × ∂ log T/∂A for one term T = c·P(x|B), added into g (2×n, column-major).
 * See the header for the chain: through w (the exponent, μ and c), the edge
 * normals, ρ, and log|det B|.
 */
function addTermGradient(
  A: Mat, cols: number[], t: Pair, d: LogBvn, m0: number, m1: number, model: Model, laplace: boolean, weight: number, g: Float64Array, gx: Float64Array,
): void {
  const { sigma, b } = model;
  // ∂ log T/∂x = −w/b + (G_h n_a + G_k n_b)/σ.
  gx[0] += weight * (-t.w0 / b + (d.dh * t.na0 + d.dk * t.nb0) / sigma);
  gx[1] += weight * (-t.w1 / b + (d.dh * t.na1 + d.dk * t.nb1) / sigma);
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
