// The exact solver: the general enumeration (lib/inference/enumeration.ts),
// or for m = 2 the dual polygon's cut (lib/inference/polygon.ts), which tries
// at most three candidates per point. The cut's arithmetic is the
// enumeration's, term for term, so both give the same bits whenever they
// pick the same support (tests/inference.test.ts checks 900,000 points).
import { bestCandidate, generalPlan, requireEnumerable, type ExactPlan } from "./enumeration";
import { dualPolygon, plan2D, type DualPolygon } from "./polygon";
import { coefficients, type Problem } from "./problem";

/** Counters of the exact solver: how many points needed the full enumeration. */
export interface ExactStats {
  geometric: boolean;
  fallbackPoints: number;
}

/** Every candidate support, after the size check (m = 2 has its own compact form). */
function fullPlan(P: Problem): ExactPlan {
  requireEnumerable(P);
  return P.m === 2 && P.n >= 2 ? plan2D(P) : generalPlan(P);
}

/**
 * ŝ (n×p, column-major) for every point. With `enumerateAll` every support is
 * tried even for m = 2 (same ŝ, slower; for checking the cut).
 */
export function exactSources(P: Problem, enumerateAll = false, stats?: ExactStats): Float64Array {
  const geometry = !enumerateAll && P.m === 2 && P.n >= 2 ? dualPolygon(P) : null;
  if (stats) {
    stats.geometric = geometry !== null;
    stats.fallbackPoints = 0;
  }
  const { n, p } = P;
  const S = new Float64Array(n * p);
  if (geometry === null) {
    const plan = fullPlan(P);
    const C = coefficients(P);
    for (let j = 0; j < p; j++) bestCandidate(P, plan, C, j * n, S, j * n);
    return S;
  }
  const fallback = cutSources(P, geometry, S);
  if (stats) stats.fallbackPoints = fallback;
  return S;
}

/**
 * The m = 2 cut, point by point: one scan over the polygon's edges finds the
 * edge x lies farthest beyond, and only that edge's candidates (itself and
 * its two vertices) are tried, in enumeration order so that ties go the same
 * way as when every support is tried. Returns the number of points that
 * needed every support. (The hot loop keeps its locals hoisted and the
 * candidates' arithmetic inline: it runs once per point of every learning step.
 * Each candidate's numbers are first copied side by side into one buffer, its
 * columns' entries included, so that a point reads one short run of memory
 * instead of eight arrays; the arithmetic is the same, operation for operation.)
 */
