// Sampling without replacement by a partial Fisher–Yates shuffle, written once
// for every minibatch draw (learnBasis, trainSAE) and subset draw (generateData).
import type { Rng } from "./random";

/**
 * Moves a uniformly random k-subset of idx to idx[0..k), in place, drawing
 * exactly k integers from rng (the i-th from [0, idx.length − i)). The order
 * of the draws is fixed, so a seed gives the same subsets everywhere.
 */
export function partialShuffle(idx: Int32Array | number[], k: number, rng: Rng): void {
  const len = idx.length;
  for (let i = 0; i < k; i++) {
    const r = i + rng.int(len - i);
    const pick = idx[r]!;
    idx[r] = idx[i]!;
    idx[i] = pick;
  }
}
