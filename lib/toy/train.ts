// Training the toy model of superposition (Elhage et al. 2022): AdamW on
// fresh batches of the feature distribution, with TMS's settings by default
// (10,000 steps of 1,024 points, step size 10⁻³, W drawn Xavier-normal, b = 0).
// The loss is the importance-weighted squared error averaged over the batch
// and the features, as TMS reduces it. AdamW decays W and b alike, as
// PyTorch's AdamW over model.parameters() does.
import { createRng } from "../random";
import type { Matrix } from "../linalg";
import { drawFeatures, fastUniform, sampleFeatures, type ToySampleOptions } from "./sample";
import { importanceWeights, resolveToy, type FeatureLaw, type Resolved, type ToyModelOptions } from "./options";

export interface ToyModel {
  /** m×n: column i is feature i's direction in hidden space, with its own length. */
  W: Matrix;
  /** The output bias (n). */
  b: number[];
  /** The loss on 10,000 fresh points, the same points for every model of one feature law (any seed), so that seeds compare. */
  loss: number;
  /** The batch loss every historyEvery steps (step 0 is the start). */
  history: { step: number; loss: number }[];
  /** Set if a parameter became non-finite: the step and why. The model is then the last finite one. */
  diverged: { step: number; reason: string } | null;
  options: Resolved;
  /** (x, h) pairs from the model's input distribution: X is n×p, H = W X is m×p. */
  sample(opts?: ToySampleOptions): { X: Matrix; H: Matrix };
}

/** Points of the evaluation loss. */
export const TOY_EVAL_POINTS = 10_000;

// meanLoss and batchGradient are exported only so that tests/toy.test.ts can check the gradient against finite differences of the loss; lib/toy/index.ts does not re-export them.
/** Mean loss of (W, b) on `points` draws of u: Σ_i I_i (x_i − ReLU(W_iᵀ W x + b_i))² / n, averaged over the points. */
export function meanLoss(law: FeatureLaw, I: Float64Array, W: Float64Array, b: Float64Array, m: number, u: () => number, points: number): number {
  const n = law.features;
  const x = new Float64Array(n), h = new Float64Array(m);
  let total = 0;
  for (let j = 0; j < points; j++) {
    drawFeatures(law, u, x);
    hidden(W, x, m, n, h);
    for (let i = 0; i < n; i++) {
      let o = b[i]!;
      for (let k = 0; k < m; k++) o += W[i * m + k]! * h[k]!;
      const e = x[i]! - (o > 0 ? o : 0);
      total += I[i]! * e * e;
    }
  }
  return total / (points * n);
}

/** h = W x, skipping the features that are 0. */
function hidden(W: Float64Array, x: Float64Array, m: number, n: number, h: Float64Array): void {
  h.fill(0);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    if (xi === 0) continue;
    for (let k = 0; k < m; k++) h[k] += W[i * m + k]! * xi;
  }
}

/**
 * One batch: the mean loss, and its gradient added into gW (m×n, column-major)
 * and gb. With o = Wᵀh + b and d = ∂L/∂o, ∂L/∂W = h dᵀ + (W d) xᵀ.
 */
export function batchGradient(law: FeatureLaw, I: Float64Array, W: Float64Array, b: Float64Array, m: number, u: () => number, B: number, gW: Float64Array, gb: Float64Array): number {
  const n = law.features;
  const x = new Float64Array(n), h = new Float64Array(m), gh = new Float64Array(m);
  const scale = 2 / (B * n);
  let total = 0;
  gW.fill(0);
  gb.fill(0);
  for (let j = 0; j < B; j++) {
    drawFeatures(law, u, x);
    hidden(W, x, m, n, h);
    gh.fill(0);
    for (let i = 0; i < n; i++) {
      let o = b[i]!;
      for (let k = 0; k < m; k++) o += W[i * m + k]! * h[k]!;
      const y = o > 0 ? o : 0;
      const e = y - x[i]!;
      total += I[i]! * e * e;
      if (o <= 0 || e === 0) continue;
      const d = scale * I[i]! * e;
      gb[i] += d;
      for (let k = 0; k < m; k++) {
        gW[i * m + k] += h[k]! * d;
        gh[k] += W[i * m + k]! * d;
      }
    }
    for (let i = 0; i < n; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      for (let k = 0; k < m; k++) gW[i * m + k] += gh[k]! * xi;
    }
  }
  return total / (B * n);
}

/** AdamW's step on one parameter block (PyTorch's order: decay, then the Adam step). */
function adamw(p: Float64Array, g: Float64Array, m1: Float64Array, m2: Float64Array, t: number, lr: number, wd: number): void {
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]!;
    m1[i] = b1 * m1[i]! + (1 - b1) * gi;
    m2[i] = b2 * m2[i]! + (1 - b2) * gi * gi;
    p[i] = p[i]! * (1 - lr * wd) - (lr * (m1[i]! / c1)) / (Math.sqrt(m2[i]! / c2) + eps);
  }
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) return false;
  return true;
}

/** W (column-major m×n) as rows: m rows of n. */
function toRows(W: Float64Array, m: number, n: number): Matrix {
  return Array.from({ length: m }, (_, k) => Array.from({ length: n }, (_, i) => W[i * m + k]!));
}

/**
 * Trains the toy model of superposition. Same seed, same numbers. A run in
 * which a parameter becomes non-finite stops and says at which step; the
 * model is then the last finite one.
 */
export function trainToyModel(opts: ToyModelOptions): ToyModel {
  const o = resolveToy(opts);
  const n = o.features, m = o.hidden;
  const I = importanceWeights(o);
  const start = createRng(`${String(o.seed)}/toy-init`);
  const std = Math.sqrt(2 / (n + m));
  const W = new Float64Array(m * n).map(() => std * start.normal());
  const b = new Float64Array(n);
  const gW = new Float64Array(m * n), gb = new Float64Array(n);
  const mW = new Float64Array(m * n), vW = new Float64Array(m * n), mb = new Float64Array(n), vb = new Float64Array(n);
  const u = fastUniform(`${String(o.seed)}/toy-batches`);
  const history: ToyModel["history"] = [];
  let diverged: ToyModel["diverged"] = null;
  const lastW = W.slice(), lastB = b.slice();
  for (let t = 1; t <= o.steps; t++) {
    const loss = batchGradient(o, I, W, b, m, u, o.batchSize, gW, gb);
    if (t === 1 || (t - 1) % o.historyEvery === 0) history.push({ step: t - 1, loss });
    if (!Number.isFinite(loss) || !allFinite(gW) || !allFinite(gb)) {
      diverged = { step: t - 1, reason: `the loss or its gradient became non-finite (loss ${loss})` };
      break;
    }
    lastW.set(W);
    lastB.set(b);
    adamw(W, gW, mW, vW, t, o.lr, o.weightDecay);
    adamw(b, gb, mb, vb, t, o.lr, o.weightDecay);
    if (!allFinite(W) || !allFinite(b)) {
      diverged = { step: t, reason: "a parameter became non-finite after the update" };
      W.set(lastW);
      b.set(lastB);
      break;
    }
  }
  const loss = meanLoss(o, I, W, b, m, fastUniform("toy-eval"), TOY_EVAL_POINTS);
  const Wc = W.slice();
  return {
    W: toRows(W, m, n), b: Array.from(b), loss, history, diverged, options: o,
    sample: (s: ToySampleOptions = {}) => sampleFeatures(o, Wc, m, s),
  };
}
