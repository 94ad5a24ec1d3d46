// The exact solver's general search. An optimal ŝ exists whose active columns
// are linearly independent, so it has at most m non-zeros. For each such
// support T (and, under the Laplace prior, each sign pattern σ_T) the
// stationarity condition A_Tᵀ(A_T s_T − x)/σ² + σ_T/b = 0 is a |T|×|T|
// linear system; the candidates whose solution has the assumed signs are
// feasible, and the cheapest of them is the global minimum (the KKT residual
// of lib/inference/certificate.ts then certifies it).
import { solveSmall } from "../linalg";
import { gramOf, MAX_SUPPORTS, supportCount, type Problem } from "./problem";

/**
 * The candidate supports, flattened for the hot loop: support indices, signs
 * and the inverse of the support's Gram block, in a fixed enumeration order
 * (singletons, then pairs, …; sign patterns within).
 */
export interface ExactPlan {
  K: number;
  maxK: number;
  cDim: Int32Array;
  cIdx: Int32Array;
  cSgn: Float64Array;
  cInv: Float64Array;
  /** Work space of bestCandidate (2·maxK), so that it allocates nothing per point. */
  scratch: Float64Array;
}

/** Refuses a search over more than MAX_SUPPORTS supports, naming the sizes. */
export function requireEnumerable(P: Problem): void {
  const count = supportCount(P.n, P.m, P.nonNegative);
  if (count > MAX_SUPPORTS) {
    throw new RangeError(
      `method 'exact' would enumerate ${count} supports for m=${P.m}, n=${P.n}; use 'fista' for problems this large`,
    );
  }
}

/** Every candidate support of a general problem (any m; plan2D is the m = 2 form). */
export function generalPlan(P: Problem): ExactPlan {
  const { n, m, nonNegative } = P;
  const G = gramOf(P);
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
  return { K, maxK, cDim, cIdx, cSgn, cInv, scratch: new Float64Array(2 * maxK) };
}

/**
 * Tries every candidate support for the point whose AᵀX column starts at
 * C[off], and writes the cheapest feasible one into S[out..out+n).
 * At a stationary point of support T, G_T s_T = c_T − (σ²/b)·sgn_T, so
 * L = (‖x‖² − s_Tᵀ c_T)/(2σ²) + ‖s_T‖₁/(2b): O(|T|) per candidate.
 * Comparing on L − ‖x‖²/(2σ²) leaves the empty support at 0.
 */
export function bestCandidate(P: Problem, plan: ExactPlan, C: Float64Array, off: number, S: Float64Array, out: number): void {
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
