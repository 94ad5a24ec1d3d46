// trainSAE's options, declared once (lib/options.ts): the validation, the
// defaults and the README's table all come from SAE_OPTIONS.
import { checkMatrix, type Matrix } from "../linalg";
import { dataFromRows, type Mat } from "../matrix";
import { declareOptions, requireInt, show } from "../options";
import { learningRate, type Schedule } from "../schedule";
import { ACTIVATIONS, type Act, type Activation } from "./model";

export interface SAEOptions {
  /** Number of features (dictionary size) n. Default: the columns of trueBasis, else 3. */
  features?: number;
  /**
   * The activation (lib/sae/variants.ts): 'relu' (Bricken et al. 2023),
   * 'topk' (Gao et al. 2024: the k largest positive pre-activations, loss =
   * MSE alone) or 'jumprelu' (Rajamanoharan et al. 2024: u_i·H(u_i − θ_i)
   * with learned thresholds, loss = MSE + λ·L0). Default 'relu'.
   */
  activation?: Activation;
  /** TopK only, and required there: features kept per point, 1 … features. */
  k?: number;
  /**
   * JumpReLU only: width ε of the rectangle kernel of the thresholds'
   * straight-through estimator. Default 0.05·ρ, ρ = √(⟨‖x‖²⟩/m) the data's
   * rms coordinate: SAELens's 0.05 read as a fraction of a unit-scale
   * coordinate (lib/sae/variants.ts says why the scale matters).
   */
  bandwidth?: number;
  /** JumpReLU only: the thresholds' start θ_i. Default 0.01·ρ (SAELens's 0.01, scaled as bandwidth). */
  initThreshold?: number;
  /**
   * Weight λ of the penalty: of ⟨‖s‖₁⟩ for 'relu', of L0 = ⟨#active⟩ for
   * 'jumprelu' (a price per active feature, in the units of ‖x‖², so its
   * useful range differs from ReLU's); 'topk' has no penalty, and giving
   * lambda with it is an error. Default 0.01 (= 2σ²/b of the ICA recipe, σ = 0.1, b = 2).
   */
  lambda?: number;
  /** Number of Adam steps. Default 3000. */
  steps?: number;
  /** Adam step size. Default 0.01. */
  lr?: number;
  /** Learning-rate schedule (the ICA rule's schedules). Default 'warmup-cosine': the decay lets minibatch Adam settle. */
  schedule?: Schedule;
  /** Points per step, drawn without replacement. Default min(256, points). */
  batchSize?: number;
  /** Seed of the initialisation, the batches and the resampling. Default 0. */
  seed?: number | string;
  /**
   * Initial decoder directions: 'random' (uniform directions, the usual
   * choice), 'spread' (as far apart as possible, as the ICA recipe starts),
   * 'data' (data points' directions, spread by k-means++ seeding: lib/init.ts)
   * or an explicit m×n matrix (columns are normalised). The encoder starts as
   * the decoder's transpose, b_enc at 0. Default 'random'.
   */
  init?: "random" | "spread" | "data" | Matrix;
  /**
   * Learn the decoder bias b_dec (started at the geometric median of X, as
   * Bricken et al. do). false fixes b_dec = 0, the offset-free model ICA
   * assumes. Default true.
   */
  decoderBias?: boolean;
  /** Adam's β₁, β₂ and ε. Defaults 0.9, 0.999, 1e-8. */
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** A feature silent on every batch for this many consecutive steps counts as dead. Default 200. */
  deadWindow?: number;
  /**
   * Resample dead features (Bricken et al.): at each listed step, every dead
   * feature's decoder column is set to the direction of a data point drawn
   * with probability ∝ its squared reconstruction error, its encoder row to
   * that direction scaled to 0.2 × the mean live encoder norm, b_enc to 0,
   * and its Adam moments are cleared. true = at 25%, 50% and 75% of the
   * steps. Default false.
   */
  resample?: boolean | number[];
  /** The true basis, when known: the history then records the matched angle error. */
  trueBasis?: Matrix;
  /** Keep every k-th step in the history (the first and last always). Default 50. */
  historyEvery?: number;
}

/**
 * The options a run used, every default filled in (stored in sweep records:
 * keep the keys and their order). A ReLU run has exactly the keys it always
 * had; a TopK run adds activation and k (and its lambda is 0: no penalty), a
 * JumpReLU run activation, bandwidth and initThreshold.
 */
