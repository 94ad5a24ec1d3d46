// The benchmark's mathjs baselines: the same two solvers written the way one
// would with a matrix library, whole-matrix operations and all, so that the
// ratio to lib/inference/ shows what the typed-array loops buy.
import * as math from "mathjs";
import type { Matrix } from "../lib/linalg";

export interface LassoSetup {
  sigma: number;
  b: number;
}

/**
 * Exact non-negative MAP sources by enumerating every support of size ≤ 2
 * (m = 2), vectorised over the points: for each support T, the stationary
 * s_T = G_T⁻¹(A_Tᵀx − σ²/b) for all points at once, kept where it is positive
 * and cheaper than the best so far. Returns S (n×p).
 */
export function mathjsExact(A: Matrix, X: Matrix, o: LassoSetup): Matrix {
  const n = A[0]!.length;
  const p = X[0]!.length;
  const shrink = (o.sigma * o.sigma) / o.b;
  const G = math.multiply(math.transpose(A), A) as Matrix;
  const C = math.multiply(math.transpose(A), X) as Matrix; // n×p
  let best = new Array<number>(p).fill(0);
  const S: Matrix = Array.from({ length: n }, () => new Array<number>(p).fill(0));
  // Objective relative to s = 0, times σ²: −½ s_Tᵀ c_T + ½ (σ²/b) ‖s_T‖₁.
  const consider = (T: number[], sT: Matrix): void => {
    const cT = T.map((i) => C[i]!);
    const fit = math.sum(math.dotMultiply(sT, cT) as Matrix, 0) as unknown as number[];
    const l1 = math.sum(sT, 0) as unknown as number[];
    const obj = math.add(math.multiply(fit, -0.5), math.multiply(l1, 0.5 * shrink)) as number[];
    const positive = sT.map((row) => math.larger(row, 0) as unknown as boolean[]);
    const better = math.smaller(obj, best) as unknown as boolean[];
    const take = positive.reduce((acc, row) => math.and(acc as unknown as number[], row as unknown as number[]) as unknown as boolean[], better);
    for (let j = 0; j < p; j++) {
      if (!take[j]) continue;
      for (let i = 0; i < n; i++) S[i]![j] = 0;
      T.forEach((i, a) => (S[i]![j] = sT[a]![j]!));
    }
    best = math.subtract(best, math.dotMultiply(take.map(Number), math.subtract(best, obj))) as number[];
  };
  for (let i = 0; i < n; i++) {
    consider([i], [math.divide(math.subtract(C[i]!, shrink), G[i]![i]!) as number[]]);
  }
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++) {
      const Gt = [[G[i]![i]!, G[i]![k]!], [G[k]![i]!, G[k]![k]!]];
      if (Math.abs(math.det(Gt)) <= 1e-12 * Math.max(Gt[0]![0]!, Gt[1]![1]!) ** 2) continue;
      const rhs = math.subtract([C[i]!, C[k]!], shrink) as Matrix;
      consider([i, k], math.multiply(math.inv(Gt), rhs) as Matrix);
    }
  }
  return S;
}

/**
 * FISTA on all points at once with whole-matrix operations: a fixed number
 * of iterations of y ↦ ReLU(y − η∇ − η/b) with Nesterov momentum (no restart,
 * the textbook form). Returns S (n×p).
 */
export function mathjsFista(A: Matrix, X: Matrix, o: LassoSetup & { iterations: number }): Matrix {
  const n = A[0]!.length;
  const p = X[0]!.length;
  const G = math.multiply(math.transpose(A), A) as Matrix;
  const C = math.multiply(math.transpose(A), X) as Matrix;
  const L = (math.max(math.eigs(G).values as number[]) as number) / (o.sigma * o.sigma);
  const step = 1 / L;
  const thr = step / o.b;
  let S: Matrix = Array.from({ length: n }, () => new Array<number>(p).fill(0));
  let Y = S;
  let t = 1;
  for (let it = 0; it < o.iterations; it++) {
    const grad = math.divide(math.subtract(math.multiply(G, Y), C), o.sigma * o.sigma) as Matrix;
    const V = math.subtract(Y, math.multiply(grad, step)) as Matrix;
    const next = V.map((row) => row.map((v) => (v > thr ? v - thr : 0)));
    const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
    Y = math.add(next, math.multiply(math.subtract(next, S), (t - 1) / tn)) as Matrix;
    S = next;
    t = tn;
  }
  return S;
}
