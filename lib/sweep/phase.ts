// The phase-diagram sweep (notebook E9, issue #18): recovery of a random
// overcomplete basis as the problem grows. A cell is (m, n, k): m dimensions,
// n = ratio·m unit columns drawn uniformly on the sphere, exactly k sources
// active per point (k = density·m) with exponential amplitudes of mean b = 2,
// noise-free points, the model's σ = 0.1 and b = 2 (the recipe's). Every
// learner starts from the same kind of start ('data': directions of data
// points, which know nothing of the basis) and is given n; TopK is also given
// the true k, and the ReLU SAE a λ chosen once on cells and seeds no record
// scores (PHASE_RELU_LAMBDA). 'phase-map' learns nothing: it infers the codes
// under the true basis, the compressed-sensing side of the same grid.
import type { Dataset } from "../data";
import { learnBasis } from "../learning";
import { basisError } from "../metrics";
import { trainSAE } from "../sae";
import { fromRows } from "../matrix";
import { solveMap } from "../inference/solve";
import type { Matrix } from "../linalg";
import type { SweepRecord } from "./record";

/** The grid: each m of `dims` with every ratio n/m and density k/m, and the m = 32 slice at one ratio. */
export const PHASE_GRID = {
  dims: [8, 16],
  ratios: [1, 2, 4],
  densities: [1 / 8, 1 / 4, 3 / 8, 1 / 2],
  slice: { m: 32, ratio: 2 },
  samples: 1000,
  seeds: 10,
} as const;

/** The model every phase method shares (the recipe's σ and b; the data's b is the same 2). */
export const PHASE_MODEL = { sigma: 0.1, b: 2 } as const;

/** A phase cell: the data's shape. */
export interface PhaseCell { m: number; n: number; k: number }

/** The name of a cell's dataset, e.g. "phase-m16-n32-k4". */
export const phaseName = (c: PhaseCell): string => `phase-m${c.m}-n${c.n}-k${c.k}`;

/** Every cell of the grid, m-major, then n, then k. */
export function phaseCells(): PhaseCell[] {
  const out: PhaseCell[] = [];
  const add = (m: number, ratios: readonly number[]) => {
    for (const r of ratios) for (const d of PHASE_GRID.densities) out.push({ m, n: r * m, k: Math.round(d * m) });
  };
  for (const m of PHASE_GRID.dims) add(m, PHASE_GRID.ratios);
  add(PHASE_GRID.slice.m, [PHASE_GRID.slice.ratio]);
  return out;
}

/** The cell a dataset name stands for, or null. */
export function parsePhaseName(name: string): PhaseCell | null {
  const g = /^phase-m(\d+)-n(\d+)-k(\d+)$/.exec(name);
  return g ? { m: Number(g[1]), n: Number(g[2]), k: Number(g[3]) } : null;
}

export type PhaseSpec =
  | { kind: "phase"; family: "map" }
  | { kind: "phase"; family: "ica"; options: Record<string, unknown> }
  | { kind: "phase"; family: "sae"; options: Record<string, unknown>; kFromData?: true };

type Body = Omit<SweepRecord, "format" | "config" | "dataset" | "method" | "seed" | "fingerprint" | "wallMs">;

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

/** The tolerance of the success criterion: every true column within this many degrees. */
export const PHASE_TOLERANCE_DEG = 5;

/**
 * What a learned basis recovers of the truth: the matched angles (each true
 * column to its own learned column), the share within PHASE_TOLERANCE_DEG,
 * and the mean max cosine (each true column's best cosine with any learned
 * column, matched or not; Sharkey et al. 2022's MMCS).
 */
export function recovery(B: Matrix, A: Matrix): { mean: number; worst: number; within: number; mmcs: number } {
  const e = basisError(B, A);
  const Bm = fromRows("B", B), Am = fromRows("A", A);
  const m = Am.rows;
  let mmcs = 0;
  for (let i = 0; i < Am.cols; i++) {
    let best = -1;
    for (let j = 0; j < Bm.cols; j++) {
      let dot = 0, nb = 0, na = 0;
      for (let r = 0; r < m; r++) {
        const b = Bm.data[j * m + r]!, a = Am.data[i * m + r]!;
        dot += a * b;
        nb += b * b;
        na += a * a;
      }
      const c = nb > 0 && na > 0 ? dot / Math.sqrt(na * nb) : 0;
      if (c > best) best = c;
    }
    mmcs += best;
  }
  return {
    mean: e.meanAngleDeg, worst: e.maxAngleDeg,
    within: e.anglesDeg.filter((v) => v <= PHASE_TOLERANCE_DEG).length / e.anglesDeg.length,
    mmcs: mmcs / Am.cols,
  };
}

/** A point's code is recovered when ‖ŝ − s‖ ≤ this × ‖s‖. */
export const PHASE_CODE_TOLERANCE = 0.1;

