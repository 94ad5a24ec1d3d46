// Proximal gradient on all points at once. 'gradient' is the blog's update
// s ← ReLU(s − η∇L) (ISTA; soft-thresholding under the Laplace prior);
// 'fista' adds Nesterov momentum (Beck & Teboulle 2009, eq. 4.1–4.3) with a
// per-point adaptive restart (O'Donoghue & Candès 2015, the gradient scheme).
import { mat } from "../matrix";
import { pointObjective, totalObjective } from "./certificate";
import type { Problem } from "./problem";
import type { Divergence, SolverTrace, TraceOption } from "./types";

export interface ProximalOptions {
  maxIter?: number;
  tol?: number;
  step?: number;
  guard?: boolean;
  /** Warm start, n×p column-major (copied). */
  S0?: Float64Array;
  trace?: TraceOption;
}

export interface ProximalRun {
  S: Float64Array;
  iterations: number;
  converged: boolean;
  step: number;
  stepGuarded: boolean;
  diverged: Divergence | null;
  trace?: SolverTrace;
}

/**
 * The step η: 1/L by default; a requested step beyond the provably convergent
 * range (η < 2/L for 'gradient', η ≤ 1/L for 'fista') is replaced by 1/L when
 * guarded. `limit` is that range's end.
 */
function stepOf(method: "gradient" | "fista", lipschitz: number, requested: number | undefined, guard: boolean) {
  const safe = lipschitz > 0 ? 1 / lipschitz : 1;
  const limit = method === "gradient" ? 2 * safe * (1 - 1e-9) : safe;
  let step = safe;
  let stepGuarded = false;
  if (requested !== undefined) {
    step = requested;
    if (guard && step > limit) {
      step = safe;
      stepGuarded = true;
    }
  }
  return { step, stepGuarded, safe, limit };
}

/** Runs 'gradient' or 'fista' from S0 (or zeros) until no coefficient moves by more than tol·max(1, ‖s‖∞). */
export function proximal(P: Problem, method: "gradient" | "fista", lipschitz: number, o: ProximalOptions): ProximalRun {
  const { n, p } = P;
  const maxIter = o.maxIter ?? 5000;
  const tol = o.tol ?? 1e-12;
  const { step, stepGuarded, safe, limit } = stepOf(method, lipschitz, o.step, o.guard ?? true);
  const run = new Sweep(P, method, step);
  if (o.S0 !== undefined) {
    run.S.set(o.S0);
    if (P.nonNegative) for (let i = 0; i < run.S.length; i++) run.S[i] = Math.max(0, run.S[i]!);
    run.prev.set(run.S);
    run.Y.set(run.S);
  }
  const recorder = traceRecorder(o.trace, n, p);
  // Best iterate so far, copied into one buffer rather than reallocated. Only
  // a step beyond the convergent range can blow up; otherwise a (numerically
  // impossible) blow-up falls back on the previous, still finite, iterate.
  const trackBest = !(step <= limit);
  const best = trackBest ? new Float64Array(run.S) : run.prev;
  const start = totalObjective(P, run.S);
  let bestObj = start;
  recorder?.record(0, run.S, start);
  let diverged: Divergence | null = null;
  let converged = false;
  let it = 0;
  while (it < maxIter) {
    it++;
    const obj = run.iterate();
    if (!Number.isFinite(obj) || obj > 1e8 * (start + 1)) {
      const against = `step η=${step.toPrecision(4)} against 2/L=${(2 * safe).toPrecision(4)}`;
      diverged = {
        iteration: it,
        reason: Number.isFinite(obj)
          ? `objective grew from ${start.toPrecision(4)} to ${obj.toPrecision(4)} (${against})`
          : `objective became non-finite (${against})`,
      };
      break;
    }
    recorder?.record(it, run.S, obj);
    if (trackBest && obj < bestObj) {
      bestObj = obj;
      best.set(run.S);
    }
    if (tol > 0 && run.moved <= tol * run.scale) {
      converged = true;
      break;
    }
  }
  if (recorder && !diverged) recorder.last(it, run.S);
  // A diverged run returns its best iterate, never the blown-up one. A
  // converged one returns its last, which is the best up to rounding.
  const out: ProximalRun = { S: diverged ? best : run.S, iterations: it, converged, step, stepGuarded, diverged };
  if (recorder) out.trace = recorder.trace;
  return out;
}

