// Stability of the rule (eq. 5) along the ray c·A_true, split by the way a
// perturbation moves each column: turning it (tangential) or stretching it
// (radial). J = ∂ΔA/∂A of the ascent step A ← A + αΔA, so an eigenvalue μ
// with Re μ > 0 is a perturbation that grows like (1 + αμ)^t: positive means
// unstable, throughout this file.
//
// The mean update jumps by O(1/p) wherever a point's support changes (z_i ŝ_k
// appears at once when ŝ_i leaves 0), so it has no Jacobian at the jumps. A
// difference step h much smaller than their spacing measures the derivative
// between them and omits the boundary term (density of points on a support
// boundary × the jump). The expected update is smooth; a step wide enough to
// span many jumps estimates its Jacobian, boundary term included, and only
// that step linearises the rule as it behaves (notebook 03 sweeps h).
import { declareOptions } from "../options";
import { checkMatrix, eigenvalues, type Matrix } from "../linalg";
import { fromRows, type Mat } from "../matrix";
import { MODEL_OPTIONS, RETIRED_NON_NEGATIVE, type Model } from "../model";
import { solveMap } from "../inference/solve";
import { ruleTermsMat } from "./rule";
import { ruleJacobian } from "./diagnostics";
import { learnBasis } from "./learner";

export type Eigenvalue = { re: number; im: number };

export interface SplitJacobian {
  /** Eigenvalues of T = Pᵀ J P, P the 2n×n block of unit vectors perpendicular to each column; largest real part first. */
  rotational: Eigenvalue[];
  /** Eigenvalues of R = Uᵀ J U, U the block of unit vectors along each column; largest real part first. */
  radial: Eigenvalue[];
  /** Eigenvalues of the whole J, turning and stretching together; largest real part first. Empty when the QR iteration of eigenvalues() does not converge on J. */
  all: Eigenvalue[];
  /** T itself (n×n): entry (k, i) is how column k's turning rate, times its length, answers a unit turn of column i. */
  T: Matrix;
  /** R itself (n×n). */
  R: Matrix;
}

/**
 * Split J (as ruleJacobian returns it: (2n)×(2n) over A's entries in
 * row-major order) into its rotation-only and length-only parts at A (2×n).
 */
export function splitJacobian(J: Matrix, A: Matrix): SplitJacobian {
  const { cols: n } = checkMatrix("A", A, { rows: 2 });
  checkMatrix("J", J, { rows: 2 * n, cols: 2 * n });
  const along: number[][] = [], across: number[][] = [];
  for (let i = 0; i < n; i++) {
    const x = A[0]![i]!, y = A[1]![i]!, len = Math.hypot(x, y);
    if (!(len > 0) || !Number.isFinite(len)) throw new RangeError(`A's column ${i + 1} has length ${len}; it needs a direction`);
    along.push([x / len, y / len]);
    across.push([-y / len, x / len]);
  }
  // Qᵀ J Q with Q's column i nonzero only at entries (0, i) and (1, i),
  // which sit at rows i and n + i of the row-major flattening.
  const project = (Q: number[][]): Matrix => Array.from({ length: n }, (_, k) => Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) s += Q[k]![a]! * J[a * n + k]![b * n + i]! * Q[i]![b]!;
    return s;
  }));
  const T = project(across), R = project(along);
  let all: Eigenvalue[] = [];
  try {
    all = eigenvalues(J);
  } catch {
    // The QR iteration may give up on a non-symmetric J; T and R are what the callers need.
  }
  return { rotational: eigenvalues(T), radial: eigenvalues(R), all, T, R };
}

export interface RayOptions extends Partial<Model> {
  /**
   * Central-difference step, in units of the column length c (h = hRel·c).
   * Default 0.01: on a finite sample the mean update jumps wherever a source
   * enters or leaves a point's support, so a tiny step (1e-6) measures only
   * the slope between jumps and misses how the rule responds to a real turn
   * (notebook 03); a step of about 0.01·c spans many jumps.
   */
  hRel?: number;
}

export const RAY_OPTIONS = declareOptions<RayOptions>("rayStability", {
  ...MODEL_OPTIONS.schema,
  hRel: { kind: "number", above: 0, default: 0.01, doc: "central-difference step in units of the column length c; 0.01 spans the jumps of the mean update on a finite sample (a tiny step measures only the slope between them: notebook 03)" },
}, RETIRED_NON_NEGATIVE);

export const REST_OPTIONS = declareOptions<Partial<Model>>("restLength", MODEL_OPTIONS.schema, RETIRED_NON_NEGATIVE);

/** The split Jacobian of the rule at c·A_true for each c of cs (2×n A_true). */
export function rayStability(trueBasis: Matrix, X: Matrix, cs: number[], opts: RayOptions = {}): (SplitJacobian & { c: number })[] {
  checkMatrix("trueBasis", trueBasis, { rows: 2 });
  const o = RAY_OPTIONS.parse(opts);
  cs.forEach((c) => {
    if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`cs must hold positive finite lengths, got ${c}`);
  });
  const model = { prior: o.prior!, sigma: o.sigma!, b: o.b! };
  return cs.map((c) => {
    const A = trueBasis.map((row) => row.map((v) => v * c));
    return { c, ...splitJacobian(ruleJacobian(A, X, { ...model, h: o.hRel! * c }), A) };
  });
}

