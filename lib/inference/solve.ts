// The one private path for MAP inference of ŝ. inferSources (the public
// surface), learnBasis, the likelihood proxy, the coders, evidence and the
// cluster tools all call solveMap on Mat values; no caller converts to
// number[][] and back on the way.
//
// CONTRACT (foundation commit; the inference rework keeps this signature):
// - A is m×n, X is m×p, both already checked (finite, shapes agree);
// - model is a checked Model (lib/model.ts);
// - method 'default' picks the exact solver where it is cheap (always for
//   m = 2), else FISTA; the other methods are inferSources' own;
// - certify: false skips the per-point objective and the KKT certificate
//   (the learning loop's hot path); the returned S is the same either way;
// - the same inputs give the same S bit for bit as the code it replaces.
import type { Mat } from "../matrix";
import type { Model } from "../model";
import { fromColMajor, toColMajor } from "../linalg";
import { exactSourcesColMajor, inferSources, type InferenceDiagnostics, type InferenceMethod } from "../inference";
import { isNonNegative } from "../model";

export interface SolveOptions {
  method?: InferenceMethod | "default";
  enumerate?: boolean;
  maxIter?: number;
  tol?: number;
  step?: number;
  guard?: boolean;
  S0?: Mat;
  certify?: boolean;
}

export interface Solution {
  /** n×p MAP sources. */
  S: Mat;
  /** L(ŝ) for each point; absent when certify is false. */
  objective?: Float64Array;
  diagnostics?: InferenceDiagnostics;
}

/** Temporary body over the old entry points; replaced by the inference rework. */
export function solveMap(A: Mat, X: Mat, model: Model, o: SolveOptions = {}): Solution {
  const nonNegative = isNonNegative(model);
  const m = A.rows, n = A.cols, p = X.cols;
  if ((o.method ?? "default") === "default" && o.certify === false) {
    const S = exactSourcesColMajor(A.data, X.data, m, n, p, { sigma: model.sigma, b: model.b, nonNegative, enumerate: o.enumerate });
    if (S) return { S: { rows: n, cols: p, data: S } };
  }
  const method = o.method === "default" ? undefined : o.method;
  const r = inferSources(fromColMajor(A.data, m, n), fromColMajor(X.data, m, p), {
    sigma: model.sigma, b: model.b, nonNegative, method, enumerate: o.enumerate, maxIter: o.maxIter, tol: o.tol, step: o.step,
    guard: o.guard, S0: o.S0 ? fromColMajor(o.S0.data, n, p) : undefined,
  });
  return { S: { rows: n, cols: p, data: toColMajor(r.S) }, objective: Float64Array.from(r.objective), diagnostics: r.diagnostics };
}
