// One run of one sweep configuration on one seed, scored against the truth.
//
// runSweepTask is pure apart from its wall time: the same configuration and
// seed give the same record on any machine, in any worker, in any order.
// `npm run sweep` (scripts/sweep.ts) spreads the tasks over worker threads and
// stores one record per run (store.ts); loadSweep reads them back for E8.
import { generateData } from "../data";
import { learnBasis, type LearnResult } from "../learning";
import { basisError } from "../metrics";
import { clusterColumns, columnUsage } from "../cluster";
import { trainSAE } from "../sae";
import type { Matrix } from "../linalg";
import { SWEEP_FORMAT, type SweepRecord } from "./record";
import { resolveSweepConfigs, sweepConfig } from "./registry";

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

/** The lowest angle error of a history (the first one on ties) and its step. */
function lowest(history: readonly { step: number; angleError: number | null }[]): { bestError: number; bestStep: number } {
  let k = 0;
  for (let i = 1; i < history.length; i++) if (history[i]!.angleError! < history[k]!.angleError!) k = i;
  return { bestError: history[k]!.angleError!, bestStep: history[k]!.step };
}

function icaOutcome(r: LearnResult, trueBasis: Matrix) {
  const last = r.history[r.history.length - 1]!;
  const final = basisError(r.A, trueBasis);
  return {
    ...lowest(r.history),
    finalError: final.meanAngleDeg,
    finalWorst: final.maxAngleDeg,
    returnedError: basisError(r.learned, trueBasis).meanAngleDeg,
    diverged: r.diverged,
    deadFeatures: last.deadFeatures,
    curve: { every: 10, values: r.history.filter((h) => h.step % 10 === 0).map((h) => round(h.angleError!, 3)) },
  };
}

/**
 * One run of one configuration: draws the dataset from `seed`, runs the
 * method with the same seed, and scores it against the true basis.
 */
export function runSweepTask(configName: string, seed: number): SweepRecord {
  const config = sweepConfig(configName);
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0) throw new RangeError(`seed must be an integer ≥ 0, got ${String(seed)}`);
  const t0 = performance.now();
  const { dataset, method } = config;
  const d = generateData({ angles: dataset.angles, samples: dataset.samples, seed });
  const trueCount = dataset.angles.length;
  const spec = method.spec;
  let body: Omit<SweepRecord, "format" | "config" | "dataset" | "method" | "seed" | "fingerprint" | "wallMs">;
  if (spec.kind === "ica") {
    const r = learnBasis(d.X, { ...spec.options, trueBasis: d.A, seed });
    body = { options: r.options, ...icaOutcome(r, d.A), extra: {} };
  } else if (spec.kind === "overprovision") {
    const wide = learnBasis(d.X, { ...spec.options, sources: spec.columns, seed });
    const usage = columnUsage(wide.A, d.X, { sigma: wide.options.sigma, b: wide.options.b });
    const live = usage.share.filter((w) => w > 0).length;
    const weighted = live >= trueCount ? clusterColumns(wide.A, trueCount, { seed, weights: usage.share }) : null;
    const plain = clusterColumns(wide.A, trueCount, { seed });
    const refit = learnBasis(d.X, {
      ...spec.options, sources: trueCount, init: weighted ? weighted.centroids : plain.centroids, steps: spec.refitSteps, trueBasis: d.A, seed,
    });
    const out = icaOutcome(refit, d.A);
    body = {
      options: { wide: wide.options, refit: refit.options },
      ...out,
      diverged: wide.diverged ? { step: wide.diverged.step, reason: `wide run: ${wide.diverged.reason}` } : out.diverged,
      deadFeatures: wide.history[wide.history.length - 1]!.deadFeatures,
      extra: {
        plainClusterError: round(basisError(plain.centroids, d.A).meanAngleDeg),
        weightedClusterError: weighted ? round(basisError(weighted.centroids, d.A).meanAngleDeg) : null,
        wideMatchedError: round(basisError(wide.A, d.A).meanAngleDeg),
        refitDeadFeatures: out.deadFeatures,
      },
    };
  } else {
    const r = trainSAE(d.X, { ...spec.options, features: trueCount, trueBasis: d.A, seed, historyEvery: 10 });
    const final = basisError(r.basis, d.A);
    body = {
      options: r.options,
      ...lowest(r.history),
      finalError: final.meanAngleDeg,
      finalWorst: final.maxAngleDeg,
      returnedError: final.meanAngleDeg,
      diverged: r.diverged,
      deadFeatures: r.dead.length,
      curve: { every: 100, values: r.history.filter((h) => h.step % 100 === 0).map((h) => round(h.angleError!, 3)) },
      extra: {},
    };
  }
  return {
    format: SWEEP_FORMAT, config: config.name, dataset: dataset.name, method: method.name, seed, fingerprint: config.fingerprint,
    ...body,
    bestError: round(body.bestError, 6), finalError: round(body.finalError, 6), finalWorst: round(body.finalWorst, 6), returnedError: round(body.returnedError, 6),
    wallMs: round(performance.now() - t0, 1),
  };
}

/** Runs configurations × seeds here, one after another (the notebook's live cell; the command uses workers). */
export function runSweep(configs: readonly string[], seeds: readonly number[]): SweepRecord[] {
  const chosen = resolveSweepConfigs(configs);
  if (!Array.isArray(seeds) || seeds.length === 0) throw new RangeError("seeds must be a non-empty list of integers ≥ 0");
  return chosen.flatMap((c) => seeds.map((s) => runSweepTask(c.name, s)));
}
