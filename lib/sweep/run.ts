// One run of one sweep configuration on one seed, scored against the truth.
//
// runSweepTask is pure apart from its wall time: the same configuration and
// seed give the same record on any machine, in any worker, in any order.
// `npm run sweep` (scripts/sweep.ts) spreads the tasks over worker threads and
// stores one record per run (store.ts); loadSweep reads them back for E8.
import { generateData, type Dataset } from "../data";
import { learnBasis, type LearnResult } from "../learning";
import { basisError } from "../metrics";
import { clusterColumns, clusterCurve, columnUsage } from "../cluster";
import { trainSAE, type SAEResult } from "../sae";
import type { Matrix } from "../linalg";
import { SWEEP_FORMAT, type SweepRecord } from "./record";
import { resolveSweepConfigs, sweepConfig, type SweepMethodSpec } from "./registry";
import { handedBack, runTuned, TUNE_SIZES, tunedExtra } from "./tune";
import { parsePhaseName, runPhase } from "./phase";
import { runToy, type ToyLaw } from "./toy";
import { exactExtra, ladderBody } from "./exact";

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

/** The lowest angle error of a history (the first one on ties) and its step. */
function lowest(history: readonly { step: number; angleError: number | null }[]): { bestError: number; bestStep: number } {
  let k = 0;
  for (let i = 1; i < history.length; i++) if (history[i]!.angleError! < history[k]!.angleError!) k = i;
  return { bestError: history[k]!.angleError!, bestStep: history[k]!.step };
}

/** The matched angles when a basis may have fewer columns than the truth: each true feature left without a column counts as 90° off. */
function errorAllowingMissing(A: Matrix, trueBasis: Matrix): { meanAngleDeg: number; maxAngleDeg: number } {
  const n = trueBasis[0]!.length;
  const k = A[0]!.length;
  if (k >= n) return basisError(A, trueBasis);
  // The k true features best served by the k columns keep their angles; the rest are 90° off.
  const swapped = basisError(trueBasis, A).anglesDeg;
  const angles = [...swapped, ...new Array<number>(n - k).fill(90)];
  return { meanAngleDeg: angles.reduce((s, v) => s + v, 0) / n, maxAngleDeg: Math.max(...angles) };
}

function icaOutcome(r: LearnResult, trueBasis: Matrix) {
  const last = r.history[r.history.length - 1]!;
  const final = errorAllowingMissing(r.A, trueBasis);
  // A run with fewer columns than the truth ran without it (learnBasis needs at least as many): score its history here.
  const history = last.angleError !== null ? r.history : r.history.map((h) => ({ ...h, angleError: errorAllowingMissing(h.A, trueBasis).meanAngleDeg }));
  return {
    ...lowest(history),
    finalError: final.meanAngleDeg,
    finalWorst: final.maxAngleDeg,
    returnedError: errorAllowingMissing(r.learned, trueBasis).meanAngleDeg,
    diverged: r.diverged,
    deadFeatures: last.deadFeatures,
    curve: { every: 10, values: history.filter((h) => h.step % 10 === 0).map((h) => round(h.angleError!, 3)) },
  };
}

type Body = Omit<SweepRecord, "format" | "config" | "dataset" | "method" | "seed" | "fingerprint" | "wallMs">;

function saeOutcome(r: SAEResult, trueBasis: Matrix) {
  const final = basisError(r.basis, trueBasis);
  return {
    ...lowest(r.history),
    finalError: final.meanAngleDeg,
    finalWorst: final.maxAngleDeg,
    returnedError: final.meanAngleDeg,
    diverged: r.diverged,
    deadFeatures: r.dead.length,
    curve: { every: 100, values: r.history.filter((h) => h.step % 100 === 0).map((h) => round(h.angleError!, 3)) },
  };
}

