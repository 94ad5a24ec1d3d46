// The toy sweep's constants and spec types (lib/sweep/toy.ts runs them), in a
// file of their own so that the registry can read them without importing the
// runner (which imports the registry through tune.ts).
import type { ToyModelOptions } from "../toy";

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

