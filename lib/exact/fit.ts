// Maximum likelihood for Lewicki & Sejnowski's model in two dimensions
// (issue #20, notebook E11): the basis A that maximises the exact mean
// log-likelihood (1/p) Σ_j log P(x_j | A) of lib/exact/likelihood.ts, found
// by L-BFGS (lib/exact/lbfgs.ts) over A's 2n entries with the exact gradient.
// It starts where learnBasis starts (the same initialBasis call for the same
// init, scale and seed), so the rule and the likelihood can be compared from
// one start.
import { declareOptions, requireInt, type Spec } from "../options";
import { type Matrix } from "../linalg";
import { dataFromRows, fromRows, mat, toRows, type Mat } from "../matrix";
import { MODEL_OPTIONS, type Model, type Prior } from "../model";
import { initialBasis, type InitKind } from "../init";
import { INIT_SPEC } from "../learning/options";
import { basisErrorOf } from "../metrics";
import { exactLogLikelihood } from "./likelihood";
import { minimizeLbfgs, type StopReason } from "./lbfgs";

export interface FitOptions {
  prior?: Prior;
  sigma?: number;
  b?: number;
  /** Number of columns n; required unless init is a matrix. */
  sources?: number;
  /** The start: a scheme of initialBasis or an explicit 2×n matrix. Default 'spread' (the best-effort recipe's). */
  init?: InitKind | Matrix;
  /** Length of the initial columns ('perturbed-truth': a factor on the true lengths). Default 1. */
  initScale?: number;
  /** Rotation noise of 'perturbed-truth', degrees. Default 10. */
  perturbDeg?: number;
  /** Seed of the start. Default 0. */
  seed?: number | string;
  /** The true basis, when known: the fit reports its likelihood and the angle error to it. */
  trueBasis?: Matrix;
  /** Default 500. */
  maxIterations?: number;
  /** Default 50 × maxIterations. */
  maxEvaluations?: number;
  /** Converged when every entry of the mean log-likelihood's gradient is at most this. Default 1e-7. */
  gradientTolerance?: number;
  /** Stalled when the mean log-likelihood rose by less than this (relative) over 5 iterations. Default 1e-13. */
  relativeTolerance?: number;
  /** L-BFGS memory. Default 10. */
  memory?: number;
  /** Keep every k-th iteration in the history (first and last always). Default 1. */
  historyEvery?: number;
}

const initSpec: Spec = {
  ...INIT_SPEC,
  default: "spread",
  doc: "the start: a scheme of initialBasis (the same start as learnBasis for the same init, initScale and seed) or an explicit 2×n matrix",
} as Spec;

export const FIT_OPTIONS = declareOptions<FitOptions>("fitMaximumLikelihood", {
  ...MODEL_OPTIONS.schema,
  sources: { kind: "integer", min: 1, doc: "number of columns n (required unless init is a matrix)" },
  init: initSpec,
  initScale: { kind: "number", above: 0, default: 1, doc: "length of the initial columns ('perturbed-truth': a factor on the true lengths)" },
  perturbDeg: { kind: "number", min: 0, default: 10, doc: "rotation noise of 'perturbed-truth', degrees" },
  seed: { kind: "seed", default: 0, doc: "seed of the start (initialBasis' stream `<seed>/init`)" },
  trueBasis: { kind: "matrix", doc: "the true 2×n basis: the fit reports its log-likelihood and the angle error to it" },
  maxIterations: { kind: "integer", min: 0, default: 500, doc: "stop after this many L-BFGS iterations" },
  maxEvaluations: { kind: "integer", min: 1, doc: "stop after this many likelihood evaluations (default 50 × maxIterations)" },
  gradientTolerance: { kind: "number", min: 0, default: 1e-7, doc: "converged when every entry of the mean log-likelihood's gradient is at most this" },
  relativeTolerance: { kind: "number", min: 0, default: 1e-13, doc: "stalled when the mean log-likelihood rose by less than this × max(1, |value|) over 5 iterations" },
  memory: { kind: "integer", min: 1, default: 10, doc: "L-BFGS memory (curvature pairs kept)" },
  historyEvery: { kind: "integer", min: 1, default: 1, doc: "keep every k-th iteration in the history (first and last always)" },
});

export interface FitEntry {
  iteration: number;
  /** Mean log-likelihood at the iterate. */
  value: number;
  /** Largest |entry| of its gradient. */
  gradientNorm: number;
  /** basisError's mean angle to trueBasis, degrees, or null without one. */
  angleError: number | null;
}

export interface FitResult {
  /** The estimate, 2×n. */
  A: Matrix;
  /** Mean log-likelihood at A. */
  value: number;
  /** The start, 2×n. */
  start: Matrix;
  /** Whether the start sat on a near-singular split and L-BFGS began from it with column i turned by 4e-3·(i + 1) rad. */
  startTurned: boolean;
  history: FitEntry[];
  converged: boolean;
  reason: StopReason;
  iterations: number;
  evaluations: number;
  /** Evaluations at which the likelihood was not finite or not defined (each cut a step back). */
  nonFinite: number;
  /** Mean log-likelihood at trueBasis, or null. */
  trueValue: number | null;
  /** basisError's mean angle of A to trueBasis, degrees, or null. */
  angleError: number | null;
  options: FitOptions;
}

/**
 * Maximises the exact mean log-likelihood over A (m = 2). Returns the
 * estimate, its value, the start and the history; converged is false (with
 * the reason) when L-BFGS stopped for another cause than a small gradient
 * or a stalled value. Throws, naming the option, on bad options, and when
 * the likelihood is not finite at the start.
 */
