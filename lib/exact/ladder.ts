// The four approximation steps from the exact gradient of log P(x|A) to
// Lewicki & Sejnowski's rule, one at a time (issue #20, point 5), and the
// zero of each approximate gradient field near the true basis.
//
// Per point, with ŝ the MAP sources, S = {i : ŝ_i ≠ 0} the active set,
// r = x − Aŝ, z = ∇_s log P(ŝ) (−sign(ŝ)/b) and P_S = A_S(A_SᵀA_S)⁻¹:
//   G0  the exact ∇_A log P(x|A) (lib/exact/likelihood.ts).
//   G1  the gradient of the Laplace evidence on the active set,
//         ℓ₁ = log P(ŝ) + log N(x; Aŝ, σ²I) + (|S|/2) log 2π − ½ log det(A_SᵀA_S/σ²):
//       r ŝᵀ/σ² − [P_S on the columns of S, 0 elsewhere] (envelope theorem;
//       within one support the log-det term does not depend on ŝ). ℓ₁ jumps
//       where a point's support changes, so G1 is the mean of the piecewise
//       gradients, as the rule uses them.
//   G2  G1 without the paper's y-term, which comes from the prior's Hessian
//       changing with ŝ. Both priors have zero Hessian off the kinks, so y = 0
//       and G2 = G1 exactly (the tests check G1 against finite differences of ℓ₁).
//   G3  W for A⁻ᵀ: r/σ² replaced by −Wᵀz with Wᵀz = P_S z_S. Where |S| = 2
//       the KKT conditions make this exact; where |S| = 1 it drops the part
//       of the residual orthogonal to the active column.
//   G4  multiplying by AAᵀ. AAᵀ·G3 has the same zeros as G3 (AAᵀ is
//       invertible); the rule's zeros move only because it then takes
//       AAᵀP_S z_S ≈ A_S z_S (the z term) and AAᵀ[P_S on S] ≈ A on EVERY
//       column (the volume term), which together give −A(zŝᵀ + I). These two
//       are the same as putting the pseudo-inverse Wᵀ = (AAᵀ)⁻¹A in G3's
//       place, so step 4 is reported as four rows: the exact product, each
//       replacement alone, and both (the rule).
// Each zero is found by damped Newton (lib/exact/newton.ts). G0 starts at the
// truth; G1 at the truth rescaled onto the field's own column lengths; G3 by
// continuation from G2's zero, 4a from G3's, and 4b, 4c and the rule from 4a's (the rule's
// columns settle near a third of the truth's length). With equalNorms every
// row is solved instead with all columns at one common length, as the
// learning recipe's equalizeNorms holds them: the tangential part of each
// column's field and the summed radial part are zeroed. Under that
// constraint AAᵀ·G3's zero is no longer exactly G3's: AAᵀ mixes the radial
// and tangential parts that the constraint treats differently.
import { declareOptions } from "../options";
import { type Matrix } from "../linalg";
import { fromRows, type Mat } from "../matrix";
import { MODEL_OPTIONS, type Model } from "../model";
import { solveMap } from "../inference/solve";
import { exactLogLikelihood } from "./likelihood";
import { columnScaled, continueZero, equalNormZero, newtonZero, radialScale, scaledMat, type NewtonOptions, type NewtonResult } from "./newton";

export interface LadderOptions extends Partial<Model> {
  /** Newton iterations per field. Default 40. */
  maxIterations?: number;
  /** Stop when the largest entry of the mean field is below this. Default 1e-5. */
  tolerance?: number;
  /** Where the residual stalls above tolerance (a piecewise field), accept a zero whose Newton step turns no column by more than this, degrees. Default 0.05. */
  stepToleranceDeg?: number;
  /** Hold every column at one common length (the recipe's equalizeNorms) and find the zero of the tangential parts and the summed radial part. Default false. */
  equalNorms?: boolean;
  /** Central-difference step of the Jacobian. Default 1e-2 (a smaller step sees the jumps of the piecewise fields). */
  jacobianStep?: number;
}

