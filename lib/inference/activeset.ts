// The exact MAP solver for any m: a primal active-set method, point by point.
// Multiplied by σ², L(s) is ½‖x − As‖² + μ‖s‖₁ with μ = σ²/b. With signs θ
// fixed on a support F it is the quadratic ½ sᵀGs − (c − μθ)ᵀs on F
// (G = AᵀA, c = Aᵀx), so the method is Lawson & Hanson's NNLS (1974, ch. 23)
// on the columns θ_i a_i: under the exponential prior θ = +1; under the
// Laplace prior each coordinate enters with the sign of its correlation,
// which is Lawson–Hanson on [A, −A] (i⁺ and i⁻ are never both in F: once
// one is, the other's violation is −2μ).
//
// With ρ = c − Gs (the correlation of the residual with each column), s is
// optimal when ρ_i = μθ_i on F and ρ_i ≤ μ (|ρ_i| ≤ μ) off F. Each pivot
// adds the most violated coordinate, solves on F with a Cholesky factor
// updated in O(|F|²), and backtracks to the first coordinate that would
// cross zero. A column already in the span of F (|F| = m, or a duplicate)
// cannot be added; when it is violated, the step along the null direction
// that swaps it for a column of F lowers ‖s‖₁ at the same fit (a simplex
// pivot), so such supports are not dead ends.
//
// Determinism: each point ends with a fresh solve on its final support,
// sorted ascending, so ŝ depends only on that support and not on the path:
// whenever the minimiser is unique, the warm start changes no bit. (When it
// is not, say two equal columns, the start can decide which of them carries
// the source; both answers are certified and equally good.)
import {
  ACTIVE_SET_CERT_TOL, ACTIVE_SET_ENTRY_TOL, ACTIVE_SET_SINGULAR, coefficients, gramOf, type Problem,
} from "./problem";
import { correlations, Factor, subtractColumns } from "./cholesky";

/** A point the active-set solver could not certify, and why. */
export interface ActiveSetFailure {
  point: number;
  reason: string;
}

export interface ActiveSetRun {
  /** n×p column-major ŝ. */
  S: Float64Array;
  /** Pivots (additions, removals and swaps) over all points. */
  pivots: number;
  /** Points not certified (pivot cap reached or KKT residual above tolerance); empty when all are. */
  failures: ActiveSetFailure[];
}

/** The default pivot cap per point. */
export function pivotCap(n: number): number {
  return 10 * n + 100;
}

/**
 * ŝ for every point of P. S0 (n×p column-major), when given, is a warm
 * start: each point starts from the support of its column (with its signs).
 */
export function activeSetSources(P: Problem, S0?: Float64Array, maxPivots = pivotCap(P.n)): ActiveSetRun {
  const { n, p } = P;
  const G = gramOf(P);
  if (P.C === null) P.C = correlations(P);
  const C = coefficients(P);
  const solver = new PointSolver(P, G, maxPivots);
  const S = new Float64Array(n * p);
  const failures: ActiveSetFailure[] = [];
  let pivots = 0;
  for (let j = 0; j < p; j++) {
    const reason = solver.solve(C, j * n, S0, S);
    pivots += solver.pivots;
    if (reason !== null) failures.push({ point: j, reason });
  }
  return { S, pivots, failures };
}

/** The state of one point's solve; buffers are reused from point to point. */
class PointSolver {
  private readonly n: number;
  private readonly mu: number;
  private readonly nonNeg: boolean;
  private readonly f: Factor;
  /** The point's s (dense, zeros off F), ρ = c − Gs and c itself (a view of AᵀX). */
  private readonly s: Float64Array;
  private readonly rho: Float64Array;
  private c: Float64Array;
  /** Coordinates barred from entering until the next successful pivot (a rounding-level or singular pivot). */
  private readonly barred: Uint8Array;
  private readonly barredList: Int32Array;
  private nBarred = 0;
  /** Values of s before a pivot, at the coordinates it may change. */
  private readonly touched: Int32Array;
  private readonly before: Float64Array;
  private nTouched = 0;
  private tol = 0;
  pivots = 0;

  constructor(P: Problem, private readonly G: Float64Array, private readonly cap: number) {
    const { n, m } = P;
    this.n = n;
    this.mu = P.lam / P.invS2;
    this.nonNeg = P.nonNegative;
    this.f = new Factor(G, n, Math.min(m, n));
    this.s = new Float64Array(n);
    this.rho = new Float64Array(n);
    this.c = this.rho;
    this.barred = new Uint8Array(n);
    this.barredList = new Int32Array(n);
    this.touched = new Int32Array(Math.min(m, n) + 1);
    this.before = new Float64Array(Math.min(m, n) + 1);
  }

