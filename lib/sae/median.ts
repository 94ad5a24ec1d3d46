// The geometric median, where the SAE's decoder bias starts (Bricken et al.
// 2023 initialise b_dec there).
import type { Mat } from "../matrix";

/**
 * Weiszfeld's iteration for the geometric median of the columns of X:
 * y ← Σ_j x_j/‖x_j − y‖ / Σ_j 1/‖x_j − y‖, from the mean, until it moves
 * less than 1e-12. A distance is floored at 1e-12 so a point on y does not
 * divide by zero.
 */
export function geometricMedian(X: Mat, iterations = 100): Float64Array {
  const { rows: m, cols: p, data } = X;
  const y = new Float64Array(m);
  for (let j = 0; j < p; j++) for (let r = 0; r < m; r++) y[r] += data[j * m + r]! / p;
  const next = new Float64Array(m);
  for (let it = 0; it < iterations; it++) {
    next.fill(0);
    let wsum = 0;
    for (let j = 0; j < p; j++) {
      let d = 0;
      for (let r = 0; r < m; r++) d += (data[j * m + r]! - y[r]!) ** 2;
      const w = 1 / Math.max(Math.sqrt(d), 1e-12);
      wsum += w;
      for (let r = 0; r < m; r++) next[r] += w * data[j * m + r]!;
    }
    let move = 0;
    for (let r = 0; r < m; r++) {
      const v = next[r]! / wsum;
      move += (v - y[r]!) ** 2;
      y[r] = v;
    }
    if (move < 1e-24) break;
  }
  return y;
}