export interface ResolvedSAEOptions {
  features: number;
  lambda: number;
  steps: number;
  lr: number;
  schedule: Schedule;
  batchSize: number;
  seed: number | string;
  init: "random" | "spread" | "data" | "matrix";
  decoderBias: boolean;
  beta1: number;
  beta2: number;
  eps: number;
  deadWindow: number;
  resample: number[];
  historyEvery: number;
  activation?: "topk" | "jumprelu";
  k?: number;
  bandwidth?: number;
  initThreshold?: number;
}

export const SAE_OPTIONS = declareOptions<SAEOptions>("trainSAE", {
  features: { kind: "integer", min: 1, doc: "number of features (dictionary size) n; default: the columns of trueBasis, else 3" },
  activation: {
    kind: "enum", values: ACTIVATIONS, default: "relu",
    doc: "'relu' (Bricken et al. 2023); 'topk' (Gao et al. 2024): the k largest positive pre-activations, loss = MSE alone; 'jumprelu' (Rajamanoharan et al. 2024): u_i·H(u_i − θ_i) with learned thresholds θ_i = exp(t_i), loss = MSE + λ·L0",
  },
  k: { kind: "integer", min: 1, doc: "'topk' only, and required there: features kept per point, at most features" },
  bandwidth: {
    kind: "number", above: 0,
    doc: "'jumprelu' only: width ε of the rectangle kernel in the thresholds' straight-through estimator; default 0.05·ρ, ρ = √(⟨‖x‖²⟩/m) the data's rms coordinate (SAELens's 0.05 on data scaled to ρ = 1)",
  },
  initThreshold: { kind: "number", above: 0, doc: "'jumprelu' only: the thresholds' start θ_i; default 0.01·ρ (SAELens's 0.01, scaled as bandwidth)" },
  lambda: {
    kind: "number", min: 0, default: 0.01,
    doc: "weight λ of the penalty: of ⟨‖s‖₁⟩ for 'relu' (0.01 = 2σ²/b of the ICA recipe, σ = 0.1, b = 2), of L0 (a price per active feature, in units of ‖x‖²) for 'jumprelu'; 'topk' has none, and rejects it",
  },
  steps: { kind: "integer", min: 0, default: 3000, doc: "number of Adam steps" },
  lr: { kind: "number", above: 0, default: 0.01, doc: "Adam step size" },
  schedule: {
    kind: "custom", type: "'constant' | 'warmup-cosine' | { kind: 'warmup-cosine', warmupFraction }", default: "warmup-cosine",
    check: (_name, v) => void learningRate(v as Schedule, 1, 0, 1),
    doc: "learning-rate schedule; the cosine decay lets minibatch Adam settle",
  },
  batchSize: { kind: "integer", min: 1, doc: "points per step, drawn without replacement; default min(256, points)" },
  seed: { kind: "seed", default: 0, doc: "seed of the initialisation, the batches and the resampling" },
  init: {
    kind: "custom", type: "'random' | 'spread' | 'data' | number[][]", default: "random", check: checkInit,
    doc: "initial decoder directions: uniform, as far apart as possible, data points' directions (k-means++ seeding), or the columns of an m×n matrix (normalised); the encoder starts as the decoder's transpose",
  },
  decoderBias: { kind: "boolean", default: true, doc: "learn b_dec (from the geometric median of X); false fixes b_dec = 0, the offset-free model of ICA" },
  beta1: { kind: "number", min: 0, below: 1, default: 0.9, doc: "Adam's β₁" },
  beta2: { kind: "number", min: 0, below: 1, default: 0.999, doc: "Adam's β₂" },
  eps: { kind: "number", above: 0, default: 1e-8, doc: "Adam's ε" },
  deadWindow: { kind: "integer", min: 1, default: 200, doc: "a feature silent on every batch for this many consecutive steps counts as dead" },
  resample: {
    kind: "custom", type: "boolean | number[]", default: false, check: checkResample,
    doc: "resample dead features (Bricken et al.) at the listed steps; true = at 25%, 50% and 75% of the steps",
  },
  trueBasis: { kind: "matrix", doc: "the true basis, when known: the history then records the matched angle error" },
  historyEvery: { kind: "integer", min: 1, default: 50, doc: "keep every k-th step in the history (the first and last always)" },
});

function checkInit(name: string, v: unknown): void {
  if (Array.isArray(v)) checkMatrix(name, v);
  else if (v !== "random" && v !== "spread" && v !== "data") throw new RangeError(`${name} must be 'random', 'spread', 'data' or an m×n matrix, got ${show(v)}`);
}

function checkResample(name: string, v: unknown): void {
  if (typeof v !== "boolean" && !Array.isArray(v)) throw new TypeError(`${name} must be true, false or a list of steps, got ${show(v)}`);
}

