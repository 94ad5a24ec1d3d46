// Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed.:
// the two-loop recursion, Algorithm 7.4; the line search, Algorithms 3.5 and
// 3.6), for fitMaximumLikelihood (lib/exact/fit.ts). Written here rather than
// taken from a package: the fit needs about 100 lines of it, and its
// behaviour at a non-finite value (a basis where the likelihood is undefined)
// must be ours to state.
//
// The line search finds a step α satisfying the strong Wolfe conditions
//     f(x + αd) ≤ f(x) + c1 α gᵀd,   |g(x + αd)ᵀd| ≤ c2 |gᵀd|,
// by bracketing (α grows until the interval must hold such a point) and then
// zooming in by safeguarded cubic interpolation. A non-finite f counts as a
// violation of the first condition: the step is cut back, and the count is
// returned.
import { declareOptions } from "../options";

export interface LbfgsOptions {
  /** Number of curvature pairs kept. Default 10. */
  memory?: number;
  /** Stop after this many iterations. Default 1000. */
  maxIterations?: number;
  /** Stop after this many evaluations of f. Default 20 × maxIterations + 20. */
  maxEvaluations?: number;
  /** Converged when ‖g‖∞ ≤ this. Default 1e-8. */
  gradientTolerance?: number;
  /** Stalled when f fell by less than this, relative to max(1, |f|), over `patience` iterations. Default 1e-14. */
  relativeTolerance?: number;
  /** The iterations over which the relative decrease is measured. Default 5. */
  patience?: number;
  /** The sufficient-decrease constant c1 of the Wolfe conditions. Default 1e-4. */
  c1?: number;
  /** The curvature constant c2 of the strong Wolfe conditions. Default 0.9. */
  c2?: number;
  /** Keep every k-th iteration in the history (the first and last are always kept). Default 1. */
  historyEvery?: number;
  /** Keep a copy of x in each history entry. Default false. */
  keepPoints?: boolean;
}

export const LBFGS_OPTIONS = declareOptions<LbfgsOptions>("minimizeLbfgs", {
  memory: { kind: "integer", min: 1, default: 10, doc: "number of curvature pairs (s, y) kept" },
  maxIterations: { kind: "integer", min: 0, default: 1000, doc: "stop after this many iterations" },
  maxEvaluations: { kind: "integer", min: 1, doc: "stop after this many evaluations of f (default 20 × maxIterations + 20)" },
  gradientTolerance: { kind: "number", min: 0, default: 1e-8, doc: "converged when the largest |gradient entry| is at most this" },
  relativeTolerance: { kind: "number", min: 0, default: 1e-14, doc: "stalled when f fell by less than this × max(1, |f|) over `patience` iterations" },
  patience: { kind: "integer", min: 1, default: 5, doc: "iterations over which the relative decrease is measured" },
  c1: { kind: "number", above: 0, below: 1, default: 1e-4, doc: "sufficient-decrease constant of the Wolfe conditions" },
  c2: { kind: "number", above: 0, below: 1, default: 0.9, doc: "curvature constant of the strong Wolfe conditions (must exceed c1)" },
  historyEvery: { kind: "integer", min: 1, default: 1, doc: "keep every k-th iteration in the history (first and last always)" },
  keepPoints: { kind: "boolean", default: false, doc: "keep a copy of x in each history entry" },
});

/** f(x, g): the value at x, with the gradient written into g. x must not be changed. */
export type Objective = (x: Float64Array, g: Float64Array) => number;

export type StopReason = "gradient" | "stalled" | "max-iterations" | "max-evaluations" | "line-search";

export interface LbfgsEntry {
  iteration: number;
  value: number;
  /** ‖g‖∞ at the iterate. */
  gradientNorm: number;
  /** Length ‖x_k − x_{k−1}‖₂ of the step that led here (0 at the start). */
  step: number;
  /** The iterate, with keepPoints. */
  x?: Float64Array;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  /** Evaluations at which f was not finite (each cut the step back). */
  nonFinite: number;
  /** True when the gradient test or the stall test stopped the run. */
  converged: boolean;
  reason: StopReason;
  history: LbfgsEntry[];
}

/** The state the line search shares with the main loop. */
interface Search {
  f: Objective;
  n: number;
  evaluations: number;
  maxEvaluations: number;
  nonFinite: number;
}

interface Trial {
  alpha: number;
  value: number;
  /** Directional derivative g(x + αd)ᵀd (NaN when value is not finite). */
  slope: number;
}

