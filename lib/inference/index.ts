// MAP inference of the sources for a fixed basis (blog E2; the first half of
// each learning step in Lewicki & Sejnowski 2000): the public surface. Each
// call checks its inputs once, converts number[][] to Mat, and hands over to
// solveMap (solve.ts), the one private path every module shares.
//
//   problem.ts       the problem's buffers and constants
//   certificate.ts   the objective L(s) and the KKT certificate
//   enumeration.ts   the exact solver's general search over supports
//   polygon.ts       the m = 2 dual polygon that cuts it to ≤ 3 candidates a point
//   exact.ts         the exact solver (enumeration or cut)
//   activeset.ts     the exact active-set solver for any m (cholesky.ts: its factor)
//   proximal.ts      ISTA / FISTA
//   scale.ts         exact rescaling of extreme problems
//   solve.ts         solveMap, the private entry
import { fromRows, toRows, type Mat } from "../matrix";
import { MODEL_OPTIONS, RETIRED_NON_NEGATIVE, type Model } from "../model";
import type { Matrix } from "../linalg";
import { checkValue, declareOptions, show } from "../options";
import { pointKkt, pointObjective } from "./certificate";
import { problemOf, type Problem } from "./problem";
import { safeObjective, scalingOf, times2 } from "./scale";
import { solveMap } from "./solve";
import type { InferenceDiagnostics, InferenceMethod, TraceOf, TraceOption } from "./types";

export type { Divergence, InferenceDiagnostics, InferenceMethod } from "./types";
export type InferenceTrace = TraceOf<Matrix>;

export interface InferenceOptions extends Partial<Model> {
  /**
   * Solver. Default: 'exact' (the geometric cut) for m = 2, else 'active-set'
   * (exact per point, certified by the KKT conditions).
   */
  method?: InferenceMethod;
  /** Iteration cap for 'gradient' and 'fista'. */
  maxIter?: number;
  /** Stop when no coefficient moves by more than tol·max(1, ‖s‖∞); 0 runs all maxIter iterations. */
  tol?: number;
  /** Step size η. Default 1/L with L = ‖A‖₂²/σ², the gradient's Lipschitz constant. */
  step?: number;
  /** Keep η where the method provably converges (η < 2/L 'gradient', η ≤ 1/L 'fista'); a larger step becomes 1/L and is reported. */
  guard?: boolean;
  /** 'exact' only: try every support for every point instead of the m = 2 geometric cut (same ŝ, slower). */
  enumerate?: boolean;
  /** Warm start, n×p. Default zeros. 'active-set' takes each point's support and signs from it (ŝ is the same). */
  S0?: Matrix;
  /** Record the total objective at each iteration, and optionally the iterates. */
  trace?: TraceOption;
}

export interface InferenceResult {
  /** n×p MAP sources. */
  S: Matrix;
  /** L(ŝ) for each point. */
  objective: number[];
  diagnostics: InferenceDiagnostics;
  trace?: InferenceTrace;
}

const RETIRED = RETIRED_NON_NEGATIVE;

function checkTrace(name: string, v: unknown): void {
  if (typeof v === "boolean") return;
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new TypeError(`${name} must be true, false or { iterates?: boolean, every?: integer ≥ 1 }, got ${show(v)}`);
  }
  for (const [k, x] of Object.entries(v)) {
    if (k === "iterates") checkValue(`${name}.iterates`, { kind: "boolean", doc: "" }, x);
    else if (k === "every") checkValue(`${name}.every`, { kind: "integer", min: 1, doc: "" }, x);
    else throw new RangeError(`${name}: unknown option '${k}'; valid options are iterates, every`);
  }
}

export const INFER_OPTIONS = declareOptions<InferenceOptions>("inferSources", {
  ...MODEL_OPTIONS.schema,
  method: {
    kind: "enum", values: ["gradient", "fista", "exact", "active-set"],
    doc: "solver; default 'exact' for m = 2 (the geometric cut, any n), else 'active-set' (exact per point for any m, KKT-certified; " +
      "diagnostics.failures lists points it could not certify); 'exact' with m > 2 enumerates every support (for checking)",
  },
  maxIter: { kind: "integer", min: 0, default: 5000, doc: "iteration cap of 'gradient' and 'fista'" },
  tol: { kind: "number", min: 0, default: 1e-12, doc: "stop when no coefficient moves by more than tol·max(1, ‖s‖∞); 0 runs all maxIter" },
  step: { kind: "number", above: 0, doc: "step η; default 1/L, L = ‖A‖₂²/σ²" },
  guard: { kind: "boolean", default: true, doc: "replace a step beyond the convergent range by 1/L (false: watch it diverge)" },
  enumerate: { kind: "boolean", default: false, doc: "'exact': try every support instead of the m = 2 cut (same ŝ; for checking)" },
  S0: { kind: "matrix", doc: "warm start, n×p; default zeros; 'active-set' starts each point from its support and signs (the same ŝ whenever the minimiser is unique)" },
  trace: { kind: "custom", type: "boolean | { iterates?, every? }", check: checkTrace, doc: "record the objective per iteration (and the iterates every `every`)" },
}, RETIRED);

