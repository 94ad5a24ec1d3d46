// What notebook E10 builds from the toy sweep's records (lib/sweep/toy.ts):
// the shapes the 2-D models take (the regular polygon of every feature, or of
// all but one), the loss of each solution, the number of features
// represented against sparsity, the feature dimensionalities, and the table
// of the learners scored against the models' represented features.
import { show } from "../options";
import { mean, median, wilsonInterval, type Rate } from "../stats";
import { tableHtml } from "../display";
import type { SweepRecord } from "./record";

const checkTolerance = (name: string, v: unknown): number => {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a finite number ≥ 0, got ${show(v)}`);
  return v;
};

/** n, m and S of the model a toy record describes (its options, or for a learner its model's). */
export function toyLawOf(r: SweepRecord): { features: number; hidden: number; sparsity: number } {
  const o = r.options as { features?: number; hidden?: number; sparsity?: number };
  const named = /^tms-n(\d+)-m(\d+)-S([\d.]+)/.exec(r.dataset);
  if (!named) throw new RangeError(`record ${r.config} seed ${r.seed} is not a toy-model record (its dataset is not named tms-n<n>-m<m>-S<S>…)`);
  return { features: o?.features ?? Number(named[1]), hidden: o?.hidden ?? Number(named[2]), sparsity: o?.sparsity ?? Number(named[3]) };
}

/**
 * The shape of a 2-D model: 'all' when every feature is represented and
 * every gap between neighbours is within `toleranceDeg` of 360°/n (the
 * pentagon for n = 5); 'dropLast' when all but the last (least important)
 * feature are, as a regular (n − 1)-gon (the square); 'dropOther' the same
 * with another feature dropped; 'other' for anything else.
 */
export type ToyShape = "all" | "dropLast" | "dropOther" | "other";

export function toyShape(r: SweepRecord, toleranceDeg: number): ToyShape {
  const tol = checkTolerance("toleranceDeg", toleranceDeg);
  const { features: n, hidden } = toyLawOf(r);
  if (hidden !== 2) throw new RangeError(`toyShape needs a model with 2 hidden units; ${r.config} seed ${r.seed} has ${hidden}`);
  const e = r.extra;
  const regular = (k: number) => typeof e.gapMin === "number" && typeof e.gapMax === "number" && Math.abs(e.gapMin - 360 / k) <= tol && Math.abs(e.gapMax - 360 / k) <= tol;
  if (e.represented === n && regular(n)) return "all";
  if (e.represented === n - 1 && regular(n - 1)) return e.firstDropped === n - 1 ? "dropLast" : "dropOther";
  return "other";
}

export interface ShapeCount {
  dataset: string;
  seeds: number;
  /** Per shape, its count among the seeds with a Wilson interval. */
  rates: Record<ToyShape, Rate>;
  /** The seeds of each shape. */
  seedsOf: Record<ToyShape, number[]>;
}

/** How often each 2-D dataset's models take each shape, one row per dataset in first-seen order. */
export function toyShapes(records: readonly SweepRecord[], toleranceDeg: number): ShapeCount[] {
  const by = groupBy(records.filter((r) => toyLawOf(r).hidden === 2), (r) => r.dataset);
  return [...by].map(([dataset, rs]) => {
    const seedsOf: Record<ToyShape, number[]> = { all: [], dropLast: [], dropOther: [], other: [] };
    for (const r of rs) seedsOf[toyShape(r, toleranceDeg)].push(r.seed);
    const rate = (k: ToyShape) => wilsonInterval(seedsOf[k].length, rs.length);
    return { dataset, seeds: rs.length, rates: { all: rate("all"), dropLast: rate("dropLast"), dropOther: rate("dropOther"), other: rate("other") }, seedsOf };
  });
}

export interface LossGroup {
  /** The feature dropped (its firstDropped; −1: none). */
  dropped: number;
  seeds: number[];
  losses: number[];
  meanLoss: number;
  minLoss: number;
}

/** The model losses of one dataset's records, grouped by the first feature the model dropped, the group with the lowest single loss first. */
export function lossByDropped(records: readonly SweepRecord[], dataset: string): LossGroup[] {
  const rs = records.filter((r) => r.dataset === dataset && typeof r.extra.modelLoss === "number");
  if (rs.length === 0) throw new RangeError(`no records with a model loss for dataset ${show(dataset)}`);
  const by = groupBy(rs, (r) => Number(r.extra.firstDropped));
  return [...by].map(([dropped, g]) => {
    const losses = g.map((r) => r.extra.modelLoss as number);
    return { dropped, seeds: g.map((r) => r.seed), losses, meanLoss: mean(losses), minLoss: Math.min(...losses) };
  }).sort((a, b) => a.minLoss - b.minLoss);
}

export interface RepresentedRow {
  sparsity: number;
  seeds: number;
  values: number[];
  mean: number;
  min: number;
  max: number;
}

/** The number of represented features per sparsity, for the records of one (n, m) without pairs or importance; rows in rising S. */
export function representedBySparsity(records: readonly SweepRecord[], features: number, hidden: number): RepresentedRow[] {
  const plain = new RegExp(`^tms-n${features}-m${hidden}-S[\\d.]+$`);
  const rs = records.filter((r) => plain.test(r.dataset));
  const by = groupBy(rs, (r) => toyLawOf(r).sparsity);
  return [...by].sort((a, b) => a[0] - b[0]).map(([sparsity, g]) => {
    const values = g.map((r) => Number(r.extra.represented));
    return { sparsity, seeds: g.length, values, mean: mean(values), min: Math.min(...values), max: Math.max(...values) };
  });
}

export interface DimensionalityRow {
  dataset: string;
  hidden: number;
  seeds: number;
  /** Every D_i of every seed. */
  values: number[];
  /** "seed s, feature i" for each of values. */
  labels: string[];
  /** Σ_i D_i per seed. */
  sums: number[];
  /** Per fraction asked for, the share of all D_i within `tolerance` of it. */
  near: { fraction: number; rate: Rate }[];
}

/** Elhage et al.'s D_i (the records' dim<i>) per dataset: all of them, their sum per seed, and the share near each of `fractions`. */
export function dimensionality(records: readonly SweepRecord[], datasets: readonly string[], fractions: readonly number[], tolerance: number): DimensionalityRow[] {
  checkTolerance("tolerance", tolerance);
  fractions.forEach((f, i) => {
    if (typeof f !== "number" || !Number.isFinite(f)) throw new RangeError(`fractions[${i}] must be a finite number, got ${show(f)}`);
  });
  return datasets.flatMap((dataset) => {
    const rs = records.filter((r) => r.dataset === dataset);
    if (rs.length === 0) return [];
    const keys = (r: SweepRecord) => Object.keys(r.extra).filter((k) => /^dim\d+$/.test(k));
    const dims = rs.map((r) => keys(r).map((k) => Number(r.extra[k])));
    const labels = rs.flatMap((r) => keys(r).map((k) => `seed ${r.seed}, feature ${k.slice(3)}`));
    const values = dims.flat();
    const near = fractions.map((fraction) => ({ fraction, rate: wilsonInterval(values.filter((v) => Math.abs(v - fraction) <= tolerance).length, values.length) }));
    return [{ dataset, hidden: toyLawOf(rs[0]!).hidden, seeds: rs.length, values, labels, sums: dims.map((d) => d.reduce((s, v) => s + v, 0)), near }];
  });
}

export interface ToyTableRow {
  dataset: string;
  method: string;
  seeds: number;
  meanAngle: number;
  medianAngle: number;
  meanWorst: number;
  meanMmcs: number;
  meanPrecision: number;
  meanRecall: number;
  meanDead: number;
  medianNormRatio: number;
  /** Runs with every represented column matched within 5° (extra.within5 === 1). */
  within5: Rate;
  /** The median over the runs of the model's own norm spread (largest over smallest represented ‖W_i‖). */
  medianNormSpread: number;
}

/** One row per (dataset, method) with records, datasets outer, in the order given. */
export function toyTable(records: readonly SweepRecord[], opts: { methods: readonly string[]; datasets: readonly string[] }): ToyTableRow[] {
  if (!opts || !Array.isArray(opts.methods) || !Array.isArray(opts.datasets)) throw new TypeError(`toyTable needs { methods: string[], datasets: string[] }, got ${show(opts)}`);
  return opts.datasets.flatMap((dataset) => opts.methods.flatMap((method) => {
    const rs = records.filter((r) => r.dataset === dataset && r.method === method);
    if (rs.length === 0) return [];
    const col = (k: string) => rs.map((r) => r.extra[k]).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    const avg = (k: string) => (col(k).length ? mean(col(k)) : NaN);
    const mid = (k: string) => (col(k).length ? median(col(k)) : NaN);
    return [{
      dataset, method, seeds: rs.length, meanAngle: avg("angle"), medianAngle: mid("angle"), meanWorst: avg("worst"), meanMmcs: avg("mmcs"),
      meanPrecision: avg("precision"), meanRecall: avg("recall"), meanDead: avg("dead"), medianNormRatio: mid("normRatio"),
      within5: wilsonInterval(rs.filter((r) => r.extra.within5 === 1).length, rs.length), medianNormSpread: mid("normSpread"),
    }];
  }));
}

/** The rows of toyTable as an HTML table (lib/display's), with a caption. */
export function toyTableHtml(rows: readonly ToyTableRow[], caption?: string): string {
  return tableHtml(toyTableRows(rows), caption);
}

/** The rows of toyTable as showTable's rows, the header first. */
export function toyTableRows(rows: readonly ToyTableRow[]): (string | number)[][] {
  const f = (v: number, d: number) => (Number.isFinite(v) ? v.toFixed(d) : "–");
  const pct = (r: Rate) => `${r.successes}/${r.trials} (${Math.round(100 * r.low)}–${Math.round(100 * r.high)}%)`;
  return [
    ["model", "method", "seeds", "mean angle (°)", "median angle (°)", "mean worst (°)", "mean MMCS", "precision", "recall", "dead", "norm ratio (median)", "all within 5° (95% CI)", "model's norm spread (median)"],
    ...rows.map((r) => [r.dataset, r.method, r.seeds, f(r.meanAngle, 2), f(r.medianAngle, 2), f(r.meanWorst, 2), f(r.meanMmcs, 4), f(r.meanPrecision, 3), f(r.meanRecall, 3),
      f(r.meanDead, 2), f(r.medianNormRatio, 3), pct(r.within5), f(r.medianNormSpread, 3)]),
  ];
}

function groupBy<K, T>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const t of items) {
    const k = key(t);
    const g = out.get(k);
    if (g) g.push(t);
    else out.set(k, [t]);
  }
  return out;
}