/**
 * Minimises f from x0 by L-BFGS with a strong-Wolfe line search. Stops on
 * ‖g‖∞ ≤ gradientTolerance ('gradient'), on a relative decrease below
 * relativeTolerance over `patience` iterations ('stalled'), at maxIterations
 * or maxEvaluations, or when the line search finds no acceptable step
 * ('line-search'). Throws when f is not finite at x0.
 */
export function minimizeLbfgs(f: Objective, x0: ArrayLike<number>, opts: LbfgsOptions = {}): LbfgsResult {
  const o = LBFGS_OPTIONS.parse(opts) as Required<LbfgsOptions>;
  if (o.c2 <= o.c1) throw new RangeError(`minimizeLbfgs: c2 must exceed c1, got c1 = ${o.c1}, c2 = ${o.c2}`);
  const n = x0.length;
  if (n === 0) throw new RangeError("minimizeLbfgs: x0 is empty");
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x0[i]!)) throw new RangeError(`minimizeLbfgs: x0[${i}] must be finite, got ${x0[i]}`);
  }
  const search: Search = { f, n, evaluations: 0, maxEvaluations: o.maxEvaluations ?? 20 * o.maxIterations + 20, nonFinite: 0 };
  let x: Float64Array = Float64Array.from(x0);
  let g: Float64Array = new Float64Array(n);
  let value = f(x, g);
  search.evaluations++;
  if (!Number.isFinite(value) || !g.every(Number.isFinite)) {
    throw new RangeError(`minimizeLbfgs: f or its gradient is not finite at x0 (f = ${value})`);
  }
  const S: Float64Array[] = [], Y: Float64Array[] = [], R: number[] = [];
  const values = [value];
  const history: LbfgsEntry[] = [];
  const record = (iteration: number, step: number, last: boolean): void => {
    if (iteration % o.historyEvery !== 0 && !last) return;
    if (history.length > 0 && history[history.length - 1]!.iteration === iteration) return;
    history.push({ iteration, value, gradientNorm: infNorm(g), step, ...(o.keepPoints ? { x: x.slice() } : {}) });
  };
  record(0, 0, false);
  let iteration = 0;
  let lastStep = 0;
  let reason: StopReason;
  const d = new Float64Array(n);
  for (;;) {
    if (infNorm(g) <= o.gradientTolerance) { reason = "gradient"; break; }
    if (iteration >= o.patience && values[iteration - o.patience]! - value <= o.relativeTolerance * Math.max(1, Math.abs(value))) {
      reason = "stalled";
      break;
    }
    if (iteration >= o.maxIterations) { reason = "max-iterations"; break; }
    if (search.evaluations >= search.maxEvaluations) { reason = "max-evaluations"; break; }
    direction(g, S, Y, R, d);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (rounding in the memory): forget it, go downhill.
      S.length = 0; Y.length = 0; R.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(g, d);
    }
    const alpha0 = S.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    const found = lineSearch(search, x, value, slope, d, alpha0, o.c1, o.c2);
    if (found === null) {
      reason = search.evaluations >= search.maxEvaluations ? "max-evaluations" : "line-search";
      break;
    }
    const s = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = found.x[i]! - x[i]!;
      y[i] = found.g[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12 * Math.sqrt(dot(y, y) * dot(s, s))) {
      S.push(s); Y.push(y); R.push(1 / sy);
      if (S.length > o.memory) { S.shift(); Y.shift(); R.shift(); }
    }
    x = found.x;
    g = found.g;
    value = found.value;
    lastStep = Math.sqrt(dot(s, s));
    iteration++;
    values.push(value);
    record(iteration, lastStep, false);
  }
  record(iteration, lastStep, true);
  return {
    x, value, gradientNorm: infNorm(g), iterations: iteration, evaluations: search.evaluations, nonFinite: search.nonFinite,
    converged: reason === "gradient" || reason === "stalled", reason, history,
  };
}

/** d = −H g by the two-loop recursion, H₀ = γI with γ = sᵀy/yᵀy of the newest pair. */
function direction(g: Float64Array, S: Float64Array[], Y: Float64Array[], R: number[], d: Float64Array): void {
  const k = S.length;
  const q = Float64Array.from(g);
  const a = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    a[i] = R[i]! * dot(S[i]!, q);
    axpy(-a[i]!, Y[i]!, q);
  }
  const gamma = k === 0 ? 1 : 1 / (R[k - 1]! * dot(Y[k - 1]!, Y[k - 1]!));
  for (let j = 0; j < q.length; j++) q[j] = gamma * q[j]!;
  for (let i = 0; i < k; i++) {
    const beta = R[i]! * dot(Y[i]!, q);
    axpy(a[i]! - beta, S[i]!, q);
  }
  for (let j = 0; j < q.length; j++) d[j] = -q[j]!;
}