function cutSources(P: Problem, D: DualPolygon, S: Float64Array): number {
  const { X, n, p, inv2s2 } = P;
  const { H, ax, ay, nx, ny, off, kDim, kE0, kE1, kS0, kS1, kI, kC0, kC1, twins } = D;
  const shrink = P.lam / P.invS2; // σ²/b, the dual bound
  const halfLam = 0.5 * P.lam;
  const rare = new RarePaths(P, D, S);
  // Slot k at K[12k ..]: dimension, a_e0 (2 entries), s0, a_e1 (2), s1, the inverse Gram block (4); edge h at E[3h ..]: nx, ny, off.
  const W = 12;
  const K = new Float64Array(3 * H * W);
  for (let k = 0; k < 3 * H; k++) {
    const o = k * W, d = kDim[k]!;
    K[o] = d;
    if (d === 0) continue;
    K[o + 1] = ax[kE0[k]!]!; K[o + 2] = ay[kE0[k]!]!; K[o + 3] = kS0[k]!;
    if (d === 2) { K[o + 4] = ax[kE1[k]!]!; K[o + 5] = ay[kE1[k]!]!; K[o + 6] = kS1[k]!; }
    for (let z = 0; z < 4; z++) K[o + 7 + z] = kI[4 * k + z]!;
  }
  const E = new Float64Array(3 * H);
  for (let h = 0; h < H; h++) { E[3 * h] = nx[h]!; E[3 * h + 1] = ny[h]!; E[3 * h + 2] = off[h]!; }
  for (let j = 0; j < p; j++) {
    const x0 = X[2 * j]!;
    const x1 = X[2 * j + 1]!;
    let e = -1;
    if (twins) e = rare.farthestOrTie(j, x0, x1);
    else {
      let far = 0;
      for (let h = 0; h < H; h++) {
        const dist = E[3 * h]! * x0 + E[3 * h + 1]! * x1 - E[3 * h + 2]!;
        if (dist > far) {
          far = dist;
          e = h;
        }
      }
    }
    if (e < 0) continue; // inside the polygon (ŝ = 0), or settled by the near-tie path
    let best = 0;
    let bestK = -1;
    let v0 = 0;
    let v1 = 0;
    for (let k = 3 * e; k < 3 * e + 3; k++) {
      const o = k * W;
      const d = K[o]!;
      if (d === 0) break;
      const c0 = K[o + 1]! * x0 + K[o + 2]! * x1;
      const s0 = K[o + 3]!;
      if (d === 1) {
        const a0 = K[o + 7]! * (c0 - shrink * s0);
        if (!(a0 * s0 > 0)) continue;
        const obj = -(a0 * c0) * inv2s2 + halfLam * Math.abs(a0);
        if (obj < best) {
          best = obj;
          bestK = k;
          v0 = a0;
        }
      } else {
        const c1 = K[o + 4]! * x0 + K[o + 5]! * x1;
        const s1 = K[o + 6]!;
        const t0 = c0 - shrink * s0;
        const t1 = c1 - shrink * s1;
        const a0 = K[o + 7]! * t0 + K[o + 9]! * t1;
        if (!(a0 * s0 > 0)) continue;
        const a1 = K[o + 8]! * t0 + K[o + 10]! * t1;
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
    rare.fallback++;
    rare.everySupport(j, x0, x1);
  }
  return rare.fallback;
}

/** The cut's rare paths: twin edges, near ties, and every support. */
class RarePaths {
  fallback = 0;
  private readonly shrink: number;
  private readonly halfLam: number;
  private plan: ExactPlan | null = null;
  private readonly cAll: Float64Array;
  /** The last feasible candidate's L − ‖x‖²/(2σ²) and sources. */
  private obj = 0;
  private a0 = 0;
  private a1 = 0;

  constructor(private readonly P: Problem, private readonly D: DualPolygon, private readonly S: Float64Array) {
    this.shrink = P.lam / P.invS2;
    this.halfLam = 0.5 * P.lam;
    this.cAll = new Float64Array(P.n);
  }

  /**
   * With twin edges (columns parallel to 6 digits), which of two edges is
   * farther can be down to rounding: when the two farthest are that close,
   * the candidates of every edge that close are tried here (and −1 comes
   * back); otherwise the farthest edge.
   */
  farthestOrTie(j: number, x0: number, x1: number): number {
    const { H, nx, ny, off } = this.D;
    let far = 0;
    let second = 0;
    let e = -1;
    for (let h = 0; h < H; h++) {
      const dist = nx[h]! * x0 + ny[h]! * x1 - off[h]!;
      if (dist > far) {
        second = far;
        far = dist;
        e = h;
      } else if (dist > second) second = dist;
    }
    if (e < 0) return -1;
    const tol = 1e-10 * (Math.abs(x0) + Math.abs(x1) + off[e]!);
    if (far - second > tol) return e;
    if (!this.nearTie(j, x0, x1, far - tol)) this.fallback++;
    return -1;
  }

  /**
   * Solves the candidate in slot k for point x (the arithmetic of cutSources,
   * term for term) into obj, a0, a1; false when it is infeasible.
   */
  private candidate(k: number, x0: number, x1: number): boolean {
    const { ax, ay, kDim, kE0, kE1, kS0, kS1, kI } = this.D;
    const e0 = kE0[k]!;
    const c0 = ax[e0]! * x0 + ay[e0]! * x1;
    const s0 = kS0[k]!;
    if (kDim[k] === 1) {
      const a0 = kI[4 * k]! * (c0 - this.shrink * s0);
      if (!(a0 * s0 > 0)) return false;
      this.obj = -(a0 * c0) * this.P.inv2s2 + this.halfLam * Math.abs(a0);
      this.a0 = a0;
      this.a1 = 0;
      return true;
    }
    const e1 = kE1[k]!;
    const c1 = ax[e1]! * x0 + ay[e1]! * x1;
    const s1 = kS1[k]!;
    const t0 = c0 - this.shrink * s0;
    const t1 = c1 - this.shrink * s1;
    const a0 = kI[4 * k]! * t0 + kI[4 * k + 2]! * t1;
    if (!(a0 * s0 > 0)) return false;
    const a1 = kI[4 * k + 1]! * t0 + kI[4 * k + 3]! * t1;
    if (!(a1 * s1 > 0)) return false;
    this.obj = -(a0 * c0 + a1 * c1) * this.P.inv2s2 + this.halfLam * (Math.abs(a0) + Math.abs(a1));
    this.a0 = a0;
    this.a1 = a1;
    return true;
  }

  /**
   * The cheapest candidate of every edge at least `floor` beyond, ties to the
   * earlier candidate in the enumeration, written into S; failing that, every
   * support (and false).
   */
  private nearTie(j: number, x0: number, x1: number, floor: number): boolean {
    const { H, nx, ny, off, kDim, kQ, kC0, kC1 } = this.D;
    let best = 0;
    let bestK = -1;
    let bestQ = Infinity;
    let v0 = 0;
    let v1 = 0;
    for (let h = 0; h < H; h++) {
      if (nx[h]! * x0 + ny[h]! * x1 - off[h]! < floor) continue;
      for (let k = 3 * h; k < 3 * h + 3; k++) {
        if (kDim[k] === 0) break;
        if (!this.candidate(k, x0, x1)) continue;
        if (this.obj < best || (this.obj === best && bestK >= 0 && kQ[k]! < bestQ)) {
          best = this.obj;
          bestK = k;
          bestQ = kQ[k]!;
          v0 = this.a0;
          v1 = this.a1;
        }
      }
    }
    if (bestK < 0) {
      this.everySupport(j, x0, x1);
      return false;
    }
    const n = this.P.n;
    this.S[j * n + kC0[bestK]!] = v0;
    if (kDim[bestK] === 2) this.S[j * n + kC1[bestK]!] = v1;
    return true;
  }

  /** Every support for point j (the plan is built on first need). */
  everySupport(j: number, x0: number, x1: number): void {
    const { A, n } = this.P;
    this.plan ??= fullPlan(this.P);
    for (let i = 0; i < n; i++) this.cAll[i] = A[2 * i]! * x0 + A[2 * i + 1]! * x1;
    bestCandidate(this.P, this.plan, this.cAll, 0, this.S, j * n);
  }
}
