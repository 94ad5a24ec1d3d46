// trainToyModel's options, declared once (lib/options.ts), and the feature
// structure they describe: the toy model of Elhage et al. 2022, "Toy Models
// of Superposition" (TMS), section "Demonstrating superposition":
//     x_i = 0 with probability S, else U[0, 1]      (n features)
//     h   = W x                                     (m < n hidden units)
//     x′  = ReLU(Wᵀ h + b)
//     L   = ⟨Σ_i I_i (x_i − x′_i)²⟩ / n             (the mean over features)
// The pairs (correlated, anticorrelated, nested) follow the paper's section
// on correlated features and the blog verdict's reason 3.
import { declareOptions, show } from "../options";

export interface ToyModelOptions {
  /** Number of features n (the input's width). Required. */
  features?: number;
  /** Number of hidden units m. Required, 1 ≤ m ≤ n. */
  hidden?: number;
  /** Sparsity S: each feature is 0 with probability S, else U[0, 1]. Default 0.9. */
  sparsity?: number;
  /** Importance I_i: a number r (I_i = r^i, i = 0 … n − 1) or one weight per feature. Default 1 (all equal). */
  importance?: number | number[];
  /** Features 0 … 2k − 1 in k pairs (2j, 2j + 1) that are present together (TMS's correlated pairs). Default 0. */
  correlatedPairs?: number;
  /** The next k pairs: never present together, each feature still present with probability 1 − S (TMS's anticorrelated pairs). Default 0. */
  anticorrelatedPairs?: number;
  /** The next k pairs (parent, child): the child is present only where its parent is, half of those times. Default 0. */
  nestedPairs?: number;
  /** Adam steps. Default 10,000 (TMS). */
  steps?: number;
  /** Points per step. Default 1,024 (TMS). */
  batchSize?: number;
  /** Adam's step size, constant. Default 0.001 (TMS). */
  lr?: number;
  /** Decoupled weight decay (AdamW; PyTorch's default, which TMS's AdamW keeps). Default 0.01. */
  weightDecay?: number;
  /** Record the batch loss every this many steps. Default 100. */
  historyEvery?: number;
  /** Seed of W's start and of every batch. Default 0. */
  seed?: number | string;
}

export const TOY_OPTIONS = declareOptions<ToyModelOptions>("trainToyModel", {
  features: { kind: "integer", min: 1, max: 4096, required: true, doc: "number of features n" },
  hidden: { kind: "integer", min: 1, max: 4096, required: true, doc: "hidden units m (1 ≤ m ≤ n)" },
  sparsity: { kind: "number", min: 0, below: 1, default: 0.9, doc: "S: each feature is 0 with probability S, else U[0, 1]" },
  importance: { kind: "custom", type: "number | number[]", default: 1, doc: "I_i = r^i for a number r, or one weight per feature", check: checkImportance },
  correlatedPairs: { kind: "integer", min: 0, default: 0, doc: "pairs (2j, 2j + 1) present together" },
  anticorrelatedPairs: { kind: "integer", min: 0, default: 0, doc: "the next pairs: never present together" },
  nestedPairs: { kind: "integer", min: 0, default: 0, doc: "the next pairs (parent, child): the child only where the parent is, half of those times" },
  steps: { kind: "integer", min: 1, default: 10000, doc: "Adam steps" },
  batchSize: { kind: "integer", min: 1, default: 1024, doc: "points per step" },
  lr: { kind: "number", above: 0, default: 0.001, doc: "Adam's step size (constant)" },
  weightDecay: { kind: "number", min: 0, default: 0.01, doc: "AdamW's decoupled weight decay" },
  historyEvery: { kind: "integer", min: 1, default: 100, doc: "record the batch loss every this many steps" },
  seed: { kind: "seed", default: 0, doc: "seed of the start and the batches" },
});

function checkImportance(name: string, v: unknown): void {
  if (typeof v === "number") {
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a finite number > 0 (the ratio r of I_i = r^i), got ${show(v)}`);
    return;
  }
  if (!Array.isArray(v)) throw new TypeError(`${name} must be a number or an array of numbers, got ${show(v)}`);
  v.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x) || x < 0) throw new RangeError(`${name}[${i}] must be a finite number ≥ 0, got ${show(x)}`);
  });
  if (!v.some((x) => x > 0)) throw new RangeError(`${name} must have at least one weight > 0`);
}

export type Resolved = Required<ToyModelOptions> & { importance: number | number[] };

/** What a feature draw needs: n, S and the pair structure. */
export interface FeatureLaw {
  features: number;
  sparsity: number;
  correlatedPairs: number;
  anticorrelatedPairs: number;
  nestedPairs: number;
}

/** The options checked, with defaults, and the cross-checks no single option can make. */
export function resolveToy(opts: unknown): Resolved {
  const o = TOY_OPTIONS.parse(opts) as Resolved;
  if (o.hidden > o.features) throw new RangeError(`hidden must be at most features (${o.features}), got ${o.hidden}`);
  if (Array.isArray(o.importance) && o.importance.length !== o.features) {
    throw new RangeError(`importance must have one weight per feature (${o.features}), got ${o.importance.length}`);
  }
  checkLaw(o);
  return o;
}

/** The pairs must fit in the features. */
export function checkLaw(l: FeatureLaw): void {
  const used = 2 * (l.correlatedPairs + l.anticorrelatedPairs + l.nestedPairs);
  if (used > l.features) {
    throw new RangeError(`correlatedPairs + anticorrelatedPairs + nestedPairs = ${used / 2} pairs need ${used} features, but features is ${l.features}`);
  }
  if (l.anticorrelatedPairs > 0 && l.sparsity < 0.5) {
    throw new RangeError(`anticorrelatedPairs needs sparsity ≥ 0.5 (a pair is present with probability 2(1 − S) ≤ 1), got sparsity ${l.sparsity}`);
  }
}

/** The weights I_i. */
export function importanceWeights(o: Pick<Resolved, "features" | "importance">): Float64Array {
  const out = new Float64Array(o.features);
  for (let i = 0; i < o.features; i++) out[i] = Array.isArray(o.importance) ? o.importance[i]! : o.importance ** i;
  return out;
}
