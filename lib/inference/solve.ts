// The one private path for MAP inference of ŝ. inferSources (the public
// surface), learnBasis, the likelihood proxy, the coders, evidence and the
// cluster tools all call solveMap on Mat values; no caller converts to
// number[][] and back on the way.
//
// CONTRACT:
// - A is m×n, X is m×p, both already checked (finite, shapes agree);
// - model is a checked Model (lib/model.ts);
// - method 'default' picks the geometric exact solver for m = 2 (the dual
//   polygon's cut is O(n) per point) and the active-set solver otherwise;
//   the other methods are inferSources' own;
// - S0 is a warm start: the iterate FISTA starts from, or for 'active-set'
//   each point's starting support (ŝ does not depend on it when the
//   minimiser is unique);
// - certify: false skips the per-point objective and the KKT certificate
//   (the learning loop's hot path); the returned S is the same either way;
// - the same inputs give the same S bit for bit as the code it replaced;
// - a problem beyond double precision's range is rescaled exactly (see
//   scale.ts), and one that no rescaling can fix comes back with converged
//   false and the reason in diagnostics.scaling.
import { spectralNormSquared } from "../linalg";
import type { Mat } from "../matrix";
import type { Model } from "../model";
import { certify } from "./certificate";
import { exactSources, type ExactStats } from "./exact";
import { activeSetSources } from "./activeset";
import { problemOf } from "./problem";
import { proximal } from "./proximal";
import { safeObjective, scalingOf, times2 } from "./scale";
import type { InferenceDiagnostics, InferenceMethod, SolverTrace, TraceOption } from "./types";

export interface SolveOptions {
  method?: InferenceMethod | "default";
  enumerate?: boolean;
  maxIter?: number;
  tol?: number;
  step?: number;
  guard?: boolean;
  S0?: Mat;
  certify?: boolean;
  trace?: TraceOption;
}

export interface Solution {
  /** n×p MAP sources. */
  S: Mat;
  /** L(ŝ) for each point; absent when certify is false. */
  objective?: Float64Array;
  diagnostics: InferenceDiagnostics;
  trace?: SolverTrace;
}

/** The solver 'default' stands for: the geometric exact solver for m = 2, else the active-set solver. */
export function defaultMethod(m: number): InferenceMethod {
  return m === 2 ? "exact" : "active-set";
}

/** MAP ŝ for every column of X (see the contract above). */
export function solveMap(A: Mat, X: Mat, model: Model, o: SolveOptions = {}): Solution {
  const method = !o.method || o.method === "default" ? defaultMethod(A.rows) : o.method;
  const sc = scalingOf(A, X, model, method === "gradient" || method === "fista");
  if (sc === null) return solveInRange(A, X, model, o);
  // Solve in the safe units and map back: s = 2^shift·ŝ_hat, so ∂L/∂s =
  // 2^−shift·∂L/∂ŝ_hat, the Lipschitz constant scales by 2^−2·shift and the
  // step by 2^2·shift; L itself is the same number.
  const { shift } = sc;
  const back = (M: Mat): Mat => ({ rows: M.rows, cols: M.cols, data: M.data.map((v) => times2(v, shift)) });
  const inner: SolveOptions = { ...o };
  if (o.S0) inner.S0 = { rows: o.S0.rows, cols: o.S0.cols, data: o.S0.data.map((v) => times2(v, -shift)) };
  if (o.step !== undefined) inner.step = times2(o.step, -2 * shift);
  const r = solveInRange(sc.A, sc.X, sc.model, { ...inner, method });
  const d = r.diagnostics;
  const out: Solution = {
    S: back(r.S),
    diagnostics: {
      ...d,
      converged: d.converged && sc.reason === null,
      lipschitz: times2(d.lipschitz, -2 * shift),
      step: times2(d.step, 2 * shift),
      kktResidual: times2(d.kktResidual, -shift),
      scaling: { rescaled: sc.rescaled, reason: sc.reason },
    },
  };
  if (r.objective) {
    out.objective = sc.reason === null ? r.objective : safeObjective(sc.A, sc.X, r.S.data, sc.exact.sigma, sc.exact.b);
  }
  if (r.trace) out.trace = { ...r.trace, iterates: r.trace.iterates.map(back) };
  return out;
}

/** solveMap for a problem whose scales are safe as they are. */
function solveInRange(A: Mat, X: Mat, model: Model, o: SolveOptions): Solution {
  const P = problemOf(A, X, model);
  const { m, n, p } = P;
  const method = !o.method || o.method === "default" ? defaultMethod(m) : o.method;
  const lipschitz = spectralNormSquared(P.A, m, n) * P.invS2;
  let S: Float64Array;
  let diag: Omit<InferenceDiagnostics, "kktResidual">;
  let trace: SolverTrace | undefined;
  if (method === "exact") {
    const stats: ExactStats = { geometric: false, fallbackPoints: 0 };
    S = exactSources(P, o.enumerate ?? false, stats);
    diag = {
      method, iterations: 0, converged: true, lipschitz, step: Number.NaN, stepGuarded: false, diverged: null, candidates: stats.geometric ? "geometric" : "all", fallbackPoints: stats.fallbackPoints,
    };
  } else if (method === "active-set") {
    const run = activeSetSources(P, o.S0?.data);
    S = run.S;
    diag = {
      method, iterations: run.pivots, converged: run.failures.length === 0, lipschitz, step: Number.NaN,
      stepGuarded: false, diverged: null, failures: run.failures,
    };
  } else {
    const run = proximal(P, method, lipschitz, {
      maxIter: o.maxIter, tol: o.tol, step: o.step, guard: o.guard, S0: o.S0?.data, trace: o.trace,
    });
    S = run.S;
    trace = run.trace;
    diag = {
      method, iterations: run.iterations, converged: run.converged, lipschitz, step: run.step,
      stepGuarded: run.stepGuarded, diverged: run.diverged,
    };
  }
  // kktResidual last, where the public result has always had it.
  const c = o.certify !== false ? certify(P, S) : null;
  const out: Solution = { S: { rows: n, cols: p, data: S }, diagnostics: { ...diag, kktResidual: c ? c.kkt : Number.NaN } };
  if (c) out.objective = c.objective;
  if (trace) out.trace = trace;
  return out;
}