export const LADDER_OPTIONS = declareOptions<LadderOptions>("approximationLadder", {
  ...MODEL_OPTIONS.schema,
  maxIterations: { kind: "integer", min: 1, default: 40, doc: "Newton iterations per field" },
  tolerance: { kind: "number", above: 0, default: 1e-5, doc: "stop when the largest entry of the mean gradient field is below this" },
  stepToleranceDeg: { kind: "number", above: 0, default: 0.05, doc: "where the residual stalls above tolerance (a piecewise field), accept a zero whose Newton step turns no column by more than this many degrees" },
  equalNorms: { kind: "boolean", default: false, doc: "hold every column at one common length (the recipe's equalizeNorms): zero the tangential part of each column's field and the sum of the radial parts" },
  jacobianStep: { kind: "number", above: 0, default: 1e-2, doc: "central-difference step of the Newton Jacobian on each entry of A" },
});

export const LADDER_FIELD_OPTIONS = declareOptions<Partial<Model>>("ladderField", MODEL_OPTIONS.schema);

/** The rows of the ladder, in order. */
export const RUNGS = [
  { step: 0, id: "exact", name: "G0: exact ∇ log P(x|A)" },
  { step: 1, id: "laplace", name: "G1: Laplace evidence on the active set" },
  { step: 2, id: "no-y", name: "G2: large-λ terms dropped (y = 0, so G2 = G1)" },
  { step: 3, id: "w-active", name: "G3: W for A⁻ᵀ (residual → −Wᵀz)" },
  { step: 4, id: "aat", name: "G4a: AAᵀ·G3, exact (G3's zeros; with equalNorms not quite)" },
  { step: 4, id: "z-term", name: "G4b: AAᵀWᵀz ≈ Az only" },
  { step: 4, id: "volume-term", name: "G4c: AAᵀ[P_S on S] ≈ A only" },
  { step: 4, id: "rule", name: "G4: both, the rule −A(zŝᵀ + I)" },
] as const;

export type RungId = (typeof RUNGS)[number]["id"];

