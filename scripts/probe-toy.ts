// How lib/sweep/registry.ts's TOY_RELU_LAMBDA and TOY_JUMPRELU_LAMBDA were
// chosen, rerunnable:
//   npx tsx scripts/probe-toy.ts
// On models no E10 record scores (seeds 1000 and 1001 of the two m = 5 laws
// with independent features, n = 10 and 20, S = 0.9), with learner seeds
// 1000–1001, each SAE of the toy sweep (no b_dec, the data start, E7's
// training at its step size 0.01) on the normalised activations, for every λ
// of its grid: the mean number of active latents per point (L0) beside the
// mean number of features present per point. The registry takes the λ whose
// L0 is nearest that number (the mean |log(L0/k̄)| over both laws), the rule
// E9 used for its ReLU SAE, so that both SAEs code about as sparsely as TopK,
// which is told k̄.
import * as ica from "../lib";
import { normalisingScale, toyModel, TOY_POINTS } from "../lib/sweep/toy";

const laws = [{ features: 10, hidden: 5, sparsity: 0.9 }, { features: 20, hidden: 5, sparsity: 0.9 }];
const grids = { relu: [0.1, 0.3, 1, 3, 10], jumprelu: [0.03, 0.1, 0.3, 1, 3] } as const;
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
for (const activation of ["relu", "jumprelu"] as const) {
  let best = { lambda: NaN, gap: Infinity };
  for (const lambda of grids[activation]) {
    const gaps = laws.map((law) => {
      const rows = [1000, 1001].map((seed) => {
        const model = toyModel(law, seed);
        const s = model.sample({ samples: TOY_POINTS.train, seed: `${seed}/train`, nonZero: true });
        const c = normalisingScale(s.H, "normalised");
        const X = s.H.map((r) => r.map((v) => v * c));
        const present = mean(Array.from({ length: TOY_POINTS.train }, (_, j) => s.X.filter((r) => r[j]! > 0).length));
        const r = ica.trainSAE(X, { steps: 3000, lr: 0.01, batchSize: 256, decoderBias: false, init: "data", seed, features: law.features, activation, lambda });
        return { l0: ica.saeLoss(r.model, X, lambda).l0, present };
      });
      const l0 = mean(rows.map((r) => r.l0)), k = mean(rows.map((r) => r.present));
      console.log(`${activation}, n = ${law.features}, λ = ${lambda}: L0 ${l0.toFixed(3)} (features present ${k.toFixed(3)})`);
      return Math.abs(Math.log(l0 / k));
    });
    const gap = mean(gaps);
    if (gap < best.gap) best = { lambda, gap };
  }
  console.log(`${activation}: λ with L0 nearest the features present: ${best.lambda} (mean |log(L0/k̄)| = ${best.gap.toFixed(3)})`);
}
