// Feature vectors of the toy model's input distribution, and (x, h) pairs
// drawn from a trained model. The batches of training need tens of millions
// of uniforms, so they come from sfc32 (Doty-Humphrey's small fast counter
// generator), seeded from the project's seeded stream: the same seed gives
// the same numbers, as everywhere else.
import { createRng } from "../random";
import { declareOptions } from "../options";
import type { Matrix } from "../linalg";
import type { FeatureLaw } from "./options";

/** A uniform on [0, 1) from sfc32, seeded by four 32-bit words of createRng(seed). */
export function fastUniform(seed: number | string): () => number {
  const r = createRng(seed);
  let a = (r.uniform() * 2 ** 32) >>> 0, b = (r.uniform() * 2 ** 32) >>> 0, c = (r.uniform() * 2 ** 32) >>> 0, d = (r.uniform() * 2 ** 32) >>> 0;
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/**
 * Writes one draw of the features into x (length n) and returns how many are
 * non-zero. Pairs come first, in the order correlated, anticorrelated,
 * nested; the remaining features are independent. Each feature is present
 * with probability 1 − S except a nested child (½(1 − S)).
 */
export function drawFeatures(law: FeatureLaw, u: () => number, x: Float64Array): number {
  const p = 1 - law.sparsity;
  let i = 0, nz = 0;
  for (let j = 0; j < law.correlatedPairs; j++, i += 2) {
    if (u() < p) (x[i] = u(), x[i + 1] = u(), nz += 2);
    else x[i] = x[i + 1] = 0;
  }
  for (let j = 0; j < law.anticorrelatedPairs; j++, i += 2) {
    x[i] = x[i + 1] = 0;
    if (u() < 2 * p) (x[i + (u() < 0.5 ? 0 : 1)] = u(), nz++);
  }
  for (let j = 0; j < law.nestedPairs; j++, i += 2) {
    x[i] = x[i + 1] = 0;
    if (u() < p) {
      x[i] = u();
      nz++;
      if (u() < 0.5) (x[i + 1] = u(), nz++);
    }
  }
  for (; i < law.features; i++) {
    if (u() < p) (x[i] = u(), nz++);
    else x[i] = 0;
  }
  return nz;
}

export interface ToySampleOptions {
  /** Number of pairs p. Default 1,000. */
  samples?: number;
  /** Seed of the draw. Default 0. */
  seed?: number | string;
  /** Draw until p points with at least one feature present (h = 0 carries no direction). Default false. */
  nonZero?: boolean;
}

export const TOY_SAMPLE_OPTIONS = declareOptions<ToySampleOptions>("sampleToy", {
  samples: { kind: "integer", min: 1, max: 10_000_000, default: 1000, doc: "number of (x, h) pairs" },
  seed: { kind: "seed", default: 0, doc: "seed of the draw" },
  nonZero: { kind: "boolean", default: false, doc: "keep only points with a feature present" },
});

/** p draws of x (n×p) and h = W x (m×p), as the library's data: one column per point. */
export function sampleFeatures(law: FeatureLaw, W: Float64Array, m: number, opts: ToySampleOptions = {}): { X: Matrix; H: Matrix } {
  const o = TOY_SAMPLE_OPTIONS.parse(opts) as Required<ToySampleOptions>;
  const n = law.features, p = o.samples;
  if (o.nonZero && law.sparsity >= 1) throw new RangeError("nonZero needs sparsity < 1");
  const u = fastUniform(`${String(o.seed)}/toy-sample`);
  const X = Array.from({ length: n }, () => new Array<number>(p));
  const H = Array.from({ length: m }, () => new Array<number>(p).fill(0));
  const x = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    while (drawFeatures(law, u, x) === 0 && o.nonZero) { /* draw again */ }
    for (let i = 0; i < n; i++) {
      X[i]![j] = x[i]!;
      if (x[i] === 0) continue;
      for (let k = 0; k < m; k++) H[k]![j] += W[i * m + k]! * x[i]!;
    }
  }
  return { X, H };
}
