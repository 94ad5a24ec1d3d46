// Learning the basis A (blog E3–E6; Lewicki & Sejnowski 2000, eq. 5). Each
// step infers the MAP sources ŝ for the current A, then moves A along
//     ΔA = −A (⟨z ŝᵀ⟩ + I),     z = ∇_s log P(ŝ),
// averaged over the batch, with A ← A + α ΔA. The post writes the step as
// "A := −α(…)"; it means this ascent step.
//
// A and X stay Mat for the whole run; number[][] is made only for what the
// caller gets back (the A of each history entry kept, and the final and best A).
import { createRng, type Rng } from "../random";
import type { Matrix } from "../linalg";
import { fromRows, pickColumns, toRows, type Mat } from "../matrix";
import type { Model } from "../model";
import { partialShuffle } from "../shuffle";
import { defaultMethod, solveMap } from "../inference/solve";
import { basisErrorOf } from "../metrics";
import { learningRate } from "../schedule";
import { initialBasis } from "../init";
import { resolve, type LearnOptions, type ResolvedOptions } from "./options";
import { accumulateZsT, adaptGains, applyRule, codeMeanSquare, precondition } from "./rule";
import { fitTerms, profiled } from "./likelihood";

export interface HistoryEntry {
  /** Number of updates applied before this entry (0 = the initial A). */
  step: number;
  /** The basis at this step, m×n. */
  A: Matrix;
  /** Learning rate of the update taken from this A. */
  lr: number;
  /** Mean squared reconstruction error ‖x − Aŝ‖² over the batch. */
  reconstruction: number;
  /** Mean sparsity term ‖ŝ‖₁/b over the batch. */
  sparsity: number;
  /** Mean MAP objective ‖x − Aŝ‖²/(2σ²) + ‖ŝ‖₁/b. */
  objective: number;
  /** Mean matched angle to trueBasis in degrees, or null without it. */
  angleError: number | null;
  /** Columns that no point of the batch uses (ŝ_i = 0 for every point). */
  deadFeatures: number;
  /** Frobenius norm of the update direction ΔA (after preconditioning, before α). */
  updateNorm: number;
  /** ⟨ŝ_i²⟩ of each column's code over the batch, the gain step's input; only with gain. */
  codeMeanSquare?: number[];
}

export interface LearnResult {
  /** The basis after the last update (or the last finite one if the run diverged). */
  A: Matrix;
  /**
   * The best basis seen by the `bestBy` criterion: the lowest angle error to
   * trueBasis, or the lowest profiledLikelihood; the last A for 'none'.
   */
  bestA: Matrix;
  bestStep: number;
  /** The angle error (or the likelihood proxy) of bestA; NaN for 'none'. */
  bestScore: number;
  /** What the recipe hands back: bestA when keepBest, else A. */
  learned: Matrix;
  history: HistoryEntry[];
  /** Why and when the run stopped early; null if it ran all its steps. */
  diverged: { step: number; reason: string } | null;
  /** The options after the preset and the defaults were applied. */
  options: ResolvedOptions;
}

/** The state of one run, threaded through the step functions. */
interface Run {
  o: ResolvedOptions;
  model: Model;
  X: Mat;
  /** The true basis, converted once (the angle is scored at every step). */
  trueBasis: Mat | undefined;
  rng: Rng;
  /** Point indices; the batch is its first batchSize entries after each draw. */
  idx: Int32Array;
  A: Mat;
  /** Divergence threshold on a column's length. */
  limit: number;
  maxLen0: number;
  /** ⟨z ŝᵀ⟩ and ΔA, reused by every step. */
  M: Float64Array;
  dA: Float64Array;
  /** ⟨ŝ_i²⟩ of the step's batch, for the gain step; null without gain. */
  codeMS: Float64Array | null;
  /**
   * 'active-set' only: each point's last ŝ (n × all points, column j for
   * point j), the warm start of its next solve; null for the other solvers.
   */
  warm: Float64Array | null;
  history: HistoryEntry[];
  best: { A: Mat; step: number; score: number };
}

