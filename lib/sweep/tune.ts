// Tuned methods of the sweep (issue #17, fair comparisons): every method
// gets the same budget of runs from the same start, and keeps the run whose
// own objective is best on fresh points of the same distribution. Nothing
// here reads the truth: it scores the runs afterwards, for the record.
//
//   ICA     the profiled likelihood proxy of the returned A, a negative log-
//           likelihood per point, lower is better (the recipe's own criterion
//           for keeping an A within a run; lib/learning/likelihood.ts);
//   SAEs    the training loss on the fresh points: ⟨‖x − x′‖²⟩ + λ⟨‖s‖₁⟩
//           (ReLU), ⟨‖x − x′‖²⟩ (TopK), ⟨‖x − x′‖²⟩ + λ⟨‖s‖₀⟩ (JumpReLU).
import { codeStats, densityCurve, mapCoder, saeCoder, type Coder } from "../coders";
import { initialBasis } from "../init";
import type { Dataset } from "../data";
import { learnBasis, profiledLikelihood, type LearnResult } from "../learning";
import { basisError } from "../metrics";
import { trainSAE, type SAEResult } from "../sae";
import { SWEEP_BASE, type TunedSpec } from "./registry";

/** Fresh points per dataset for the selection, and k-hot points per k for the support scores. */
export const TUNE_SIZES = { validation: 1000, khot: 300 } as const;

export type TunedRun = { family: "ica"; result: LearnResult } | { family: "sae"; result: SAEResult };

export interface Tuned {
  /** Index into the grid of the run kept. */
  chosen: number;
  /** Every run, in grid order. */
  runs: TunedRun[];
  /** Every run's objective on the fresh points (lower is better: ICA's is the negative log-likelihood). */
  objectives: number[];
}

/** The objective a method is selected by, on fresh points X (lower is better). */
export function selectionObjective(run: TunedRun, X: number[][]): number {
  if (run.family === "ica") {
    const o = run.result.options;
    // profiledLikelihood is −log P per point (lower is better), as the learner's keep-best uses it.
    return profiledLikelihood(run.result.learned, X, { prior: o.prior, sigma: o.sigma, b: o.b }).value;
  }
  const o = run.result.options;
  const s = codeStats(saeCoder(run.result.model), X);
  if (o.activation === "topk") return s.mse;
  if (o.activation === "jumprelu") return s.mse + o.lambda * s.l0;
  return s.mse + o.lambda * s.l1;
}

/**
 * The start every method gets on this seed: one matrix of unit columns,
 * drawn once from the kind the spec names ('data' or 'spread') by
 * initialBasis, with ICA's own stream (`<seed>/init`), and handed to ICA and
 * the SAEs alike, so two methods on one seed start from the same columns.
 */
export function sharedStart(spec: TunedSpec, d: Dataset, seed: number): number[][] {
  const kind = spec.options.init;
  if (kind !== "data" && kind !== "spread") throw new RangeError(`a tuned method starts from 'data' or 'spread', got init ${String(kind)}`);
  return initialBasis(kind, { m: d.X.length, n: d.A[0]!.length + spec.extraColumns, seed, data: d.X });
}

/** Runs every grid entry on d from the shared start and keeps the best by its objective on `fresh`. */
export function runTuned(spec: TunedSpec, d: Dataset, fresh: Dataset, seed: number): Tuned {
  const columns = d.A[0]!.length + spec.extraColumns;
  const init = sharedStart(spec, d, seed);
  const runs: TunedRun[] = spec.family === "ica"
    ? spec.grid.map((g) => ({ family: "ica" as const, result: learnBasis(d.X, { ...spec.options, ...g, init, sources: columns, trueBasis: d.A, seed }) }))
    : spec.grid.map((g) => ({ family: "sae" as const, result: trainSAE(d.X, { ...spec.options, ...g, init, features: columns, trueBasis: d.A, seed, historyEvery: 10 }) }));
  const objectives = runs.map((r) => {
    const v = selectionObjective(r, fresh.X);
    // A diverged or non-finite run can never be chosen.
    return Number.isFinite(v) && r.result.diverged === null ? v : Infinity;
  });
  let chosen = 0;
  for (let i = 1; i < objectives.length; i++) if (objectives[i]! < objectives[chosen]!) chosen = i;
  return { chosen, runs, objectives };
}

