// learnBasis' options: the named recipes (presets), the one declaration of
// every option, and their resolution against the data (some defaults depend
// on X or on trueBasis).
import { checkValue, declareOptions, requireInt, show, type Spec } from "../options";
import { checkMatrix, type Matrix } from "../linalg";
import { dataFromRows, fromRows, type Mat } from "../matrix";
import { MODEL_OPTIONS, RETIRED_NON_NEGATIVE, type Prior } from "../model";
import { learningRate, type Schedule } from "../schedule";
import type { InferenceMethod } from "../inference";
import type { InitKind } from "../init";

export type Precondition = "none" | "inverse-AAT";
export type Preset = "paper" | "best-effort";
export type BestBy = "angle" | "likelihood" | "none";

export interface LearnOptions {
  /** Start from a named recipe; options given alongside override it. */
  preset?: Preset;
  /** Source prior: 'exponential' (ŝ ≥ 0, the post's ReLU) or 'laplace' (signed ŝ). */
  prior?: Prior;
  /** Noise standard deviation σ of the inference objective. */
  sigma?: number;
  /** Prior scale b (mean |s|); z = −sign(ŝ)/b. */
  b?: number;
  /** Number of columns n of the learned A. Default: the columns of trueBasis, else 3. */
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
  /**
   * Gain adaptation (Olshausen & Field 1997): after each update, scale
   * column i by (⟨ŝ_i²⟩ / g)^gainRate, where ⟨ŝ_i²⟩ is the mean square of
   * source i's MAP code on the step's batch and g their geometric mean. It
   * steers the relative column lengths toward equal code power and leaves
   * their geometric mean, the overall scale, to the rule. Not with
   * equalizeNorms. Default false.
   */
  gain?: boolean;
  /** The exponent γ of the gain step (sparsenet's α). Default 0.02; only with gain. */
  gainRate?: number;
  /** The true basis, when known: the run then tracks the angle error and keeps the A with the lowest one. */
  trueBasis?: Matrix;
  /** Keep every k-th step in the history (the first and last are always kept). Default 1. */
  historyEvery?: number;
  /** Solver for ŝ. Default: the solver's own choice ('exact' for small problems). */
  inference?: InferenceMethod | "default";
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

/** The options after the preset and the defaults were applied (stored in sweep records: keep the key order). */
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
  /**
   * Present (true) only when gain adaptation is on, so that the options of
   * every run without it, and the sweep records that store them, stay as
   * they were before the option existed.
   */
  gain?: true;
  /** γ of the gain step; present only with gain. */
  gainRate?: number;
}

/**
 * The named recipes. 'paper' is eq. 5 as published, at σ = 0.5, the value of
 * the E3–E5 notebooks (and learnBasis' own default before the one model).
 * 'best-effort' is the blog's E6 recipe (spread init, (AAᵀ)⁻¹, warm-up +
 * cosine, equal column norms, the best A kept) with the rate, length and σ we
 * tuned in the E6 notebook: at σ = 0.5 the same recipe collapses on some
 * seeds, at σ = 0.1 (closer to the low-noise limit the rule is derived in) it
 * did not in our runs. Options given next to a preset override it.
 */
export const PRESETS: Record<Preset, Partial<LearnOptions>> = {
  paper: { init: "random", precondition: "none", schedule: "constant", equalizeNorms: false, keepBest: false, sigma: 0.5 },
  "best-effort": {
    init: "spread", precondition: "inverse-AAT", schedule: "warmup-cosine", equalizeNorms: true, keepBest: true,
    sigma: 0.1, lr: 0.1, steps: 300,
  },
};

/** The `init` option: a scheme of lib/init.ts or an explicit matrix (fitMaximumLikelihood reuses it with its own default). */
export const INIT_SPEC: Spec = {
  kind: "custom",
  type: "'perturbed-truth' | 'random' | 'spread' | 'data' | number[][]",
  default: "random",
  doc: "initial basis: a named scheme (lib/init.ts) or an explicit m×n matrix",
  check: (name, v) => {
    if (Array.isArray(v)) checkMatrix(name, v);
    else checkValue(name, { kind: "enum", values: ["perturbed-truth", "random", "spread", "data"], doc: "" }, v);
  },
};