/** The per-point sums every approximate field is made of (column-major m×n, Z n×n). */
export interface LadderSums {
  p: number;
  /** Σ r ŝᵀ/σ². */
  R: Float64Array;
  /** Σ (P_S z_S) ŝᵀ. */
  U: Float64Array;
  /** Σ [P_S on the columns of S]. */
  D: Float64Array;
  /** Σ z ŝᵀ, (i, k) = z_i ŝ_k. */
  Z: Float64Array;
  /** ℓ₁ per point. */
  perPoint: Float64Array;
  /** |S| per point. */
  support: Int32Array;
  /** The sign pattern of ŝ per point: bit i set where ŝ_i ≠ 0, bit n + i where ŝ_i < 0 (ℓ₁ is smooth in A while it stays). */
  pattern: Int32Array;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** The sums for basis A (2×n) and data X at the MAP sources. Throws if some A_S is rank-deficient. */
export function ladderSums(A: Mat, X: Mat, model: Model): LadderSums {
  const { rows: m, cols: n } = A;
  if (n > 15) throw new RangeError(`ladderSums: n = ${n} columns; the sign patterns are kept as 2n bits of an integer, so n ≤ 15`);
  const p = X.cols;
  const S = solveMap(A, X, model, { certify: false }).S.data;
  const R = new Float64Array(m * n), U = new Float64Array(m * n), D = new Float64Array(m * n), Z = new Float64Array(n * n);
  const perPoint = new Float64Array(p), support = new Int32Array(p), pattern = new Int32Array(p);
  const s2 = model.sigma * model.sigma, b = model.b;
  const logNorm = model.prior === "exponential" ? Math.log(b) : Math.log(2 * b);
  const idx = new Int32Array(n);
  const r = new Float64Array(m);
  for (let j = 0; j < p; j++) {
    let k = 0, logPrior = -n * logNorm;
    for (let i = 0; i < n; i++) {
      const v = S[j * n + i]!;
      logPrior -= Math.abs(v) / b;
      if (v !== 0) {
        idx[k++] = i;
        pattern[j] |= (1 << i) | (v < 0 ? 1 << (n + i) : 0);
      }
    }
    for (let q = 0; q < m; q++) r[q] = X.data[j * m + q]!;
    for (let c = 0; c < k; c++) for (let q = 0; q < m; q++) r[q] -= A.data[idx[c]! * m + q]! * S[j * n + idx[c]!]!;
    let rss = 0;
    for (let q = 0; q < m; q++) rss += r[q]! * r[q]!;
    support[j] = k;
    let halfLogDet = 0;
    if (k > 0) {
      const P = activeInverse(A, idx, k);
      halfLogDet = P.halfLogDet - (k / 2) * Math.log(s2);
      accumulatePoint(A, S, j, idx, k, P.P, r, b, s2, R, U, D, Z);
    }
    perPoint[j] = logPrior - rss / (2 * s2) - (m / 2) * (LOG_2PI + Math.log(s2)) + (k / 2) * LOG_2PI - halfLogDet;
  }
  return { p, R, U, D, Z, perPoint, support, pattern };
}

/** P_S = A_S(A_SᵀA_S)⁻¹ (m×k, column-major) and ½ log det(A_SᵀA_S). */
function activeInverse(A: Mat, idx: Int32Array, k: number): { P: Float64Array; halfLogDet: number } {
  const m = A.rows;
  const G = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let c = 0; c < k; c++) {
      let g = 0;
      for (let q = 0; q < m; q++) g += A.data[idx[a]! * m + q]! * A.data[idx[c]! * m + q]!;
      G[c * k + a] = g;
    }
  }
  let det: number;
  let inv: Float64Array;
  if (k === 1) {
    det = G[0]!;
    inv = Float64Array.of(1 / det);
  } else if (k === 2) {
    det = G[0]! * G[3]! - G[1]! * G[2]!;
    inv = Float64Array.of(G[3]! / det, -G[1]! / det, -G[2]! / det, G[0]! / det);
  } else {
    throw new RangeError(`ladderSums: a point uses ${k} columns; in two dimensions the active set has at most 2 (the MAP solution is degenerate here)`);
  }
  if (!(det > 1e-14 * G[0]! * G[k * k - 1]!)) {
    throw new RangeError(`ladderSums: the active columns ${Array.from(idx.subarray(0, k)).join(", ")} are (nearly) parallel, so A_SᵀA_S is singular and ℓ₁ is infinite`);
  }
  const P = new Float64Array(m * k);
  for (let c = 0; c < k; c++) {
    for (let q = 0; q < m; q++) {
      let v = 0;
      for (let a = 0; a < k; a++) v += A.data[idx[a]! * m + q]! * inv[c * k + a]!;
      P[c * m + q] = v;
    }
  }
  return { P, halfLogDet: 0.5 * Math.log(det) };
}

/** Adds point j's terms to R, U, D and Z. */
function accumulatePoint(
  A: Mat, S: Float64Array, j: number, idx: Int32Array, k: number, P: Float64Array, r: Float64Array,
  b: number, s2: number, R: Float64Array, U: Float64Array, D: Float64Array, Z: Float64Array,
): void {
  const { rows: m, cols: n } = A;
  const u = new Float64Array(m);
  for (let c = 0; c < k; c++) {
    const zc = S[j * n + idx[c]!]! > 0 ? -1 / b : 1 / b;
    for (let q = 0; q < m; q++) u[q] += P[c * m + q]! * zc;
  }
  for (let c = 0; c < k; c++) {
    const i = idx[c]!;
    const si = S[j * n + i]!;
    for (let q = 0; q < m; q++) {
      R[i * m + q] += (r[q]! * si) / s2;
      U[i * m + q] += u[q]! * si;
      D[i * m + q] += P[c * m + q]!;
    }
    for (let e = 0; e < k; e++) {
      const ze = S[j * n + idx[e]!]! > 0 ? -1 / b : 1 / b;
      Z[i * n + idx[e]!] += ze * si;
    }
  }
}

/** out = L·M for L = AAᵀ (m×m) and M m×n, both column-major. */
function timesAAt(A: Mat, M: Float64Array): Float64Array {
  const { rows: m, cols: n } = A;
  const out = new Float64Array(m * n);
  for (let c = 0; c < n; c++) {
    for (let q = 0; q < m; q++) {
      let v = 0;
      for (let t = 0; t < m; t++) {
        let g = 0;
        for (let i = 0; i < n; i++) g += A.data[i * m + q]! * A.data[i * m + t]!;
        v += g * M[c * m + t]!;
      }
      out[c * m + q] = v;
    }
  }
  return out;
}

