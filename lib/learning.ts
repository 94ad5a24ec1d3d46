// Learning the basis A (blog E3–E6; Lewicki & Sejnowski 2000, eq. 5). Each
// step infers the MAP sources ŝ for the current A, then moves A along
//     ΔA = −A (⟨z ŝᵀ⟩ + I),     z = ∇_s log P(ŝ),
// averaged over the batch, with A ← A + α ΔA. The post writes the step as
// "A := −α(…)"; it means this ascent step.
import { createRng, type Rng } from "./random";
import { requireInt, requirePositive, requireSeed } from "./options";
import { checkMatrix, fromColMajor, halfLogDetAAtBuffer, outerGram, solveSmall, toColMajor, type Matrix } from "./linalg";
import { exactSourcesColMajor, inferSources, type InferenceMethod } from "./inference";
import { basisError } from "./metrics";
import { learningRate, type Schedule } from "./schedule";
import type { Prior } from "./data";

export type InitKind = "perturbed-truth" | "random" | "spread";
export type Precondition = "none" | "inverse-AAT";
export type Preset = "paper" | "best-effort";

export interface LearnOptions {
  /** Start from a named recipe; options given alongside override it. */
  preset?: Preset;
  /** Source prior: 'exponential' (ŝ ≥ 0, the post's ReLU) or 'laplace' (signed ŝ). Default 'exponential'. */
  prior?: Prior;
  /** Noise standard deviation σ of the inference objective. Default 0.5. */
  sigma?: number;
  /** Prior scale b (mean |s|); z = −sign(ŝ)/b. Default 2, the mean of the E1 sources. */
  b?: number;
  /** Number of columns n of the learned A. Default: the columns of trueBasis. */
  sources?: number;
  /** Number of updates. Default 200. */
  steps?: number;
  /** Peak learning rate α. Default 0.05. */
  lr?: number;
  /** Points per update, drawn without replacement each step. Default: all of X. */
  batchSize?: number;
  /** Seed of the initialisation and the batches. Default 0. */
  seed?: number | string;
  /** Initial basis: a named scheme or an explicit m×n matrix. Default 'random'. */
  init?: InitKind | Matrix;
  /** Overall length of the initial columns. Default 1. */
  initScale?: number;
  /** Standard deviation (degrees) of the rotation applied to each column by 'perturbed-truth'. Default 10. */
  perturbDeg?: number;
  /** 'none': eq. 5 as it stands; 'inverse-AAT': left-multiply ΔA by (AAᵀ)⁻¹ (blog E4.3). Default 'none'. */
  precondition?: Precondition;
  /** Learning-rate schedule. Default 'constant'. */
  schedule?: Schedule;
  /** After each update, rescale every column to the mean column length (blog E6). Default false. */
  equalizeNorms?: boolean;
  /** The true basis, when known: the run then tracks the angle error and keeps the A with the lowest one. */
  trueBasis?: Matrix;
  /** Keep every k-th step in the history (the first and last are always kept). Default 1. */
  historyEvery?: number;
  /** Solver for ŝ. Default: inferSources' own choice ('exact' for small problems). */
  inference?: InferenceMethod;
  /** Stop as diverged when a column grows this many times longer than the longest initial column. Default 1e4. */
  explodeFactor?: number;
  /**
   * Return the best basis seen (`learned` = `bestA`) rather than the last one
   * (blog E6: "taking the A at the time of minimum error"). Default false;
   * true in 'best-effort'. `bestA` is tracked either way, unless bestBy is
   * 'none'.
   */
  keepBest?: boolean;
  /**
   * What "best" means. 'angle': the lowest matched angle to trueBasis (an
   * oracle: it needs the truth). 'likelihood': the lowest profiledLikelihood
   * on all of X, which needs no truth and costs about twice the run itself.
   * 'none': no best is tracked (bestA is the last A, bestScore NaN). Default
   * 'angle' when trueBasis is given; else 'likelihood' when keepBest, and
   * 'none' when nothing would use it.
   */
  bestBy?: BestBy;
  /**
   * Score the basis for bestA every this many steps (and at the last step).
   * Default 1 for 'angle'; 10 for 'likelihood', whose score costs about 20
   * inferences.
   */
  bestEvery?: number;
}

export type BestBy = "angle" | "likelihood" | "none";

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

export interface ResolvedOptions {
  prior: Prior;
  sigma: number;
  b: number;
  sources: number;
  steps: number;
  lr: number;
  batchSize: number;
  seed: number | string;
  init: InitKind | "matrix";
  initScale: number;
  perturbDeg: number;
  precondition: Precondition;
  schedule: Schedule;
  equalizeNorms: boolean;
  historyEvery: number;
  inference: InferenceMethod | "default";
  explodeFactor: number;
  keepBest: boolean;
  bestBy: BestBy;
  bestEvery: number;
}