const scheduleSpec: Spec = {
  kind: "custom",
  type: "'constant' | 'warmup-cosine' | { kind: 'warmup-cosine', warmupFraction }",
  default: "constant",
  doc: "learning-rate schedule (lib/schedule.ts)",
  check: (_name, v) => void learningRate(v as Schedule, 1, 0, 1),
};

export const LEARN_OPTIONS = declareOptions<LearnOptions>("learnBasis", {
  preset: { kind: "enum", values: ["paper", "best-effort"], doc: "start from a named recipe; options given alongside override it" },
  ...MODEL_OPTIONS.schema,
  sources: { kind: "integer", min: 1, doc: "columns n of the learned A (default: the columns of trueBasis, else 3)" },
  steps: { kind: "integer", min: 0, default: 200, doc: "number of updates" },
  lr: { kind: "number", above: 0, default: 0.05, doc: "peak learning rate α" },
  batchSize: { kind: "integer", min: 1, doc: "points per update, drawn without replacement (default: all of X)" },
  seed: { kind: "seed", default: 0, doc: "seed of the initialisation and the batches" },
  init: INIT_SPEC,
  initScale: { kind: "number", above: 0, default: 1, doc: "length of the initial columns" },
  perturbDeg: { kind: "number", min: 0, default: 10, doc: "rotation noise of 'perturbed-truth', degrees" },
  precondition: { kind: "enum", values: ["none", "inverse-AAT"], default: "none", doc: "'inverse-AAT' left-multiplies ΔA by (AAᵀ)⁻¹ (blog E4.3)" },
  schedule: scheduleSpec,
  equalizeNorms: { kind: "boolean", default: false, doc: "rescale every column to the mean length after each update (blog E6)" },
  gain: { kind: "boolean", default: false, doc: "gain adaptation (Olshausen & Field 1997): scale column i by (⟨ŝ_i²⟩/g)^gainRate after each update, g the geometric mean of the ⟨ŝ_i²⟩" },
  gainRate: { kind: "number", above: 0, below: 1, doc: "exponent γ of the gain step, only with gain (default 0.02, as in Olshausen's sparsenet)" },
  trueBasis: { kind: "matrix", doc: "the true basis: the run tracks the angle error to it" },
  historyEvery: { kind: "integer", min: 1, default: 1, doc: "keep every k-th step in the history (first and last always)" },
  inference: {
    kind: "enum", values: ["exact", "active-set", "fista", "gradient", "default"],
    doc: "solver for ŝ: 'default' (or absent) is the exact geometric cut for m = 2 and the exact active set beyond, warm-started from each point's last ŝ; a run's resolved options can be handed back as they are",
  },
  explodeFactor: { kind: "number", above: 0, default: 1e4, doc: "stop as diverged when a column grows this many times the longest initial one" },
  keepBest: { kind: "boolean", default: false, doc: "return the best A seen rather than the last (blog E6)" },
  bestBy: { kind: "enum", values: ["angle", "likelihood", "none"], doc: "best by the angle to trueBasis, the likelihood proxy, or none (default: angle with trueBasis, else likelihood if keepBest, else none)" },
  bestEvery: { kind: "integer", min: 1, doc: "score for bestA every this many steps (default 1 for angle, 10 for likelihood)" },
}, RETIRED_NON_NEGATIVE);

export interface Resolved {
  o: ResolvedOptions;
  /** The data, m×p. */
  X: Mat;
  /** The explicit initial basis (a copy), or the scheme to draw it from. */
  init: Mat | InitKind;
}

