// The SAE's parameters: the public SAEModel (number[][]) and the internal
// Params (Float64Array bodies) the pass and the training work on.
//
// Layout: feature i's encoder row and decoder column both live at offset i·m
// of their Float64Array, so one index walks both. The decoder is therefore
// the column-major body of the m×n matrix W_dec, and the encoder the
// row-major body of the n×m matrix W_enc.
import { checkMatrix } from "../linalg";
import { fromRows, mat, toRows } from "../matrix";
import { show } from "../options";
import type { Matrix } from "../linalg";

export interface SAEModel {
  /** n×m encoder. */
  Wenc: Matrix;
  /** n encoder biases. */
  bEnc: number[];
  /** m×n decoder with unit-length columns: the learned feature directions. */
  Wdec: Matrix;
  /** m decoder bias. */
  bDec: number[];
}

export interface Params {
  /** Encoder rows, feature i at i·m. */
  E: Float64Array;
  be: Float64Array;
  /** Decoder columns, feature i at i·m. */
  D: Float64Array;
  bd: Float64Array;
}

export const PARAM_KEYS = ["E", "be", "D", "bd"] as const;

/** What a pass over a batch reports: Σ‖x − x′‖², Σ‖s‖₁, the count of active (point, feature) pairs, and which features fired. */
export interface BatchStats { sq: number; l1: number; active: number; fired: Uint8Array }

export function zeros(m: number, n: number): Params {
  return { E: new Float64Array(n * m), be: new Float64Array(n), D: new Float64Array(n * m), bd: new Float64Array(m) };
}

export function toModel(P: Params, m: number, n: number): SAEModel {
  return {
    Wenc: Array.from({ length: n }, (_, i) => Array.from(P.E.subarray(i * m, i * m + m))),
    bEnc: Array.from(P.be),
    Wdec: toRows(mat(m, n, P.D)),
    bDec: Array.from(P.bd),
  };
}

/** A public model checked and converted; errors name the field and the value. */
export function fromModel(model: SAEModel): { P: Params; m: number; n: number } {
  const { rows: m, cols: n, data: D } = fromRows("model.Wdec", model.Wdec);
  checkMatrix("model.Wenc", model.Wenc, { rows: n, cols: m });
  checkVector("model.bEnc", model.bEnc, n);
  checkVector("model.bDec", model.bDec, m);
  return {
    m, n,
    P: { E: Float64Array.from(model.Wenc.flat()), be: Float64Array.from(model.bEnc), D, bd: Float64Array.from(model.bDec) },
  };
}

function checkVector(name: string, v: unknown, length: number): void {
  if (!Array.isArray(v) || v.length !== length) {
    throw new RangeError(`${name} must be an array of ${length} numbers, got ${Array.isArray(v) ? `length ${v.length}` : show(v)}`);
  }
  v.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x)) throw new RangeError(`${name}[${i}] must be a finite number, got ${show(x)}`);
  });
}

export function allFinite(P: Params): boolean {
  for (const a of [P.E, P.be, P.D, P.bd]) for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k]!)) return false;
  return true;
}

/** Scales every decoder column to unit length (the SAE's constraint). */
export function normaliseColumns(D: Float64Array, m: number, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += D[i * m + r]! * D[i * m + r]!;
    const len = Math.sqrt(s);
    if (len === 0) {
      D[i * m] = 1; // a zero column has no direction; give it one rather than a NaN
      continue;
    }
    for (let r = 0; r < m; r++) D[i * m + r] = D[i * m + r]! / len;
  }
}
