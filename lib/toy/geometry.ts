// The geometry of a toy model's features (Elhage et al. 2022): which features
// the model represents, their lengths, how much each shares its dimensions
// with the others (the feature dimensionality), and, in two dimensions, the
// polygon their directions make.
import { fromRows } from "../matrix";
import type { Matrix } from "../linalg";

/** A feature is represented when its column's length is at least this (TMS's plots read ‖W_i‖ ≈ 1 as represented, ≈ 0 as not). */
export const REPRESENTED_NORM = 0.5;

/** ‖W_i‖ for every column of W (m×n). */
export function featureNorms(W: Matrix): number[] {
  const M = fromRows("W", W);
  return Array.from({ length: M.cols }, (_, i) => {
    let s = 0;
    for (let k = 0; k < M.rows; k++) s += M.data[i * M.rows + k]! ** 2;
    return Math.sqrt(s);
  });
}

/** Indices of the columns with ‖W_i‖ ≥ threshold. */
export function representedFeatures(W: Matrix, threshold = REPRESENTED_NORM): number[] {
  if (typeof threshold !== "number" || !Number.isFinite(threshold) || threshold < 0) throw new RangeError(`threshold must be a finite number ≥ 0, got ${String(threshold)}`);
  return featureNorms(W).flatMap((v, i) => (v >= threshold ? [i] : []));
}

/**
 * Elhage et al.'s feature dimensionality D_i = ‖W_i‖² / Σ_j (Ŵ_i · W_j)²,
 * Ŵ_i = W_i/‖W_i‖: 1 for a feature with a dimension of its own, 1/2 for one
 * of an antipodal pair, 2/5 for a pentagon's corner, 0 for a feature the
 * model ignores. Over all features the D_i sum to at most m.
 */
export function featureDimensionality(W: Matrix): number[] {
  const M = fromRows("W", W);
  const m = M.rows, n = M.cols, d = M.data;
  const out = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let nn = 0;
    for (let k = 0; k < m; k++) nn += d[i * m + k]! ** 2;
    if (nn === 0) continue;
    let den = 0;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let k = 0; k < m; k++) dot += d[i * m + k]! * d[j * m + k]!;
      den += (dot * dot) / nn;
    }
    out[i] = nn / den;
  }
  return out;
}

export interface Polygon {
  /** The represented features in the order of their directions (counter-clockwise from the first). */
  order: number[];
  /** Direction of each, degrees in [0, 360). */
  anglesDeg: number[];
  /** Gap from each to the next, degrees (they sum to 360). */
  gapsDeg: number[];
  norms: number[];
}

/** The represented features of a two-dimensional model, sorted by direction, with the gaps between neighbours. */
export function polygon(W: Matrix, threshold = REPRESENTED_NORM): Polygon {
  const M = fromRows("W", W);
  if (M.rows !== 2) throw new RangeError(`polygon needs a model with 2 hidden units, got W with ${M.rows} rows`);
  const norms = featureNorms(W);
  const rep = representedFeatures(W, threshold);
  const angle = (i: number) => ((Math.atan2(M.data[i * 2 + 1]!, M.data[i * 2]!) * 180) / Math.PI + 360) % 360;
  const order = rep.slice().sort((a, b) => angle(a) - angle(b));
  const anglesDeg = order.map(angle);
  const gapsDeg = anglesDeg.map((a, k) => (k + 1 < anglesDeg.length ? anglesDeg[k + 1]! - a : 360 - a + anglesDeg[0]!));
  return { order, anglesDeg, gapsDeg, norms: order.map((i) => norms[i]!) };
}
