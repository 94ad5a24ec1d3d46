// Summaries of the E11 records (notebook E11, issue #20): maximum likelihood
// against the rule, per basis, per sample size and along the rule's run.
// Missing values (a null field: a basis the likelihood refused, a profile or
// fit that failed) are left out of every mean and counted, never averaged as
// NaN; counts of "every seed" compare only records that have both values.
import type { SweepRecord } from "./record";
import { median } from "../stats";
import { createRng } from "../random";

/** The finite values of a list. */
const finite = (v: readonly number[]): number[] => v.filter(Number.isFinite);

/** The mean of the finite values (NaN when there are none). */
export function finiteMean(v: readonly number[]): number {
  const f = finite(v);
  return f.length === 0 ? NaN : f.reduce((s, x) => s + x, 0) / f.length;
}

/** The standard error of the mean of the finite values (NaN with fewer than two). */
function finiteSe(v: readonly number[]): number {
  const f = finite(v);
  if (f.length < 2) return NaN;
  const m = finiteMean(f);
  return Math.sqrt(f.reduce((s, x) => s + (x - m) ** 2, 0) / (f.length - 1) / f.length);
}

/** A field of a record's extra as a number (NaN when missing or null). */
export function field(r: SweepRecord, name: string): number {
  const v = r.extra[name];
  return typeof v === "number" ? v : NaN;
}

/** The records of one dataset. */
export const ofDataset = (records: readonly SweepRecord[], dataset: string): SweepRecord[] => records.filter((r) => r.dataset === dataset);

export interface ExactRow {
  dataset: string;
  seeds: number;
  /** Mean over seeds of each estimate's mean angle error (°), and the worst column over all seeds. */
  ruleMean: number; ruleWorst: number;
  mlMean: number; mlWorst: number;
  /** Mean log-likelihoods (nats per point): at the truth, at the rule's estimate as handed back and with the best lengths for its directions, at ML. */
  truthLogLik: number; ruleLogLik: number; ruleProfiled: number; truthProfiled: number; mlLogLik: number;
  /** Seeds where ML's log-likelihood is at least the truth's; where ML from the rule's start and from the truth agree to `agreeDeg`. */
  mlAboveTruth: number; startsAgree: number; startsCompared: number;
  /** Seeds where the truth's directions have a higher profiled likelihood than the rule's. */
  truthBeatsRule: number;
  /** Seeds whose fits converged (from the start; and from the truth where it ran). */
  converged: number;
  /** Records with a missing (null) value among the fields this row reads. */
  incomplete: number;
}

/** One row per dataset: the rule's handed-back estimate against ML from the rule's start. */
export function exactRows(records: readonly SweepRecord[], datasets: readonly string[], agreeDeg = 0.01): ExactRow[] {
  return datasets.map((dataset) => {
    const rs = ofDataset(records, dataset);
    const f = (name: string) => rs.map((r) => field(r, name));
    const n = rs.length;
    const withTruth = rs.filter((r) => Number.isFinite(field(r, "mlTruthAngle")));
    const read = ["ruleAngle", "ruleWorst", "mlAngle", "mlWorst", "truthLogLik", "ruleLogLik", "ruleProfiled", "truthProfiled", "mlLogLik"];
    return {
      dataset, seeds: n,
      incomplete: rs.filter((r) => read.some((k) => !Number.isFinite(field(r, k)))).length,
      ruleMean: finiteMean(f("ruleAngle")), ruleWorst: Math.max(...finite(f("ruleWorst"))),
      mlMean: finiteMean(f("mlAngle")), mlWorst: Math.max(...finite(f("mlWorst"))),
      truthLogLik: finiteMean(f("truthLogLik")), ruleLogLik: finiteMean(f("ruleLogLik")), ruleProfiled: finiteMean(f("ruleProfiled")),
      truthProfiled: finiteMean(f("truthProfiled")), mlLogLik: finiteMean(f("mlLogLik")),
      mlAboveTruth: rs.filter((r) => field(r, "mlLogLik") >= field(r, "truthLogLik")).length,
      startsAgree: withTruth.filter((r) => Math.abs(field(r, "mlAngle") - field(r, "mlTruthAngle")) <= agreeDeg).length,
      startsCompared: withTruth.length,
      truthBeatsRule: rs.filter((r) => field(r, "truthProfiled") > field(r, "ruleProfiled")).length,
      converged: rs.filter((r) => field(r, "mlConverged") === 1 && (!Number.isFinite(field(r, "mlTruthAngle")) || field(r, "mlTruthConverged") === 1)).length,
    };
  });
}

/** The signed error (°) of column `j` of estimate `prefix` ('rule' or 'ml') on every record. */
export function signedColumn(records: readonly SweepRecord[], prefix: string, j: number): number[] {
  return records.map((r) => field(r, `${prefix}Signed${j}`));
}

export interface ColumnBias {
  column: number;
  /** Mean signed error (°) over seeds, its standard error, and mean/SE. */
  mean: number; se: number; t: number;
}

/** Per true column, the mean signed error of `prefix` over the records, with its standard error. */
export function columnBias(records: readonly SweepRecord[], prefix: string, columns: number): ColumnBias[] {
  return Array.from({ length: columns }, (_, j) => {
    const v = signedColumn(records, prefix, j);
    const m = finiteMean(v), se = finiteSe(v);
    return { column: j, mean: m, se, t: m / se };
  });
}