/** Over-provisioning (E6.3): a wide run, k-means of its columns, a refit from the centroids. */
function overprovision(spec: Extract<SweepMethodSpec, { kind: "overprovision" }>, d: Dataset, seed: number): Body {
  const trueCount = d.A[0]!.length;
  const wide = learnBasis(d.X, { ...spec.options, sources: spec.columns, seed });
  const usage = columnUsage(wide.A, d.X, { sigma: wide.options.sigma, b: wide.options.b });
  const live = usage.share.filter((w) => w > 0).length;
  // 'silhouette': k from the learned columns alone (their usage-weighted silhouette), not from the truth.
  const curve = spec.chooseK === "silhouette" && live >= 2 ? clusterCurve(wide.A, { seed, weights: usage.share }) : null;
  const k = spec.chooseK === "silhouette" ? (curve?.bestK ?? 1) : trueCount;
  const weighted = live >= k ? clusterColumns(wide.A, k, { seed, weights: usage.share }) : null;
  const plain = clusterColumns(wide.A, Math.min(k, spec.columns), { seed });
  const refit = learnBasis(d.X, {
    ...spec.options, sources: k, init: weighted ? weighted.centroids : plain.centroids, steps: spec.refitSteps, ...(k >= trueCount ? { trueBasis: d.A } : {}), seed,
  });
  const out = icaOutcome(refit, d.A);
  return {
    options: { wide: wide.options, refit: refit.options },
    ...out,
    diverged: wide.diverged ? { step: wide.diverged.step, reason: `wide run: ${wide.diverged.reason}` } : out.diverged,
    deadFeatures: wide.history[wide.history.length - 1]!.deadFeatures,
    extra: {
      plainClusterError: round(errorAllowingMissing(plain.centroids, d.A).meanAngleDeg),
      weightedClusterError: weighted ? round(errorAllowingMissing(weighted.centroids, d.A).meanAngleDeg) : null,
      wideMatchedError: round(basisError(wide.A, d.A).meanAngleDeg),
      refitDeadFeatures: out.deadFeatures,
      ...(spec.chooseK === "silhouette" ? { chosenK: k, refitWorst: round(out.finalWorst) } : {}),
    },
  };
}

function runSpec(spec: SweepMethodSpec, d: Dataset, seed: number, fresh: () => Dataset): Body {
  if (spec.kind === "ica") {
    const r = learnBasis(d.X, { ...spec.options, trueBasis: d.A, seed });
    return { options: r.options, ...icaOutcome(r, d.A), extra: {} };
  }
  if (spec.kind === "overprovision") return overprovision(spec, d, seed);
  if (spec.kind === "exact") {
    const r = learnBasis(d.X, { ...spec.rule, trueBasis: d.A, seed });
    return { options: r.options, ...icaOutcome(r, d.A), extra: exactExtra(spec, d, r, seed) };
  }
  if (spec.kind === "exact-ladder") return ladderBody(spec, d);
  if (spec.kind === "phase" || spec.kind === "toy") throw new Error(`${spec.kind} specs run through their own runner`);
  if (spec.kind === "sae") {
    const r = trainSAE(d.X, { ...spec.options, features: d.A[0]!.length, trueBasis: d.A, seed, historyEvery: 10 });
    return { options: r.options, ...saeOutcome(r, d.A), extra: {} };
  }
  const f = fresh();
  const t = runTuned(spec, d, f, seed);
  const kept = t.runs[t.chosen]!;
  const outcome = kept.family === "ica" ? icaOutcome(kept.result, d.A) : saeOutcome(kept.result, d.A);
  // ICA's returned A is its likelihood pick; the error of what each method hands back is the number to compare.
  return { options: kept.result.options, ...outcome, returnedError: basisError(handedBack(kept), d.A).meanAngleDeg, extra: tunedExtra(t, spec, d, f, seed) };
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
  const toy = method.spec.kind === "toy" ? runToy(method.spec, (dataset.data as { toy: ToyLaw }).toy, seed) : null;
  const d = toy ? null! : generateData({ ...dataset.data, ...(dataset.angles ? { angles: dataset.angles } : {}), samples: dataset.samples, seed });
  const body = toy ?? (method.spec.kind === "phase" ? runPhase(method.spec, d, parsePhaseName(dataset.name)!, seed) : runSpec(method.spec, d, seed, () => generateData({ ...dataset.data, angles: dataset.angles, samples: TUNE_SIZES.validation, seed: `${seed}/fresh` })));
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
