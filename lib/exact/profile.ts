// The likelihood of a basis's directions alone: the exact mean log-likelihood
// maximised over the columns' lengths with their directions held fixed.
//
// Why: the rule fixes its own column lengths (E3's rest length c*; the
// recipe's equal norms), which are not the likelihood's. Scored at the rule's
// lengths, an estimate loses likelihood for its lengths as well as for its
// directions; profiled over the lengths, only the directions count. This is
// how E11 asks whether the likelihood prefers the rule's directions.
import type { Model } from "../model";
import { mat, type Mat } from "../matrix";
import { exactLogLikelihood } from "./likelihood";
import { minimizeLbfgs } from "./lbfgs";

export interface ProfiledLengths {
  /** The mean log-likelihood at the best lengths. */
  value: number;
  /** The best length of each column. */
  lengths: number[];
  converged: boolean;
}

/**
 * max over ℓ of the mean exact log-likelihood of A diag(e^ℓ)/‖A_i‖, by
 * L-BFGS over the log-lengths (the gradient is the exact one, projected on
 * each column's direction), to ‖gradient‖∞ ≤ 1e-6 or 60 iterations. Starts
 * from A's own lengths. A non-finite value at the start throws; non-convergence
 * is reported (a column no point needs runs its length towards 0, and the
 * value then approaches its supremum from below).
 */
export function profileLengths(A: Mat, X: Mat, model: Model, maxIterations = 60): ProfiledLengths {
  const n = A.cols;
  const u = new Float64Array(2 * n);
  const start = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const len = Math.hypot(A.data[2 * i]!, A.data[2 * i + 1]!);
    if (!(len > 0)) throw new RangeError(`profileLengths: column ${i} of A has length 0 and no direction`);
    u[2 * i] = A.data[2 * i]! / len;
    u[2 * i + 1] = A.data[2 * i + 1]! / len;
    start[i] = Math.log(len);
  }
  const B = mat(2, n);
  const p = X.cols;
  const f = (l: Float64Array, g: Float64Array): number => {
    for (let i = 0; i < n; i++) {
      const c = Math.exp(l[i]!);
      B.data[2 * i] = c * u[2 * i]!;
      B.data[2 * i + 1] = c * u[2 * i + 1]!;
    }
    let r;
    try {
      // A trial basis that would need a source integrated out (a near-singular
      // split) is refused rather than computed: that path costs thousands of
      // evaluations per point, and the line search only needs to step back.
      r = exactLogLikelihood(B, X, model, true, false, false, false);
    } catch (e) {
      // A trial the likelihood cannot score (a degenerate basis): non-finite, so the line search steps back.
      if (e instanceof RangeError) return NaN;
      throw e;
    }
    for (let i = 0; i < n; i++) {
      const c = Math.exp(l[i]!);
      g[i] = -(c * (r.grad![2 * i]! * u[2 * i]! + r.grad![2 * i + 1]! * u[2 * i + 1]!)) / p;
    }
    return -r.total / p;
  };
  const res = minimizeLbfgs(f, start, { maxIterations, gradientTolerance: 1e-6 });
  return { value: -res.value, lengths: Array.from(res.x, (v) => Math.exp(v)), converged: res.converged };
}