  /** Solves the point whose c starts at C[off]; writes ŝ into S[off..]. Null when certified, else why not. */
  solve(C: Float64Array, off: number, S0: Float64Array | undefined, S: Float64Array): string | null {
    const { n, f, s } = this;
    this.c = C.subarray(off, off + n);
    let big = this.mu;
    for (let i = 0; i < n; i++) big = Math.max(big, Math.abs(this.c[i]!));
    this.tol = ACTIVE_SET_ENTRY_TOL * big;
    this.pivots = 0;
    this.clearBarred();
    f.clear();
    if (S0) {
      for (let i = 0; i < n; i++) {
        const v = S0[off + i]!;
        if (v > 0 || (v < 0 && !this.nonNeg)) f.push(i, v > 0 ? 1 : -1);
      }
    }
    this.settle();
    let capped = false;
    for (;;) {
      const start = this.pivots;
      while (this.pivot()) {
        if (this.pivots >= this.cap) {
          capped = true;
          break;
        }
      }
      // No pivot since settle() on an ascending support: settling again would repeat it bit for bit.
      if (this.pivots === start && this.sorted()) break;
      const before = f.k;
      f.sortAscending();
      const kept = this.settle();
      if (capped || (kept === before && this.worstEntry() <= this.tol)) break;
    }
    for (let a = 0; a < f.k; a++) S[off + f.idx[a]!] = s[f.idx[a]!]!;
    const residual = this.residual();
    const relative = (residual / big).toPrecision(3);
    if (capped) return `pivot cap of ${this.cap} reached (KKT residual ${relative} relative to max(max|Aᵀx|, σ²/b))`;
    if (residual > ACTIVE_SET_CERT_TOL * big) {
      return `KKT residual ${relative} relative to max(max|Aᵀx|, σ²/b), above ${ACTIVE_SET_CERT_TOL}`;
    }
    return null;
  }

  /**
   * A fresh factor and solve on the current support in its current order:
   * columns that would make G_FF singular are left out, then coordinates
   * whose solution has the wrong sign are dropped until none has; s and ρ
   * are recomputed from scratch. Returns the support's size afterwards.
   */
  private settle(): number {
    const { f, s } = this;
    for (let a = 0; a < f.k; a++) s[f.idx[a]!] = 0;
    f.refactor(ACTIVE_SET_SINGULAR);
    for (;;) {
      f.solve(this.c, this.mu, true);
      let dropped = false;
      for (let a = f.k - 1; a >= 0; a--) {
        if (!(f.z[a]! * f.sgn[a]! > 0)) {
          f.removeAt(a);
          dropped = true;
        }
      }
      if (!dropped) break;
      f.refactor(ACTIVE_SET_SINGULAR);
    }
    for (let a = 0; a < f.k; a++) s[f.idx[a]!] = f.z[a]!;
    this.freshRho();
    return f.k;
  }

  private sorted(): boolean {
    for (let a = 1; a < this.f.k; a++) if (this.f.idx[a - 1]! > this.f.idx[a]!) return false;
    return true;
  }

  /** ρ = c − G_{:,F} s_F, in the order of F. */
  private freshRho(): void {
    const { f, s } = this;
    this.rho.set(this.c);
    for (let a = 0; a < f.k; a++) this.before[a] = s[f.idx[a]!]!;
    subtractColumns(this.rho, this.G, this.n, f.idx, this.before, f.k);
  }

  /** How far coordinate i (off F) violates its KKT condition (> 0: violated). */
  private violation(i: number): number {
    const r = this.rho[i]!;
    return (this.nonNeg ? r : Math.abs(r)) - this.mu;
  }

  /** The largest violation off F among coordinates not barred. */
  private worstEntry(): number {
    let worst = 0;
    for (let i = 0; i < this.n; i++) {
      if (this.f.pos[i]! < 0 && !this.barred[i]) worst = Math.max(worst, this.violation(i));
    }
    return worst;
  }

  /** The KKT residual in units of ρ over every coordinate (after settle). */
  private residual(): number {
    const { f, rho, mu } = this;
    let worst = 0;
    for (let i = 0; i < this.n; i++) {
      const a = f.pos[i]!;
      const v = a >= 0 ? Math.abs(rho[i]! - mu * f.sgn[a]!) : this.violation(i);
      if (v > worst) worst = v;
    }
    return worst;
  }

  private bar(i: number): void {
    if (this.barred[i]) return;
    this.barred[i] = 1;
    this.barredList[this.nBarred++] = i;
  }

  private clearBarred(): void {
    for (let q = 0; q < this.nBarred; q++) this.barred[this.barredList[q]!] = 0;
    this.nBarred = 0;
  }

  /** One outer step: adds (or swaps in) the most violated coordinate. False when none is violated beyond tol. */
  private pivot(): boolean {
    const { f } = this;
    const t = this.mostViolated();
    if (t < 0) return false;
    this.pivots++;
    const theta = this.nonNeg || this.rho[t]! > 0 ? 1 : -1;
    this.remember(t);
    if (f.append(t, theta, ACTIVE_SET_SINGULAR)) {
      if (!this.descend(true)) {
        this.bar(t);
        return true;
      }
    } else if (!this.swap(t, theta)) {
      this.bar(t);
      return true;
    }
    this.updateRho();
    this.clearBarred();
    return true;
  }