interface Point { x: Float64Array; g: Float64Array; value: number }

/**
 * A step along d satisfying the strong Wolfe conditions (Algorithm 3.5:
 * bracket, then zoom), or null when none was found within the evaluation
 * budget or 40 trials. A point with sufficient decrease but a failed
 * curvature test is accepted after the trials run out (it still lowers f).
 */
function lineSearch(s: Search, x: Float64Array, f0: number, slope0: number, d: Float64Array, alpha0: number, c1: number, c2: number): Point | null {
  const n = s.n;
  const xt = new Float64Array(n), gt = new Float64Array(n);
  let best: Point | null = null;
  const evaluate = (alpha: number): Trial | null => {
    if (s.evaluations >= s.maxEvaluations) return null;
    for (let i = 0; i < n; i++) xt[i] = x[i]! + alpha * d[i]!;
    const value = s.f(xt, gt);
    s.evaluations++;
    if (!Number.isFinite(value) || !gt.every(Number.isFinite)) {
      s.nonFinite++;
      return { alpha, value: Infinity, slope: NaN };
    }
    if (value <= f0 + c1 * alpha * slope0 && (best === null || value < best.value)) best = { x: xt.slice(), g: gt.slice(), value };
    return { alpha, value, slope: dot(gt, d) };
  };
  const accept = (t: Trial): boolean => t.value <= f0 + c1 * t.alpha * slope0 && Math.abs(t.slope) <= -c2 * slope0;
  const done = (): Point => ({ x: xt.slice(), g: gt.slice(), value: 0 });
  let prev: Trial = { alpha: 0, value: f0, slope: slope0 };
  let alpha = alpha0;
  for (let trial = 0; trial < 40; trial++) {
    const t = evaluate(alpha);
    if (t === null) return best;
    if (t.value > f0 + c1 * alpha * slope0 || (trial > 0 && t.value >= prev.value)) {
      return zoom(prev, t, evaluate, accept, done, f0, slope0, c1, () => best);
    }
    if (accept(t)) return { ...done(), value: t.value };
    if (t.slope >= 0) return zoom(t, prev, evaluate, accept, done, f0, slope0, c1, () => best);
    prev = t;
    alpha *= 3;
  }
  return best;
}

/**
 * Algorithm 3.6: lo satisfies sufficient decrease with the lowest value so
 * far, and the interval between lo and hi holds a strong-Wolfe step. Trial
 * steps by cubic interpolation, bisection when it falls outside the middle
 * 80% of the interval or an end is not finite.
 */
function zoom(
  lo: Trial, hi: Trial, evaluate: (a: number) => Trial | null, accept: (t: Trial) => boolean, done: () => Point,
  f0: number, slope0: number, c1: number, best: () => Point | null,
): Point | null {
  for (let trial = 0; trial < 40; trial++) {
    const width = Math.abs(hi.alpha - lo.alpha);
    if (width <= 1e-16 * Math.max(1, Math.abs(lo.alpha))) break;
    let alpha = cubicMin(lo, hi);
    const a = Math.min(lo.alpha, hi.alpha), b = Math.max(lo.alpha, hi.alpha);
    if (!(alpha >= a + 0.1 * width && alpha <= b - 0.1 * width)) alpha = 0.5 * (lo.alpha + hi.alpha);
    const t = evaluate(alpha);
    if (t === null) break;
    if (t.value > f0 + c1 * alpha * slope0 || t.value >= lo.value) {
      hi = t;
      continue;
    }
    if (accept(t)) return { ...done(), value: t.value };
    if (t.slope * (hi.alpha - lo.alpha) >= 0) hi = lo;
    lo = t;
  }
  return best();
}

/** The minimiser of the cubic through two trials' values and slopes (NaN when it has none, or an end is not finite). */
function cubicMin(u: Trial, v: Trial): number {
  if (!Number.isFinite(u.value) || !Number.isFinite(v.value) || !Number.isFinite(u.slope) || !Number.isFinite(v.slope)) return NaN;
  const d1 = u.slope + v.slope - (3 * (u.value - v.value)) / (u.alpha - v.alpha);
  const disc = d1 * d1 - u.slope * v.slope;
  if (disc < 0) return NaN;
  const d2 = Math.sign(v.alpha - u.alpha) * Math.sqrt(disc);
  return v.alpha - (v.alpha - u.alpha) * (v.slope + d2 - d1) / (v.slope - u.slope + 2 * d2);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i]!;
}

function infNorm(g: Float64Array): number {
  let m = 0;
  for (let i = 0; i < g.length; i++) m = Math.max(m, Math.abs(g[i]!));
  return m;
}
