// What notebook E9 builds from the phase sweep's summaries and records: the
// m = 32 slice as lines with Wilson bands, the boundaries side by side, the
// dead features and walk-away against m, and what the data start gives away.
import { declareOptions, show } from "../options";
import { median, wilsonInterval, type Rate } from "../stats";
import type { Series } from "../figures/charts";
import type { SweepRecord } from "./record";
import { parsePhaseName } from "./phase";
import { phaseBoundary, phaseGrid, type PhaseCellSummary } from "./phase-summary";

const ratioLabel = (v: number) => String(Number(v.toPrecision(3)));

const DASHES = ["solid", "dash", "dot"] as const;

/**
 * The rate against k/m of each method at one (m, n), with its Wilson
 * interval as a band (lineChart's series), named by `labels` (default: the
 * method names); dashes differ so that equal rates stay visible.
 */
export function phaseSlice(summaries: readonly PhaseCellSummary[], methods: readonly string[], m: number, n: number, labels: readonly string[] = methods): Series[] {
  if (labels.length !== methods.length) throw new RangeError(`labels must give one name per method (${methods.length}), got ${labels.length}`);
  const out: Series[] = [];
  for (const [i, method] of methods.entries()) {
    const cells = summaries.filter((s) => s.method === method && s.m === m && s.n === n).sort((a, b) => a.k - b.k);
    if (cells.length === 0) continue;
    out.push({
      name: labels[i]!, dash: DASHES[i % DASHES.length], mode: "lines+markers", x: cells.map((s) => s.k / m), y: cells.map((s) => s.rate.rate),
      band: { low: cells.map((s) => s.rate.low), high: cells.map((s) => s.rate.high) },
    });
  }
  if (out.length === 0) throw new RangeError(`no phase summaries at m = ${show(m)}, n = ${show(n)} for methods ${methods.join(", ")}`);
  return out;
}

/**
 * The boundary of each method along n/m at one m, as table rows: n/m, then
 * per method the largest k/m below which every cell's rate is at least one
 * half ("below the grid" when even the sparsest cell is under; "no records"
 * when the method has none at m).
 */
export function boundaryRows(summaries: readonly PhaseCellSummary[], methods: readonly string[], m: number): string[][] {
  const ns = [...new Set(summaries.filter((s) => s.m === m).map((s) => s.n))].sort((a, b) => a - b);
  const per = methods.map((method) => {
    if (!summaries.some((s) => s.method === method && s.m === m)) return new Map<number, string>();
    return new Map(phaseBoundary(phaseGrid(summaries, method, m)).map((b) => [b.n, b.k === null ? "below the grid" : `${ratioLabel(b.k / m)} (k = ${b.k})`]));
  });
  return ns.map((n) => [ratioLabel(n / m), ...per.map((p) => p.get(n) ?? "no records")]);
}

/**
 * Dead features and walk-away against m, at matched n/m and k/m: one row per
 * method and density at the given ratio, the seed means at each m (blank
 * where the cell was not run).
 */
export function dimensionRows(summaries: readonly PhaseCellSummary[], methods: readonly string[], ratio: number): { dims: number[]; rows: (string | number)[][] } {
  const at = summaries.filter((s) => methods.includes(s.method) && s.n === ratio * s.m);
  if (at.length === 0) throw new RangeError(`ratio: no phase summaries with n/m = ${show(ratio)} for methods ${methods.join(", ")}`);
  const dims = [...new Set(at.map((s) => s.m))].sort((a, b) => a - b);
  const densities = [...new Set(at.map((s) => s.k / s.m))].sort((a, b) => a - b);
  const rows: (string | number)[][] = [];
  for (const method of methods) {
    for (const d of densities) {
      const cells = dims.map((m) => at.find((s) => s.method === method && s.m === m && s.k === d * m));
      if (cells.every((c) => c === undefined)) continue;
      const fmt = (c: PhaseCellSummary | undefined, v: (c: PhaseCellSummary) => number) => (c === undefined || Number.isNaN(v(c)) ? "" : v(c).toFixed(2));
      rows.push([method, ratioLabel(d), ...cells.map((c) => fmt(c, (x) => x.dead)), ...cells.map((c) => fmt(c, (x) => x.walkAway))]);
    }
  }
  return { dims, rows };
}

export interface StartGiveawayOptions {
  /** A run's start counts as already the answer when its best step is 0 and its best mean error is at most this (degrees). */
  toleranceDeg?: number;
}

export const START_GIVEAWAY_OPTIONS = declareOptions<StartGiveawayOptions>("startGiveaway", {
  toleranceDeg: { kind: "number", above: 0, default: 1, doc: "the start counts as the answer when the best step is 0 and the best mean error is at most this" },
});

export interface StartGiveaway {
  method: string;
  m: number;
  k: number;
  /** Runs whose best basis along the run was the start (step 0). */
  bestAtStart: Rate;
  /** Runs whose start was the best basis and within toleranceDeg on average. */
  startIsAnswer: Rate;
  /** The median over runs of the start's mean error (degrees). */
  medianStartError: number;
}

/**
 * What the data start gives away, per learner, m and k (over every n): how
 * often the start is the best basis a run sees, and how often it is already
 * the answer. At k = 1 every noise-free point lies on a feature, so a column
 * started on a point's direction starts on a feature.
 */
export function startGiveaway(records: readonly SweepRecord[], opts: StartGiveawayOptions = {}): StartGiveaway[] {
  const o = START_GIVEAWAY_OPTIONS.parse(opts);
  const groups = new Map<string, { method: string; m: number; k: number; rs: SweepRecord[] }>();
  for (const r of records) {
    const cell = parsePhaseName(r.dataset);
    if (!cell || !r.method.startsWith("phase-") || r.method === "phase-map") continue;
    const key = `${r.method} ${cell.m} ${cell.k}`;
    const g = groups.get(key) ?? { method: r.method, m: cell.m, k: cell.k, rs: [] };
    g.rs.push(r);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => a.method.localeCompare(b.method) || a.m - b.m || a.k - b.k).map(({ method, m, k, rs }) => {
    const atStart = rs.filter((r) => r.bestStep === 0);
    return {
      method, m, k,
      bestAtStart: wilsonInterval(atStart.length, rs.length),
      startIsAnswer: wilsonInterval(atStart.filter((r) => r.bestError <= o.toleranceDeg!).length, rs.length),
      medianStartError: median(rs.map((r) => r.curve.values[0] ?? Number.NaN)),
    };
  });
}
