// The datasets and methods of E11 (issue #20, "the model or the rule?"): the
// exact maximum-likelihood estimate against the rule, on the same points.
//
// Two kinds of data. The E8 datasets (regular, irregular, uneven: noise-free,
// 1,000 points), where the rule's records already are; and data drawn from the
// model itself (noise σ = 0.1, the σ the recipe assumes, exponential sources
// of mean b = 2) at five sample sizes from 500 to 50,000, where maximum
// likelihood is consistent and the Cramér–Rao bound applies. And E3's setting
// (the paper's rule from a perturbed truth at σ = 0.5) for the likelihood along
// the walk-away.
import type { LearnOptions } from "../learning";
import type { Model } from "../model";
import type { SweepDataset } from "./registry";

/** The three bases E11 compares on (E6.1, E6.2, and the basis no tuning saw). */
export const EXACT_BASES: Readonly<Record<string, readonly number[]>> = {
  regular: [30, 150, 270],
  irregular: [0, 60, 150, 250],
  uneven: [25, 130, 255],
};

/** The sample sizes of E11's curve. */
export const EXACT_SIZES = [500, 2000, 5000, 20000, 50000] as const;

/** The fit from the truth (a check that the fit from the rule's start found the global maximum) runs up to this many points. */
export const FROM_TRUTH_UP_TO = 5000;

/** The model the recipe assumes, and the data drawn from it. */
export const EXACT_MODEL: Readonly<Model> = Object.freeze({ prior: "exponential", sigma: 0.1, b: 2 });

/** E3's model (σ = 0.5) and its run: the paper's rule from the truth turned by N(0, 10°²) per column, α = 0.02, 600 steps. */
export const E3_MODEL: Readonly<Model> = Object.freeze({ prior: "exponential", sigma: 0.5, b: 2 });
export const E3_RULE = { preset: "paper", sigma: 0.5, b: 2, init: "perturbed-truth", perturbDeg: 10, lr: 0.02, steps: 600 } as const;

/** The name of the model-drawn dataset of a basis and a size. */
export const modelDataset = (basis: string, samples: number): string => `${basis}-model-p${samples}`;

export const EXACT_DATASETS: SweepDataset[] = [
  ...Object.entries(EXACT_BASES).flatMap(([basis, angles]) =>
    EXACT_SIZES.map((samples) => ({
      name: modelDataset(basis, samples),
      description: `E11: the ${basis} basis (${angles.join("°, ")}°), ${samples.toLocaleString("en")} points drawn from the model (noise σ = ${EXACT_MODEL.sigma})`,
      angles: [...angles],
      samples,
      data: { noise: EXACT_MODEL.sigma },
    })),
  ),
  { name: "e3", description: "E11: E3's data (the regular basis, 500 noise-free points)", angles: [...EXACT_BASES.regular!], samples: 500 },
];

export type ExactSpec = {
  kind: "exact";
  /** The rule's run (learnBasis options without seed and trueBasis). */
  rule: Omit<LearnOptions, "seed" | "trueBasis" | "historyEvery">;
  /** The model whose exact likelihood is maximised and scored. */
  model: Model;
  /** Also fit from the rule's own start (false: from the truth only). */
  fromStart: boolean;
  /** The exact log-likelihood along the rule's run every 10 steps: not at all, at the run's lengths, or also profiled over the lengths. */
  walk: "none" | "raw" | "profiled";
  /** The last step of the run at which the walk is scored (default: every step). */
  walkUpTo?: number;
};

/** The rule's approximation steps (lib/exact/ladder.ts): each step's zero near the truth, with the recipe's equal norms. */
export type LadderSpec = { kind: "exact-ladder"; model: Model; equalNorms: boolean };

/** The sample size of the ladder's data (one size: each step's zero is a bias, which does not shrink with p). */
export const LADDER_SAMPLES = 20000;

type Method = { name: string; description: string; spec: ExactSpec | LadderSpec; datasets: string[]; seeds: number };

/** E11's methods; `recipe` is the E8 recipe's options. */
export function exactMethods(recipe: Omit<LearnOptions, "seed" | "trueBasis" | "historyEvery">): Method[] {
  const modelSets = EXACT_DATASETS.filter((d) => d.name !== "e3").map((d) => d.name);
  return [
    {
      name: "ml",
      description: "E11: the recipe, and the exact maximum-likelihood fit (L-BFGS) from the recipe's start and from the truth; the exact log-likelihood along the recipe's run, also profiled over the lengths",
      spec: { kind: "exact", rule: recipe, model: { ...EXACT_MODEL }, fromStart: true, walk: "profiled" },
      datasets: ["regular", "irregular", "uneven"],
      seeds: 20,
    },
    {
      name: "ml-curve",
      description: "E11: the recipe and the exact maximum-likelihood fit from the recipe's start and from the truth, on data drawn from the model",
      spec: { kind: "exact", rule: recipe, model: { ...EXACT_MODEL }, fromStart: true, walk: "none" },
      datasets: modelSets,
      seeds: 20,
    },
    {
      name: "ladder",
      description: "E11: the zero near the truth of the exact gradient and of each of the rule's approximations to it (Laplace, large λ, W for A⁻ᵀ, × AAᵀ), all columns at one common length, by Newton's method",
      spec: { kind: "exact-ladder", model: { ...EXACT_MODEL }, equalNorms: true },
      datasets: Object.keys(EXACT_BASES).map((b) => modelDataset(b, LADDER_SAMPLES)),
      seeds: 20,
    },
    {
      name: "e3-walk",
      description: "E11: E3's run (the paper's rule from a perturbed truth, σ = 0.5, α = 0.02, 600 steps) with the exact log-likelihood along its first 300 steps, and the maximum-likelihood fit from the truth",
      spec: { kind: "exact", rule: { ...E3_RULE }, model: { ...E3_MODEL }, fromStart: false, walk: "profiled", walkUpTo: 300 },
      datasets: ["e3"],
      seeds: 20,
    },
  ];
}
