// How lib/sweep/registry.ts's JUMPRELU_LAMBDA was chosen, rerunnable:
//   npx tsx scripts/probe-jumprelu.ts
// On seeds 1000–1002 (no sweep scores them), E6's two datasets, the data
// start and E7's training settings: the mean L0 of the JumpReLU SAE for each
// λ of a grid, beside the ReLU SAE's at λ = 0.01. The registry takes the
// largest λ whose L0 is within 0.15 of the ReLU SAE's on both datasets, so
// that the two compare at about the same number of active features.
import * as ica from "../lib";

const seeds = [1000, 1001, 1002];
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const l0 = (angles: number[], extra: object) => mean(seeds.map((seed) => {
  const d = ica.generateData({ angles, samples: 1000, seed });
  return ica.trainSAE(d.X, { steps: 3000, lr: 0.01, batchSize: 256, init: "data", seed, features: angles.length, ...extra }).history.at(-1)!.l0;
}));
let chosen: number | null = null;
for (const lambda of [0.01, 0.03, 0.1, 0.3, 1]) {
  const gaps = [[30, 150, 270], [0, 60, 150, 250]].map((angles) => {
    const jump = l0(angles, { activation: "jumprelu", lambda });
    const relu = l0(angles, { lambda: 0.01 });
    console.log(`${angles.length} features, λ = ${lambda}: JumpReLU L0 ${jump.toFixed(3)}, ReLU L0 ${relu.toFixed(3)}`);
    return Math.abs(jump - relu);
  });
  if (gaps.every((g) => g <= 0.15)) chosen = lambda;
}
console.log(`largest λ within 0.15 of the ReLU SAE's L0 on both datasets: ${chosen}`);
