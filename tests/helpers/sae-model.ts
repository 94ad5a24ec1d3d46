// A random SAE model with unit decoder columns, for the SAE and zone tests.
import * as ica from "../../lib/index";

export function randomModel(m: number, n: number, seed: string): ica.SAEModel {
  const rng = ica.createRng(seed);
  const Wdec = Array.from({ length: m }, () => Array.from({ length: n }, () => rng.normal()));
  for (let i = 0; i < n; i++) {
    const len = Math.hypot(...Wdec.map((r) => r[i]!));
    for (const r of Wdec) r[i] = r[i]! / len;
  }
  return {
    Wenc: Array.from({ length: n }, () => Array.from({ length: m }, () => rng.normal())),
    bEnc: Array.from({ length: n }, () => 0.3 * rng.normal()),
    Wdec,
    bDec: Array.from({ length: m }, () => 0.3 * rng.normal()),
  };
}