/**
 * Inference only: the MAP codes of the points under the true basis, scored
 * against the sources that made them: the share of points whose code is
 * recovered (relative error at most PHASE_CODE_TOLERANCE), the share whose
 * non-zeros are exactly the active sources (the MAP code also keeps tiny
 * spurious entries, which this counts as misses), support precision and
 * recall, and the mean relative error.
 */
function inferOnly(d: Dataset): Body {
  const A = fromRows("A", d.A), X = fromRows("X", d.X);
  const r = solveMap(A, X, { prior: "exponential", ...PHASE_MODEL });
  const n = A.cols, p = X.cols;
  let exact = 0, recovered = 0, tp = 0, fp = 0, fn = 0, rel = 0;
  const used = new Uint8Array(n);
  for (let j = 0; j < p; j++) {
    let miss = 0, num = 0, den = 0;
    for (let i = 0; i < n; i++) {
      const sh = r.S.data[j * n + i]!, s = d.S[i]![j]!;
      if (sh !== 0) used[i] = 1;
      if (sh !== 0 && s !== 0) tp++;
      else if (sh !== 0) (fp++, miss++);
      else if (s !== 0) (fn++, miss++);
      num += (sh - s) ** 2;
      den += s * s;
    }
    if (miss === 0) exact++;
    const e = den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);
    if (e <= PHASE_CODE_TOLERANCE) recovered++;
    rel += e;
  }
  return {
    options: { ...PHASE_MODEL, prior: "exponential", method: r.diagnostics.method },
    bestError: 0, bestStep: 0, finalError: 0, finalWorst: 0, returnedError: 0, diverged: null,
    deadFeatures: n - used.reduce((s, v) => s + v, 0),
    curve: { every: 1, values: [] },
    extra: {
      recovered: round(recovered / p, 6), exactSupport: round(exact / p, 6), precision: round(tp / Math.max(1, tp + fp), 6), recall: round(tp / Math.max(1, tp + fn), 6),
      relError: round(rel / p, 6), kkt: r.diagnostics.kktResidual, converged: r.diagnostics.converged ? 1 : 0,
    },
  };
}

/** The numbers every learner's record carries beyond the usual ones. */
/**
 * The numbers every learner's record carries beyond the usual ones: what the
 * returned basis recovers, what the last one does, and the walk-away, the
 * mean error the run gained after its best step (last − best, degrees).
 */
function learnedExtra(returned: Matrix, last: Matrix, A: Matrix, bestError: number): Record<string, number> {
  const got = recovery(returned, A);
  const fin = recovery(last, A);
  return {
    returnedWorst: round(got.worst, 6), within: round(got.within, 6), mmcs: round(got.mmcs, 6),
    finalWithin: round(fin.within, 6), finalMmcs: round(fin.mmcs, 6), walkAway: round(fin.mean - bestError, 6),
  };
}

/** One run of a phase method on a cell's data. */
export function runPhase(spec: PhaseSpec, d: Dataset, cell: PhaseCell, seed: number): Body {
  if (spec.family === "map") return inferOnly(d);
  if (spec.family === "ica") {
    const r = learnBasis(d.X, { ...spec.options, sources: cell.n, trueBasis: d.A, seed, historyEvery: 10 });
    const h = r.history;
    const best = h.reduce((a, b) => (b.angleError! < a.angleError! ? b : a));
    const fin = basisError(r.A, d.A);
    return {
      options: r.options, bestError: best.angleError!, bestStep: best.step, finalError: fin.meanAngleDeg, finalWorst: fin.maxAngleDeg,
      returnedError: basisError(r.learned, d.A).meanAngleDeg, diverged: r.diverged, deadFeatures: h[h.length - 1]!.deadFeatures,
      curve: { every: 10, values: h.filter((e) => e.step % 10 === 0).map((e) => round(e.angleError!, 3)) },
      extra: learnedExtra(r.learned, r.A, d.A, best.angleError!),
    };
  }
  const k = spec.kFromData ? { k: cell.k } : {};
  const r = trainSAE(d.X, { ...spec.options, ...k, features: cell.n, trueBasis: d.A, seed, historyEvery: 10 });
  const h = r.history;
  const best = h.reduce((a, b) => (b.angleError! < a.angleError! ? b : a));
  const fin = basisError(r.basis, d.A);
  return {
    options: r.options, bestError: best.angleError!, bestStep: best.step, finalError: fin.meanAngleDeg, finalWorst: fin.maxAngleDeg,
    returnedError: fin.meanAngleDeg, diverged: r.diverged, deadFeatures: r.dead.length,
    curve: { every: 100, values: h.filter((e) => e.step % 100 === 0).map((e) => round(e.angleError!, 3)) },
    extra: learnedExtra(r.basis, r.basis, d.A, best.angleError!),
  };
}