/**
 * The named recipes. 'paper' is eq. 5 as published. 'best-effort' is the
 * blog's E6 recipe (spread init, (AAᵀ)⁻¹, warm-up + cosine, equal column
 * norms, the best A kept) with the rate, length and σ we tuned in the E6
 * notebook: at σ = 0.5 the same recipe collapses on some seeds, at σ = 0.1
 * (closer to the low-noise limit the rule is derived in) it did not in our
 * runs. Options given next to a preset override it.
 */
export const PRESETS: Record<Preset, Partial<LearnOptions>> = {
  paper: { init: "random", precondition: "none", schedule: "constant", equalizeNorms: false, keepBest: false },
  "best-effort": {
    init: "spread", precondition: "inverse-AAT", schedule: "warmup-cosine", equalizeNorms: true, keepBest: true,
    sigma: 0.1, lr: 0.1, steps: 300,
  },
};

const KNOWN = new Set<keyof LearnOptions>([
  "preset", "prior", "sigma", "b", "sources", "steps", "lr", "batchSize", "seed", "init", "initScale",
  "perturbDeg", "precondition", "schedule", "equalizeNorms", "trueBasis", "historyEvery", "inference",
  "explodeFactor", "keepBest", "bestBy", "bestEvery",
]);

function oneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    throw new RangeError(`${name} must be one of ${allowed.map((a) => `'${a}'`).join(", ")}, got ${String(v)}`);
  }
  return v as T;
}

/** z = ∇_s log P(s) at ŝ: −sign(ŝ)/b for both priors (0 where ŝ = 0). */
export function priorScore(S: Matrix, b: number): Matrix {
  requirePositive("b", b);
  return S.map((row) => row.map((v) => (v > 0 ? -1 / b : v < 0 ? 1 / b : 0)));
}

export interface RuleOptions {
  /** Prior scale b. Default 2. */
  b?: number;
  /** Default 'none'. */
  precondition?: Precondition;
}

export interface RuleTerms {
  /** ⟨z ŝᵀ⟩, the batch mean, n×n. */
  zsT: Matrix;
  /** The update direction ΔA (m×n), preconditioned if asked. */
  dA: Matrix;
  /** The partial update −A⟨z ŝᵀ⟩ alone (m×n), preconditioned if asked. */
  dAPartial: Matrix;
}

/**
 * The terms of the learning rule for basis A and sources S (n×p), averaged
 * over the p points. With precondition 'inverse-AAT' both updates are
 * left-multiplied by (AAᵀ)⁻¹, which turns eq. 5 back into the plain gradient
 * of log P(x|A) (see notebook 00).
 */
export function ruleTerms(A: Matrix, S: Matrix, opts: RuleOptions = {}): RuleTerms {
  const { rows: m, cols: n } = checkMatrix("A", A);
  const { cols: p } = checkMatrix("S", S, { rows: n });
  const b = opts.b ?? 2;
  requirePositive("b", b);
  const pre = oneOf("precondition", opts.precondition ?? "none", ["none", "inverse-AAT"] as const);
  const Ab = toColMajor(A);
  const Sb = toColMajor(S);
  const M = new Float64Array(n * n);
  accumulateZsT(Sb, n, p, b, M);
  const full = new Float64Array(m * n);
  const partial = new Float64Array(m * n);
  applyRule(Ab, M, m, n, partial, false);
  applyRule(Ab, M, m, n, full, true);
  if (pre === "inverse-AAT") {
    if (!precondition(Ab, m, n, partial) || !precondition(Ab, m, n, full)) {
      throw new RangeError("precondition 'inverse-AAT' needs AAᵀ to be invertible; this A has rank < m");
    }
  }
  return { zsT: fromColMajor(M, n, n), dA: fromColMajor(full, m, n), dAPartial: fromColMajor(partial, m, n) };
}

/** M = ⟨z ŝᵀ⟩ (column-major n×n) from column-major sources. */
function accumulateZsT(S: Float64Array, n: number, p: number, b: number, M: Float64Array): void {
  M.fill(0);
  const w = 1 / (b * p);
  for (let j = 0; j < p; j++) {
    const o = j * n;
    for (let i = 0; i < n; i++) {
      const s = S[o + i]!;
      if (s === 0) continue;
      const zi = s > 0 ? -w : w;
      // ŝ has at most m non-zeros; skipping the zeros changes no bit of M.
      for (let k = 0; k < n; k++) {
        const t = S[o + k]!;
        if (t !== 0) M[k * n + i] += zi * t;
      }
    }
  }
}

/** out = −A (M + I) when withIdentity, else −A M; all column-major. */
function applyRule(A: Float64Array, M: Float64Array, m: number, n: number, out: Float64Array, withIdentity: boolean): void {
  for (let k = 0; k < n; k++) {
    for (let r = 0; r < m; r++) {
      let acc = withIdentity ? A[k * m + r]! : 0;
      for (let i = 0; i < n; i++) acc += A[i * m + r]! * M[k * n + i]!;
      out[k * m + r] = -acc;
    }
  }
}