/** A·Z (m×n) for Z n×n, column-major. */
function timesZ(A: Mat, Z: Float64Array): Float64Array {
  const { rows: m, cols: n } = A;
  const out = new Float64Array(m * n);
  for (let c = 0; c < n; c++) for (let i = 0; i < n; i++) for (let q = 0; q < m; q++) out[c * m + q] += A.data[i * m + q]! * Z[c * n + i]!;
  return out;
}

type Approx = Exclude<RungId, "exact">;

/** Every approximate rung's mean field (column-major m×n) from one set of sums at A. */
export function approximateFields(A: Mat, t: LadderSums): Record<Approx, Float64Array> {
  const w = 1 / t.p;
  const len = A.data.length;
  const g1 = new Float64Array(len), g3 = new Float64Array(len);
  for (let e = 0; e < len; e++) {
    g1[e] = (t.R[e]! - t.D[e]!) * w;
    g3[e] = (-t.U[e]! - t.D[e]!) * w;
  }
  const aatU = timesAAt(A, t.U), aatD = timesAAt(A, t.D), AZ = timesZ(A, t.Z);
  const zTerm = new Float64Array(len), volume = new Float64Array(len), rule = new Float64Array(len);
  for (let e = 0; e < len; e++) {
    // The rule's two replacements: AAᵀP_S z_S → A_S z_S (so Σ AAᵀ u ŝᵀ → A Σ z ŝᵀ) and AAᵀ[P_S on S] → A.
    zTerm[e] = (-AZ[e]! - aatD[e]!) * w;
    volume[e] = -aatU[e]! * w - A.data[e]!;
    rule[e] = -AZ[e]! * w - A.data[e]!;
  }
  // G2 = G1: the y-term is zero for both priors (no prior curvature off the kinks).
  return { laplace: g1, "no-y": g1, "w-active": g3, aat: timesAAt(A, g3), "z-term": zTerm, "volume-term": volume, rule };
}

/** The mean field of one rung at A (column-major m×n). */
export function fieldOf(rung: RungId, A: Mat, X: Mat, model: Model): Float64Array {
  if (rung === "exact") return exactLogLikelihood(A, X, model, true).grad!.map((v) => v / X.cols);
  return approximateFields(A, ladderSums(A, X, model))[rung];
}

/**
 * The mean field of one rung at A (public surface): `rung` one of RUNGS' ids;
 * returns the m×n field and, for the approximate rungs, the mean ℓ₁.
 */
export function ladderField(rung: RungId, A: Matrix, X: Matrix, opts: Partial<Model> = {}): { field: Matrix; meanL1: number | null } {
  if (!RUNGS.some((r) => r.id === rung)) throw new RangeError(`ladderField: rung must be one of ${RUNGS.map((r) => r.id).join(", ")}, got ${String(rung)}`);
  const Am = fromRows("A", A, { rows: 2 });
  const Xm = fromRows("X", X, { rows: 2 });
  const model = LADDER_FIELD_OPTIONS.parse(opts) as Model;
  const sums = rung === "exact" ? null : ladderSums(Am, Xm, model);
  const f = sums === null ? fieldOf(rung, Am, Xm, model) : approximateFields(Am, sums)[rung as Approx];
  const n = Am.cols;
  const meanL1 = sums === null ? null : sums.perPoint.reduce((s, v) => s + v, 0) / Xm.cols;
  return { field: [Array.from({ length: n }, (_, i) => f[2 * i]!), Array.from({ length: n }, (_, i) => f[2 * i + 1]!)], meanL1 };
}

export interface LadderRow {
  step: number;
  id: RungId;
  name: string;
  /** The zero found (2×n), column i the estimate of true column i. */
  A: Matrix;
  /** Signed angle from true column i to estimate i, degrees, counterclockwise positive. */
  anglesDeg: number[];
  /** Column lengths of the zero. */
  lengths: number[];
  /** Largest |entry| of the mean field at A. */
  residual: number;
  /** Where the residual stalled above tolerance: the largest column turn of the last Newton step, degrees (the zero's location is known to about this); else null. */
  stepDeg: number | null;
  /** For the rungs found by continuation from the previous rung's zero (3 and 4): how far along it the zero's branch was followed (1: all the way); else null. */
  branchT: number | null;
  converged: boolean;
  iterations: number;
  /** Why Newton stopped short, or null. */
  reason: string | null;
}

