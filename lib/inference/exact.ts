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
  const cut = new Cut(P, geometry, S);
  for (let j = 0; j < p; j++) cut.point(j);
  if (stats) stats.fallbackPoints = cut.fallback;
  return S;
}

/**
 * The m = 2 cut, point by point: one scan over the polygon's edges finds the
 * edge x lies farthest beyond, and only that edge's candidates (itself and
 * its two vertices) are tried, in enumeration order so that ties go the same
 * way as when every support is tried.
 */
class Cut {
  fallback = 0;
  private readonly shrink: number; // σ²/b, the dual bound
  private readonly halfLam: number;
  private plan: ExactPlan | null = null;
  private readonly cAll: Float64Array;

  constructor(private readonly P: Problem, private readonly D: DualPolygon, private readonly S: Float64Array) {
    this.shrink = P.lam / P.invS2;
    this.halfLam = 0.5 * P.lam;
    this.cAll = new Float64Array(P.n);
  }

  point(j: number): void {
    const { X } = this.P;
    const { H, nx, ny, off, twins } = this.D;
    const x0 = X[2 * j]!;
    const x1 = X[2 * j + 1]!;
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
    if (e < 0) return; // inside the polygon: ŝ = 0
    if (twins) {
      // Twin edges (columns parallel to 6 digits) lie at nearly the same
      // distance from every point, and which one is farther can be down to
      // rounding: when the two farthest are that close, try the candidates
      // of every edge that close.
      const tol = 1e-10 * (Math.abs(x0) + Math.abs(x1) + off[e]!);
      if (far - second <= tol) {
        if (!this.nearTie(j, x0, x1, far - tol)) this.fallback++;
        return;
      }
    }
    if (this.bestOfEdge(j, x0, x1, e)) return;
    // Rounding left none of them standing (never seen in the tests): try every support.
    this.fallback++;
    this.everySupport(j, x0, x1);
  }

  /** The last feasible candidate's L − ‖x‖²/(2σ²) and sources (fields, so that the hot loop allocates nothing). */
  private obj = 0;
  private a0 = 0;
  private a1 = 0;

  /**
   * Solves the candidate in slot k for point x (see bestCandidate for the
   * formula) into obj, a0, a1; false when it is infeasible.
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

  private write(j: number, k: number, a0: number, a1: number): void {
    const { kC0, kC1, kDim } = this.D;
    const n = this.P.n;
    this.S[j * n + kC0[k]!] = a0;
    if (kDim[k] === 2) this.S[j * n + kC1[k]!] = a1;
  }

  /** The cheapest of edge e's candidates, written into S; false when none is feasible. */
  private bestOfEdge(j: number, x0: number, x1: number, e: number): boolean {
    let best = 0;
    let bestK = -1;
    let v0 = 0;
    let v1 = 0;
    for (let k = 3 * e; k < 3 * e + 3; k++) {
      if (this.D.kDim[k] === 0) break;
      if (this.candidate(k, x0, x1) && this.obj < best) {
        best = this.obj;
        bestK = k;
        v0 = this.a0;
        v1 = this.a1;
      }
    }
    if (bestK < 0) return false;
    this.write(j, bestK, v0, v1);
    return true;
  }

  /**
   * The rare path: the cheapest candidate of every edge at least `floor`
   * beyond, ties to the earlier candidate in the enumeration, written into S;
   * failing that, every support (and false).
   */
  private nearTie(j: number, x0: number, x1: number, floor: number): boolean {
    const { H, nx, ny, off, kDim, kQ } = this.D;
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
    if (bestK >= 0) {
      this.write(j, bestK, v0, v1);
      return true;
    }
    this.everySupport(j, x0, x1);
    return false;
  }

  /** Every support for point j (the plan is built on first need). */
  private everySupport(j: number, x0: number, x1: number): void {
    const { A, n } = this.P;
    this.plan ??= fullPlan(this.P);
    for (let i = 0; i < n; i++) this.cAll[i] = A[2 * i]! * x0 + A[2 * i + 1]! * x1;
    bestCandidate(this.P, this.plan, this.cAll, 0, this.S, j * n);
  }
}