/**
 * The mean over columns of the radial part of ΔA at c·A_true, per unit length:
 * Σ_i u_iᵀ ΔA_i / (n c), u_i the unit vector along column i. Negative: the
 * rule shortens the columns there.
 */
export function radialUpdate(trueBasis: Matrix, X: Matrix, c: number, opts: Partial<Model> = {}): number {
  const { At, Xm, model } = rayInputs(trueBasis, X, opts);
  return radialUpdateMat(At, Xm, c, model);
}

/** The checked inputs of radialUpdate and restLength. */
function rayInputs(trueBasis: Matrix, X: Matrix, opts: Partial<Model>): { At: Mat; Xm: Mat; model: Model } {
  const At = fromRows("trueBasis", trueBasis);
  if (At.rows !== 2) throw new RangeError(`trueBasis must have 2 rows, got ${At.rows}`);
  return { At, Xm: fromRows("X", X, { rows: 2 }), model: REST_OPTIONS.parse(opts) as Model };
}

/** radialUpdate on checked Mat values (restLength calls it ~75 times on the same data). */
function radialUpdateMat(At: Mat, Xm: Mat, c: number, model: Model): number {
  const A: Mat = { rows: 2, cols: At.cols, data: At.data.map((v) => v * c) };
  const dA = ruleTermsMat(A, solveMap(A, Xm, model, { certify: false }).S, model.b, "none").dA.data;
  let s = 0;
  for (let i = 0; i < A.cols; i++) {
    const x = A.data[2 * i]!, y = A.data[2 * i + 1]!;
    s += (x * dA[2 * i]! + y * dA[2 * i + 1]!) / Math.hypot(x, y);
  }
  return s / (A.cols * c);
}

/**
 * The rest length c* of the rule on the ray c·A_true: where radialUpdate
 * changes sign from lengthening (short columns) to shortening (long ones),
 * by bisection on log c within [lo, hi]. null when the rule shortens the
 * columns at every length of [lo, hi] (a large σ²/b: they collapse).
 */
export function restLength(trueBasis: Matrix, X: Matrix, opts: Partial<Model> = {}, lo = 1e-3, hi = 1e3): number | null {
  const { At, Xm, model } = rayInputs(trueBasis, X, opts);
  const f = (c: number) => radialUpdateMat(At, Xm, c, model);
  if (!(f(hi) < 0)) throw new RangeError(`restLength: the rule does not shorten the columns at c = ${hi}`);
  // Below the soft threshold nothing is used and ΔA = −A: walk up to the
  // first length that the rule lengthens.
  let a = lo;
  while (!(f(a) > 0)) {
    a *= 1.5;
    if (a >= hi) return null;
  }
  let b = hi;
  for (let k = 0; k < 60; k++) {
    const mid = Math.sqrt(a * b);
    if (f(mid) > 0) a = mid;
    else b = mid;
  }
  return Math.sqrt(a * b);
}

/**
 * The first c of the grid (increasing) at which y changes sign, by linear
 * interpolation between the two grid points around it; null if y keeps one
 * sign. For the largest rotational eigenvalue against c.
 */
export function signChange(cs: number[], y: number[]): number | null {
  if (cs.length !== y.length) throw new RangeError(`cs and y must have the same length, got ${cs.length} and ${y.length}`);
  for (let k = 1; k < cs.length; k++) {
    if (!(cs[k]! > cs[k - 1]!)) throw new RangeError(`cs must increase, got ${cs[k - 1]} then ${cs[k]}`);
  }
  for (let k = 1; k < cs.length; k++) {
    const a = y[k - 1]!, b = y[k]!;
    if (a === 0) return cs[k - 1]!;
    if ((a < 0) !== (b < 0) || b === 0) return cs[k - 1]! + (cs[k]! - cs[k - 1]!) * (a / (a - b));
  }
  return null;
}

export interface RaySummary {
  /** The rest length (restLength), or null when the columns shrink at every length. */
  cStar: number | null;
  /** The largest real part of the rotational eigenvalues at each c of the grid, for each step. */
  topRotational: { small: number[]; finite: number[] };
  /** Where topRotational changes sign on the grid (signChange), for each step; null if it keeps one sign. */
  crossing: { small: number | null; finite: number | null };
  /** At c* (null without one): the split Jacobian for each step. */
  atRest: { small: SplitJacobian; finite: SplitJacobian } | null;
}

/**
 * rayStability at both difference steps over the grid cs, the rest length and
 * the split Jacobian there: what notebook 03 tabulates for each σ and data seed.
 */
