// Resampling of dead features (Bricken et al. 2023, "Towards
// Monosemanticity", section "Neuron resampling").
import type { Rng } from "../random";
import type { Mat } from "../matrix";
import type { Params } from "./model";
import { anyPass, type VariantArgs } from "./variants";

/**
 * In place: each dead feature's decoder column is set to the direction of a
 * data point x_j − b_dec, drawn with probability ∝ its squared reconstruction
 * error under the current model (uniformly if every error is 0); its encoder
 * row to that direction times 0.2 × the mean encoder-row norm of the live
 * features; b_enc to 0 (a JumpReLU threshold to its start, initThreshold);
 * and its Adam moments (M1, M2) are cleared. The errors are those of the
 * model's own activation (v).
 */
export function resampleDead(P: Params, M1: Params, M2: Params, dead: number[], X: Mat, n: number, rng: Rng, v: VariantArgs, initThreshold?: number): void {
  const { rows: m, cols: p, data } = X;
  const err = new Float64Array(p);
  let total = 0;
  for (let j = 0; j < p; j++) {
    const e = anyPass(P, data.subarray(j * m, j * m + m), m, n, 1, { ...v, lambda: 0 }, null).sq;
    err[j] = e;
    total += e;
  }
  const encNorm = 0.2 * meanLiveNorm(P.E, dead, m, n);
  for (const i of dead) {
    let j = 0;
    if (total > 0) {
      let t = rng.uniform() * total;
      while (j < p - 1 && t >= err[j]!) t -= err[j++]!;
    } else {
      j = rng.int(p);
    }
    let len = 0;
    for (let k = 0; k < m; k++) len += (data[j * m + k]! - P.bd[k]!) ** 2;
    len = Math.sqrt(len);
    for (let k = 0; k < m; k++) {
      const u = len > 0 ? (data[j * m + k]! - P.bd[k]!) / len : k === 0 ? 1 : 0;
      P.D[i * m + k] = u;
      P.E[i * m + k] = encNorm * u;
      M1.D[i * m + k] = M2.D[i * m + k] = M1.E[i * m + k] = M2.E[i * m + k] = 0;
    }
    P.be[i] = 0;
    M1.be[i] = M2.be[i] = 0;
    if (P.lt !== undefined) {
      P.lt[i] = Math.log(initThreshold!);
      M1.lt![i] = M2.lt![i] = 0;
    }
  }
}

/** Mean norm of the encoder rows of the features not in `dead` (1 if every feature is dead). */
function meanLiveNorm(E: Float64Array, dead: number[], m: number, n: number): number {
  let liveNorm = 0;
  let live = 0;
  for (let i = 0; i < n; i++) {
    if (dead.includes(i)) continue;
    let s = 0;
    for (let k = 0; k < m; k++) s += E[i * m + k]! ** 2;
    liveNorm += Math.sqrt(s);
    live++;
  }
  return live > 0 ? liveNorm / live : 1;
}