/** The checked data, the options with every default, and the initial directions (an explicit matrix or a kind). */
export function resolveSAE(X: Matrix, opts: SAEOptions): { X: Mat; o: ResolvedSAEOptions; act: Act; init: Matrix | "random" | "spread" | "data" } {
  const given = SAE_OPTIONS.parse(opts);
  const Xm = dataFromRows("X", X);
  const { rows: m, cols: p } = Xm;
  const truth = given.trueBasis;
  if (truth !== undefined) checkMatrix("trueBasis", truth, { rows: m });
  const features = given.features ?? truth?.[0]?.length ?? 3;
  if (truth !== undefined && truth[0]!.length > features) {
    throw new RangeError(`features (${features}) must be at least the number of true columns (${truth[0]!.length})`);
  }
  const steps = given.steps!;
  // Checked again now that steps is known: the warm-up length depends on it.
  learningRate(given.schedule!, given.lr!, 0, Math.max(1, steps));
  const batchSize = requireInt("batchSize", given.batchSize ?? Math.min(256, p), 1, p);
  const init = given.init!;
  if (Array.isArray(init)) {
    checkMatrix("init", init, { rows: m, cols: features });
    for (let i = 0; i < features; i++) {
      if (!init.some((row) => row[i] !== 0)) throw new RangeError(`init column ${i + 1} is zero; a decoder direction needs a non-zero column`);
    }
  }
  const variant = resolveVariant(opts, given, Xm, features);
  return {
    X: Xm, init, act: variant.act,
    o: {
      features, lambda: variant.act.kind === "topk" ? 0 : given.lambda!, steps, lr: given.lr!, schedule: given.schedule!, batchSize, seed: given.seed!,
      init: Array.isArray(init) ? "matrix" : init,
      decoderBias: given.decoderBias!,
      beta1: given.beta1!, beta2: given.beta2!, eps: given.eps!, deadWindow: given.deadWindow!,
      resample: resampleSteps(given.resample!, steps), historyEvery: given.historyEvery!,
      ...variant.extra,
    },
  };
}

/**
 * The activation and its options: each option only with its activation (an
 * error names the option and the activation), k required for 'topk', and
 * JumpReLU's bandwidth and start threshold defaulted to the data's scale.
 */
function resolveVariant(opts: SAEOptions, given: SAEOptions, X: Mat, features: number): { act: Act; extra: Partial<ResolvedSAEOptions> } {
  const a = given.activation!;
  const onlyWith = (name: keyof SAEOptions, kind: Activation): void => {
    if (a !== kind && opts[name] !== undefined) throw new RangeError(`${name} applies only with activation '${kind}', got ${name} = ${show(opts[name])} with activation '${a}'`);
  };
  onlyWith("k", "topk");
  onlyWith("bandwidth", "jumprelu");
  onlyWith("initThreshold", "jumprelu");
  if (a === "topk") {
    if (opts.lambda !== undefined) throw new RangeError(`lambda is not used with activation 'topk' (its loss is the MSE alone; k sets the sparsity), got lambda = ${show(opts.lambda)}`);
    if (given.k === undefined) throw new RangeError("k is required with activation 'topk' (features kept per point), got none");
    const k = requireInt("k", given.k, 1, features);
    return { act: { kind: "topk", k }, extra: { activation: "topk", k } };
  }
  if (a === "jumprelu") {
    const { rows: m, cols: p, data } = X;
    let ss = 0;
    for (let c = 0; c < m * p; c++) ss += data[c]! * data[c]!;
    const rho = Math.sqrt(ss / p / m);
    const bandwidth = given.bandwidth ?? 0.05 * rho;
    const initThreshold = given.initThreshold ?? 0.01 * rho;
    if (!(bandwidth > 0) || !(initThreshold > 0)) throw new RangeError(`X is all zeros: bandwidth and initThreshold have no scale to default to; give them`);
    return { act: { kind: "jumprelu" }, extra: { activation: "jumprelu", bandwidth, initThreshold } };
  }
  return { act: { kind: "relu" }, extra: {} };
}

/** The steps at which dead features are resampled, ascending and distinct. */
function resampleSteps(rs: boolean | number[], steps: number): number[] {
  if (rs === false) return [];
  if (rs === true) return [0.25, 0.5, 0.75].map((f) => Math.round(f * steps)).filter((s) => s > 0);
  rs.forEach((s, i) => requireInt(`resample[${i}]`, s, 1, Math.max(1, steps - 1)));
  return [...new Set(rs)].sort((a, b) => a - b);
}
