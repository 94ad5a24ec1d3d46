// Small dense linear algebra on Float64Array. Matrices at the public API are
// number[][] (row i, column j); inside hot loops they are column-major
// Float64Array, so column j of an m-row matrix is buf[j*m .. j*m+m).
import { eigenvaluesInPlace } from "./eigen";

export type Matrix = number[][];

export interface Shape {
  rows: number;
  cols: number;
}

/**
 * Checks that `M` is a non-empty rectangular matrix of finite numbers and
 * returns its shape. Errors name the parameter and the offending value.
 */
export function checkMatrix(
  name: string,
  M: unknown,
  expect: { rows?: number; cols?: number } = {},
): Shape {
  if (!Array.isArray(M) || M.length === 0) {
    throw new TypeError(`${name} must be a non-empty number[][], got ${describe(M)}`);
  }
  const rows = M.length;
  const first = M[0];
  if (!Array.isArray(first) || first.length === 0) {
    throw new TypeError(`${name}[0] must be a non-empty array of numbers, got ${describe(first)}`);
  }
  const cols = first.length;
  for (let i = 0; i < rows; i++) {
    const row = M[i];
    if (!Array.isArray(row) || row.length !== cols) {
      throw new TypeError(
        `${name} must be rectangular: row 0 has ${cols} entries, row ${i} has ${Array.isArray(row) ? row.length : describe(row)}`,
      );
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(`${name}[${i}][${j}] must be a finite number, got ${typeof v === "string" ? `'${v}'` : String(v)}`);
      }
    }
  }
  if (expect.rows !== undefined && rows !== expect.rows) {
    throw new RangeError(`${name} must have ${expect.rows} rows, got ${rows}`);
  }
  if (expect.cols !== undefined && cols !== expect.cols) {
    throw new RangeError(`${name} must have ${expect.cols} columns, got ${cols}`);
  }
  return { rows, cols };
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return "null";
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

/** number[][] (rows × cols) to a column-major buffer. */
export function toColMajor(M: Matrix): Float64Array {
  const rows = M.length;
  const cols = M[0]!.length;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = M[i]!;
    for (let j = 0; j < cols; j++) out[j * rows + i] = row[j]!;
  }
  return out;
}

/** A column-major buffer back to number[][] (rows × cols). */
export function fromColMajor(buf: ArrayLike<number>, rows: number, cols: number): Matrix {
  const out: Matrix = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(cols);
    for (let j = 0; j < cols; j++) row[j] = buf[j * rows + i]!;
    out.push(row);
  }
  return out;
}

/** Column j of M as a plain array. */
export function column(M: Matrix, j: number): number[] {
  return M.map((row) => row[j]!);
}

/** The Euclidean norm of each column. */
export function columnNorms(M: Matrix): number[] {
  const cols = M[0]!.length;
  const out = new Array<number>(cols).fill(0);
  for (const row of M) for (let j = 0; j < cols; j++) out[j] += row[j]! * row[j]!;
  return out.map(Math.sqrt);
}

/** One entry (AᵀA)_ij = a_iᵀa_j of a column-major m×n matrix, summed over k in order. */
export function gramEntry(A: Float64Array, m: number, i: number, j: number): number {
  let acc = 0;
  for (let k = 0; k < m; k++) acc += A[i * m + k]! * A[j * m + k]!;
  return acc;
}

/** The Gram matrix AᵀA of a column-major m×n matrix, as a column-major n×n buffer. */
export function gram(A: Float64Array, m: number, n: number): Float64Array {
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const acc = gramEntry(A, m, i, j);
      G[j * n + i] = acc;
      G[i * n + j] = acc;
    }
  }
  return G;
}

/** AAᵀ of a column-major m×n matrix, as a column-major m×m buffer. */
export function outerGram(A: Float64Array, m: number, n: number): Float64Array {
  const G = new Float64Array(m * m);
  for (let r = 0; r < m; r++) {
    for (let c = r; c < m; c++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += A[i * m + r]! * A[i * m + c]!;
      G[c * m + r] = acc;
      G[r * m + c] = acc;
    }
  }
  return G;
}

/**
 * Eigenvalues of a small symmetric matrix (column-major d×d) by cyclic
 * Jacobi rotations, in descending order. Meant for d ≤ ~20.
 */
export function symmetricEigenvalues(S: ArrayLike<number>, d: number): number[] {
  const a = Float64Array.from(S);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[q * d + p]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[q * d + p]!;
        if (Math.abs(apq) < 1e-300) continue;
        const app = a[p * d + p]!;
        const aqq = a[q * d + q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[p * d + k]!;
          const akq = a[q * d + k]!;
          a[p * d + k] = c * akp - s * akq;
          a[q * d + k] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[k * d + p]!;
          const aqk = a[k * d + q]!;
          a[k * d + p] = c * apk - s * aqk;
          a[k * d + q] = s * apk + c * aqk;
        }
      }
    }
  }
  const ev: number[] = [];
  for (let i = 0; i < d; i++) ev.push(a[i * d + i]!);
  return ev.sort((x, y) => y - x);
}

