// The summaries behind E10's verdict (notebook 12): the scale, the rule and
// the pairwise comparisons of methods on the same seeds, from the toy
// sweep's records (lib/sweep/toy.ts). Each takes the records as loaded and
// names the dataset and method it could not find.
import { mean, median, wilsonInterval, type Rate } from "../stats";
import type { SweepRecord } from "./record";

/** The records of one configuration, by seed; an error naming it when there are none. */
function runsOf(records: readonly SweepRecord[], dataset: string, method: string): Map<number, SweepRecord> {
  const out = new Map<number, SweepRecord>();
  for (const r of records) if (r.dataset === dataset && r.method === method) out.set(r.seed, r);
  if (out.size === 0) throw new RangeError(`no records of ${dataset}/${method}: run npm run sweep -- --config '${dataset}/${method}'`);
  return out;
}

const field = (r: SweepRecord, key: string): number => {
  const v = key in r.extra ? r.extra[key] : (r as unknown as Record<string, unknown>)[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`${r.config} seed ${r.seed}: field ${key} is ${String(v)}, not a finite number`);
  return v;
};

export interface PairedComparison {
  dataset: string;
  a: string;
  b: string;
  /** Seeds both methods have. */
  seeds: number;
  /** Seeds on which a's value is lower than b's (ties count as not lower), with the Wilson interval of the share. */
  aLower: Rate;
  meanA: number;
  meanB: number;
  /** The mean of a − b over the shared seeds. */
  meanDifference: number;
}

/** Methods a and b on the same seeds of one dataset: how often a's `key` (an extra field or a record field; default the angle) is lower. */
export function pairedComparison(records: readonly SweepRecord[], dataset: string, a: string, b: string, key = "angle"): PairedComparison {
  const ra = runsOf(records, dataset, a), rb = runsOf(records, dataset, b);
  const seeds = [...ra.keys()].filter((s) => rb.has(s)).sort((x, y) => x - y);
  if (seeds.length === 0) throw new RangeError(`${dataset}: ${a} and ${b} share no seed`);
  const va = seeds.map((s) => field(ra.get(s)!, key)), vb = seeds.map((s) => field(rb.get(s)!, key));
  const lower = va.filter((v, i) => v < vb[i]!).length;
  return { dataset, a, b, seeds: seeds.length, aLower: wilsonInterval(lower, seeds.length), meanA: mean(va), meanB: mean(vb), meanDifference: mean(va.map((v, i) => v - vb[i]!)) };
}

export interface ScaleRow {
  dataset: string;
  seeds: number;
  /** The median over seeds of the raw points' median length (TOY_TARGET_NORM / the normalising factor). */
  rawMedianNorm: number;
  rawAngle: number;
  normalisedAngle: number;
  rawWithin5: Rate;
  normalisedWithin5: Rate;
}

/** The recipe on raw against normalised activations (methods `raw` and `normalised`, same seeds), with the raw points' typical length. */
export function scaleRows(records: readonly SweepRecord[], datasets: readonly string[], raw = "toy-ica-raw", normalised = "toy-ica", target = 2): ScaleRow[] {
  return datasets.map((dataset) => {
    const r = [...runsOf(records, dataset, raw).values()], n = [...runsOf(records, dataset, normalised).values()];
    const within = (rs: SweepRecord[]) => wilsonInterval(rs.filter((x) => x.extra.within5 === 1).length, rs.length);
    return {
      dataset, seeds: Math.min(r.length, n.length), rawMedianNorm: median(n.map((x) => target / field(x, "scale"))),
      rawAngle: mean(r.map((x) => field(x, "angle"))), normalisedAngle: mean(n.map((x) => field(x, "angle"))), rawWithin5: within(r), normalisedWithin5: within(n),
    };
  });
}

export interface TruthStartRow {
  dataset: string;
  seeds: number;
  /** Mean angle of the A the recipe hands back (its likelihood pick). */
  returned: number;
  /** Mean angle of the last A, and the largest. */
  last: number;
  lastMax: number;
  /** Runs whose last A is more than `tolerance` degrees (mean) from the truth. */
  walkedAway: Rate;
  /** Runs whose likelihood pick is the start itself (step 0). */
  keptStart: Rate;
}

/** The oracle start (`method`, default toy-ica-truth): where the recipe goes from the model's own features, and what its likelihood pick keeps. */
export function truthStartRows(records: readonly SweepRecord[], datasets: readonly string[], tolerance = 5, method = "toy-ica-truth"): TruthStartRow[] {
  return datasets.map((dataset) => {
    const rs = [...runsOf(records, dataset, method).values()];
    const last = rs.map((r) => r.finalError);
    return {
      dataset, seeds: rs.length, returned: mean(rs.map((r) => field(r, "angle"))), last: mean(last), lastMax: Math.max(...last),
      walkedAway: wilsonInterval(last.filter((v) => v > tolerance).length, rs.length),
      keptStart: wilsonInterval(rs.filter((r) => field(r, "angle") <= 1e-3).length, rs.length),
    };
  });
}

export interface StartRow {
  dataset: string;
  seeds: number;
  /** Mean and median angle of the shared start (the curve's first value: every learner of a seed starts there). */
  startMean: number;
  startMedian: number;
  /** Mean angle of what `method` hands back. */
  returned: number;
  /** Runs whose handed-back basis is the start itself (the same mean angle, to the curve's 0.001°). */
  keptStart: Rate;
  /** Runs that hand back a basis closer than the start by more than `margin` degrees. */
  improved: Rate;
}

/** What a learner adds to the shared data start, per model. */
export function startRows(records: readonly SweepRecord[], datasets: readonly string[], method = "toy-ica", margin = 0.5): StartRow[] {
  return datasets.map((dataset) => {
    const rs = [...runsOf(records, dataset, method).values()];
    const start = rs.map((r) => {
      const v = r.curve.values[0];
      if (typeof v !== "number") throw new RangeError(`${r.config} seed ${r.seed}: the curve has no value at step 0`);
      return v;
    });
    const got = rs.map((r) => field(r, "angle"));
    return {
      dataset, seeds: rs.length, startMean: mean(start), startMedian: median(start), returned: mean(got),
      keptStart: wilsonInterval(got.filter((g, i) => Math.abs(g - start[i]!) <= 1e-3).length, rs.length),
      improved: wilsonInterval(got.filter((g, i) => g < start[i]! - margin).length, rs.length),
    };
  });
}

/** The share of runs whose worst matched column is within each tolerance (degrees). */
export function withinRates(records: readonly SweepRecord[], dataset: string, method: string, tolerances: readonly number[]): Rate[] {
  const rs = [...runsOf(records, dataset, method).values()];
  return tolerances.map((t) => wilsonInterval(rs.filter((r) => field(r, "worst") <= t).length, rs.length));
}

/** The first step at which a run's mean angle exceeds `tolerance` degrees (from its curve), or null if it never does. */
export function firstStepBeyond(r: SweepRecord, tolerance: number): number | null {
  const k = r.curve.values.findIndex((v) => v > tolerance);
  return k < 0 ? null : k * r.curve.every;
}