export function fitMaximumLikelihood(X: Matrix, opts: FitOptions = {}): FitResult {
  const o = FIT_OPTIONS.parse(opts);
  const Xm = dataFromRows("X", X);
  if (Xm.rows !== 2) {
    throw new RangeError(`fitMaximumLikelihood: X has ${Xm.rows} rows (m = ${Xm.rows}); the exact likelihood is closed-form in two dimensions only (notebook E11 says why), so X must have 2 rows`);
  }
  const model: Model = { prior: o.prior!, sigma: o.sigma!, b: o.b! };
  const trueBasis = o.trueBasis === undefined ? undefined : fromRows("trueBasis", o.trueBasis, { rows: 2 });
  const A0 = startOf(o, X, trueBasis);
  const n = A0.cols;
  if (trueBasis !== undefined && trueBasis.cols > n) {
    throw new RangeError(`sources (${n}) must be at least the number of true columns (${trueBasis.cols})`);
  }
  const p = Xm.cols;
  let undefinedWhy = "";
  const f = (x: Float64Array, g: Float64Array): number => {
    let res;
    try {
      // A trial basis that would need a source integrated out (a near-singular
      // split: two columns within 1e-3 rad of parallel, three tips nearly on a
      // line) is refused: that path costs thousands of evaluations per point.
      res = exactLogLikelihood(mat(2, n, x), Xm, model, true, false, false, false);
    } catch (e) {
      // A basis where the gradient is undefined (rank 1), the split is near-singular or cancels: a non-finite trial, cut back.
      if (!(e instanceof RangeError)) throw e;
      undefinedWhy = e.message;
      return NaN;
    }
    for (let q = 0; q < 2 * n; q++) g[q] = -res.grad![q]! / p;
    return -res.total / p;
  };
  // A start on a near-singular split (the 4-column 'spread' start has two
  // antiparallel columns) would need a source integrated out at every point:
  // turn column i by 4e-3·(i + 1) rad, so any two differ by at least 4e-3, and start there.
  let startTurned = false;
  const start = toRows(A0);
  if (Number.isNaN(f(A0.data, new Float64Array(2 * n))) && /integrated out/.test(undefinedWhy)) {
    for (let i = 0; i < n; i++) {
      const t = 4e-3 * (i + 1);
      const c = Math.cos(t), s = Math.sin(t), x0 = A0.data[2 * i]!, x1 = A0.data[2 * i + 1]!;
      A0.data[2 * i] = c * x0 - s * x1;
      A0.data[2 * i + 1] = s * x0 + c * x1;
    }
    startTurned = true;
  }
  const maxIterations = o.maxIterations!;
  let run;
  try {
    run = minimizeLbfgs(f, A0.data, {
      memory: o.memory, maxIterations, maxEvaluations: o.maxEvaluations ?? 50 * Math.max(1, maxIterations),
      gradientTolerance: o.gradientTolerance, relativeTolerance: o.relativeTolerance, historyEvery: o.historyEvery, keepPoints: trueBasis !== undefined,
    });
  } catch (e) {
    if (e instanceof RangeError && e.message.includes("not finite at x0")) {
      throw new RangeError(`fitMaximumLikelihood: the log-likelihood is not defined at the start (init ${Array.isArray(o.init) ? "matrix" : `'${o.init}'`}); give another init${undefinedWhy ? ` (${undefinedWhy})` : ""}${o.init === "spread" && n === 2 ? "; 'spread' with 2 columns puts them 180° apart, a rank-1 start" : ""}`);
    }
    throw e;
  }
  const ignoreSign = model.prior === "laplace";
  const angleOf = (x: Float64Array): number => basisErrorOf(mat(2, n, x), trueBasis!, ignoreSign).meanAngleDeg;
  const A = mat(2, n, run.x);
  const history = run.history.map((h) => ({
    iteration: h.iteration, value: -h.value, gradientNorm: h.gradientNorm, angleError: h.x === undefined ? null : angleOf(h.x),
  }));
  const trueValue = trueBasis === undefined ? null : exactLogLikelihood(trueBasis, Xm, model, false).total / p;
  return {
    A: toRows(A), value: -run.value, start, startTurned, history, converged: run.converged, reason: run.reason,
    iterations: run.iterations, evaluations: run.evaluations, nonFinite: run.nonFinite, trueValue,
    angleError: trueBasis === undefined ? null : angleOf(run.x), options: { ...o, sources: n },
  };
}

/** The start: the explicit matrix, or initialBasis exactly as learnBasis calls it. */
function startOf(o: FitOptions, X: Matrix, trueBasis: Mat | undefined): Mat {
  if (Array.isArray(o.init)) {
    const A = fromRows("init", o.init, { rows: 2, ...(o.sources === undefined ? {} : { cols: o.sources }) });
    return A;
  }
  if (o.sources === undefined) throw new TypeError("fitMaximumLikelihood: option 'sources' (the number of columns n) is required unless init is a matrix");
  const n = requireInt("sources", o.sources, 1);
  if (o.init === "perturbed-truth" && trueBasis === undefined) throw new TypeError("init 'perturbed-truth' needs trueBasis");
  return fromRows("init", initialBasis(o.init!, {
    m: 2, n, seed: o.seed, trueBasis: o.trueBasis, scale: o.initScale, perturbDeg: o.perturbDeg, data: o.init === "data" ? X : undefined,
  }));
}