/** ‖A‖₂², the largest eigenvalue of AAᵀ (m×m is the smaller side here). */
export function spectralNormSquared(A: Float64Array, m: number, n: number): number {
  const AAt = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += A[k * m + i]! * A[k * m + j]!;
      AAt[j * m + i] = acc;
      AAt[i * m + j] = acc;
    }
  }
  return Math.max(0, symmetricEigenvalues(AAt, m)[0]!);
}

/**
 * Solves the d×d system M y = r (M column-major) by Gaussian elimination with
 * partial pivoting. Returns null when M is numerically singular.
 */
export function solveSmall(M: ArrayLike<number>, r: ArrayLike<number>, d: number): Float64Array | null {
  const a = Float64Array.from(M);
  const y = Float64Array.from(r);
  let scale = 0;
  for (let i = 0; i < d * d; i++) scale = Math.max(scale, Math.abs(a[i]!));
  if (scale === 0) return null;
  for (let col = 0; col < d; col++) {
    let piv = col;
    for (let row = col + 1; row < d; row++) {
      if (Math.abs(a[col * d + row]!) > Math.abs(a[col * d + piv]!)) piv = row;
    }
    if (Math.abs(a[col * d + piv]!) <= 1e-12 * scale) return null;
    if (piv !== col) {
      for (let k = 0; k < d; k++) {
        const t = a[k * d + col]!;
        a[k * d + col] = a[k * d + piv]!;
        a[k * d + piv] = t;
      }
      const t = y[col]!;
      y[col] = y[piv]!;
      y[piv] = t;
    }
    const pivot = a[col * d + col]!;
    for (let row = col + 1; row < d; row++) {
      const f = a[col * d + row]! / pivot;
      if (f === 0) continue;
      for (let k = col; k < d; k++) a[k * d + row] -= f * a[k * d + col]!;
      y[row] -= f * y[col]!;
    }
  }
  for (let row = d - 1; row >= 0; row--) {
    let acc = y[row]!;
    for (let k = row + 1; k < d; k++) acc -= a[k * d + row]! * y[k]!;
    y[row] = acc / a[row * d + row]!;
  }
  return y;
}

/** The product A S (m×n times n×p) as number[][]; e.g. reconstructions of the data. */
export function reconstruct(A: Matrix, S: Matrix): Matrix {
  const { rows: m, cols: n } = checkMatrix("A", A);
  const { cols: p } = checkMatrix("S", S, { rows: n });
  const out: Matrix = Array.from({ length: m }, () => new Array<number>(p).fill(0));
  for (let r = 0; r < m; r++) {
    for (let i = 0; i < n; i++) {
      const a = A[r]![i]!;
      if (a === 0) continue;
      const row = S[i]!;
      const o = out[r]!;
      for (let j = 0; j < p; j++) o[j] += a * row[j]!;
    }
  }
  return out;
}

/**
 * Eigenvalues of a small general (non-symmetric) square matrix, as {re, im},
 * largest real part first (then largest imaginary part): balancing,
 * Hessenberg reduction and shifted QR (lib/eigen.ts). Throws, naming the
 * size, on the rare matrix where the QR steps do not converge.
 */
export function eigenvalues(M: Matrix): { re: number; im: number }[] {
  const { rows, cols } = checkMatrix("M", M);
  if (rows !== cols) throw new RangeError(`M must be square, got ${rows}×${cols}`);
  const n = rows;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = M[i]![j]!;
  const re = new Float64Array(n), im = new Float64Array(n);
  eigenvaluesInPlace(a, n, re, im);
  return Array.from({ length: n }, (_, i) => ({ re: re[i]!, im: im[i]! })).sort((x, y) => y.re - x.re || y.im - x.im);
}

/** ½ log det(AAᵀ) for column-major A (m×n); −Infinity when singular. */
export function halfLogDetAAtBuffer(A: Float64Array, m: number, n: number): number {
  // Cholesky of the m×m Gram matrix.
  const G = outerGram(A, m, n);
  const L = new Float64Array(m * m);
  for (let r = 0; r < m; r++) {
    for (let c = 0; c <= r; c++) {
      let acc = G[c * m + r]!;
      for (let k = 0; k < c; k++) acc -= L[k * m + r]! * L[k * m + c]!;
      if (r === c) {
        if (acc <= 0) return -Infinity;
        L[c * m + r] = Math.sqrt(acc);
      } else {
        L[c * m + r] = acc / L[c * m + c]!;
      }
    }
  }
  let s = 0;
  for (let r = 0; r < m; r++) s += Math.log(L[r * m + r]!);
  return s;
}

/** ½ log det(AAᵀ) of an m×n basis (the volume term of the likelihood proxy, notebook 00); −Infinity when AAᵀ is singular. */
export function halfLogDetAAt(A: Matrix): number {
  const { rows: m, cols: n } = checkMatrix("A", A);
  return halfLogDetAAtBuffer(toColMajor(A), m, n);
}
