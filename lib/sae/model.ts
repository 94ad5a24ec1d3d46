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
  /** The activation (absent = 'relu', the model of Bricken et al.). */
  activation?: Activation;
  /** For 'topk': how many features each point keeps (1 … n). */
  k?: number;
  /** For 'jumprelu': the n thresholds θ_i > 0 below which feature i is silent. */
  threshold?: number[];
}

export type Activation = "relu" | "topk" | "jumprelu";
export const ACTIVATIONS: readonly Activation[] = ["relu", "topk", "jumprelu"];

/** How a model turns pre-activations u into the code s (lib/sae/variants.ts). */
export type Act =
  | { kind: "relu" }
  | { kind: "topk"; k: number }
  | { kind: "jumprelu" };

export interface Params {
  /** Encoder rows, feature i at i·m. */
  E: Float64Array;
  be: Float64Array;
  /** Decoder columns, feature i at i·m. */
  D: Float64Array;
  bd: Float64Array;
  /** JumpReLU only: the log-thresholds t_i, θ_i = exp(t_i) (Rajamanoharan et al. 2024, appendix J). */
  lt?: Float64Array;
}

export const PARAM_KEYS = ["E", "be", "D", "bd"] as const;
/** The parameters Adam moves: the ReLU and TopK SAEs' four, and the JumpReLU SAE's log-thresholds after them. */
export type ParamKey = (typeof PARAM_KEYS)[number] | "lt";
export const JUMP_KEYS: readonly ParamKey[] = [...PARAM_KEYS, "lt"];

/** What a pass over a batch reports: Σ‖x − x′‖², Σ‖s‖₁, the count of active (point, feature) pairs, and which features fired. */
export interface BatchStats { sq: number; l1: number; active: number; fired: Uint8Array }

/** Zero parameters; with `jump`, log-thresholds too. */
export function zeros(m: number, n: number, jump = false): Params {
  const P: Params = { E: new Float64Array(n * m), be: new Float64Array(n), D: new Float64Array(n * m), bd: new Float64Array(m) };
  if (jump) P.lt = new Float64Array(n);
  return P;
}

/** The public model; a ReLU model has exactly the four fields it always had. */
export function toModel(P: Params, m: number, n: number, act: Act = { kind: "relu" }): SAEModel {
  const model: SAEModel = {
    Wenc: Array.from({ length: n }, (_, i) => Array.from(P.E.subarray(i * m, i * m + m))),
    bEnc: Array.from(P.be),
    Wdec: toRows(mat(m, n, P.D)),
    bDec: Array.from(P.bd),
  };
  if (act.kind === "topk") Object.assign(model, { activation: "topk", k: act.k });
  if (act.kind === "jumprelu") Object.assign(model, { activation: "jumprelu", threshold: Array.from(P.lt!, Math.exp) });
  return model;
}

/** A public model checked and converted; errors name the field and the value. */
export function fromModel(model: SAEModel): { P: Params; m: number; n: number; act: Act } {
  const { rows: m, cols: n, data: D } = fromRows("model.Wdec", model.Wdec);
  checkMatrix("model.Wenc", model.Wenc, { rows: n, cols: m });
  checkVector("model.bEnc", model.bEnc, n);
  checkVector("model.bDec", model.bDec, m);
  const P: Params = { E: Float64Array.from(model.Wenc.flat()), be: Float64Array.from(model.bEnc), D, bd: Float64Array.from(model.bDec) };
  const act = modelActivation(model, n);
  if (act.kind === "jumprelu") P.lt = Float64Array.from(model.threshold!, Math.log);
  return { m, n, P, act };
}

/** The activation a model declares, its fields checked: k only with 'topk', threshold only with 'jumprelu'. */
function modelActivation(model: SAEModel, n: number): Act {
  const a = model.activation ?? "relu";
  if (!ACTIVATIONS.includes(a)) throw new RangeError(`model.activation must be 'relu', 'topk' or 'jumprelu', got ${show(a)}`);
  if (a !== "topk" && model.k !== undefined) throw new RangeError(`model.k is only used with model.activation 'topk', got k = ${show(model.k)} with '${a}'`);
  if (a !== "jumprelu" && model.threshold !== undefined) throw new RangeError(`model.threshold is only used with model.activation 'jumprelu', got it with '${a}'`);
  if (a === "topk") {
    const k = model.k;
    if (typeof k !== "number" || !Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`model.k must be an integer in [1, ${n}] for a 'topk' model, got ${show(k)}`);
    return { kind: "topk", k };
  }
  if (a === "jumprelu") {
    checkVector("model.threshold", model.threshold, n);
    model.threshold!.forEach((t, i) => {
      if (t <= 0) throw new RangeError(`model.threshold[${i}] must be > 0, got ${show(t)}`);
    });
    return { kind: "jumprelu" };
  }
  return { kind: "relu" };
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
  for (const a of P.lt === undefined ? [P.E, P.be, P.D, P.bd] : [P.E, P.be, P.D, P.bd, P.lt]) for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k]!)) return false;
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
