// How close a learned basis is to the true one. Columns are compared by
// direction only: a feature's length is not identifiable from its direction
// (s and A_i trade scale freely).
import { checkMatrix, column, type Matrix } from "./linalg";
import { col, fromRows, type Mat } from "./matrix";
import { declareOptions } from "./options";

export interface BasisError {
  /** Mean over true columns of the angle to its matched learned column, degrees. */
  meanAngleDeg: number;
  /** Largest matched angle, degrees. */
  maxAngleDeg: number;
  /** assignment[j] = index of the learned column matched to true column j. */
  assignment: number[];
  /** Matched angle of each true column, degrees. */
  anglesDeg: number[];
  /**
   * Mean max cosine similarity: the mean over true columns of the largest
   * |cos| with any learned column (1 is perfect; no matching constraint).
   */
  mmcs: number;
}

export interface BasisErrorOptions {
  /**
   * Treat A_i and −A_i as the same feature (signed sources, Laplace prior).
   * Default false: with non-negative sources a flipped column is a different
   * feature, so angles run from 0° to 180°.
   */
  ignoreSign?: boolean;
}

export const BASIS_ERROR_OPTIONS = declareOptions<BasisErrorOptions>("basisError", {
  ignoreSign: { kind: "boolean", default: false, doc: "treat A_i and −A_i as one feature (signed sources); angles then run 0°–90°" },
});

/**
 * Squared norms in this range square and multiply without overflow or
 * underflow (their product stays within [1e-300, 1e300]).
 */
const SAFE_SQUARE = 1e150;

/** cos of the angle between two columns of equal length; 0 if either is zero. */
function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let r = 0; r < a.length; r++) {
    const x = a[r]!;
    const y = b[r]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  // The common case keeps its bits; a column so long or so short that its
  // square norm leaves the safe range goes through scaledCosine.
  const safe = (v: number) => v >= 1 / SAFE_SQUARE && v <= SAFE_SQUARE;
  if (!safe(na) || !safe(nb)) return scaledCosine(a, b);
  return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
}

/**
 * cosine for columns of any scale: each divided by its largest |entry|
 * first (the angle does not depend on length), so no square overflows
 * (‖cA‖ was Infinity for c ≥ 1e155) or underflows.
 */
function scaledCosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ma = 0;
  let mb = 0;
  for (let r = 0; r < a.length; r++) {
    ma = Math.max(ma, Math.abs(a[r]!));
    mb = Math.max(mb, Math.abs(b[r]!));
  }
  if (ma === 0 || mb === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let r = 0; r < a.length; r++) {
    const x = a[r]! / ma;
    const y = b[r]! / mb;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
}

/**
 * Hungarian-matched angle error between learned columns A (m×k) and true
 * columns Atrue (m×n), k ≥ n: each true column gets a distinct learned column
 * so that the sum of angles is least. Extra learned columns stay unmatched.
 * A zero column counts as 90° from everything.
 */
export function basisError(A: Matrix, Atrue: Matrix, opts: BasisErrorOptions = {}): BasisError {
  const Am = fromRows("A", A);
  const Tm = fromRows("Atrue", Atrue, { rows: Am.rows });
  if (Am.cols < Tm.cols) {
    throw new RangeError(`A must have at least as many columns as Atrue (${Tm.cols}), got ${Am.cols}`);
  }
  const { ignoreSign } = BASIS_ERROR_OPTIONS.parse(opts);
  return basisErrorOf(Am, Tm, ignoreSign ?? false);
}

/**
 * basisError for checked Mat inputs (A has at least Atrue's columns): the
 * learning loop's per-step score, without a conversion.
 */
export function basisErrorOf(A: Mat, Atrue: Mat, ignoreSign = false): BasisError {
  const k = A.cols;
  const n = Atrue.cols;
  const cost: number[][] = [];
  let mmcs = 0;
  for (let j = 0; j < n; j++) {
    const row: number[] = [];
    let bestCos = 0;
    for (let i = 0; i < k; i++) {
      const c = cosine(col(A, i), col(Atrue, j));
      bestCos = Math.max(bestCos, Math.abs(c));
      row.push((Math.acos(ignoreSign ? Math.abs(c) : c) * 180) / Math.PI);
    }
    mmcs += bestCos / n;
    cost.push(row);
  }
  const assignment = hungarian(cost);
  const anglesDeg = assignment.map((i, j) => cost[j]![i]!);
  return {
    meanAngleDeg: anglesDeg.reduce((s, v) => s + v, 0) / n,
    maxAngleDeg: Math.max(...anglesDeg),
    assignment,
    anglesDeg,
    mmcs,
  };
}

/**
 * Minimum-cost assignment of rows to distinct columns for an r×c cost matrix
 * with r ≤ c (Kuhn–Munkres with potentials, O(r²c)). Returns the column of
 * each row.
 */
