// The m = 2 geometry of the exact solver (blog E2). Scaled by σ², the LASSO
// is min ½‖x − As‖² + λ‖s‖₁ (s ≥ 0) with λ = σ²/b, and its dual says that
// the optimal residual r = x − Aŝ is the projection of x onto the polygon
// P = { r : a_iᵀr ≤ λ for every column } (with −a_i added when signed).
// ŝ = 0 inside P; beyond P the projection lands on an edge (one active column)
// or a vertex (two). The edge whose line x lies farthest beyond, in distance
// (a_eᵀx − λ)/‖a_e‖, is always the edge of the projection or one of its two
// end points: outside P, the normal cone of the projected point holds x − r,
// and no other constraint line can be farther from x than the ones bounding
// that cone. So a point needs one scan over the H ≤ 2n edges and at most three
// candidate solves, instead of all 1 + n + n(n−1)/2 supports (×4 signed), and
// the polygon itself costs O(n²) once, with O(n) memory: any n is served.
import type { ExactPlan } from "./enumeration";
import { gramEntry } from "../linalg";
import { gramOf, supportCount, type Problem } from "./problem";

export interface DualPolygon {
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
  /**
   * Each slot's place in the enumeration order (−1: none), for breaking ties
   * as the enumeration does: 2i + pattern for column i alone, then
   * 2n + 4(i·n + k) + pattern for the pair i < k. Only the order matters.
   */
  kQ: Float64Array;
  /** True when two neighbouring edges face the same way to within 10⁻⁶ rad (twin columns). */
  twins: boolean;
}

/**
 * The inverse of the symmetric 2×2 block [[g00, g01], [g01, g11]], column by
 * column, with solveSmall's arithmetic step for step (so the exact solver's
 * answers do not change by a bit); false when solveSmall would call it
 * singular. Writes column-major into out[o..o+4).
 */
export function inverse2(g00: number, g01: number, g11: number, out: Float64Array, o: number): boolean {
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
 * Every candidate of an m = 2 problem, as generalPlan lists them, without
 * string keys or per-candidate allocations: the enumeration that checks the
 * cut, and the cut's fallback.
 */
export function plan2D(P: Problem): ExactPlan {
  const { n, nonNegative } = P;
  const G = gramOf(P);
  const patterns = nonNegative ? 1 : 2;
  const K0 = supportCount(n, 2, nonNegative);
  const cDim = new Int32Array(K0);
  const cIdx = new Int32Array(K0 * 2);
  const cSgn = new Float64Array(K0 * 2);
  const cInv = new Float64Array(K0 * 4);
  let K = 0;
  for (let i = 0; i < n; i++) {
    const g = G[i * n + i]!;
    if (g === 0) continue;
    for (let pat = 0; pat < patterns; pat++) {
      cDim[K] = 1;
      cIdx[2 * K] = i;
      cSgn[2 * K] = pat === 0 ? 1 : -1;
      cInv[4 * K] = 1 / g;
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
        K++;
      }
    }
  }
  return { K, maxK: 2, cDim, cIdx, cSgn, cInv, scratch: new Float64Array(4) };
}

/** The constraints g_uᵀ r ≤ λ that bound the polygon, and their neighbours along it. */
interface Chain {
  U: number;
  gx: Float64Array;
  gy: Float64Array;
  prevOf: Int32Array;
  nextOf: Int32Array;
  /** Edge index of each constraint, −1 when it does not bound the polygon. */
  edgeOf: Int32Array;
  H: number;
}

/**
 * Constraint u: g_uᵀ r ≤ λ with g_u = a_u (u < n) or −a_{u−n} (signed).
 * Where line u meets P: r(t) = o + t·w, o = λ g_u/‖g_u‖², w = g_u turned by
 * +90°; the constraints met at the ends are its neighbours.
 */
function chainOf(P: Problem, lam: number): Chain {
  const { A, n, nonNegative } = P;
  const U = nonNegative ? n : 2 * n;
  const gx = new Float64Array(U);
  const gy = new Float64Array(U);
  for (let u = 0; u < U; u++) {
    const s = u < n ? 1 : -1;
    gx[u] = s * A[(u % n) * 2]!;
    gy[u] = s * A[(u % n) * 2 + 1]!;
  }
  const prevOf = new Int32Array(U);
  const nextOf = new Int32Array(U);
  // `live` marks the constraints that count (all non-zero ones on the first pass).
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
  for (let u = 0; u < U; u++) if (live[u] === 1) sweep(u);
  return { U, gx, gy, prevOf, nextOf, edgeOf, H };
}