/** D ← (AAᵀ)⁻¹ D in place; false when AAᵀ is singular. */
function precondition(A: Float64Array, m: number, n: number, D: Float64Array): boolean {
  const AAt = outerGram(A, m, n);
  for (let k = 0; k < n; k++) {
    const col = solveSmall(AAt, D.subarray(k * m, k * m + m), m);
    if (col === null) return false;
    D.set(col, k * m);
  }
  return true;
}

/**
 * Per-point contributions to the update (blog E4.3's arrow diagrams): for
 * each point j, −A z_j ŝ_jᵀ and −A(z_j ŝ_jᵀ + I), each m×n and optionally
 * left-multiplied by (AAᵀ)⁻¹. Their mean over j is ruleTerms' dAPartial / dA.
 */
export function pointContributions(A: Matrix, S: Matrix, opts: RuleOptions = {}): { partial: Matrix[]; full: Matrix[] } {
  const { cols: n } = checkMatrix("A", A);
  const { cols: p } = checkMatrix("S", S, { rows: n });
  const partial: Matrix[] = [];
  const full: Matrix[] = [];
  for (let j = 0; j < p; j++) {
    const t = ruleTerms(A, S.map((row) => [row[j]!]), opts);
    partial.push(t.dAPartial);
    full.push(t.dA);
  }
  return { partial, full };
}

/** Unit vector at a uniformly random direction in ℝ^m. */
function randomDirection(rng: Rng, m: number): number[] {
  for (;;) {
    const v = Array.from({ length: m }, () => rng.normal());
    const norm = Math.hypot(...v);
    if (norm > 1e-12) return v.map((x) => x / norm);
  }
}

/**
 * n unit directions in ℝ^m drawn from rng: 'random' is uniform, 'spread' is
 * as far apart in angle as possible (for m = 2, evenly spaced from a random
 * offset; above, greedy max–min angle among random candidates). Shared by
 * initialBasis and the SAE's decoder start.
 */
export function unitDirections(kind: "random" | "spread", m: number, n: number, rng: Rng): number[][] {
  const cols: number[][] = [];
  if (kind === "random") {
    for (let i = 0; i < n; i++) cols.push(randomDirection(rng, m));
  } else if (m === 2) {
    const offset = rng.uniform() * 2 * Math.PI;
    for (let i = 0; i < n; i++) {
      const t = offset + (2 * Math.PI * i) / n;
      cols.push([Math.cos(t), Math.sin(t)]);
    }
  } else {
    const cand = Array.from({ length: 64 * n }, () => randomDirection(rng, m));
    cols.push(cand[0]!);
    while (cols.length < n) {
      let best = cand[0]!;
      let bestGap = -Infinity;
      for (const c of cand) {
        const gap = Math.min(...cols.map((u) => -u.reduce((s, v, r) => s + v * c[r]!, 0)));
        if (gap > bestGap) {
          bestGap = gap;
          best = c;
        }
      }
      cols.push(best);
    }
  }
  return cols;
}

export interface InitOptions {
  /** Data dimension m. */
  m: number;
  /** Number of columns n. */
  n: number;
  seed?: number | string;
  /** Needed by 'perturbed-truth'. */
  trueBasis?: Matrix;
  /** Column length. Default 1 (for 'perturbed-truth': the true lengths times this). */
  scale?: number;
  /** Rotation noise of 'perturbed-truth', degrees. Default 10. */
  perturbDeg?: number;
}

/**
 * Initial bases. 'random': independent uniform directions. 'spread': as far
 * apart in angle as possible (for m = 2, evenly spaced around the circle from
 * a random offset), so the positive half-spaces of the columns cover the
 * plane (blog E6). 'perturbed-truth': each true column rotated by a normal
 * angle (m = 2) and kept at its length.
 */
export function initialBasis(kind: InitKind, o: InitOptions): Matrix {
  const m = requireInt("m", o.m, 1);
  const n = requireInt("sources", o.n, 1);
  const seed = o.seed ?? 0;
  requireSeed(seed);
  const scale = o.scale ?? 1;
  requirePositive("initScale", scale);
  const rng = createRng(`${String(seed)}/init`);
  let cols: number[][] = [];
  if (kind === "random" || kind === "spread") {
    cols = unitDirections(kind, m, n, rng).map((c) => c.map((v) => v * scale));
  } else if (kind === "perturbed-truth") {
    if (o.trueBasis === undefined) throw new TypeError("init 'perturbed-truth' needs trueBasis");
    const { cols: nt } = checkMatrix("trueBasis", o.trueBasis, { rows: m });
    if (m !== 2) throw new RangeError(`init 'perturbed-truth' rotates columns in the plane and needs m = 2, got m = ${m}`);
    const sd = o.perturbDeg ?? 10;
    if (typeof sd !== "number" || !Number.isFinite(sd) || sd < 0) {
      throw new RangeError(`perturbDeg must be a finite number ≥ 0, got ${String(sd)}`);
    }
    for (let i = 0; i < n; i++) {
      // Extra columns beyond the truth start at random directions.
      if (i >= nt) {
        cols.push(randomDirection(rng, m).map((v) => v * scale));
        continue;
      }
      const t = ((rng.normal() * sd) * Math.PI) / 180;
      const x = o.trueBasis[0]![i]!;
      const y = o.trueBasis[1]![i]!;
      cols.push([scale * (x * Math.cos(t) - y * Math.sin(t)), scale * (x * Math.sin(t) + y * Math.cos(t))]);
    }
  } else {
    throw new RangeError(`init must be 'perturbed-truth', 'random', 'spread' or an m×n matrix, got ${String(kind)}`);
  }
  return Array.from({ length: m }, (_, r) => cols.map((c) => c[r]!));
}