/** The basis a run hands back: ICA's likelihood pick, the SAE's last decoder. */
export function handedBack(r: TunedRun): number[][] {
  return r.family === "ica" ? r.result.learned : r.result.basis;
}

const round = (v: number, digits = 4): number | null => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

/**
 * Support scores of a coder on fresh k-hot points (k = 1 … min(3, n)): the
 * share of points whose active set is exactly their features' matched
 * columns, the pooled support precision and recall, and the relative
 * reconstruction error.
 */
function supportScores(prefix: string, coder: Coder, Atrue: number[][], seed: number): Record<string, number | null> {
  const n = Atrue[0]!.length;
  const ks = Array.from({ length: Math.min(3, n) }, (_, i) => i + 1);
  const out: Record<string, number | null> = {};
  for (const p of densityCurve(coder, Atrue, { samples: TUNE_SIZES.khot, seed: `${seed}/khot`, ks })) {
    out[`${prefix}Exact${p.k}`] = round(p.exact);
    out[`${prefix}Prec${p.k}`] = round(p.precision);
    out[`${prefix}Rec${p.k}`] = round(p.recall);
    out[`${prefix}Rel${p.k}`] = round(p.relativeMse, 6);
  }
  return out;
}

/**
 * The record's `extra` for a tuned method: the choice, every run's objective
 * and error (what picking by the truth would have given), and the kept
 * model's code on fresh points: its own encoder ("own"), and for an SAE also
 * exact MAP inference under its decoder ("map": the dictionary without the
 * amortised encoder).
 */
export function tunedExtra(t: Tuned, spec: TunedSpec, d: Dataset, fresh: Dataset, seed: number): Record<string, number | null> {
  const extra: Record<string, number | null> = { chosen: t.chosen };
  const key = Object.keys(spec.grid[0]!)[0]!;
  extra[key] = (spec.grid[t.chosen] as Record<string, number>)[key]!;
  t.runs.forEach((r, i) => {
    extra[`objective${i}`] = round(t.objectives[i]!, 6);
    extra[`error${i}`] = round(basisError(handedBack(r), d.A).meanAngleDeg);
  });
  const kept = t.runs[t.chosen]!;
  // MAP under an SAE's decoder uses the recipe's model (σ, b): the same inference ICA's own code gets.
  const model = { prior: "exponential" as const, sigma: SWEEP_BASE.sigma, b: SWEEP_BASE.b };
  const own: Coder = kept.family === "ica"
    ? mapCoder(kept.result.learned, { prior: kept.result.options.prior, sigma: kept.result.options.sigma, b: kept.result.options.b })
    : saeCoder(kept.result.model);
  const stats = codeStats(own, fresh.X);
  Object.assign(extra, { freshMse: round(stats.mse, 6), freshL0: round(stats.l0), freshDead: stats.dead.length });
  Object.assign(extra, supportScores("own", own, d.A, seed));
  if (kept.family === "sae") Object.assign(extra, supportScores("map", mapUnderDecoder(kept.result, model), d.A, seed));
  return extra;
}

/**
 * Exact MAP inference under an SAE's dictionary: the code of x − b_dec under
 * W_dec, decoded as W_dec ŝ + b_dec, so that only the encoder differs from
 * the SAE's own coder (with b_dec = 0 this is mapCoder(W_dec)).
 */
export function mapUnderDecoder(r: SAEResult, model: { prior: "exponential"; sigma: number; b: number }): Coder {
  const map = mapCoder(r.model.Wdec, model);
  const bDec = r.model.bDec;
  const shift = (X: number[][], sign: number) => X.map((row, k) => row.map((v) => v + sign * bDec[k]!));
  return {
    name: "MAP under the SAE's decoder",
    basis: map.basis,
    encode: (X) => map.encode(shift(X, -1)),
    decode: (S) => shift(map.decode(S), 1),
  };
}
