// How lib/sweep/registry.ts's PHASE_RELU_LAMBDA was chosen, rerunnable:
//   npx tsx scripts/probe-phase.ts
// On two pilot cells that no phase record scores (m = 12: n = 24 with k = 3,
// and n = 36 with k = 2) and seeds 1000–1002, the ReLU SAE of the phase sweep
// (no b_dec, the data start, E7's training) for each λ of a grid; the mean
// number of active features per point (L0) beside the true k. The registry
// takes the λ whose L0 is nearest k (the mean of |log(L0/k)| over both cells),
// so that the ReLU SAE codes with about the sparsity TopK is told.
import * as ica from "../lib";

const seeds = [1000, 1001, 1002];
const cells = [{ m: 12, n: 24, k: 3 }, { m: 12, n: 36, k: 2 }];
const grid = [0.01, 0.1, 0.3, 1, 3, 10];
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
let best = { lambda: NaN, gap: Infinity };
for (const lambda of grid) {
  const gaps = cells.map((c) => {
    const l0 = mean(seeds.map((seed) => {
      const d = ica.generateData({ basis: { m: c.m, n: c.n }, active: c.k, samples: ica.PHASE_GRID.samples, seed });
      const r = ica.trainSAE(d.X, { steps: 3000, lr: 0.01, batchSize: 256, decoderBias: false, init: "data", seed, features: c.n, lambda });
      return ica.saeLoss(r.model, d.X, lambda).l0;
    }));
    console.log(`m = ${c.m}, n = ${c.n}, k = ${c.k}, λ = ${lambda}: L0 ${l0.toFixed(3)}`);
    return Math.abs(Math.log(l0 / c.k));
  });
  const gap = mean(gaps);
  if (gap < best.gap) best = { lambda, gap };
}
console.log(`λ with L0 nearest the true k: ${best.lambda} (mean |log(L0/k)| = ${best.gap.toFixed(3)})`);