/** Applies the preset, the defaults and the checks; errors name the option. */
function resolve(X: Matrix, opts: LearnOptions): { o: ResolvedOptions; m: number; p: number; init: Matrix | InitKind } {
  if (opts === null || typeof opts !== "object") throw new TypeError(`options must be an object, got ${String(opts)}`);
  for (const key of Object.keys(opts)) {
    if (!KNOWN.has(key as keyof LearnOptions)) {
      throw new RangeError(`unknown option '${key}'; valid options are ${[...KNOWN].join(", ")}`);
    }
  }
  const { rows: m, cols: p } = checkMatrix("X", X);
  const preset = opts.preset === undefined ? {} : PRESETS[oneOf("preset", opts.preset, ["paper", "best-effort"] as const)];
  const merged: LearnOptions = { ...preset, ...stripUndefined(opts) };
  if (merged.trueBasis !== undefined) checkMatrix("trueBasis", merged.trueBasis, { rows: m });
  const n = requireInt("sources", merged.sources ?? merged.trueBasis?.[0]?.length ?? 3, 1);
  if (merged.trueBasis !== undefined && merged.trueBasis[0]!.length > n) {
    throw new RangeError(`sources (${n}) must be at least the number of true columns (${merged.trueBasis[0]!.length})`);
  }
  const sigma = merged.sigma ?? 0.5;
  const b = merged.b ?? 2;
  const lr = merged.lr ?? 0.05;
  requirePositive("sigma", sigma);
  requirePositive("b", b);
  requirePositive("lr", lr);
  const steps = requireInt("steps", merged.steps ?? 200, 0);
  const batchSize = requireInt("batchSize", merged.batchSize ?? p, 1, p);
  const seed = merged.seed ?? 0;
  requireSeed(seed);
  const prior = oneOf("prior", merged.prior ?? "exponential", ["exponential", "laplace"] as const);
  const precondition = oneOf("precondition", merged.precondition ?? "none", ["none", "inverse-AAT"] as const);
  const schedule = merged.schedule ?? "constant";
  learningRate(schedule, lr, 0, Math.max(1, steps)); // validates the schedule
  const initScale = merged.initScale ?? 1;
  requirePositive("initScale", initScale);
  const perturbDeg = merged.perturbDeg ?? 10;
  const historyEvery = requireInt("historyEvery", merged.historyEvery ?? 1, 1);
  const explodeFactor = merged.explodeFactor ?? 1e4;
  requirePositive("explodeFactor", explodeFactor);
  const inference = merged.inference === undefined
    ? "default"
    : oneOf("inference", merged.inference, ["exact", "fista", "gradient"] as const);
  const initOpt = merged.init ?? "random";
  let init: Matrix | InitKind;
  if (Array.isArray(initOpt)) {
    checkMatrix("init", initOpt, { rows: m, cols: n });
    init = initOpt.map((r) => r.slice());
  } else {
    init = oneOf("init", initOpt, ["perturbed-truth", "random", "spread"] as const);
    if (init === "perturbed-truth" && merged.trueBasis === undefined) {
      throw new TypeError("init 'perturbed-truth' needs trueBasis");
    }
  }
  for (const key of ["equalizeNorms", "keepBest"] as const) {
    if (typeof merged[key] !== "undefined" && typeof merged[key] !== "boolean") {
      throw new TypeError(`${key} must be true or false, got ${String(merged[key])}`);
    }
  }
  const keepBest = merged.keepBest ?? false;
  const bestBy = oneOf("bestBy", merged.bestBy ?? (merged.trueBasis ? "angle" : keepBest ? "likelihood" : "none"), ["angle", "likelihood", "none"] as const);
  if (bestBy === "angle" && merged.trueBasis === undefined) {
    throw new TypeError("bestBy 'angle' needs trueBasis (it is the angle to the truth); use 'likelihood' without one");
  }
  if (bestBy === "none" && keepBest) {
    throw new TypeError("keepBest needs a bestBy to pick the best A by: 'angle' (with trueBasis) or 'likelihood', not 'none'");
  }
  return {
    m,
    p,
    init,
    o: {
      prior, sigma, b, sources: n, steps, lr, batchSize, seed,
      init: Array.isArray(init) ? "matrix" : init,
      initScale, perturbDeg, precondition, schedule,
      equalizeNorms: merged.equalizeNorms ?? false,
      historyEvery, inference, explodeFactor,
      keepBest,
      bestBy,
      bestEvery: requireInt("bestEvery", merged.bestEvery ?? (bestBy === "angle" ? 1 : 10), 1),
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}


/**
 * Σ‖x − Aŝ‖², Σ‖ŝ‖₁ and which columns any point uses, over column-major
 * buffers: the terms of the MAP objective, shared by the learning loop and
 * the likelihood proxy.
 */
function fitTerms(
  A: Float64Array, X: Float64Array, S: Float64Array, m: number, n: number, p: number,
): { sq: number; l1: number; used: Uint8Array } {
  let sq = 0;
  let l1 = 0;
  const used = new Uint8Array(n);
  if (m === 2) {
    // The same sums for 2-D data, with both coordinates' residuals in locals.
    for (let j = 0; j < p; j++) {
      let r0 = X[2 * j]!;
      let r1 = X[2 * j + 1]!;
      for (let i = 0; i < n; i++) {
        const v = S[j * n + i]!;
        if (v === 0) continue;
        r0 -= A[2 * i]! * v;
        r1 -= A[2 * i + 1]! * v;
        l1 += Math.abs(v);
        used[i] = 1;
      }
      sq += r0 * r0;
      sq += r1 * r1;
    }
    return { sq, l1, used };
  }
  for (let j = 0; j < p; j++) {
    for (let r = 0; r < m; r++) {
      let res = X[j * m + r]!;
      for (let i = 0; i < n; i++) {
        const v = S[j * n + i]!;
        if (v !== 0) res -= A[i * m + r]! * v;
      }
      sq += res * res;
    }
    for (let i = 0; i < n; i++) {
      const s = S[j * n + i]!;
      l1 += Math.abs(s);
      if (s !== 0) used[i] = 1;
    }
  }
  return { sq, l1, used };
}

/**
 * The Laplace-approximation proxy of −log P(X|A) used by bestBy
 * 'likelihood': the mean MAP objective ‖x − Aŝ‖²/(2σ²) + ‖ŝ‖₁/b plus
 * ½ log det(AAᵀ) (exact in the complete noiseless case), minimised over a
 * global scale c of A. Without that minimisation the proxy scores the
 * column length as much as the directions, and the rule's own preferred
 * length is not the likelihood's (E3), so the raw proxy picks the first,
 * long-column steps of a run (E6.1). Scale-free: profiledLikelihood(cA) =
 * profiledLikelihood(A).
 */
export function profiledLikelihood(
  A: Matrix,
  X: Matrix,
  o: { sigma?: number; b?: number; prior?: Prior } = {},
): { value: number; scale: number } {
  const { rows: m, cols: n } = checkMatrix("A", A);
  const { cols: p } = checkMatrix("X", X, { rows: m });
  const sigma = o.sigma ?? 0.5;
  const b = o.b ?? 2;
  requirePositive("sigma", sigma);
  requirePositive("b", b);
  const prior = oneOf("prior", o.prior ?? "exponential", ["exponential", "laplace"] as const);
  const Ab = toColMajor(A);
  if (!Number.isFinite(halfLogDetAAtBuffer(Ab, m, n))) throw new RangeError("A must have rank m (AAᵀ invertible) for the likelihood proxy");
  const out = { value: 0, scale: 1 };
  out.value = profiled(Ab, toColMajor(X), m, n, p, { sigma, b, nonNegative: prior === "exponential" }, out);
  return out;
}

/** Golden-section search of the proxy over log c in [−5, 5] (it is unimodal in practice; 20 evaluations). */
function profiled(
  A: Float64Array, X: Float64Array, m: number, n: number, p: number,
  o: { sigma: number; b: number; nonNegative: boolean },
  report?: { scale: number },
): number {
  const base = halfLogDetAAtBuffer(A, m, n);
  if (!Number.isFinite(base)) return Infinity;
  const Ac = new Float64Array(A.length);
  const at = (logc: number): number => {
    const c = Math.exp(logc);
    for (let i = 0; i < A.length; i++) Ac[i] = c * A[i]!;
    const S = exactSourcesColMajor(Ac, X, m, n, p, o)
      ?? toColMajor(inferSources(fromColMajor(Ac, m, n), fromColMajor(X, m, p), { ...o, method: "fista" }).S);
    const { sq, l1 } = fitTerms(Ac, X, S, m, n, p);
    return (sq / (2 * o.sigma * o.sigma) + l1 / o.b) / p + base + m * logc;
  };
  const g = (Math.sqrt(5) - 1) / 2;
  let lo = -5;
  let hi = 5;
  let x1 = hi - g * (hi - lo);
  let x2 = lo + g * (hi - lo);
  let f1 = at(x1);
  let f2 = at(x2);
  for (let k = 0; k < 18; k++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = at(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = at(x2);
    }
  }
  if (report) report.scale = Math.exp(f1 < f2 ? x1 : x2);
  return Math.min(f1, f2);
}

/**
 * Learns an m×n basis for the columns of X by alternating MAP inference of
 * ŝ and the Lewicki–Sejnowski update. A run that blows up stops cleanly and
 * reports it in `diverged`; no NaN reaches the result.
 */
export function learnBasis(X: Matrix, opts: LearnOptions = {}): LearnResult {
  const { o, m, p, init } = resolve(X, opts);
  const n = o.sources;
  const trueBasis = opts.trueBasis;
  const rng = createRng(`${String(o.seed)}/batches`);
  let A = toColMajor(
    Array.isArray(init)
      ? init
      : initialBasis(init, { m, n, seed: o.seed, trueBasis, scale: o.initScale, perturbDeg: o.perturbDeg }),
  );
  const maxLen0 = Math.max(...columnLengths(A, m, n));
  if (!(maxLen0 > 0)) throw new RangeError("init must have at least one non-zero column");
  const limit = o.explodeFactor * maxLen0;
  const Xb = toColMajor(X);
  const idx = Int32Array.from({ length: p }, (_, j) => j);
  const M = new Float64Array(n * n);
  const dA = new Float64Array(m * n);
  const history: HistoryEntry[] = [];
  let best = { A: A.slice(), step: 0, score: Infinity };
  let diverged: LearnResult["diverged"] = null;
  const nonNegative = o.prior === "exponential";

  for (let step = 0; step <= o.steps; step++) {
    // The batch: all points, or a fresh draw without replacement.
    let batchBuf = Xb;
    if (o.batchSize < p) {
      for (let k = 0; k < o.batchSize; k++) {
        const r = k + rng.int(p - k);
        const pick = idx[r]!;
        idx[r] = idx[k]!;
        idx[k] = pick;
      }
      batchBuf = new Float64Array(m * o.batchSize);
      for (let k = 0; k < o.batchSize; k++) for (let r = 0; r < m; r++) batchBuf[k * m + r] = Xb[idx[k]! * m + r]!;
    }
    const Am = fromColMajor(A, m, n);
    const q = o.batchSize;
    // The exact solver straight on the buffers when it is the solver in use
    // (same ŝ as inferSources; its certificate is checked in the tests).
    const fast = o.inference === "default" || o.inference === "exact"
      ? exactSourcesColMajor(A, batchBuf, m, n, q, { sigma: o.sigma, b: o.b, nonNegative })
      : null;
    const S = fast ?? toColMajor(inferSources(Am, fromColMajor(batchBuf, m, q), {
      sigma: o.sigma, b: o.b, nonNegative,
      ...(o.inference === "default" ? {} : { method: o.inference }),
    }).S);
    const { sq, l1, used } = fitTerms(A, batchBuf, S, m, n, q);
    const reconstruction = sq / q;
    const sparsity = l1 / (o.b * q);
    const objective = reconstruction / (2 * o.sigma * o.sigma) + sparsity;
    const angleError = trueBasis ? basisError(Am, trueBasis).meanAngleDeg : null;
    if (o.bestBy !== "none" && (step % o.bestEvery === 0 || step === o.steps)) {
      const score = o.bestBy === "angle" ? angleError! : profiled(A, Xb, m, n, p, { sigma: o.sigma, b: o.b, nonNegative });
      if (score < best.score) best = { A: A.slice(), step, score };
    }

    accumulateZsT(S, n, q, o.b, M);
    applyRule(A, M, m, n, dA, true);
    let ok = true;
    if (o.precondition === "inverse-AAT") ok = precondition(A, m, n, dA);
    let updateNorm = 0;
    for (let i = 0; i < dA.length; i++) updateNorm += dA[i]! * dA[i]!;
    updateNorm = Math.sqrt(updateNorm);
    const lr = step < o.steps ? learningRate(o.schedule, o.lr, step, o.steps) : 0;
    if (step % o.historyEvery === 0 || step === o.steps || !ok) {
      history.push({
        step, A: Am, lr, reconstruction, sparsity, objective, angleError,
        deadFeatures: n - used.reduce((s, v) => s + v, 0),
        updateNorm: ok ? updateNorm : Number.POSITIVE_INFINITY,
      });
    }
    if (step === o.steps) break;
    if (!ok) {
      diverged = { step, reason: "AAᵀ became singular, so the (AAᵀ)⁻¹ preconditioner is undefined" };
      break;
    }
    const next = new Float64Array(A.length);
    for (let i = 0; i < A.length; i++) next[i] = A[i]! + lr * dA[i]!;
    if (o.equalizeNorms) equalize(next, m, n);
    const lengths = columnLengths(next, m, n);
    const bad = lengths.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      diverged = { step: step + 1, reason: `column ${bad + 1} of A became non-finite (‖ΔA‖ = ${updateNorm.toPrecision(3)}, α = ${lr.toPrecision(3)})` };
      break;
    }
    const big = lengths.findIndex((v) => v > limit);
    if (big >= 0) {
      diverged = {
        step: step + 1,
        reason: `column ${big + 1} of A grew to length ${lengths[big]!.toPrecision(3)}, over ${o.explodeFactor} × the initial ${maxLen0.toPrecision(3)}`,
      };
      break;
    }
    if (lengths.every((v) => v === 0)) {
      diverged = { step: step + 1, reason: "every column of A shrank to zero" };
      break;
    }
    A = next;
  }
  const finalA = fromColMajor(A, m, n);
  if (o.bestBy === "none") best = { A: A.slice(), step: history[history.length - 1]!.step, score: Number.NaN };
  const bestA = fromColMajor(best.A, m, n);
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

function columnLengths(A: Float64Array, m: number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += A[i * m + r]! * A[i * m + r]!;
    out.push(Math.sqrt(s));
  }
  return out;
}

/** Every column rescaled to the mean column length (blog E6); zero columns stay zero. */
function equalize(A: Float64Array, m: number, n: number): void {
  const lengths = columnLengths(A, m, n);
  const mean = lengths.reduce((s, v) => s + v, 0) / n;
  for (let i = 0; i < n; i++) {
    if (lengths[i]! === 0 || !Number.isFinite(lengths[i]!)) continue;
    const f = mean / lengths[i]!;
    for (let r = 0; r < m; r++) A[i * m + r] = A[i * m + r]! * f;
  }
}

export type Outcome = "converged" | "diverged" | "dead feature" | "not converged";

/**
 * One word for how a run ended: 'diverged' if it stopped early, 'dead
 * feature' if a column was unused at the end, 'converged' if the final angle
 * error is below toleranceDeg, else 'not converged'. Needs trueBasis for the
 * last two.
 */
export function runOutcome(r: LearnResult, toleranceDeg = 3): Outcome {
  if (r.diverged) return "diverged";
  const last = r.history[r.history.length - 1]!;
  if (last.deadFeatures > 0) return "dead feature";
  if (last.angleError === null) throw new RangeError("runOutcome needs a run with trueBasis");
  return last.angleError < toleranceDeg ? "converged" : "not converged";
}

export interface BiasOptions {
  sigma?: number;
  b?: number;
  prior?: Prior;
  /** Precondition the returned update dA (and so rotationDeg) as learnBasis would. Default 'none'. */
  precondition?: Precondition;
}

export interface FixedPointBias {
  /** The factor c with mean |ŝ| = b at A = c·A_true. */
  scale: number;
  /** ⟨z ŝᵀ⟩ + I at c·A_true: zero everywhere at a true fixed point of the rule. */
  bias: Matrix;
  /** The update ΔA = −cA_true·bias there ((AAᵀ)⁻¹-preconditioned if asked). */
  dA: Matrix;
  /**
   * For m = 2: how fast ΔA turns each column there, degrees per unit
   * learning rate, counter-clockwise positive. Equalised norms remove the
   * radial part of the update, so with them the truth is a fixed point only
   * if every entry is 0. Empty for m ≠ 2.
   */
  rotationDeg: number[];
  /** Mean |ŝ| per column at c·A_true. */
  meanAbsS: number[];
}

/**
 * How far A_true is from being a fixed point of eq. 5 (blog E4). The rule
 * cannot fix the lengths of the columns, so we first rescale A_true so that
 * the mean |ŝ| equals the prior's b (which zeroes the diagonal on average)
 * and then read off E[z ŝᵀ] + I. What is left is a bias of the rule itself.
 */
/**
 * For m = 2: how fast an update dA turns each column of A, in degrees per
 * unit learning rate (counter-clockwise positive). With equalised norms only
 * this part of the update moves the columns; the radial part is undone.
 */
export function turnRates(A: Matrix, dA: Matrix): number[] {
  const { cols: n } = checkMatrix("A", A, { rows: 2 });
  checkMatrix("dA", dA, { rows: 2, cols: n });
  return A[0]!.map((x, i) => {
    const y = A[1]![i]!;
    const len2 = x * x + y * y;
    if (len2 === 0) return 0;
    return (((x * dA[1]![i]! - y * dA[0]![i]!) / len2) * 180) / Math.PI;
  });
}

export function fixedPointBias(trueBasis: Matrix, X: Matrix, o: BiasOptions = {}): FixedPointBias {
  const sigma = o.sigma ?? 0.5;
  const b = o.b ?? 2;
  requirePositive("sigma", sigma);
  requirePositive("b", b);
  const prior = oneOf("prior", o.prior ?? "exponential", ["exponential", "laplace"] as const);
  const nonNegative = prior === "exponential";
  checkMatrix("trueBasis", trueBasis);
  checkMatrix("X", X, { rows: trueBasis.length });
  const at = (c: number) => {
    const A = trueBasis.map((r) => r.map((v) => v * c));
    const S = inferSources(A, X, { sigma, b, nonNegative }).S;
    const per = S.map((row) => row.reduce((s, v) => s + Math.abs(v), 0) / row.length);
    return { A, S, per, mean: per.reduce((s, v) => s + v, 0) / per.length };
  };
  // Mean |ŝ| falls as c grows, except that a tiny basis explains nothing
  // (ŝ = 0 below the soft threshold); walk down from a long basis to the
  // first scale with mean |ŝ| > b, then bisect on log c.
  let hi = 1e3;
  let lo = hi;
  while (at(lo).mean <= b) {
    hi = lo;
    lo /= 1.5;
    if (lo < 1e-4) throw new RangeError(`no scale of trueBasis in [1e-4, 1e3] gives mean |ŝ| = b = ${b}`);
  }
  for (let k = 0; k < 50; k++) {
    const mid = Math.sqrt(lo * hi);
    if (at(mid).mean > b) lo = mid;
    else hi = mid;
  }
  const c = Math.sqrt(lo * hi);
  const r = at(c);
  const t = ruleTerms(r.A, r.S, { b, precondition: o.precondition ?? "none" });
  const rotationDeg = r.A.length !== 2 ? [] : turnRates(r.A, t.dA);
  return {
    scale: c,
    bias: t.zsT.map((row, i) => row.map((v, k) => v + (i === k ? 1 : 0))),
    dA: t.dA,
    meanAbsS: r.per,
    rotationDeg,
  };
}

/**
 * The Jacobian of the mean update A ↦ ΔA(A) (with ŝ re-inferred) by central
 * differences, as an (mn)×(mn) matrix over A's entries in row-major order.
 * At a fixed point, an eigenvalue with positive real part is a direction
 * that the rule amplifies: the fixed point repels.
 */
export function ruleJacobian(A: Matrix, X: Matrix, o: BiasOptions & { precondition?: Precondition; h?: number } = {}): Matrix {
  const { rows: m, cols: n } = checkMatrix("A", A);
  checkMatrix("X", X, { rows: m });
  const sigma = o.sigma ?? 0.5;
  const b = o.b ?? 2;
  const h = o.h ?? 1e-6;
  requirePositive("h", h);
  const nonNegative = (o.prior ?? "exponential") === "exponential";
  const F = (B: Matrix): number[] =>
    ruleTerms(B, inferSources(B, X, { sigma, b, nonNegative }).S, { b, precondition: o.precondition }).dA.flat();
  const J: Matrix = Array.from({ length: m * n }, () => new Array<number>(m * n).fill(0));
  for (let q = 0; q < m * n; q++) {
    const r = Math.floor(q / n);
    const c = q % n;
    const plus = A.map((row) => row.slice());
    const minus = A.map((row) => row.slice());
    plus[r]![c] = plus[r]![c]! + h;
    minus[r]![c] = minus[r]![c]! - h;
    const fp = F(plus);
    const fm = F(minus);
    for (let k = 0; k < m * n; k++) J[k]![q] = (fp[k]! - fm[k]!) / (2 * h);
  }
  return J;
}

/**
 * ⟨(x − Aŝ) ŝᵀ⟩/σ²: the gradient in A of −L(ŝ) = log P(ŝ) + log P(x|A,ŝ)
 * at the MAP sources (by the envelope theorem, ŝ's own change does not
 * count). Eq. 5 replaces the residual x − Aŝ by its projection onto the
 * active columns (the KKT conditions fix only that part), so a column used
 * alone by a point gets no signal to turn towards it (blog E4).
 */
export function reconstructionGradient(A: Matrix, X: Matrix, S: Matrix, sigma: number): Matrix {
  const { rows: m, cols: n } = checkMatrix("A", A);
  const { cols: p } = checkMatrix("X", X, { rows: m });
  checkMatrix("S", S, { rows: n, cols: p });
  requirePositive("sigma", sigma);
  const G: Matrix = Array.from({ length: m }, () => new Array<number>(n).fill(0));
  const w = 1 / (sigma * sigma * p);
  for (let j = 0; j < p; j++) {
    for (let r = 0; r < m; r++) {
      let res = X[r]![j]!;
      for (let i = 0; i < n; i++) res -= A[r]![i]! * S[i]![j]!;
      for (let i = 0; i < n; i++) G[r]![i] = G[r]![i]! + w * res * S[i]![j]!;
    }
  }
  return G;
}