/** Applies the preset, the defaults and the checks; errors name the option. */
export function resolve(Xrows: Matrix, opts: LearnOptions): Resolved {
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw new TypeError(`learnBasis: options must be an object, got ${show(opts)}`);
  }
  // The caller's options are checked as given (an unknown name is an error even
  // when its value is undefined); the preset's values then fill what they leave out.
  LEARN_OPTIONS.parse(opts);
  const given = Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined));
  const merged = LEARN_OPTIONS.parse({ ...(opts.preset === undefined ? {} : PRESETS[opts.preset]), ...given });
  const X = dataFromRows("X", Xrows);
  const m = X.rows, p = X.cols;
  const trueBasis = merged.trueBasis;
  if (trueBasis !== undefined) checkMatrix("trueBasis", trueBasis, { rows: m });
  const n = requireInt("sources", merged.sources ?? trueBasis?.[0]?.length ?? 3, 1);
  if (trueBasis !== undefined && trueBasis[0]!.length > n) {
    throw new RangeError(`sources (${n}) must be at least the number of true columns (${trueBasis[0]!.length})`);
  }
  const batchSize = requireInt("batchSize", merged.batchSize ?? p, 1, p);
  let init: Mat | InitKind;
  if (Array.isArray(merged.init)) {
    init = fromRows("init", merged.init, { rows: m, cols: n });
  } else {
    init = merged.init!;
    if (init === "perturbed-truth" && trueBasis === undefined) throw new TypeError("init 'perturbed-truth' needs trueBasis");
  }
  const keepBest = merged.keepBest!;
  const bestBy = merged.bestBy ?? (trueBasis ? "angle" : keepBest ? "likelihood" : "none");
  if (bestBy === "angle" && trueBasis === undefined) {
    throw new TypeError("bestBy 'angle' needs trueBasis (it is the angle to the truth); use 'likelihood' without one");
  }
  if (bestBy === "none" && keepBest) {
    throw new TypeError("keepBest needs a bestBy to pick the best A by: 'angle' (with trueBasis) or 'likelihood', not 'none'");
  }
  const gain = gainOptions(merged, opts.preset);
  const o: ResolvedOptions = {
    prior: merged.prior!, sigma: merged.sigma!, b: merged.b!, sources: n, steps: merged.steps!, lr: merged.lr!, batchSize,
    seed: merged.seed!, init: typeof init === "string" ? init : "matrix", initScale: merged.initScale!, perturbDeg: merged.perturbDeg!,
    precondition: merged.precondition!, schedule: merged.schedule!, equalizeNorms: merged.equalizeNorms!,
    historyEvery: merged.historyEvery!, inference: merged.inference ?? "default", explodeFactor: merged.explodeFactor!,
    keepBest, bestBy, bestEvery: merged.bestEvery ?? (bestBy === "angle" ? 1 : 10),
    ...gain,
  };
  return { o, X, init };
}

/**
 * The resolved gain options: none unless gain is on (see ResolvedOptions).
 * The default γ = 0.02 is the α of Olshausen's sparsenet.m, the public code
 * of Olshausen & Field 1996/1997 (redwood.berkeley.edu/bruno/sparsenet),
 * which applies it to a running average of ⟨a_i²⟩. Near the balance ⟨ŝ_i²⟩ ∝ ‖A_i‖⁻², so a gain
 * step shrinks a column's log-length error by the factor 1 − 2γ: at 0.02 the
 * error falls by e after about 25 steps, slow beside the learning rule's
 * turning; above 0.5 the step overshoots (the error changes sign), and at
 * γ ≥ 1 it grows, hence the bound.
 */
function gainOptions(merged: LearnOptions, preset: Preset | undefined): { gain?: true; gainRate?: number } {
  if (!merged.gain) {
    if (merged.gainRate !== undefined) throw new TypeError(`gainRate (${merged.gainRate}) applies only with gain: true`);
    return {};
  }
  if (merged.equalizeNorms) {
    const from = preset !== undefined && PRESETS[preset].equalizeNorms ? ` (the preset '${preset}' sets equalizeNorms: give equalizeNorms: false)` : "";
    throw new TypeError(`gain and equalizeNorms cannot both be true: equal lengths leave gain adaptation nothing to steer${from}`);
  }
  return { gain: true, gainRate: merged.gainRate ?? 0.02 };
}