/**
 * Learns an m×n basis for the columns of X by alternating MAP inference of
 * ŝ and the Lewicki–Sejnowski update. A run that blows up stops cleanly and
 * reports it in `diverged`; no NaN reaches the result.
 */
export function learnBasis(X: Matrix, opts: LearnOptions = {}): LearnResult {
  const run = startRun(X, opts);
  const { o } = run;
  let diverged: LearnResult["diverged"] = null;
  for (let step = 0; step <= o.steps; step++) {
    const ok = takeStep(run, step);
    if (step === o.steps) break;
    if (!ok) {
      diverged = { step, reason: "AAᵀ became singular, so the (AAᵀ)⁻¹ preconditioner is undefined" };
      break;
    }
    const moved = move(run, learningRate(o.schedule, o.lr, step, o.steps));
    if (typeof moved === "string") {
      diverged = { step: step + 1, reason: moved };
      break;
    }
    run.A = moved;
  }
  return finish(run, diverged);
}

function startRun(X: Matrix, opts: LearnOptions): Run {
  const { o, X: Xm, init } = resolve(X, opts);
  const m = Xm.rows, n = o.sources;
  const trueBasis = opts.trueBasis;
  const A = typeof init !== "string"
    ? init
    : fromRows("init", initialBasis(init, { m, n, seed: o.seed, trueBasis, scale: o.initScale, perturbDeg: o.perturbDeg, data: init === "data" ? X : undefined }));
  const maxLen0 = Math.max(...columnLengths(A));
  if (!(maxLen0 > 0)) throw new RangeError("init must have at least one non-zero column");
  return {
    o, model: { prior: o.prior, sigma: o.sigma, b: o.b }, X: Xm,
    trueBasis: trueBasis === undefined ? undefined : fromRows("trueBasis", trueBasis),
    rng: createRng(`${String(o.seed)}/batches`),
    idx: Int32Array.from({ length: Xm.cols }, (_, j) => j),
    A, limit: o.explodeFactor * maxLen0, maxLen0,
    M: new Float64Array(n * n), dA: new Float64Array(m * n),
    codeMS: o.gain ? new Float64Array(n) : null,
    warm: (o.inference === "default" ? defaultMethod(m) : o.inference) === "active-set" ? new Float64Array(n * Xm.cols) : null,
    history: [],
    best: { A, step: 0, score: Infinity },
  };
}

/**
 * One step at the current A: draws the batch, infers ŝ, measures the fit,
 * updates the best A, computes ΔA into run.dA and records the history.
 * False when the (AAᵀ)⁻¹ preconditioner is undefined.
 */
function takeStep(run: Run, step: number): boolean {
  const { o, A, model } = run;
  const batch = drawBatch(run);
  const q = batch.cols;
  const S = infer(run, batch);
  const { sq, l1, used } = fitTerms(A, batch, S);
  const reconstruction = sq / q;
  const sparsity = l1 / (o.b * q);
  const objective = reconstruction / (2 * o.sigma * o.sigma) + sparsity;
  const angleError = run.trueBasis ? basisErrorOf(A, run.trueBasis).meanAngleDeg : null;
  if (o.bestBy !== "none" && (step % o.bestEvery === 0 || step === o.steps)) {
    const score = o.bestBy === "angle" ? angleError! : profiled(A, run.X, model);
    if (score < run.best.score) run.best = { A, step, score };
  }
  const ok = updateDirection(run, S);
  if (run.codeMS) codeMeanSquare(S, run.codeMS);
  const lr = step < o.steps ? learningRate(o.schedule, o.lr, step, o.steps) : 0;
  if (step % o.historyEvery === 0 || step === o.steps || !ok) {
    run.history.push({
      step, A: toRows(A), lr, reconstruction, sparsity, objective, angleError,
      deadFeatures: o.sources - used.reduce((s, v) => s + v, 0),
      updateNorm: ok ? norm(run.dA) : Number.POSITIVE_INFINITY,
      ...(run.codeMS ? { codeMeanSquare: Array.from(run.codeMS) } : {}),
    });
  }
  return ok;
}

/**
 * ŝ for the batch. With 'active-set' each point starts from its own last ŝ
 * (A moves little between steps, so few pivots are left); ŝ depends only on
 * the final support, so it is the same bits as a cold solve whenever the
 * minimiser is unique (with two equal columns either one may carry a source).
 */