export function raySummary(trueBasis: Matrix, X: Matrix, cs: number[], opts: Partial<Model> & { hSmall: number; hFinite: number }): RaySummary {
  const { hSmall, hFinite, ...model } = opts;
  const top = (hRel: number) => rayStability(trueBasis, X, cs, { ...model, hRel }).map((s) => s.rotational[0]!.re);
  const small = top(hSmall), finite = top(hFinite);
  const cStar = restLength(trueBasis, X, model);
  const at = (hRel: number) => rayStability(trueBasis, X, [cStar!], { ...model, hRel })[0]!;
  return {
    cStar, topRotational: { small, finite }, crossing: { small: signChange(cs, small), finite: signChange(cs, finite) },
    atRest: cStar === null ? null : { small: at(hSmall), finite: at(hFinite) },
  };
}

/** c·A_true (2×n) with column i turned by deg[i] degrees (a missing entry: no turn). */
export function turnedRay(trueBasis: Matrix, c: number, deg: number[]): Matrix {
  const { cols: n } = checkMatrix("trueBasis", trueBasis, { rows: 2 });
  if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`c must be a positive finite length, got ${c}`);
  if (deg.length > n || !deg.every(Number.isFinite)) throw new RangeError(`deg must hold at most ${n} finite angles, got [${deg.join(", ")}]`);
  const col = Array.from({ length: n }, (_, i) => {
    const x = trueBasis[0]![i]!, y = trueBasis[1]![i]!;
    const t = Math.atan2(y, x) + ((deg[i] ?? 0) * Math.PI) / 180, len = c * Math.hypot(x, y);
    return [len * Math.cos(t), len * Math.sin(t)];
  });
  return [col.map((v) => v[0]!), col.map((v) => v[1]!)];
}

/** The signed angle (degrees, in [−180, 180)) from each column of trueBasis to the same column of A. */
export function turnOffsets(A: Matrix, trueBasis: Matrix): number[] {
  const { cols: n } = checkMatrix("trueBasis", trueBasis, { rows: 2 });
  checkMatrix("A", A, { rows: 2, cols: n });
  return A[0]!.map((x, i) => {
    const d = ((Math.atan2(A[1]![i]!, x) - Math.atan2(trueBasis[1]![i]!, trueBasis[0]![i]!)) * 180) / Math.PI;
    return ((d + 540) % 360) - 180;
  });
}

/**
 * (I + αT)^steps θ: the turns left after `steps` ascent steps of size α from
 * the turns θ, if the rule were linear with turning part T. On the ray every
 * column has the same length, so T maps turns to turning rates directly.
 */
export function predictTurns(T: Matrix, theta: number[], lr: number, steps: number): number[] {
  const { cols: n } = checkMatrix("T", T, { rows: theta.length });
  if (n !== theta.length) throw new RangeError(`T must be ${theta.length}×${theta.length}, got ${theta.length}×${n}`);
  if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`lr must be positive and finite, got ${lr}`);
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be a whole number ≥ 0, got ${steps}`);
  let v = [...theta];
  for (let t = 0; t < steps; t++) v = v.map((x, k) => x + lr * T[k]!.reduce((s, tki, i) => s + tki * v[i]!, 0));
  return v;
}

export interface TurnRun {
  /** The factor the turns were scaled by (0: the control, no turn). */
  scale: number;
  /** Each column's turn at the start and after the run (degrees). */
  start: number[];
  end: number[];
  /** end minus the control run's end: the turn the rule kept, with the drift it makes anyway taken out. */
  net: number[];
  /** max |net| over max |start| (NaN for the control). */
  factor: number;
  /** The same factor from predictTurns with the given T (NaN for the control or without T). */
  predicted: number;
}

export interface TurnResponseOptions extends Partial<Model> {
  lr: number;
  steps: number;
  /** The turning part of J at c·A_true, for the predicted factors. */
  T?: Matrix;
}

/**
 * Turn the columns of c·A_true by scale·turnDeg for each scale, run the rule,
 * and measure what is left of the turn beside a control run from c·A_true
 * itself (scale 0, always run first).
 */
export function turnResponse(trueBasis: Matrix, X: Matrix, c: number, turnDeg: number[], scales: number[], opts: TurnResponseOptions): TurnRun[] {
  const { lr, steps, T, ...model } = opts;
  scales.forEach((s) => {
    if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`scales must hold positive finite factors, got ${s}`);
  });
  const maxAbs = (v: number[]) => Math.max(...v.map(Math.abs));
  const run = (scale: number) => {
    const init = turnedRay(trueBasis, c, turnDeg.map((v) => v * scale));
    const r = learnBasis(X, { ...model, init: init, lr: lr, steps: steps, trueBasis: trueBasis });
    return { start: turnOffsets(init, trueBasis), end: turnOffsets(r.A, trueBasis) };
  };
  const control = run(0);
  return [{ scale: 0, ...control, net: control.end.map(() => 0), factor: NaN, predicted: NaN },
    ...scales.map((scale) => {
      const r = run(scale), net = r.end.map((v, i) => v - control.end[i]!);
      const predicted = T === undefined ? NaN : maxAbs(predictTurns(T, r.start, lr, steps)) / maxAbs(r.start);
      return { scale: scale, ...r, net: net, factor: maxAbs(net) / maxAbs(r.start), predicted: predicted };
    })];
}