/** MAP estimate ŝ of the sources of every column of X under basis A. */
export function inferSources(A: Matrix, X: Matrix, opts: InferenceOptions = {}): InferenceResult {
  const o = INFER_OPTIONS.parse(opts);
  const Am = fromRows("A", A);
  const Xm = fromRows("X", X, { rows: Am.rows });
  const S0 = o.S0 === undefined ? undefined : fromRows("S0", o.S0, { rows: Am.cols, cols: Xm.cols });
  const model: Model = { prior: o.prior!, sigma: o.sigma!, b: o.b! };
  const r = solveMap(Am, Xm, model, {
    method: o.method, enumerate: o.enumerate, maxIter: o.maxIter, tol: o.tol, step: o.step, guard: o.guard, S0, trace: o.trace,
  });
  const out: InferenceResult = { S: toRows(r.S), objective: Array.from(r.objective!), diagnostics: r.diagnostics };
  if (r.trace) out.trace = { ...r.trace, iterates: r.trace.iterates.map(toRows) };
  return out;
}

export const CERTIFICATE_OPTIONS = declareOptions<Partial<Model>>("kktResidual", MODEL_OPTIONS.schema, RETIRED);
export const OBJECTIVE_OPTIONS = declareOptions<Partial<Model>>("lassoObjective", MODEL_OPTIONS.schema, RETIRED);

/** The checked inputs of kktResidual and lassoObjective. */
function checked(A: Matrix, X: Matrix, S: Matrix): { Am: Mat; Xm: Mat; Sm: Mat } {
  const Am = fromRows("A", A);
  const Xm = fromRows("X", X, { rows: Am.rows });
  return { Am, Xm, Sm: fromRows("S", S, { rows: Am.cols, cols: Xm.cols }) };
}

function worstKkt(P: Problem, S: Float64Array): number {
  let worst = 0;
  const r = new Float64Array(P.m);
  for (let j = 0; j < P.p; j++) worst = Math.max(worst, pointKkt(P, S, j, r));
  return worst;
}

/**
 * Largest KKT violation of S (n×p) as a minimiser of L for basis A and data X
 * (see certificate.ts), in units of ∂L/∂s.
 */
export function kktResidual(A: Matrix, X: Matrix, S: Matrix, opts: Partial<Model> = {}): number {
  const model = CERTIFICATE_OPTIONS.parse(opts) as Model;
  const { Am, Xm, Sm } = checked(A, X, S);
  const sc = scalingOf(Am, Xm, model);
  if (sc === null) return worstKkt(problemOf(Am, Xm, model), Sm.data);
  // In the safe units (scale.ts): s = 2^shift·ŝ, so ∂L/∂s = 2^−shift·∂L/∂ŝ.
  const Sh = Sm.data.map((v) => times2(v, -sc.shift));
  return times2(worstKkt(problemOf(sc.A, sc.X, sc.model), Sh), -sc.shift);
}

/** L(s) per point for given sources; the objective inferSources minimises. */
export function lassoObjective(A: Matrix, X: Matrix, S: Matrix, opts: Partial<Model> = {}): number[] {
  const model = OBJECTIVE_OPTIONS.parse(opts) as Model;
  const { Am, Xm, Sm } = checked(A, X, S);
  const sc = scalingOf(Am, Xm, model);
  if (sc === null) {
    const P = problemOf(Am, Xm, model);
    return Array.from({ length: P.p }, (_, j) => pointObjective(P, Sm.data, j));
  }
  const Sh = Sm.data.map((v) => times2(v, -sc.shift));
  return Array.from(safeObjective(sc.A, sc.X, Sh, sc.exact.sigma, sc.exact.b));
}
