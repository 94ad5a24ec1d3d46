// Diagnostics of the learning rule (blog E4–E6): how a run ended, how far the
// truth is from a fixed point of eq. 5, how the update turns and stretches each
// column, the rule's Jacobian, and the true likelihood gradient it should be
// compared with.
import { declareOptions, requirePositive } from "../options";
import { checkMatrix, type Matrix } from "../linalg";
import { fromRows, toRows, type Mat } from "../matrix";
import { MODEL_OPTIONS, RETIRED_NON_NEGATIVE, type Model } from "../model";
import { solveMap } from "../inference/solve";
import { ruleTermsMat } from "./rule";
import type { LearnResult } from "./learner";
import type { Precondition } from "./options";

export type Outcome = "converged" | "diverged" | "dead feature" | "not converged";

/**
 * One word for how a run ended: 'diverged' if it stopped early, 'dead
 * feature' if a column was unused at the end, 'converged' if the final angle
 * error is below toleranceDeg, else 'not converged'. Needs trueBasis for the
 * last two.
 */
export function runOutcome(r: LearnResult, toleranceDeg = 3): Outcome {
  if (r.diverged) return "diverged";
  const last = r.history[r.history.length - 1]!;
  if (last.deadFeatures > 0) return "dead feature";
  if (last.angleError === null) throw new RangeError("runOutcome needs a run with trueBasis");
  return last.angleError < toleranceDeg ? "converged" : "not converged";
}

export interface BiasOptions extends Partial<Model> {
  /** Precondition the returned update dA (and so radial, tangential and rotationDeg) as learnBasis would. Default 'none'. */
  precondition?: Precondition;
}

const preconditionSpec = { kind: "enum", values: ["none", "inverse-AAT"], default: "none", doc: "precondition the update dA (and so its radial and tangential parts and rotationDeg) as learnBasis would" } as const;

export const BIAS_OPTIONS = declareOptions<BiasOptions>("fixedPointBias", {
  ...MODEL_OPTIONS.schema,
  precondition: preconditionSpec,
}, RETIRED_NON_NEGATIVE);

export interface JacobianOptions extends BiasOptions {
  /** Central-difference step. Default 1e-6. */
  h?: number;
}

export const JACOBIAN_OPTIONS = declareOptions<JacobianOptions>("ruleJacobian", {
  ...BIAS_OPTIONS.schema,
  precondition: { ...preconditionSpec, doc: "precondition the update as learnBasis would" },
  h: { kind: "number", above: 0, default: 1e-6, doc: "central-difference step on each entry of A" },
}, RETIRED_NON_NEGATIVE);

export interface FixedPointBias {
  /** The factor c with mean |ŝ| = b at A = c·A_true. */
  scale: number;
  /** ⟨z ŝᵀ⟩ + I at c·A_true: zero everywhere at a true fixed point of the rule. */
  bias: Matrix;
  /** The update ΔA = −cA_true·bias there ((AAᵀ)⁻¹-preconditioned if asked). */
  dA: Matrix;
  /**
   * For m = 2: how fast ΔA turns each column there, degrees per unit
   * learning rate, counter-clockwise positive. Equalised norms remove the
   * radial part of the update, so with them the truth is a fixed point only
   * if every entry is 0. Empty for m ≠ 2.
   */
  rotationDeg: number[];
  /**
   * Each column's update ΔA_i along the unit vector of the column of
   * c·A_true (+ lengthens it), per unit learning rate. With ΔA = −kA this is
   * −k|cA_i|.
   */
  radial: number[];
  /**
   * For m = 2: ΔA_i along that unit vector turned 90° counter-clockwise
   * (+ turns the column counter-clockwise). Divided by |cA_i| it is
   * rotationDeg in radians. Empty for m ≠ 2.
   */
  tangential: number[];
  /** Mean |ŝ| per column at c·A_true. */
  meanAbsS: number[];
  /**
   * For any m: how fast ΔA turns each column, degrees per unit learning
   * rate, whatever the direction (turnSpeeds); for m = 2 it is
   * |rotationDeg|.
   */
  turnDeg: number[];
}

export interface ColumnParts {
  /** ΔA_i · A_i/|A_i|: + lengthens the column. */
  radial: number[];
  /** For m = 2: ΔA_i along A_i/|A_i| turned 90° counter-clockwise; empty for m ≠ 2. */
  tangential: number[];
}

/**
 * Splits each column of an update dA into its part along the column of A
 * (radial: it changes the length) and, for m = 2, its signed part across it
 * (tangential: it turns the column, + counter-clockwise). A zero column has
 * neither. Equalised norms undo the radial part (blog E6).
 */