function infer(run: Run, batch: Mat): Mat {
  const { o, A, model, warm } = run;
  if (warm === null) return solveMap(A, batch, model, { method: o.inference, certify: false }).S;
  const n = A.cols;
  const q = batch.cols;
  const whole = q === run.X.cols && o.batchSize >= run.X.cols;
  const S0: Mat = whole ? { rows: n, cols: q, data: warm } : pickColumns({ rows: n, cols: run.X.cols, data: warm }, run.idx, q);
  const S = solveMap(A, batch, model, { method: "active-set", certify: false, S0 }).S;
  if (whole) warm.set(S.data);
  else for (let k = 0; k < q; k++) warm.set(S.data.subarray(k * n, (k + 1) * n), run.idx[k]! * n);
  return S;
}

/** All points, or a fresh draw of batchSize points without replacement (partialShuffle's draw order). */
function drawBatch(run: Run): Mat {
  const { o, X } = run;
  if (o.batchSize >= X.cols) return X;
  partialShuffle(run.idx, o.batchSize, run.rng);
  return pickColumns(X, run.idx, o.batchSize);
}

/** ΔA = −A(⟨z ŝᵀ⟩ + I) into run.dA, preconditioned if asked; false if (AAᵀ)⁻¹ does not exist. */
function updateDirection(run: Run, S: Mat): boolean {
  accumulateZsT(S, run.o.b, run.M);
  applyRule(run.A, run.M, run.dA, true);
  return run.o.precondition === "inverse-AAT" ? precondition(run.A, run.dA) : true;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** A + α ΔA (norms equalised, or gains adapted, if asked), or why the run must stop. */
function move(run: Run, lr: number): Mat | string {
  const { A, dA, o } = run;
  const next: Mat = { rows: A.rows, cols: A.cols, data: new Float64Array(A.data.length) };
  for (let i = 0; i < A.data.length; i++) next.data[i] = A.data[i]! + lr * dA[i]!;
  if (o.equalizeNorms) equalize(next);
  if (run.codeMS) adaptGains(next, run.codeMS, o.gainRate!);
  const lengths = columnLengths(next);
  const bad = lengths.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    return `column ${bad + 1} of A became non-finite (‖ΔA‖ = ${norm(dA).toPrecision(3)}, α = ${lr.toPrecision(3)})`;
  }
  const big = lengths.findIndex((v) => v > run.limit);
  if (big >= 0) {
    return `column ${big + 1} of A grew to length ${lengths[big]!.toPrecision(3)}, over ${o.explodeFactor} × the initial ${run.maxLen0.toPrecision(3)}`;
  }
  if (lengths.every((v) => v === 0)) return "every column of A shrank to zero";
  return next;
}

function finish(run: Run, diverged: LearnResult["diverged"]): LearnResult {
  const { o, history } = run;
  const finalA = toRows(run.A);
  const best = o.bestBy === "none" ? { A: run.A, step: history[history.length - 1]!.step, score: Number.NaN } : run.best;
  const bestA = toRows(best.A);
  return {
    A: finalA,
    bestA,
    bestStep: best.step,
    bestScore: best.score,
    learned: o.keepBest ? bestA : finalA,
    history,
    diverged,
    options: o,
  };
}

function columnLengths(A: Mat): number[] {
  const { rows: m, cols: n, data } = A;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += data[i * m + r]! * data[i * m + r]!;
    out.push(Math.sqrt(s));
  }
  return out;
}

/** Every column rescaled to the mean column length (blog E6); zero columns stay zero. */
function equalize(A: Mat): void {
  const { rows: m, cols: n, data } = A;
  const lengths = columnLengths(A);
  const mean = lengths.reduce((s, v) => s + v, 0) / n;
  for (let i = 0; i < n; i++) {
    if (lengths[i]! === 0 || !Number.isFinite(lengths[i]!)) continue;
    const f = mean / lengths[i]!;
    for (let r = 0; r < m; r++) data[i * m + r] = data[i * m + r]! * f;
  }
}
