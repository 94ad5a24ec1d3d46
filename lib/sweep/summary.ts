// Summaries of sweep records for notebook E8: success rates with Wilson
// intervals per configuration, paired differences between two
// configurations on the same seeds (Newcombe), and error curves.
import { median, pairedRateDifference, quantile, wilsonInterval, type PairedDifference, type Rate } from "../stats";
import type { SweepRecord } from "./record";
import { SWEEP_CONFIGS, sweepConfig } from "./registry";
import { declareOptions } from "../options";

/** A run succeeds when its best error is below this many degrees. */
export const SWEEP_SUCCESS_DEG = 3;

export interface SweepSummary {
  config: string;
  dataset: string;
  method: string;
  runs: number;
  /** Best error below the threshold (the success). */
  success: Rate;
  /** The handed-back basis below the threshold (what a user without the truth gets). */
  returned: Rate;
  /** The last basis below the threshold. */
  final: Rate;
  diverged: number;
  /** Runs that end with at least one dead feature. */
  dead: number;
  medianBest: number;
  medianFinal: number;
  medianWallMs: number;
}

/** One row per configuration (in table order), from a list of records. */
export function summarizeSweep(records: readonly SweepRecord[], thresholdDeg = SWEEP_SUCCESS_DEG): SweepSummary[] {
  if (typeof thresholdDeg !== "number" || !(thresholdDeg > 0)) throw new RangeError(`thresholdDeg must be a number > 0, got ${String(thresholdDeg)}`);
  const rows: SweepSummary[] = [];
  for (const c of SWEEP_CONFIGS) {
    const rs = records.filter((r) => r.config === c.name);
    if (rs.length === 0) continue;
    const below = (f: (r: SweepRecord) => number) => wilsonInterval(rs.filter((r) => f(r) < thresholdDeg).length, rs.length);
    rows.push({
      config: c.name, dataset: c.dataset.name, method: c.method.name, runs: rs.length,
      success: below((r) => r.bestError),
      returned: below((r) => r.returnedError),
      final: below((r) => r.finalError),
      diverged: rs.filter((r) => r.diverged !== null).length,
      dead: rs.filter((r) => r.deadFeatures > 0).length,
      medianBest: median(rs.map((r) => r.bestError)),
      medianFinal: median(rs.map((r) => r.finalError)),
      medianWallMs: median(rs.map((r) => r.wallMs)),
    });
  }
  return rows;
}

/** Which number of a record a rate is about. */
export type SweepMeasure = "bestError" | "returnedError" | "finalError";

export interface PairedSweepOptions {
  measure?: SweepMeasure;
  thresholdDeg?: number;
}

export const PAIRED_SWEEP_OPTIONS = declareOptions<PairedSweepOptions>("pairedSweepDifference", {
  measure: { kind: "enum", values: ["bestError", "returnedError", "finalError"], default: "bestError", doc: "which number of a record must be below the threshold" },
  thresholdDeg: { kind: "number", above: 0, default: SWEEP_SUCCESS_DEG, doc: "the threshold, in degrees" },
});

/**
 * rate(a) − rate(b) of "measure below the threshold", paired by seed (both
 * configurations draw the same data from a seed), with Newcombe's paired
 * interval. Only seeds present for both count.
 */
export function pairedSweepDifference(records: readonly SweepRecord[], a: string, b: string, opts: PairedSweepOptions = {}): PairedDifference {
  const o = PAIRED_SWEEP_OPTIONS.parse(opts);
  const measure = o.measure!;
  const threshold = o.thresholdDeg!;
  const bySeed = (name: string) => {
    sweepConfig(name);
    return new Map(records.filter((r) => r.config === name).map((r) => [r.seed, r[measure] < threshold]));
  };
  const ra = bySeed(a);
  const rb = bySeed(b);
  const seeds = [...ra.keys()].filter((s) => rb.has(s)).sort((x, y) => x - y);
  if (seeds.length === 0) throw new RangeError(`no seed has records for both ${a} and ${b}`);
  return pairedRateDifference(seeds.map((s) => ra.get(s)!), seeds.map((s) => rb.get(s)!));
}

/** The error curve of a configuration over its seeds: median and quartiles at every recorded step. */
export function sweepCurve(records: readonly SweepRecord[], config: string): { steps: number[]; median: number[]; low: number[]; high: number[] } {
  const rs = records.filter((r) => r.config === config);
  if (rs.length === 0) throw new RangeError(`no records for ${config}`);
  const len = Math.min(...rs.map((r) => r.curve.values.length));
  const every = rs[0]!.curve.every;
  const steps = Array.from({ length: len }, (_, k) => k * every);
  const at = (k: number) => rs.map((r) => r.curve.values[k]!);
  return {
    steps,
    median: steps.map((_, k) => median(at(k))),
    low: steps.map((_, k) => quantile(at(k), 0.25)),
    high: steps.map((_, k) => quantile(at(k), 0.75)),
  };
}
