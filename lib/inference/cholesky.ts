// The active-set solver's support and the Cholesky factor of its Gram block
// G_FF = L Lᵀ, kept up to date as coordinates enter (O(k²): one triangular
// solve) and leave (O(k²): the rows below move up and the trailing block
// takes a rank-one update, Golub & Van Loan §6.5.4).

export class Factor {
  /** Support size, its coordinates in factor order, their signs θ, and each coordinate's position (−1 off F). */
  k = 0;
  readonly idx: Int32Array;
  readonly sgn: Float64Array;
  readonly pos: Int32Array;
  /** The solution of the last solve(), in factor order. */
  readonly z: Float64Array;
  /** L, lower triangular, row-major with row stride K. */
  private readonly L: Float64Array;
  private readonly w: Float64Array;
  private readonly x: Float64Array;
  private readonly y: Float64Array;

  /** G is n×n column-major; K bounds the support (min(m, n): a larger one is singular). */
  constructor(private readonly G: Float64Array, private readonly n: number, private readonly K: number) {
    this.idx = new Int32Array(K);
    this.sgn = new Float64Array(K);
    this.pos = new Int32Array(n).fill(-1);
    this.z = new Float64Array(K);
    this.L = new Float64Array(K * K);
    this.w = new Float64Array(K);
    this.x = new Float64Array(K);
    this.y = new Float64Array(K);
  }

  clear(): void {
    for (let a = 0; a < this.k; a++) this.pos[this.idx[a]!] = -1;
    this.k = 0;
  }

  /** Adds i to the support without factoring (refactor() follows). */
  push(i: number, sgn: number): void {
    if (this.k >= this.K) return;
    this.idx[this.k] = i;
    this.sgn[this.k] = sgn;
    this.pos[i] = this.k++;
  }

  /**
   * Appends t with sign θ and extends L. False (nothing changed) when G_FF
   * would become singular: the squared distance of a_t from the span of F is
   * at most `singular`·‖a_t‖², or F already has K columns. The forward solve
   * L w = G_{F,t} is kept for spanCoefficients().
   */
  append(t: number, sgn: number, singular: number): boolean {
    const { G, n, K, L, w, k } = this;
    const gt = t * n;
    let d2 = G[gt + t]!;
    for (let a = 0; a < k; a++) {
      let acc = G[gt + this.idx[a]!]!;
      for (let b = 0; b < a; b++) acc -= L[a * K + b]! * w[b]!;
      const v = acc / L[a * K + a]!;
      w[a] = v;
      d2 -= v * v;
    }
    if (k >= K || !(G[gt + t]! > 0) || !(d2 > singular * G[gt + t]!)) return false;
    for (let a = 0; a < k; a++) L[k * K + a] = w[a]!;
    L[k * K + k] = Math.sqrt(d2);
    this.idx[k] = t;
    this.sgn[k] = sgn;
    this.pos[t] = k;
    this.k = k + 1;
    return true;
  }

  /** β with G_FF β = G_{F,t}, after append(t) returned false with F below K (a_t's coordinates in the span of F). */
  spanCoefficients(): Float64Array {
    this.backSolve(this.w, this.x);
    return this.x;
  }

  /** Removes the coordinate at position a and downdates L. */
  removeAt(a: number): void {
    const { K, L, x, k } = this;
    for (let r = a + 1; r < k; r++) {
      x[r - 1] = L[r * K + a]!;
      for (let col = 0; col <= r; col++) {
        if (col < a) L[(r - 1) * K + col] = L[r * K + col]!;
        else if (col > a) L[(r - 1) * K + col - 1] = L[r * K + col]!;
      }
    }
    // L₃₃ L₃₃ᵀ + x xᵀ for the trailing block (rows and columns a..k−2).
    for (let i = a; i < k - 1; i++) {
      const lii = L[i * K + i]!;
      const xi = x[i]!;
      const r = Math.sqrt(lii * lii + xi * xi);
      const c = r / lii;
      const s = xi / lii;
      L[i * K + i] = r;
      for (let j = i + 1; j < k - 1; j++) {
        const v = (L[j * K + i]! + s * x[j]!) / c;
        L[j * K + i] = v;
        x[j] = c * x[j]! - s * v;
      }
    }
    this.pos[this.idx[a]!] = -1;
    for (let r = a + 1; r < k; r++) {
      this.idx[r - 1] = this.idx[r]!;
      this.sgn[r - 1] = this.sgn[r]!;
      this.pos[this.idx[r - 1]!] = r - 1;
    }
    this.k = k - 1;
  }

  /** A fresh factor of the support in its current order; columns that would make it singular are left out. */
  refactor(singular: number): void {
    const k = this.k;
    const idx = this.idx.slice(0, k);
    const sgn = this.sgn.slice(0, k);
    this.clear();
    for (let a = 0; a < k; a++) this.append(idx[a]!, sgn[a]!, singular);
  }

  /** Sorts the support by coordinate (the factor is then stale: refactor() follows). */
  sortAscending(): void {
    const { idx, sgn } = this;
    for (let a = 1; a < this.k; a++) {
      const i = idx[a]!;
      const s = sgn[a]!;
      let b = a - 1;
      for (; b >= 0 && idx[b]! > i; b--) {
        idx[b + 1] = idx[b]!;
        sgn[b + 1] = sgn[b]!;
      }
      idx[b + 1] = i;
      sgn[b + 1] = s;
    }
    for (let a = 0; a < this.k; a++) this.pos[idx[a]!] = a;
  }

  /**
   * z = G_FF⁻¹ (c_F − μθ_F). `refine`: one step of iterative refinement
   * (the residual of the system formed from G itself, solved again).
   */
  solve(c: Float64Array, mu: number, refine = false): void {
    const { k, y, z, idx, sgn } = this;
    for (let a = 0; a < k; a++) y[a] = c[idx[a]!]! - mu * sgn[a]!;
    this.forwardSolve(y);
    this.backSolve(y, z);
    if (!refine) return;
    const { G, n } = this;
    for (let a = 0; a < k; a++) {
      let acc = c[idx[a]!]! - mu * sgn[a]!;
      const g = idx[a]! * n;
      for (let b = 0; b < k; b++) acc -= G[g + idx[b]!]! * z[b]!;
      y[a] = acc;
    }
    this.forwardSolve(y);
    this.backSolve(y, this.x);
    for (let a = 0; a < k; a++) z[a] = z[a]! + this.x[a]!;
  }

  /** y ← L⁻¹ y in place. */
  private forwardSolve(y: Float64Array): void {
    const { K, L, k } = this;
    for (let a = 0; a < k; a++) {
      let acc = y[a]!;
      for (let b = 0; b < a; b++) acc -= L[a * K + b]! * y[b]!;
      y[a] = acc / L[a * K + a]!;
    }
  }

  /** out = L⁻ᵀ y. */
  private backSolve(y: Float64Array, out: Float64Array): void {
    const { K, L, k } = this;
    for (let a = k - 1; a >= 0; a--) {
      let acc = y[a]!;
      for (let b = a + 1; b < k; b++) acc -= L[b * K + a]! * out[b]!;
      out[a] = acc / L[a * K + a]!;
    }
  }
}