function traceRecorder(opt: TraceOption | undefined, n: number, p: number) {
  if (!opt) return null;
  const every = typeof opt === "object" ? Math.max(1, Math.floor(opt.every ?? 1)) : 1;
  const keepIterates = typeof opt === "object" && opt.iterates === true;
  const trace: SolverTrace = { objective: [], iterates: [], iterations: [] };
  return {
    trace,
    record(it: number, cur: Float64Array, obj: number): void {
      trace.objective.push(obj);
      if (keepIterates && it % every === 0) {
        trace.iterates.push(mat(n, p, cur.slice()));
        trace.iterations.push(it);
      }
    },
    last(it: number, cur: Float64Array): void {
      if (keepIterates && trace.iterations[trace.iterations.length - 1] !== it) {
        trace.iterates.push(mat(n, p, cur.slice()));
        trace.iterations.push(it);
      }
    },
  };
}

/** One proximal iteration over every point, with the state it carries between iterations. */
class Sweep {
  readonly S: Float64Array;
  readonly prev: Float64Array;
  readonly Y: Float64Array;
  private readonly t: Float64Array;
  private readonly r: Float64Array;
  private readonly thr: number;
  /** Largest coefficient change, and max(1, ‖s‖∞), of the last iteration. */
  moved = 0;
  scale = 1;

  constructor(private readonly P: Problem, private readonly method: "gradient" | "fista", private readonly step: number) {
    this.S = new Float64Array(P.n * P.p);
    this.prev = new Float64Array(this.S);
    this.Y = new Float64Array(this.S);
    this.t = new Float64Array(P.p).fill(1);
    this.r = new Float64Array(P.m);
    this.thr = step * P.lam;
  }

  /** Updates every point; returns Σ_j L(s_j) of the new iterate, summed as totalObjective does. */
  iterate(): number {
    this.moved = 0;
    this.scale = 1;
    let obj = 0;
    for (let j = 0; j < this.P.p; j++) obj += this.point(j);
    return obj;
  }

  private point(j: number): number {
    const { A, X, m, n, invS2, lam, nonNegative } = this.P;
    const { S, prev, Y, r, step, thr } = this;
    const base = this.method === "fista" ? Y : S;
    const o = j * n;
    // ∇ = −Aᵀ(x − A·base)/σ², through the residual: O(nm) instead of
    // O(n²), and the zero sources (most of them) cost nothing.
    let r0 = X[j * m]!;
    let r1 = m === 2 ? X[j * m + 1]! : 0;
    if (m === 2) {
      for (let i = 0; i < n; i++) {
        const y = base[o + i]!;
        if (y !== 0) {
          r0 -= A[2 * i]! * y;
          r1 -= A[2 * i + 1]! * y;
        }
      }
    } else {
      for (let k = 0; k < m; k++) r[k] = X[j * m + k]!;
      for (let i = 0; i < n; i++) {
        const y = base[o + i]!;
        if (y !== 0) for (let k = 0; k < m; k++) r[k] -= A[i * m + k]! * y;
      }
    }
    // The proximal step, and the new iterate's residual and ‖s‖₁ on the way.
    let n0 = X[j * m]!;
    let n1 = m === 2 ? X[j * m + 1]! : 0;
    let l1 = 0;
    let dot = 0; // (y − s)·(s − s_prev), for the FISTA restart test
    for (let i = 0; i < n; i++) {
      let g: number;
      if (m === 2) g = -(A[2 * i]! * r0 + A[2 * i + 1]! * r1) * invS2;
      else {
        let acc = 0;
        for (let k = 0; k < m; k++) acc += A[i * m + k]! * r[k]!;
        g = -acc * invS2;
      }
      const old = S[o + i]!;
      prev[o + i] = old;
      const v = base[o + i]! - step * g;
      let s: number;
      if (nonNegative) s = v > thr ? v - thr : 0;
      else s = v > thr ? v - thr : v < -thr ? v + thr : 0;
      S[o + i] = s;
      const d = Math.abs(s - old);
      if (d > this.moved) this.moved = d;
      dot += (base[o + i]! - s) * (s - old);
      const a = Math.abs(s);
      if (a > this.scale) this.scale = a;
      if (m === 2 && s !== 0) {
        n0 -= A[2 * i]! * s;
        n1 -= A[2 * i + 1]! * s;
      }
      l1 += a;
    }
    if (this.method === "fista") this.momentum(j, dot);
    // L(s) of the new iterate, in the order totalObjective uses.
    return m === 2 ? (n0 * n0 + n1 * n1) * this.P.inv2s2 + l1 * lam : pointObjective(this.P, S, j);
  }

  /** Restart momentum when it points against the latest step; then y = s + β(s − s_prev). */
  private momentum(j: number, dot: number): void {
    const { S, prev, Y, t } = this;
    const o = j * this.P.n;
    let tj = t[j]!;
    if (dot > 0) tj = 1;
    const tn = (1 + Math.sqrt(1 + 4 * tj * tj)) / 2;
    const beta = (tj - 1) / tn;
    t[j] = tn;
    for (let i = 0; i < this.P.n; i++) Y[o + i] = S[o + i]! + beta * (S[o + i]! - prev[o + i]!);
  }
}