/**
 * The columns' common turn: per record the mean of the n signed column errors
 * of `prefix`, then its mean over records, standard error, t and how many
 * records turn clockwise (negative). A rotation of the whole estimate shows
 * here even when each column's own t is small.
 */
export function commonTurn(records: readonly SweepRecord[], prefix: string, columns: number): ColumnBias & { negative: number; seeds: number } {
  const cols = Array.from({ length: columns }, (_, j) => signedColumn(records, prefix, j));
  const per = records.map((_, r) => cols.reduce((s, c) => s + c[r]!, 0) / columns);
  const m = finiteMean(per), se = finiteSe(per);
  return { column: -1, mean: m, se, t: m / se, negative: per.filter((v) => v < 0).length, seeds: per.filter(Number.isFinite).length };
}

export interface SizePoint {
  samples: number;
  seeds: number;
  /** The recipe's handed-back estimate (its checkpoint picked by likelihood) and exact ML. */
  ruleMean: number; mlMean: number;
  /** Standard errors of the two means over seeds. */
  ruleSe: number; mlSe: number;
  /** The recipe's last iterate (step 300), its mean and standard error. */
  ruleLastMean: number; ruleLastSe: number;
  /** Median over seeds of ML's error. */
  mlMedian: number;
}

/** ML's and the rule's mean angle error at each sample size of a basis (datasets `<basis>-model-p<N>`). */
export function sizeCurve(records: readonly SweepRecord[], basis: string, sizes: readonly number[]): SizePoint[] {
  return sizes.map((samples) => {
    const rs = ofDataset(records, `${basis}-model-p${samples}`);
    const rule = rs.map((r) => field(r, "ruleAngle"));
    const last = rs.map((r) => field(r, "ruleFinalAngle"));
    const ml = rs.map((r) => field(r, "mlAngle"));
    const mlFinite = finite(ml);
    return {
      samples, seeds: rs.length, ruleMean: finiteMean(rule), mlMean: finiteMean(ml), ruleSe: finiteSe(rule), mlSe: finiteSe(ml),
      ruleLastMean: finiteMean(last), ruleLastSe: finiteSe(last),
      mlMedian: mlFinite.length ? median(mlFinite) : NaN,
    };
  });
}

/**
 * A 95% percentile interval of the log-log slope of the mean of `key` against
 * the sample size, by resampling the seeds of each size with replacement
 * (`resamples` times, seeded): the sizes' data are drawn independently.
 */
export function slopeInterval(records: readonly SweepRecord[], basis: string, sizes: readonly number[], key: string, resamples = 2000, seed = 1): { low: number; high: number } {
  const values = sizes.map((p) => finite(ofDataset(records, `${basis}-model-p${p}`).map((r) => field(r, key))));
  values.forEach((v, i) => {
    if (v.length === 0) throw new RangeError(`slopeInterval: no finite ${key} at ${sizes[i]} points for ${basis}`);
  });
  const rng = createRng(seed);
  const slopes = Array.from({ length: resamples }, () => logLogSlope(sizes, values.map((v) => {
    let s = 0;
    for (let k = 0; k < v.length; k++) s += v[rng.int(v.length)]!;
    return s / v.length;
  }))).sort((a, b) => a - b);
  return { low: slopes[Math.floor(0.025 * resamples)]!, high: slopes[Math.ceil(0.975 * resamples) - 1]! };
}

/** The least-squares slope of log y against log x. */
export function logLogSlope(x: readonly number[], y: readonly number[]): number {
  const lx = x.map(Math.log), ly = y.map(Math.log);
  const mx = finiteMean(lx), my = finiteMean(ly);
  let sxy = 0, sxx = 0;
  for (let i = 0; i < lx.length; i++) {
    sxy += (lx[i]! - mx) * (ly[i]! - my);
    sxx += (lx[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

export interface WalkPoint {
  step: number;
  /** Records with a finite log-likelihood at this step (and, every 50 steps, a finite profiled one). */
  seeds: number; profiledSeeds: number;
  /** Mean over seeds of the log-likelihood at the run's own lengths; at the best lengths (every 50 steps, else NaN); the mean angle error. */
  logLik: number; profiled: number; angle: number;
}

/** The mean log-likelihood along the rule's run (every 10 steps) over the records, with the angle error from the records' curves. */
export function walkCurve(records: readonly SweepRecord[]): WalkPoint[] {
  const keys = new Set<number>();
  for (const r of records) for (const k of Object.keys(r.extra)) if (/^walk\d+$/.test(k)) keys.add(Number(k.slice(4)));
  const steps = [...keys].sort((a, b) => a - b);
  return steps.map((step) => {
    const ll = records.map((r) => field(r, `walk${step}`));
    const pr = records.map((r) => field(r, `walkProfiled${step}`));
    return {
      step, seeds: finite(ll).length, profiledSeeds: finite(pr).length,
      logLik: finiteMean(ll),
      profiled: finiteMean(pr),
      angle: finiteMean(records.map((r) => (step % r.curve.every === 0 ? r.curve.values[step / r.curve.every] ?? NaN : NaN))),
    };
  });
}
