// Summaries of the phase sweep's records (notebook E9): a success rate with
// its Wilson interval per cell and method, the grid those rates fill, and
// where along each column the rate first falls below one half.
import { declareOptions, show } from "../options";
import { wilsonInterval, type Rate } from "../stats";
import type { SweepRecord } from "./record";
import { parsePhaseName, PHASE_TOLERANCE_DEG, type PhaseCell } from "./phase";

export interface PhaseCriterion {
  /** A learner succeeds when every true column has a learned column within this many degrees (default 5). */
  toleranceDeg?: number;
  /** Or, instead, when its mean max cosine is at least this (e.g. 0.99); absent: the angle criterion. */
  mmcs?: number;
  /** Inference under the true basis succeeds when at least this share of points get their code back (relative error ≤ 0.1; default 0.95). */
  codeShare?: number;
}

export const PHASE_CRITERION_OPTIONS = declareOptions<PhaseCriterion>("phaseSummary", {
  toleranceDeg: { kind: "number", above: 0, max: 180, default: PHASE_TOLERANCE_DEG, doc: "a learner succeeds when every true column is matched within this many degrees" },
  mmcs: { kind: "number", above: 0, max: 1, doc: "instead: a learner succeeds when its mean max cosine is at least this" },
  codeShare: { kind: "number", above: 0, max: 1, default: 0.95, doc: "inference succeeds when at least this share of points get their code back (‖ŝ − s‖ ≤ 0.1‖s‖)" },
});

export interface PhaseCellSummary extends PhaseCell {
  method: string;
  /** Successes over the seeds recorded, with the 95% Wilson interval. */
  rate: Rate;
  /** Means over the seeds of the share of true columns within the tolerance, the MMCS, the dead features and the walk-away (degrees). */
  within: number;
  mmcs: number;
  dead: number;
  walkAway: number;
}

const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;

function num(r: SweepRecord, key: string): number {
  const v = r.extra[key];
  if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`record ${r.config} seed ${r.seed}: extra.${key} is ${show(v)}, not a finite number`);
  return v;
}

/** Whether one record meets the criterion. */
export function phaseSuccess(r: SweepRecord, c: Required<Pick<PhaseCriterion, "toleranceDeg" | "codeShare">> & PhaseCriterion): boolean {
  if (r.method === "phase-map") return num(r, "recovered") >= c.codeShare;
  if (c.mmcs !== undefined) return num(r, "mmcs") >= c.mmcs;
  return num(r, "returnedWorst") <= c.toleranceDeg;
}

/**
 * One summary per (cell, method) present in `records` (phase records only;
 * others are ignored), in the order first seen. A cell without records does
 * not appear.
 */
export function phaseSummary(records: readonly SweepRecord[], criterion: PhaseCriterion = {}): PhaseCellSummary[] {
  const c = PHASE_CRITERION_OPTIONS.parse(criterion) as Required<Pick<PhaseCriterion, "toleranceDeg" | "codeShare">> & PhaseCriterion;
  const groups = new Map<string, { cell: PhaseCell; method: string; rs: SweepRecord[] }>();
  for (const r of records) {
    const cell = parsePhaseName(r.dataset);
    if (!cell || !r.method.startsWith("phase-")) continue;
    const g = groups.get(r.config) ?? { cell, method: r.method, rs: [] };
    g.rs.push(r);
    groups.set(r.config, g);
  }
  return [...groups.values()].map(({ cell, method, rs }) => {
    const map = method === "phase-map";
    return {
      ...cell, method,
      rate: wilsonInterval(rs.filter((r) => phaseSuccess(r, c)).length, rs.length),
      within: map ? Number.NaN : mean(rs.map((r) => num(r, "within"))),
      mmcs: map ? Number.NaN : mean(rs.map((r) => num(r, "mmcs"))),
      dead: mean(rs.map((r) => r.deadFeatures)),
      walkAway: map ? Number.NaN : mean(rs.map((r) => num(r, "walkAway"))),
    };
  });
}

/**
 * The rates of one method at one m as a grid: rows are the densities k
 * (ascending), columns the widths n (ascending); null where no cell was run.
 */
export function phaseGrid(summaries: readonly PhaseCellSummary[], method: string, m: number): { ns: number[]; ks: number[]; z: (number | null)[][]; cells: (PhaseCellSummary | null)[][] } {
  const mine = summaries.filter((s) => s.method === method && s.m === m);
  if (mine.length === 0) throw new RangeError(`no phase records for method ${show(method)} at m = ${show(m)}`);
  const ns = [...new Set(mine.map((s) => s.n))].sort((a, b) => a - b);
  const ks = [...new Set(mine.map((s) => s.k))].sort((a, b) => a - b);
  const cells = ks.map((k) => ns.map((n) => mine.find((s) => s.n === n && s.k === k) ?? null));
  return { ns, ks, cells, z: cells.map((row) => row.map((s) => (s ? s.rate.rate : null))) };
}

/**
 * The boundary along each column n of a grid: the largest k whose rate is at
 * least one half with every smaller k also at least one half (null when even
 * the sparsest cell falls below).
 */
export function phaseBoundary(grid: ReturnType<typeof phaseGrid>): { n: number; k: number | null }[] {
  return grid.ns.map((n, j) => {
    let k: number | null = null;
    for (let i = 0; i < grid.ks.length; i++) {
      const v = grid.z[i]![j];
      if (v === null || v === undefined || v < 0.5) break;
      k = grid.ks[i]!;
    }
    return { n, k };
  });
}

/**
 * One method's success rate pooled over the cells `where` keeps (all cells
 * by default), with the records it counts: e.g. a learner outside the
 * sparsest row, where the data start can already be the answer; and the
 * successful records themselves.
 */
export function phasePooled(
  records: readonly SweepRecord[], method: string, criterion: PhaseCriterion = {}, where: (cell: PhaseCell) => boolean = () => true,
): { rate: Rate; successes: SweepRecord[] } {
  const c = PHASE_CRITERION_OPTIONS.parse(criterion) as Required<Pick<PhaseCriterion, "toleranceDeg" | "codeShare">> & PhaseCriterion;
  const mine = records.filter((r) => {
    const cell = parsePhaseName(r.dataset);
    return cell !== null && r.method === method && where(cell);
  });
  if (mine.length === 0) throw new RangeError(`no phase records of method ${show(method)} in the cells asked for`);
  const won = mine.filter((r) => phaseSuccess(r, c));
  return { rate: wilsonInterval(won.length, mine.length), successes: won };
}
