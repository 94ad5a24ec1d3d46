// Seeded random numbers. Every stochastic routine in lib/ takes a seed and
// draws from one of these generators, so a seed fixes every number downstream.
import seedrandom from "seedrandom";
import { requirePositive, requireSeed } from "./options";

export interface Rng {
  /** Uniform on [0, 1). */
  uniform(): number;
  /** Standard normal N(0, 1). */
  normal(): number;
  /** Exponential with the given rate λ (mean 1/λ). */
  exponential(rate: number): number;
  /** Laplace centred at 0 with the given scale b (density e^{-|s|/b}/(2b)). */
  laplace(scale: number): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

/** A generator seeded by `seed`; the same seed always gives the same stream. */
export function createRng(seed: number | string): Rng {
  requireSeed(seed);
  // alea is small, fast and has a well-tested period; String(seed) lets
  // numbers and strings share one seeding path.
  const next = seedrandom.alea(String(seed));
  let spare: number | null = null;
  const uniform = (): number => next();
  // Open interval (0, 1): logs below must never see 0.
  const open = (): number => {
    let u = next();
    while (u === 0) u = next();
    return u;
  };
  return {
    uniform,
    normal() {
      // Box–Muller, keeping the second value for the next call.
      if (spare !== null) {
        const v = spare;
        spare = null;
        return v;
      }
      const r = Math.sqrt(-2 * Math.log(open()));
      const t = 2 * Math.PI * next();
      spare = r * Math.sin(t);
      return r * Math.cos(t);
    },
    exponential(rate: number) {
      requirePositive("rate", rate);
      return -Math.log(open()) / rate;
    },
    laplace(scale: number) {
      requirePositive("scale", scale);
      // Inverse CDF: a symmetric sign times an exponential magnitude.
      const u = next() - 0.5;
      const mag = -Math.log(open());
      return (u < 0 ? -1 : 1) * scale * mag;
    },
    int(n: number) {
      return Math.floor(next() * n);
    },
  };
}
