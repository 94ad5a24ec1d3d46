// The one internal matrix type of lib/: a shape and a column-major
// Float64Array body, so column j of X is data[j*rows .. (j+1)*rows). Inside
// lib/ every numeric routine takes and returns Mat; number[][] (row i,
// column j) appears only at the public surface, converted by fromRows and
// toRows, once per public call.
import { checkMatrix, fromColMajor, toColMajor, type Matrix } from "./linalg";

export interface Mat {
  readonly rows: number;
  readonly cols: number;
  /** Column-major entries; length rows·cols. */
  readonly data: Float64Array;
}

/** A rows×cols matrix over `data` (zeros when omitted); `data` is not copied. */
export function mat(rows: number, cols: number, data?: Float64Array): Mat {
  if (data !== undefined && data.length !== rows * cols) {
    throw new RangeError(`matrix body has ${data.length} entries, expected ${rows}×${cols} = ${rows * cols}`);
  }
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/**
 * Checks a public number[][] (rectangular, finite, the expected shape) and
 * converts it; errors name the parameter and the value.
 */
export function fromRows(name: string, M: unknown, expect: { rows?: number; cols?: number } = {}): Mat {
  const { rows, cols } = checkMatrix(name, M, expect);
  return { rows, cols, data: toColMajor(M as Matrix) };
}

/** A Mat back to number[][] for the public surface. */
export function toRows(M: Mat): Matrix {
  return fromColMajor(M.data, M.rows, M.cols);
}

/** Column j as a view (no copy). */
export function col(M: Mat, j: number): Float64Array {
  return M.data.subarray(j * M.rows, (j + 1) * M.rows);
}

/**
 * The columns `idx` of M as a new matrix (a minibatch of points). Shared by
 * every learner that draws minibatches.
 */
export function pickColumns(M: Mat, idx: ArrayLike<number>, count = idx.length): Mat {
  const { rows } = M;
  const out = new Float64Array(rows * count);
  const data = M.data;
  // An element loop, not set(subarray(…)): a subarray is an object per
  // column, which cost trainSAE 60% of its time on 2-D data.
  for (let k = 0; k < count; k++) {
    const from = idx[k]! * rows;
    for (let r = 0; r < rows; r++) out[k * rows + r] = data[from + r]!;
  }
  return { rows, cols: count, data: out };
}

/**
 * A data matrix from the public surface: m×p, one column per point, as
 * learnBasis and trainSAE take it. Besides fromRows' checks, it rejects more
 * rows than columns: with fewer points than dimensions no basis can be
 * learned, and the usual cause is a transposed p×m array (issue 15, defect 5),
 * which would otherwise run silently and return a basis with p rows.
 */
export function dataFromRows(name: string, X: unknown, expect: { rows?: number } = {}): Mat {
  const M = fromRows(name, X, expect);
  if (M.rows > M.cols) {
    throw new RangeError(
      `${name} is ${M.rows}×${M.cols}: more rows (dimensions) than columns (points); pass the transpose, one column per point`,
    );
  }
  return M;
}
