// The Fisher information of Lewicki & Sejnowski's model in two dimensions
// about its basis A, and the Cramér–Rao bound it puts on the direction of
// each column (issue #20, notebook E11's sample-size curve).
//
// The information per point is J = E[∇ log P(x|A) ∇ log P(x|A)ᵀ], the
// expectation over x drawn from the model at A. The scores are exact
// (lib/exact/likelihood.ts); the expectation is a Monte Carlo mean over
// `samples` draws, returned with its entrywise standard error. For p
// independent points an unbiased estimate of θ_i = atan2(a_2i, a_1i) has
// variance at least ∇θ_iᵀ J⁻¹ ∇θ_i / p; the maximum-likelihood estimate
// reaches it as p grows.
import { declareOptions } from "../options";
import { type Matrix } from "../linalg";
import { fromRows } from "../matrix";
import { MODEL_OPTIONS, type Model } from "../model";
import { generateData } from "../data";
import { exactLogLikelihood } from "./likelihood";

export interface FisherOptions {
  /** Points drawn from the model. Default 20000. */
  samples?: number;
  /** Seed of the draws. Default 0. */
  seed?: number | string;
}

export const FISHER_OPTIONS = declareOptions<FisherOptions>("fisherInformation", {
  samples: { kind: "integer", min: 2, default: 20000, doc: "points drawn from the model at A for the Monte Carlo mean" },
  seed: { kind: "seed", default: 0, doc: "seed of the draws (generateData's stream)" },
});

export interface FisherInformation {
  /**
   * The information per point, 2n×2n, over the parameters in column-major
   * order a_11, a_21, a_12, a_22, …: the mean of score·scoreᵀ.
   */
  information: Matrix;
  /** The Monte Carlo standard error of each entry. */
  standardError: Matrix;
  samples: number;
}

/**
 * J(A) per point by Monte Carlo over exact scores: `samples` points
 * x = A s + ε drawn from the model (generateData with noise σ and the
 * model's prior and b), each point's score from the exact likelihood.
 */
export function fisherInformation(A: Matrix, model: Partial<Model> = {}, opts: FisherOptions = {}): FisherInformation {
  const Am = fromRows("A", A, { rows: 2 });
  const mdl = MODEL_OPTIONS.parse(model);
  const o = FISHER_OPTIONS.parse(opts);
  const p = o.samples!;
  const { X } = generateData({ A, samples: p, prior: mdl.prior, b: mdl.b, noise: mdl.sigma, seed: o.seed! });
  const res = exactLogLikelihood(Am, fromRows("X", X), mdl, false, true);
  const scores = res.scores!;
  const d = 2 * Am.cols;
  const sum = new Float64Array(d * d), sq = new Float64Array(d * d);
  for (let j = 0; j < p; j++) {
    const s = scores.subarray(j * d, (j + 1) * d);
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        const v = s[a]! * s[b]!;
        sum[a * d + b] += v;
        sq[a * d + b] += v * v;
      }
    }
  }
  const information: Matrix = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const standardError: Matrix = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const mean = sum[a * d + b]! / p;
      const variance = Math.max(0, (sq[a * d + b]! / p - mean * mean) * (p / (p - 1)));
      information[a]![b] = information[b]![a] = mean;
      standardError[a]![b] = standardError[b]![a] = Math.sqrt(variance / p);
    }
  }
  return { information, standardError, samples: p };
}

export interface AngleBound {
  /** Per column, the Cramér–Rao variance of its direction angle for ONE point, rad² (divide by p for p points). */
  variance: number[];
}

/**
 * The Cramér–Rao bound on each column's direction θ_i = atan2(a_2i, a_1i):
 * ∇θ_iᵀ J⁻¹ ∇θ_i per point, with ∇θ_i = (−a_2i, a_1i)/‖a_i‖² in column i's
 * two entries. Throws when the information (2n×2n, column-major parameter
 * order) is not positive definite.
 */
export function angleBound(A: Matrix, information: Matrix): AngleBound {
  const Am = fromRows("A", A, { rows: 2 });
  const d = 2 * Am.cols;
  const J = fromRows("information", information, { rows: d, cols: d });
  const L = cholesky(J.data, d);
  if (L === null) throw new RangeError("angleBound: the information is not positive definite (too few samples, or a basis where a direction is not identified)");
  const variance: number[] = [];
  for (let i = 0; i < Am.cols; i++) {
    const x = Am.data[2 * i]!, y = Am.data[2 * i + 1]!;
    const r2 = x * x + y * y;
    const g = new Float64Array(d);
    g[2 * i] = -y / r2;
    g[2 * i + 1] = x / r2;
    // gᵀ J⁻¹ g = ‖L⁻¹g‖² with J = L Lᵀ.
    const z = forward(L, g, d);
    let v = 0;
    for (let k = 0; k < d; k++) v += z[k]! * z[k]!;
    variance.push(v);
  }
  return { variance };
}

/**
 * The mean over columns of E|e_i| in degrees for p points, when each column's
 * angle error e_i is normal with the bound's variance v_i/p: sqrt(2 v_i/(π p)).
 */
export function boundAngleErrorDeg(bound: AngleBound, p: number): number {
  if (!(Number.isFinite(p) && p > 0)) throw new RangeError(`boundAngleErrorDeg: p must be a finite number > 0, got ${p}`);
  const k = bound.variance.length;
  return (bound.variance.reduce((s, v) => s + Math.sqrt((2 * v) / (Math.PI * p)), 0) / k) * (180 / Math.PI);
}

/** Lower-triangular L (column-major) with L Lᵀ = J, or null when J is not positive definite. */
function cholesky(J: Float64Array, d: number): Float64Array | null {
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let s = J[j * d + j]!;
    for (let k = 0; k < j; k++) s -= L[k * d + j]! * L[k * d + j]!;
    if (!(s > 0)) return null;
    const ljj = Math.sqrt(s);
    L[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let t = J[j * d + i]!;
      for (let k = 0; k < j; k++) t -= L[k * d + i]! * L[k * d + j]!;
      L[j * d + i] = t / ljj;
    }
  }
  return L;
}

/** z = L⁻¹g by forward substitution. */
function forward(L: Float64Array, g: Float64Array, d: number): Float64Array {
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let t = g[i]!;
    for (let k = 0; k < i; k++) t -= L[k * d + i]! * z[k]!;
    z[i] = t / L[i * d + i]!;
  }
  return z;
}
