// The E11 records (issue #20): for one dataset and seed, the rule's run and
// the exact maximum-likelihood fits on the same points, each scored against
// the truth, with the exact log-likelihood at every estimate, at the truth
// and along the rule's run (every 10 steps).
import type { Dataset } from "../data";
import type { LearnResult } from "../learning";
import type { Matrix } from "../linalg";
import { fromRows, type Mat } from "../matrix";
import type { Model } from "../model";
import { basisError } from "../metrics";
import { exactLogLikelihood } from "../exact/likelihood";
import { fitMaximumLikelihood } from "../exact/fit";
import { profileLengths } from "../exact/profile";
import { FROM_TRUTH_UP_TO, type ExactSpec, type LadderSpec } from "./exact-spec";
import { approximationLadder } from "../exact/ladder";
import type { SweepRecord } from "./record";

export type { ExactSpec };

const round = (v: number, digits = 6): number | null => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

/**
 * The signed angle (degrees, counterclockwise positive) from each true column
 * to the estimate matched to it, and that estimate's length.
 */
export function signedErrors(A: Matrix, trueBasis: Matrix): { signed: number[]; lengths: number[]; mean: number; worst: number } {
  const e = basisError(A, trueBasis);
  const signed = e.assignment.map((k, j) => {
    const t0 = trueBasis[0]![j]!, t1 = trueBasis[1]![j]!;
    const a0 = A[0]![k]!, a1 = A[1]![k]!;
    return (Math.atan2(t0 * a1 - t1 * a0, t0 * a0 + t1 * a1) * 180) / Math.PI;
  });
  const lengths = e.assignment.map((k) => Math.hypot(A[0]![k]!, A[1]![k]!));
  return { signed, lengths, mean: e.meanAngleDeg, worst: e.maxAngleDeg };
}

/** Mean exact log-likelihood of the points at A, or NaN where it cannot be computed (reported as null). */
function meanLogLikelihood(A: Matrix, X: Mat, model: Model): number {
  try {
    // A basis whose split is near-singular (the 4-column spread start, a
    // collapsing column) would need a source integrated out at every point,
    // minutes at 1,000 points: it is not scored, and the record says null.
    return exactLogLikelihood(fromRows("A", A), X, model, false, false, false, false).total / X.cols;
  } catch (e) {
    if (e instanceof RangeError) return NaN; // a basis the likelihood refuses (its message says why): recorded as null
    throw e;
  }
}

/** Fields `<prefix><i>` for a list of numbers. */
function spread(prefix: string, values: readonly number[]): Record<string, number | null> {
  return Object.fromEntries(values.map((v, i) => [`${prefix}${i}`, round(v)]));
}

/** The mean log-likelihood at A's directions with the best lengths, or NaN where it cannot be computed. */
function profiledLogLikelihood(A: Matrix, X: Mat, model: Model): number {
  try {
    return profileLengths(fromRows("A", A), X, model).value;
  } catch (e) {
    if (e instanceof RangeError) return NaN;
    throw e;
  }
}

/**
 * One estimate's fields: mean and worst angle, the signed angles and lengths
 * per true column, the log-likelihood at its lengths and (`profiled`) at the
 * best lengths for its directions.
 */
function estimateFields(prefix: string, A: Matrix, trueBasis: Matrix, X: Mat, model: Model, profiled = false): Record<string, number | null> {
  const s = signedErrors(A, trueBasis);
  return {
    [`${prefix}Angle`]: round(s.mean),
    [`${prefix}Worst`]: round(s.worst),
    [`${prefix}LogLik`]: round(meanLogLikelihood(A, X, model), 9),
    ...(profiled ? { [`${prefix}Profiled`]: round(profiledLogLikelihood(A, X, model), 9) } : {}),
    ...spread(`${prefix}Signed`, s.signed),
    ...spread(`${prefix}Length`, s.lengths),
  };
}

/** A maximum-likelihood fit from `init`, as fields under `prefix`. */
function mlFields(prefix: string, d: Dataset, X: Mat, model: Model, init: Matrix, seed: number): Record<string, number | null> {
  const fit = fitMaximumLikelihood(d.X, { ...model, init, seed, trueBasis: d.A });
  return {
    ...estimateFields(prefix, fit.A, d.A, X, model),
    [`${prefix}Converged`]: fit.converged ? 1 : 0,
    [`${prefix}Iterations`]: fit.iterations,
    [`${prefix}Evaluations`]: fit.evaluations,
  };
}

/** The E11 fields of a record whose rule run is `r` on the dataset `d`. */
export function exactExtra(spec: ExactSpec, d: Dataset, r: LearnResult, seed: number): Record<string, number | null> {
  const X = fromRows("X", d.X);
  const model = spec.model;
  const out: Record<string, number | null> = {
    truthLogLik: round(meanLogLikelihood(d.A, X, model), 9),
    truthProfiled: round(profiledLogLikelihood(d.A, X, model), 9),
    ...estimateFields("rule", r.learned, d.A, X, model, true),
    ...estimateFields("ruleFinal", r.A, d.A, X, model, true),
  };
  // The exact log-likelihood along the run, every 10 steps (and every 50 at the best lengths for each step's directions).
  if (spec.walk !== "none") {
    for (const h of r.history) {
      if (h.step % 10 !== 0 || h.step > (spec.walkUpTo ?? Infinity)) continue;
      out[`walk${h.step}`] = round(meanLogLikelihood(h.A, X, model), 9);
      if (spec.walk === "profiled" && h.step % 50 === 0) out[`walkProfiled${h.step}`] = round(profiledLogLikelihood(h.A, X, model), 9);
    }
  }
  if (spec.fromStart) Object.assign(out, mlFields("ml", d, X, model, r.history[0]!.A, seed));
  if (X.cols <= FROM_TRUTH_UP_TO) Object.assign(out, mlFields("mlTruth", d, X, model, d.A, seed));
  return out;
}

type Body = Omit<SweepRecord, "format" | "config" | "dataset" | "method" | "seed" | "fingerprint" | "wallMs">;

/**
 * A ladder record: for each rung, the signed angle of each true column's
 * estimate at the rung's zero, their mean absolute value, the common length,
 * whether Newton converged. The record's error fields hold the rule's row.
 */
export function ladderBody(spec: LadderSpec, d: Dataset): Body {
  const rows = approximationLadder(d.X, d.A, { ...spec.model, equalNorms: spec.equalNorms });
  const extra: Record<string, number | null> = {};
  for (const row of rows) {
    const key = row.id.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    row.anglesDeg.forEach((v, j) => { extra[`${key}Signed${j}`] = round(v); });
    extra[`${key}Mean`] = round(row.anglesDeg.reduce((s, v) => s + Math.abs(v), 0) / row.anglesDeg.length);
    extra[`${key}Length`] = round(row.lengths.reduce((s, v) => s + v, 0) / row.lengths.length);
    extra[`${key}Converged`] = row.converged ? 1 : 0;
  }
  const rule = rows.find((r) => r.id === "rule")!;
  const err = rule.anglesDeg.reduce((s, v) => s + Math.abs(v), 0) / rule.anglesDeg.length;
  const worst = Math.max(...rule.anglesDeg.map(Math.abs));
  return {
    options: { ...spec.model, equalNorms: spec.equalNorms },
    bestError: err, bestStep: 0, finalError: err, finalWorst: worst, returnedError: err,
    diverged: rule.converged ? null : { step: rule.iterations, reason: rule.reason ?? "not converged" },
    deadFeatures: 0, curve: { every: 1, values: [] }, extra,
  };
}