export function columnParts(A: Matrix, dA: Matrix): ColumnParts {
  const { rows: m, cols: n } = checkMatrix("A", A);
  checkMatrix("dA", dA, { rows: m, cols: n });
  const radial: number[] = [];
  const tangential: number[] = [];
  for (let i = 0; i < n; i++) {
    // Divide by the largest entry first, so that the length of a very long
    // or very short column stays within the doubles.
    const big = Math.max(...A.map((row) => Math.abs(row[i]!)));
    const u = A.map((row) => (big === 0 ? 0 : row[i]! / big));
    const len = big === 0 ? 1 : Math.hypot(...u);
    radial.push(u.reduce((s, v, r) => s + v * dA[r]![i]!, 0) / len);
    if (m === 2) tangential.push((u[0]! * dA[1]![i]! - u[1]! * dA[0]![i]!) / len);
  }
  return { radial, tangential };
}

/**
 * For any m: how fast an update dA turns each column of A, in degrees per
 * unit learning rate, whatever the direction: the length of dA_i's part
 * across A_i over |A_i| (the rate at which the angle of A_i + α dA_i moves
 * as α leaves 0). A zero column does not turn. Equalised norms undo the
 * rest of the update (blog E6).
 */
export function turnSpeeds(A: Matrix, dA: Matrix): number[] {
  const { rows: m, cols: n } = checkMatrix("A", A);
  checkMatrix("dA", dA, { rows: m, cols: n });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    // Scaled by the largest entry first, as columnParts does.
    const big = Math.max(...A.map((row) => Math.abs(row[i]!)));
    if (big === 0) {
      out.push(0);
      continue;
    }
    const u = A.map((row) => row[i]! / big);
    const len = Math.hypot(...u);
    const along = u.reduce((t, v, r) => t + v * dA[r]![i]!, 0) / (len * len);
    const across = Math.hypot(...dA.map((row, r) => row[i]! - along * u[r]!));
    out.push(((across / (len * big)) * 180) / Math.PI);
  }
  return out;
}

/**
 * For m = 2: how fast an update dA turns each column of A, in degrees per
 * unit learning rate (counter-clockwise positive). With equalised norms only
 * this part of the update moves the columns; the radial part is undone.
 */
export function turnRates(A: Matrix, dA: Matrix): number[] {
  const { cols: n } = checkMatrix("A", A, { rows: 2 });
  checkMatrix("dA", dA, { rows: 2, cols: n });
  return A[0]!.map((x, i) => {
    const y = A[1]![i]!;
    if (x === 0 && y === 0) return 0;
    const len2 = x * x + y * y;
    if (len2 > 1e-300 && len2 < 1e300) return (((x * dA[1]![i]! - y * dA[0]![i]!) / len2) * 180) / Math.PI;
    // A column so long or so short that its squared length leaves the
    // doubles: divide by its largest entry first (the rate scales as 1/|A_i|).
    const c = Math.max(Math.abs(x), Math.abs(y));
    const u = x / c, v = y / c;
    return ((((u * dA[1]![i]! - v * dA[0]![i]!) / c) / (u * u + v * v)) * 180) / Math.PI;
  });
}

function modelOf(o: BiasOptions): Model {
  return { prior: o.prior!, sigma: o.sigma!, b: o.b! };
}

/** c·A as a new matrix. */
function scaled(A: Mat, c: number): Mat {
  const data = new Float64Array(A.data.length);
  for (let i = 0; i < data.length; i++) data[i] = A.data[i]! * c;
  return { rows: A.rows, cols: A.cols, data };
}

/**
 * How far A_true is from being a fixed point of eq. 5 (blog E4). The rule
 * cannot fix the lengths of the columns, so we first rescale A_true so that
 * the mean |ŝ| equals the prior's b (which zeroes the diagonal on average)
 * and then read off E[z ŝᵀ] + I. What is left is a bias of the rule itself.
 */
