// Reading the tuned panel (issue #17's fair comparisons) out of sweep
// records, once for the three pages that report it (E7, E8 and the verdict):
// per configuration, the rate at which what each method hands back is within
// the threshold, what the truth would have picked from the same runs, ICA's
// last A beside its likelihood pick, where the chosen step size sits in the
// grid, and the support scores on fresh k-hot points.
import { median, quantile, wilsonInterval, type Rate } from "../stats";
import type { SweepRecord } from "./record";
import { sweepConfig, TUNING } from "./registry";
import { SWEEP_SUCCESS_DEG } from "./summary";

export interface PanelCell {
  config: string;
  records: SweepRecord[];
  /** Handed-back errors (ICA: the likelihood pick; SAEs: the last decoder), one per seed in seed order. */
  returned: number[];
  /** The last basis's errors (for ICA, what it would hand back without its within-run pick). */
  last: number[];
  /** Per seed, the lowest handed-back error over the grid's runs: the truth's pick. */
  truthPick: number[];
  rate: Rate;
  lastRate: Rate;
  truthRate: Rate;
  median: number;
  quartiles: [number, number];
  /** Step size chosen → number of seeds. */
  chosen: Map<number, number>;
  /** Share of the seeds whose chosen step size is the grid's smallest or largest. */
  edgeShare: number;
}

/** The entries `<key>0`, `<key>1`, … of a record's extra, in order. */
export function extraSeries(r: SweepRecord, key: string): number[] {
  const out: number[] = [];
  for (let i = 0; `${key}${i}` in r.extra; i++) out.push(r.extra[`${key}${i}`] ?? Number.NaN);
  return out;
}

/**
 * One cell of the panel from the records of one tuned configuration. Errors
 * below `thresholdDeg` (default 3°) count as a success. Throws, naming the
 * configuration, if there are no records or they are not a tuned method's.
 */
export function panelCell(records: readonly SweepRecord[], config: string, thresholdDeg = SWEEP_SUCCESS_DEG): PanelCell {
  const c = sweepConfig(config);
  if (c.method.spec.kind !== "tuned") throw new RangeError(`${config} is not a tuned configuration`);
  if (!(thresholdDeg > 0)) throw new RangeError(`thresholdDeg must be a number > 0, got ${String(thresholdDeg)}`);
  const rs = records.filter((r) => r.config === config).sort((a, b) => a.seed - b.seed);
  if (rs.length === 0) throw new RangeError(`no records for ${config}`);
  const grid: readonly number[] = c.method.spec.family === "ica" ? TUNING.icaLr : TUNING.saeLr;
  const returned = rs.map((r) => r.returnedError);
  const last = rs.map((r) => r.finalError);
  const truthPick = rs.map((r) => Math.min(...extraSeries(r, "error")));
  const below = (v: number[]) => wilsonInterval(v.filter((e) => e < thresholdDeg).length, v.length);
  const chosen = new Map<number, number>();
  for (const r of rs) chosen.set(r.extra.lr!, (chosen.get(r.extra.lr!) ?? 0) + 1);
  const edges = rs.filter((r) => r.extra.lr === grid[0] || r.extra.lr === grid[grid.length - 1]).length;
  return {
    config, records: rs, returned, last, truthPick,
    rate: below(returned), lastRate: below(last), truthRate: below(truthPick),
    median: median(returned), quartiles: [quantile(returned, 0.25), quantile(returned, 0.75)],
    chosen: new Map([...chosen].sort((a, b) => a[0] - b[0])), edgeShare: edges / rs.length,
  };
}

export interface SupportSummary {
  /** Mean over seeds of the share of k-hot points whose active set is exactly their features' columns. */
  exact: number;
  /** Mean over seeds of the support precision (seeds where nothing fired are left out). */
  precision: number;
  /** Mean over seeds of the support recall. */
  recall: number;
  /** Median over seeds of the relative reconstruction error. */
  relative: number;
}

/**
 * The support scores of a tuned configuration's kept models on fresh k-hot
 * points: `code` 'own' is the method's own encoder (ICA's is exact MAP),
 * 'map' exact MAP under an SAE's decoder (b_dec kept).
 */
export function supportSummary(cell: PanelCell, code: "own" | "map", k: number): SupportSummary {
  const values = (f: string) => cell.records.map((r) => r.extra[`${code}${f}${k}`]).filter((v): v is number => typeof v === "number");
  const mean = (f: string) => {
    const v = values(f);
    if (v.length === 0) throw new RangeError(`${cell.config} has no ${code}${f}${k} scores (code must be 'own', or 'map' for an SAE; k in 1…3)`);
    return v.reduce((s, x) => s + x, 0) / v.length;
  };
  return { exact: mean("Exact"), precision: mean("Prec"), recall: mean("Rec"), relative: median(values("Rel")) };
}