/**
 * The zero near trueBasis of each rung's mean gradient field on the data X
 * (2×p), by damped Newton with a central-difference Jacobian: G0 from
 * trueBasis, G1 and G2 from trueBasis rescaled onto the field's column
 * lengths, the later rows by continuation (G3 from G2, 4a from G3, the other step-4 rows from 4a); with
 * equalNorms, every row from trueBasis at one common length. A row whose
 * Newton does not converge (or whose branch is lost) is reported as such,
 * with its last iterate; nothing is NaN.
 */
export function approximationLadder(X: Matrix, trueBasis: Matrix, opts: LadderOptions = {}): LadderRow[] {
  const At = fromRows("trueBasis", trueBasis, { rows: 2 });
  const Xm = fromRows("X", X, { rows: 2 });
  const o = LADDER_OPTIONS.parse(opts) as Required<LadderOptions>;
  const model: Model = { prior: o.prior, sigma: o.sigma, b: o.b };
  const no: NewtonOptions = { maxIterations: o.maxIterations, tolerance: o.tolerance, stepToleranceDeg: o.stepToleranceDeg, h: o.jacobianStep };
  const zeros = new Map<RungId, Mat>();
  return RUNGS.map((rung) => {
    const F = (A: Mat): Float64Array => fieldOf(rung.id, A, Xm, model);
    let r: NewtonResult;
    let branchT: number | null = null;
    if (rung.id === "exact" && !o.equalNorms) {
      // G0's zero is the MLE, whose lengths are the truth's up to sampling error.
      r = newtonZero(F, At, no);
    } else if (o.equalNorms) {
      // Every column at one common length, as the recipe's equalizeNorms holds them: direct Newton
      // on the directions and that length, from the truth at the field's own length.
      r = equalNormZero(F, rung.id === "exact" ? At : scaledMat(At, radialScale(F, At)), no);
    } else if (rung.id === "laplace" || rung.id === "no-y") {
      r = newtonZero(F, columnScaled(F, scaledMat(At, radialScale(F, At)), no), no);
    } else {
      // Follow the previous rung's zero as its field turns into this one: the
      // rule's columns settle near a third of the truth's length, too far for
      // Newton from the truth alone.
      const from = rung.id === "w-active" ? "no-y" : rung.id === "aat" ? "w-active" : "aat";
      const prev = from as Approx;
      const G = (t: number, A: Mat): Float64Array => {
        const f = approximateFields(A, ladderSums(A, Xm, model));
        return f[prev].map((v, e) => (1 - t) * v + t * f[rung.id as Approx][e]!);
      };
      const c = continueZero(G, zeros.get(from)!, no);
      r = c;
      branchT = c.t;
    }
    zeros.set(rung.id, r.A);
    return { step: rung.step, id: rung.id, name: rung.name, ...describe(r.A, At), residual: r.residual, stepDeg: r.stepDeg, branchT, converged: r.converged, iterations: r.iterations, reason: r.reason };
  });
}

/** The zero as number[][], its signed angles to the truth, and its lengths. */
function describe(A: Mat, At: Mat): { A: Matrix; anglesDeg: number[]; lengths: number[] } {
  const n = A.cols;
  const anglesDeg: number[] = [], lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    const ax = A.data[2 * i]!, ay = A.data[2 * i + 1]!, tx = At.data[2 * i]!, ty = At.data[2 * i + 1]!;
    anglesDeg.push((Math.atan2(tx * ay - ty * ax, tx * ax + ty * ay) * 180) / Math.PI);
    lengths.push(Math.hypot(ax, ay));
  }
  return { A: [Array.from({ length: n }, (_, i) => A.data[2 * i]!), Array.from({ length: n }, (_, i) => A.data[2 * i + 1]!)], anglesDeg, lengths };
}