  /** The coordinate off F, not barred, violated most beyond tol, or −1 (violation() inlined: the scan runs every pivot). */
  private mostViolated(): number {
    const { rho, barred, mu } = this;
    const pos = this.f.pos;
    let t = -1;
    let best = this.tol;
    for (let i = 0; i < this.n; i++) {
      const r = rho[i]!;
      const v = (this.nonNeg ? r : Math.abs(r)) - mu;
      if (v > best && pos[i]! < 0 && !barred[i]) {
        best = v;
        t = i;
      }
    }
    return t;
  }

  /** Records s on F ∪ {t} before a pivot changes it. */
  private remember(t: number): void {
    const { f } = this;
    for (let a = 0; a < f.k; a++) {
      this.touched[a] = f.idx[a]!;
      this.before[a] = this.s[f.idx[a]!]!;
    }
    this.touched[f.k] = t;
    this.before[f.k] = 0;
    this.nTouched = f.k + 1;
  }

  /** ρ −= G Δs over the coordinates the pivot touched. */
  private updateRho(): void {
    let count = 0;
    for (let q = 0; q < this.nTouched; q++) {
      const i = this.touched[q]!;
      const d = this.s[i]! - this.before[q]!;
      if (d === 0) continue;
      this.touched[count] = i;
      this.before[count++] = d;
    }
    subtractColumns(this.rho, this.G, this.n, this.touched, this.before, count);
  }

  /**
   * Lawson–Hanson's inner loop: solve on F and, while the solution has a
   * coordinate of the wrong sign, move to the first zero crossing and drop
   * it. `fresh`: the last coordinate of F has just entered at 0; if it comes
   * out with the wrong sign (rounding: in exact arithmetic it cannot), it is
   * taken out again, s is unchanged and false is returned.
   */
  private descend(fresh: boolean): boolean {
    const { f, s } = this;
    for (;;) {
      f.solve(this.c, this.mu);
      let alpha = Infinity;
      let first = -1;
      for (let a = 0; a < f.k; a++) {
        if (f.z[a]! * f.sgn[a]! > 0) continue;
        const si = s[f.idx[a]!]!;
        const ratio = si / (si - f.z[a]!);
        if (!(ratio >= alpha)) {
          alpha = ratio;
          first = a;
        }
      }
      if (first < 0) {
        for (let a = 0; a < f.k; a++) s[f.idx[a]!] = f.z[a]!;
        return true;
      }
      if (fresh && !(f.z[f.k - 1]! * f.sgn[f.k - 1]! > 0)) {
        f.removeAt(f.k - 1);
        return false;
      }
      fresh = false;
      for (let a = 0; a < f.k; a++) {
        const i = f.idx[a]!;
        s[i] = a === first ? 0 : s[i]! + alpha * (f.z[a]! - s[i]!);
      }
      for (let a = f.k - 1; a >= 0; a--) {
        const i = f.idx[a]!;
        if (!(s[i]! * f.sgn[a]! > 0)) {
          s[i] = 0;
          f.removeAt(a);
          this.pivots++;
        }
      }
      if (this.pivots >= this.cap) return true;
    }
  }

  /**
   * t is in the span of F (a_t = A_F β): moving along s_F −= εθβ, s_t = θε
   * keeps As and changes ‖s‖₁ by ε(1 − θ_Fᵀθβ), which is negative exactly
   * when t is violated. Step to the first coordinate of F that reaches 0,
   * swap it out for t, then descend on the new support. False (nothing
   * changed) when the step does not lower ‖s‖₁ or the swap is singular too.
   */
  private swap(t: number, theta: number): boolean {
    const { f, s } = this;
    const beta = f.spanCoefficients();
    let gain = 0;
    let eps = Infinity;
    let q = -1;
    for (let a = 0; a < f.k; a++) {
      const bt = theta * beta[a]! * f.sgn[a]!;
      gain += bt;
      if (bt > 0) {
        const ratio = (s[f.idx[a]!]! * f.sgn[a]!) / bt;
        if (ratio < eps) {
          eps = ratio;
          q = a;
        }
      }
    }
    if (q < 0 || !(gain > 1)) return false;
    const iq = f.idx[q]!;
    for (let a = 0; a < f.k; a++) s[f.idx[a]!] = s[f.idx[a]!]! - eps * theta * beta[a]!;
    s[iq] = 0;
    s[t] = theta * eps;
    f.removeAt(q);
    this.pivots++;
    if (!f.append(t, theta, ACTIVE_SET_SINGULAR)) {
      // Rounding made the swapped support singular too: go back to the
      // old values without iq (still sign-feasible) and descend from there.
      for (let a = 0; a < this.nTouched; a++) s[this.touched[a]!] = this.before[a]!;
      s[iq] = 0;
    }
    this.descend(false);
    return true;
  }
}
