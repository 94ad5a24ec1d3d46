// The toy sweep's constants and spec types (lib/sweep/toy.ts runs them), in a
// file of their own so that the registry can read them without importing the
// runner (which imports the registry through tune.ts). The registry hands
// toyMethods the settings it shares with the other panels.
import type { ToyModelOptions } from "../toy";
import type { SweepDataset } from "./registry";

/** A method of the toy sweep, as the registry lists it. */
export interface ToyMethod { name: string; description: string; spec: ToySpec; datasets: string[]; seeds: number }

/** Learner seeds per model: seed s trains model ⌊s/4⌋. */
export const LEARNERS_PER_MODEL = 4;

/** Points per set: training, selection (fresh) and scoring (fresh). */
export const TOY_POINTS = { train: 1000, select: 1000, score: 1000 } as const;

/** The recipe's b, the length a normalised typical point gets. */
export const TOY_TARGET_NORM = 2;

export type ToyLaw = Omit<ToyModelOptions, "seed" | "historyEvery">;

export type ToySpec =
  | { kind: "toy"; family: "geometry" }
  | { kind: "toy"; family: "ica" | "sae"; scale: "raw" | "normalised"; options: Record<string, unknown>; grid: Record<string, unknown>[]; topkFromData?: true }
  | { kind: "toy"; family: "ica-truth"; scale: "normalised"; options: Record<string, unknown> };


/** A toy model's law by name: "tms-n<n>-m<m>-S<S>", then "-imp<r>" or "-corr<k>" / "-anti<k>" for k pairs. */
function toyLaw(n: number, m: number, S: number, more: Partial<ToyLaw> = {}): { name: string; law: ToyLaw } {
  const tag = more.importance !== undefined ? `-imp${String(more.importance)}` : more.correlatedPairs ? `-corr${more.correlatedPairs}` : more.anticorrelatedPairs ? `-anti${more.anticorrelatedPairs}` : "";
  return { name: `tms-n${n}-m${m}-S${S}${tag}`, law: { features: n, hidden: m, sparsity: S, ...more } };
}

/**
 * The toy models of superposition (E10): TMS's 2-D models over sparsity, its
 * square (importance 0.7ⁱ), models with m = 5 and 10 hidden units, and the
 * correlated and anticorrelated pairs of the paper's correlation section.
 * The learners run on TOY_LEARNER_DATASETS; 'toy-geometry' on every one.
 */
const TOY_LAWS = [
  ...[0, 0.5, 0.8, 0.9, 0.95, 0.97, 0.99].map((S) => toyLaw(5, 2, S)),
  toyLaw(5, 2, 0.9, { importance: 0.7 }),
  toyLaw(10, 5, 0.9), toyLaw(10, 5, 0.9, { correlatedPairs: 5 }), toyLaw(10, 5, 0.9, { anticorrelatedPairs: 5 }),
  toyLaw(20, 5, 0.9),
  toyLaw(40, 10, 0.9),
];

export const TOY_DATASETS: SweepDataset[] = TOY_LAWS.map(({ name, law }) => ({
  name, description: `E10: a toy model of superposition (${law.features} features, ${law.hidden} hidden, S = ${law.sparsity}${name.includes("-imp") ? `, importance ${String(law.importance)}ⁱ` : ""}${law.correlatedPairs ? `, ${law.correlatedPairs} correlated pairs` : ""}${law.anticorrelatedPairs ? `, ${law.anticorrelatedPairs} anticorrelated pairs` : ""}), ${TOY_POINTS.train.toLocaleString("en")} of its activations`,
  samples: TOY_POINTS.train, data: { toy: law },
}));

/** The toy models every learner runs on: the pentagon, the square, m = 5 at n/m = 2 and 4, and the correlated and anticorrelated pairs. */
export const TOY_LEARNER_DATASETS = ["tms-n5-m2-S0.97", "tms-n5-m2-S0.9-imp0.7", "tms-n10-m5-S0.9", "tms-n20-m5-S0.9", "tms-n10-m5-S0.9-corr5", "tms-n10-m5-S0.9-anti5"] as const;