function emptyPolygon(H: number): DualPolygon {
  const N = 3 * H;
  return {
    H, ax: new Float64Array(H), ay: new Float64Array(H), nx: new Float64Array(H), ny: new Float64Array(H), off: new Float64Array(H),
    kDim: new Int32Array(N), kE0: new Int32Array(N), kE1: new Int32Array(N), kS0: new Float64Array(N), kS1: new Float64Array(N),
    kI: new Float64Array(4 * N), kC0: new Int32Array(N), kC1: new Int32Array(N), kQ: new Float64Array(N).fill(-1), twins: false,
  };
}

/**
 * Puts a candidate into edge e's next slot and moves it down to its place in
 * the enumeration order (ascending kQ).
 */
function addCandidate(D: DualPolygon, e: number, r: number, c: {
  q: number; dim: number; e0: number; e1: number; s0: number; s1: number; c0: number; c1: number; inv: Float64Array;
}): void {
  let at = 3 * e + r;
  D.kQ[at] = c.q; D.kDim[at] = c.dim; D.kE0[at] = c.e0; D.kE1[at] = c.e1; D.kS0[at] = c.s0; D.kS1[at] = c.s1;
  D.kC0[at] = c.c0; D.kC1[at] = c.c1;
  for (let z = 0; z < 4; z++) D.kI[4 * at + z] = c.inv[z]!;
  const arrays = [D.kQ, D.kDim, D.kE0, D.kE1, D.kS0, D.kS1, D.kC0, D.kC1];
  while (at > 3 * e && D.kQ[at - 1]! > D.kQ[at]!) {
    for (const a of arrays) [a[at], a[at - 1]] = [a[at - 1]!, a[at]!];
    for (let z = 0; z < 4; z++) [D.kI[4 * at + z], D.kI[4 * (at - 1) + z]] = [D.kI[4 * (at - 1) + z]!, D.kI[4 * at + z]!];
    at--;
  }
}

/**
 * The edges of the dual polygon and, for each, its (at most three)
 * candidates. Null when the edge chain is inconsistent in floating point; the
 * caller then enumerates every support.
 */
export function dualPolygon(P: Problem): DualPolygon | null {
  const { A, n } = P;
  const lam = P.lam / P.invS2; // σ²/b, the dual bound
  const { U, gx, gy, prevOf, nextOf, edgeOf, H } = chainOf(P, lam);
  const D = emptyPolygon(H);
  const inv = new Float64Array(4);
  for (let u = 0; u < U; u++) {
    const e = edgeOf[u]!;
    if (e < 0) continue;
    const prev = prevOf[u]!;
    const next = nextOf[u]!;
    // The chain must agree from both sides, or rounding has made a mess.
    if ((prev >= 0 && nextOf[prev] !== u) || (next >= 0 && prevOf[next] !== u)) return null;
    const i = u % n;
    D.ax[e] = A[2 * i]!;
    D.ay[e] = A[2 * i + 1]!;
    const norm = 1 / Math.hypot(gx[u]!, gy[u]!);
    D.nx[e] = gx[u]! * norm;
    D.ny[e] = gy[u]! * norm;
    D.off[e] = lam * norm;
    // The edge alone, and its vertices with the previous and the next edge.
    let r = 0;
    const g = gramEntry(A, 2, i, i);
    if (g !== 0) {
      inv.fill(0);
      inv[0] = 1 / g;
      const neg = u < n ? 0 : 1;
      addCandidate(D, e, r++, { q: 2 * i + neg, dim: 1, e0: e, e1: -1, s0: neg ? -1 : 1, s1: 0, c0: i, c1: 0, inv });
    }
    for (const v of [prev, next]) {
      if (v < 0 || v % n === i) continue;
      const [lo, hi] = i < v % n ? [u, v] : [v, u];
      const [il, ih] = [lo % n, hi % n];
      if (!inverse2(gramEntry(A, 2, il, il), gramEntry(A, 2, il, ih), gramEntry(A, 2, ih, ih), inv, 0)) continue;
      const pat = (lo < n ? 0 : 1) | (hi < n ? 0 : 2);
      addCandidate(D, e, r++, {
        q: 2 * n + 4 * (il * n + ih) + pat, dim: 2, e0: edgeOf[lo]!, e1: edgeOf[hi]!,
        s0: lo < n ? 1 : -1, s1: hi < n ? 1 : -1, c0: il, c1: ih, inv,
      });
    }
  }
  for (let u = 0; u < U; u++) {
    const e = edgeOf[u]!;
    const f = nextOf[u]! >= 0 ? edgeOf[nextOf[u]!]! : -1;
    if (e >= 0 && f >= 0 && D.nx[e]! * D.nx[f]! + D.ny[e]! * D.ny[f]! > 1 - 5e-13) D.twins = true;
  }
  return D;
}