export function hungarian(cost: number[][]): number[] {
  const r = cost.length;
  const c = r === 0 ? 0 : cost[0]!.length;
  if (r > c) throw new RangeError(`hungarian needs rows ≤ columns, got ${r}×${c}`);
  const INF = Number.POSITIVE_INFINITY;
  const u = new Float64Array(r + 1);
  const v = new Float64Array(c + 1);
  const match = new Int32Array(c + 1); // match[col] = row (1-based), 0 = free
  const way = new Int32Array(c + 1);
  for (let row = 1; row <= r; row++) {
    match[0] = row;
    let col0 = 0;
    const minv = new Float64Array(c + 1).fill(INF);
    const used = new Uint8Array(c + 1);
    do {
      used[col0] = 1;
      const row0 = match[col0]!;
      let delta = INF;
      let col1 = 0;
      for (let col = 1; col <= c; col++) {
        if (used[col]) continue;
        const cur = cost[row0 - 1]![col - 1]! - u[row0]! - v[col]!;
        if (cur < minv[col]!) {
          minv[col] = cur;
          way[col] = col0;
        }
        if (minv[col]! < delta) {
          delta = minv[col]!;
          col1 = col;
        }
      }
      for (let col = 0; col <= c; col++) {
        if (used[col]) {
          u[match[col]!] += delta;
          v[col] -= delta;
        } else {
          minv[col] -= delta;
        }
      }
      col0 = col1;
    } while (match[col0] !== 0);
    do {
      const col1 = way[col0]!;
      match[col0] = match[col1]!;
      col0 = col1;
    } while (col0 !== 0);
  }
  const out = new Array<number>(r).fill(-1);
  for (let col = 1; col <= c; col++) if (match[col]! > 0) out[match[col]! - 1] = col - 1;
  return out;
}

/**
 * Fraction of the points (columns of a 2×p X) whose direction lies within
 * halfWidthDeg of any of the given directions (degrees). Points at the
 * origin have no direction and are left out of numerator and denominator.
 */
export function angularFraction(X: Matrix, directionsDeg: number[], halfWidthDeg: number): number {
  const { cols: p } = checkMatrix("X", X, { rows: 2 });
  if (!(halfWidthDeg > 0 && halfWidthDeg <= 180)) {
    throw new RangeError(`halfWidthDeg must be in (0, 180], got ${String(halfWidthDeg)}`);
  }
  let inside = 0;
  let counted = 0;
  for (let j = 0; j < p; j++) {
    const x = X[0]![j]!;
    const y = X[1]![j]!;
    if (x === 0 && y === 0) continue;
    counted++;
    const phi = (Math.atan2(y, x) * 180) / Math.PI;
    for (const d of directionsDeg) {
      const diff = Math.abs(((phi - d + 540) % 360) - 180);
      if (diff <= halfWidthDeg) {
        inside++;
        break;
      }
    }
  }
  return counted === 0 ? 0 : inside / counted;
}

export interface ColumnRole {
  /** Index of the learned column. */
  column: number;
  /**
   * 'feature': nearest to a true column; 'mixture': nearest to the sum of two
   * true columns (a direction where both fire together); 'other': neither
   * within the tolerance, or a zero column.
   */
  kind: "feature" | "mixture" | "other";
  /** The true column(s) it is nearest to: [i] for a feature, [i, j] for a mixture. */
  target: number[];
  /** Angle to that direction, degrees. */
  angleDeg: number;
}

/**
 * What each column of an over-provisioned A stands for (blog E6.3): a true
 * feature, a two-feature mixture A_i + A_j, or neither. Two or more
 * 'feature' columns on one target are a split feature.
 */
export function columnRoles(A: Matrix, Atrue: Matrix, toleranceDeg = 15): ColumnRole[] {
  const { rows: m, cols: k } = checkMatrix("A", A);
  const { cols: n } = checkMatrix("Atrue", Atrue, { rows: m });
  if (!(toleranceDeg > 0 && toleranceDeg <= 180)) {
    throw new RangeError(`toleranceDeg must be in (0, 180], got ${String(toleranceDeg)}`);
  }
  const targets: { kind: "feature" | "mixture"; target: number[]; dir: Matrix }[] = [];
  for (let i = 0; i < n; i++) targets.push({ kind: "feature", target: [i], dir: Atrue.map((r) => [r[i]!]) });
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) targets.push({ kind: "mixture", target: [i, j], dir: Atrue.map((r) => [r[i]! + r[j]!]) });
  }
  const out: ColumnRole[] = [];
  for (let c = 0; c < k; c++) {
    let best: ColumnRole = { column: c, kind: "other", target: [], angleDeg: Infinity };
    const len = Math.hypot(...A.map((r) => r[c]!));
    if (len > 0) {
      for (const t of targets) {
        if (Math.hypot(...t.dir.map((r) => r[0]!)) === 0) continue;
        const angle = (Math.acos(cosine(column(A, c), column(t.dir, 0))) * 180) / Math.PI;
        if (angle < best.angleDeg) best = { column: c, kind: t.kind, target: t.target, angleDeg: angle };
      }
      if (best.angleDeg > toleranceDeg) best = { ...best, kind: "other" };
    }
    out.push(best);
  }
  return out;
}
