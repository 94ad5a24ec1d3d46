// The objective L(s) and the optimality certificate. L is convex, so s is a
// minimiser exactly when 0 ∈ ∂L(s) (the KKT conditions of the LASSO):
// with g = ∇ of the smooth part, g = −Aᵀ(x − As)/σ²,
//   s_i > 0:  g_i + 1/b = 0,     s_i < 0:  g_i − 1/b = 0,
//   s_i = 0:  g_i ≥ −1/b (exponential prior) or |g_i| ≤ 1/b (Laplace),
// and s ≥ 0 under the exponential prior. The residual of these conditions,
// in units of ∂L/∂s, is 0 at an exact minimiser.
import type { Problem } from "./problem";

/** L(s_j) for point j, from the residual itself to keep precision near the optimum. */
export function pointObjective(P: Problem, S: Float64Array, j: number): number {
  const { A, X, m, n } = P;
  let rss = 0;
  for (let k = 0; k < m; k++) {
    let acc = X[j * m + k]!;
    for (let i = 0; i < n; i++) acc -= A[i * m + k]! * S[j * n + i]!;
    rss += acc * acc;
  }
  let l1 = 0;
  for (let i = 0; i < n; i++) l1 += Math.abs(S[j * n + i]!);
  return rss * P.inv2s2 + l1 * P.lam;
}

/** Σ_j L(s_j), in point order. */
export function totalObjective(P: Problem, S: Float64Array): number {
  let t = 0;
  for (let j = 0; j < P.p; j++) t += pointObjective(P, S, j);
  return t;
}

/**
 * Largest KKT violation of point j's sources. g is formed from the residual,
 * which skips the zero sources and keeps precision near the optimum. `r` is
 * scratch of length m.
 */
export function pointKkt(P: Problem, S: Float64Array, j: number, r: Float64Array): number {
  const { A, X, m, n, invS2, lam, nonNegative } = P;
  for (let k = 0; k < m; k++) r[k] = X[j * m + k]!;
  for (let i = 0; i < n; i++) {
    const s = S[j * n + i]!;
    if (s !== 0) for (let k = 0; k < m; k++) r[k] -= A[i * m + k]! * s;
  }
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let k = 0; k < m; k++) acc += A[i * m + k]! * r[k]!;
    const v = kktViolation(-acc * invS2, S[j * n + i]!, lam, nonNegative);
    if (v > worst) worst = v;
  }
  return worst;
}

/** One coordinate's KKT violation, for the smooth part's gradient g at source value s. */
export function kktViolation(g: number, s: number, lam: number, nonNegative: boolean): number {
  if (s > 0) return Math.abs(g + lam);
  if (s < 0) return nonNegative ? Math.max(-s, Math.abs(g - lam)) : Math.abs(g - lam);
  return nonNegative ? Math.max(0, -g - lam) : Math.max(0, Math.abs(g) - lam);
}

/** L(ŝ_j) for every point and the largest KKT violation over all of them. */
export function certify(P: Problem, S: Float64Array): { objective: Float64Array; kkt: number } {
  if (P.m === 2) return certify2D(P, S);
  const objective = new Float64Array(P.p);
  let kkt = 0;
  const r = new Float64Array(P.m);
  for (let j = 0; j < P.p; j++) {
    objective[j] = pointObjective(P, S, j);
    kkt = Math.max(kkt, pointKkt(P, S, j, r));
  }
  return { objective, kkt };
}

/**
 * pointObjective and pointKkt in one pass for 2-D data: one residual per
 * point, the zero sources skipped, every sum in their order (same bits).
 */
function certify2D(P: Problem, S: Float64Array): { objective: Float64Array; kkt: number } {
  const { A, X, n, invS2, lam, nonNegative, inv2s2 } = P;
  const objective = new Float64Array(P.p);
  let kkt = 0;
  for (let j = 0; j < P.p; j++) {
    let r0 = X[2 * j]!;
    let r1 = X[2 * j + 1]!;
    let l1 = 0;
    for (let i = 0; i < n; i++) {
      const s = S[j * n + i]!;
      if (s === 0) continue;
      r0 -= A[2 * i]! * s;
      r1 -= A[2 * i + 1]! * s;
      l1 += Math.abs(s);
    }
    objective[j] = (r0 * r0 + r1 * r1) * inv2s2 + l1 * lam;
    for (let i = 0; i < n; i++) {
      const v = kktViolation(-(A[2 * i]! * r0 + A[2 * i + 1]! * r1) * invS2, S[j * n + i]!, lam, nonNegative);
      if (v > kkt) kkt = v;
    }
  }
  return { objective, kkt };
}