export function fixedPointBias(trueBasis: Matrix, X: Matrix, opts: BiasOptions = {}): FixedPointBias {
  const o = BIAS_OPTIONS.parse(opts);
  const model = modelOf(o);
  const b = model.b;
  const At = fromRows("trueBasis", trueBasis);
  const Xm = fromRows("X", X, { rows: At.rows });
  const at = (c: number) => {
    const A = scaled(At, c);
    const S = solveMap(A, Xm, model, { certify: false }).S;
    const per = meanAbs(S);
    return { A, S, per, mean: per.reduce((s, v) => s + v, 0) / per.length };
  };
  // Mean |ŝ| falls as c grows, except that a tiny basis explains nothing
  // (ŝ = 0 below the soft threshold); walk down from a long basis to the
  // first scale with mean |ŝ| > b, then bisect on log c.
  let hi = 1e3;
  let lo = hi;
  while (at(lo).mean <= b) {
    hi = lo;
    lo /= 1.5;
    if (lo < 1e-4) throw new RangeError(`no scale of trueBasis in [1e-4, 1e3] gives mean |ŝ| = b = ${b}`);
  }
  for (let k = 0; k < 50; k++) {
    const mid = Math.sqrt(lo * hi);
    if (at(mid).mean > b) lo = mid;
    else hi = mid;
  }
  const c = Math.sqrt(lo * hi);
  const r = at(c);
  const t = ruleTermsMat(r.A, r.S, b, o.precondition!);
  const A = toRows(r.A);
  const dA = toRows(t.dA);
  return {
    scale: c,
    bias: toRows(t.zsT).map((row, i) => row.map((v, k) => v + (i === k ? 1 : 0))),
    dA,
    meanAbsS: r.per,
    rotationDeg: A.length !== 2 ? [] : turnRates(A, dA),
    turnDeg: turnSpeeds(A, dA),
    ...columnParts(A, dA),
  };
}

/** Mean |ŝ_i| over the points, per source (row of S). */
function meanAbs(S: Mat): number[] {
  const { rows: n, cols: p, data } = S;
  return Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < p; j++) s += Math.abs(data[j * n + i]!);
    return s / p;
  });
}

/**
 * The Jacobian of the mean update A ↦ ΔA(A) (with ŝ re-inferred) by central
 * differences, as an (mn)×(mn) matrix over A's entries in row-major order.
 * At a fixed point, an eigenvalue with positive real part is a direction
 * that the rule amplifies: the fixed point repels.
 */
export function ruleJacobian(A: Matrix, X: Matrix, opts: JacobianOptions = {}): Matrix {
  const Am = fromRows("A", A);
  const Xm = fromRows("X", X, { rows: Am.rows });
  const o = JACOBIAN_OPTIONS.parse(opts);
  const model = modelOf(o);
  const h = o.h!;
  const m = Am.rows, n = Am.cols;
  // ΔA(B) flattened in row-major order, as the rows of J are.
  const F = (B: Mat): Float64Array => {
    const dA = ruleTermsMat(B, solveMap(B, Xm, model, { certify: false }).S, model.b, o.precondition!).dA.data;
    const flat = new Float64Array(m * n);
    for (let r = 0; r < m; r++) for (let c = 0; c < n; c++) flat[r * n + c] = dA[c * m + r]!;
    return flat;
  };
  const J: Matrix = Array.from({ length: m * n }, () => new Array<number>(m * n).fill(0));
  for (let q = 0; q < m * n; q++) {
    const at = (q % n) * m + Math.floor(q / n);
    const plus: Mat = { rows: m, cols: n, data: Am.data.slice() };
    const minus: Mat = { rows: m, cols: n, data: Am.data.slice() };
    plus.data[at] = plus.data[at]! + h;
    minus.data[at] = minus.data[at]! - h;
    const fp = F(plus);
    const fm = F(minus);
    for (let k = 0; k < m * n; k++) J[k]![q] = (fp[k]! - fm[k]!) / (2 * h);
  }
  return J;
}

/**
 * ⟨(x − Aŝ) ŝᵀ⟩/σ²: the gradient in A of −L(ŝ) = log P(ŝ) + log P(x|A,ŝ)
 * at the MAP sources (by the envelope theorem, ŝ's own change does not
 * count). Eq. 5 replaces the residual x − Aŝ by its projection onto the
 * active columns (the KKT conditions fix only that part), so a column used
 * alone by a point gets no signal to turn towards it (blog E4).
 */
export function reconstructionGradient(A: Matrix, X: Matrix, S: Matrix, sigma: number): Matrix {
  const { rows: m, cols: n } = checkMatrix("A", A);
  const { cols: p } = checkMatrix("X", X, { rows: m });
  checkMatrix("S", S, { rows: n, cols: p });
  requirePositive("sigma", sigma);
  const G: Matrix = Array.from({ length: m }, () => new Array<number>(n).fill(0));
  const w = 1 / (sigma * sigma * p);
  for (let j = 0; j < p; j++) {
    for (let r = 0; r < m; r++) {
      let res = X[r]![j]!;
      for (let i = 0; i < n; i++) res -= A[r]![i]! * S[i]![j]!;
      for (let i = 0; i < n; i++) G[r]![i] = G[r]![i]! + w * res * S[i]![j]!;
    }
  }
  return G;
}