/**
 * λ of the ReLU and JumpReLU SAEs on the toy models (normalised activations).
 * Chosen once by scripts/probe-toy.ts on models no E10 record scores (seeds
 * 1000 and 1001 of the m = 5 laws with n = 10 and 20, S = 0.9): of its grid,
 * the λ whose L0 is nearest the mean number of features present per point,
 * E9's rule (mean |log(L0/k̄)| 0.292 for ReLU, 0.062 for JumpReLU).
 */
export const TOY_RELU_LAMBDA = 1;
export const TOY_JUMPRELU_LAMBDA = 0.3;

/**
 * E10's methods on the toy models: the model's geometry alone, then ICA's
 * recipe (equal norms on raw h; and on normalised h with equal norms, free
 * norms and gain adaptation) and three SAEs on normalised h, every one with
 * the tuned panel's budget (six step sizes, kept by its own objective on
 * fresh points), from the data start, given n columns. 'toy-ica-truth' is an
 * oracle for the diagnosis: the recipe started at the model's own features.
 */
export function toyMethods(shared: { recipe: Record<string, unknown>; sae: Record<string, unknown>; icaLr: readonly number[]; saeLr: readonly number[] }): ToyMethod[] {
  const all = TOY_DATASETS.map((d) => d.name);
  const learners = [...TOY_LEARNER_DATASETS];
  const { recipe } = shared;
  const icaGrid = shared.icaLr.map((lr) => ({ lr }));
  const saeGrid = shared.saeLr.map((lr) => ({ lr }));
  const ica = { ...recipe, init: "data" };
  const sae = { ...shared.sae, decoderBias: false, init: "data" };
  const tuned = `tuned over ${shared.icaLr.length} step sizes by its own objective on fresh points`;
  const d = (name: string, description: string, spec: ToySpec): ToyMethod => ({ name, description, spec, datasets: learners, seeds: 20 });
  return [
    { name: "toy-geometry", description: "the trained model alone: its loss, norms, represented features and feature dimensionality", spec: { kind: "toy", family: "geometry" }, datasets: all, seeds: 20 },
    d("toy-ica-raw", `the E6 recipe on the raw activations, ${tuned}`, { kind: "toy", family: "ica", scale: "raw", options: ica, grid: icaGrid }),
    d("toy-ica", `the E6 recipe (equal norms) on normalised activations, ${tuned}`, { kind: "toy", family: "ica", scale: "normalised", options: ica, grid: icaGrid }),
    d("toy-ica-free", `the recipe with free column norms on normalised activations, ${tuned}`, { kind: "toy", family: "ica", scale: "normalised", options: { ...ica, equalizeNorms: false }, grid: icaGrid }),
    d("toy-ica-gain", `the recipe with gain adaptation in place of equal norms on normalised activations, ${tuned}`, { kind: "toy", family: "ica", scale: "normalised", options: { ...ica, equalizeNorms: false, gain: true }, grid: icaGrid }),
    d("toy-ica-truth", "an oracle: the recipe (α = 0.1) on normalised activations, started at the model's represented features", { kind: "toy", family: "ica-truth", scale: "normalised", options: { ...recipe } }),
    d("toy-ica-truth-small", `an oracle at the grid's smallest step: the recipe (α = ${shared.icaLr[0]}) on normalised activations, started at the model's represented features`,
      { kind: "toy", family: "ica-truth", scale: "normalised", options: { ...recipe, lr: shared.icaLr[0] } }),
    d("toy-relu", `the ReLU SAE without b_dec, λ = ${TOY_RELU_LAMBDA}, on normalised activations, ${tuned}`, { kind: "toy", family: "sae", scale: "normalised", options: { ...sae, lambda: TOY_RELU_LAMBDA }, grid: saeGrid }),
    d("toy-topk", `the TopK SAE without b_dec, k = the mean number of features present per point, on normalised activations, ${tuned}`, { kind: "toy", family: "sae", scale: "normalised", options: { ...sae, activation: "topk" }, grid: saeGrid, topkFromData: true }),
    d("toy-jumprelu", `the JumpReLU SAE without b_dec, λ = ${TOY_JUMPRELU_LAMBDA} on L0, on normalised activations, ${tuned}`, { kind: "toy", family: "sae", scale: "normalised", options: { ...sae, activation: "jumprelu", lambda: TOY_JUMPRELU_LAMBDA }, grid: saeGrid }),
  ];
}

