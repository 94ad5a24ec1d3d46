// The terms of the MAP objective and the likelihood proxy that bestBy
// 'likelihood' ranks bases with (blog E6.1).
import { declareOptions } from "../options";
import { halfLogDetAAtBuffer, type Matrix } from "../linalg";
import { fromRows, type Mat } from "../matrix";
import { MODEL_OPTIONS, type Model } from "../model";
import { solveMap } from "../inference/solve";

export interface FitTerms {
  /** Σ_j ‖x_j − A ŝ_j‖². */
  sq: number;
  /** Σ_j ‖ŝ_j‖₁. */
  l1: number;
  /** 1 for each column that some point uses (ŝ_ij ≠ 0). */
  used: Uint8Array;
}

/**
 * Σ‖x − Aŝ‖², Σ‖ŝ‖₁ and which columns any point uses: the terms of the MAP
 * objective ‖x − Aŝ‖²/(2σ²) + ‖ŝ‖₁/b, shared by the learner and the proxy.
 */
export function fitTerms(A: Mat, X: Mat, S: Mat): FitTerms {
  const m = A.rows, n = A.cols, p = X.cols;
  if (m === 2) return fitTerms2(A.data, X.data, S.data, n, p);
  const a = A.data, x = X.data, s = S.data;
  let sq = 0;
  let l1 = 0;
  const used = new Uint8Array(n);
  for (let j = 0; j < p; j++) {
    for (let r = 0; r < m; r++) {
      let res = x[j * m + r]!;
      for (let i = 0; i < n; i++) {
        const v = s[j * n + i]!;
        if (v !== 0) res -= a[i * m + r]! * v;
      }
      sq += res * res;
    }
    for (let i = 0; i < n; i++) {
      const v = s[j * n + i]!;
      l1 += Math.abs(v);
      if (v !== 0) used[i] = 1;
    }
  }
  return { sq, l1, used };
}

/** The same sums for 2-D data, with both coordinates' residuals in locals. */
function fitTerms2(A: Float64Array, X: Float64Array, S: Float64Array, n: number, p: number): FitTerms {
  let sq = 0;
  let l1 = 0;
  const used = new Uint8Array(n);
  for (let j = 0; j < p; j++) {
    let r0 = X[2 * j]!;
    let r1 = X[2 * j + 1]!;
    for (let i = 0; i < n; i++) {
      const v = S[j * n + i]!;
      if (v === 0) continue;
      r0 -= A[2 * i]! * v;
      r1 -= A[2 * i + 1]! * v;
      l1 += Math.abs(v);
      used[i] = 1;
    }
    sq += r0 * r0;
    sq += r1 * r1;
  }
  return { sq, l1, used };
}

export const LIKELIHOOD_OPTIONS = declareOptions<Partial<Model>>("profiledLikelihood", MODEL_OPTIONS.schema);

/**
 * The Laplace-approximation proxy of −log P(X|A) used by bestBy
 * 'likelihood': the mean MAP objective ‖x − Aŝ‖²/(2σ²) + ‖ŝ‖₁/b plus
 * ½ log det(AAᵀ) (exact in the complete noiseless case), minimised over a
 * global scale c of A. Without that minimisation the proxy scores the
 * column length as much as the directions, and the rule's own preferred
 * length is not the likelihood's (E3), so the raw proxy picks the first,
 * long-column steps of a run (E6.1). Scale-free: profiledLikelihood(cA) =
 * profiledLikelihood(A).
 */
export function profiledLikelihood(A: Matrix, X: Matrix, opts: Partial<Model> = {}): { value: number; scale: number } {
  const Am = fromRows("A", A);
  const Xm = fromRows("X", X, { rows: Am.rows });
  const model = LIKELIHOOD_OPTIONS.parse(opts) as Model;
  if (!Number.isFinite(halfLogDetAAtBuffer(Am.data, Am.rows, Am.cols))) {
    throw new RangeError("A must have rank m (AAᵀ invertible) for the likelihood proxy");
  }
  const out = { value: 0, scale: 1 };
  out.value = profiled(Am, Xm, model, out);
  return out;
}

/** Golden-section search of the proxy over log c in [−5, 5] (it is unimodal in practice; 20 evaluations). */
export function profiled(A: Mat, X: Mat, model: Model, report?: { scale: number }): number {
  const m = A.rows, p = X.cols;
  const base = halfLogDetAAtBuffer(A.data, m, A.cols);
  if (!Number.isFinite(base)) return Infinity;
  const Ac: Mat = { rows: m, cols: A.cols, data: new Float64Array(A.data.length) };
  // Beyond 2-D the solver is the active set, whose answer depends only on the
  // final support: each evaluation starts from the last one's codes, rescaled
  // to the new c (ŝ scales about as 1/c), which saves most of its pivots.
  // In 2-D the geometric cut takes no start, so none is passed.
  let warm: { S: Mat; c: number } | null = null;
  const at = (logc: number): number => {
    const c = Math.exp(logc);
    for (let i = 0; i < A.data.length; i++) Ac.data[i] = c * A.data[i]!;
    let S0: Mat | undefined;
    if (warm !== null && m > 2) {
      const f = warm.c / c;
      S0 = { rows: warm.S.rows, cols: warm.S.cols, data: warm.S.data.map((v) => v * f) };
    }
    const S = solveMap(Ac, X, model, { certify: false, ...(S0 ? { S0 } : {}) }).S;
    if (m > 2) warm = { S, c };
    const { sq, l1 } = fitTerms(Ac, X, S);
    return (sq / (2 * model.sigma * model.sigma) + l1 / model.b) / p + base + m * logc;
  };
  const g = (Math.sqrt(5) - 1) / 2;
  let lo = -5;
  let hi = 5;
  let x1 = hi - g * (hi - lo);
  let x2 = lo + g * (hi - lo);
  let f1 = at(x1);
  let f2 = at(x2);
  for (let k = 0; k < 18; k++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = at(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = at(x2);
    }
  }
  if (report) report.scale = Math.exp(f1 < f2 ? x1 : x2);
  return Math.min(f1, f2);
}
