// Training the SAE (blog "Comparison with SAEs"; Bricken et al. 2023,
// "Towards Monosemanticity", for the training details): Adam on minibatches
// of the batch-mean loss of lib/sae/pass.ts (ReLU) or lib/sae/variants.ts
// (TopK, JumpReLU), with unit-length decoder columns for every activation
// (Gao et al.'s train.py also renormalises them and drops the gradient's
// part along them), optional resampling of dead features, and a stop with a
// report if a parameter becomes non-finite.
import { createRng, type Rng } from "../random";
import type { Matrix } from "../linalg";
import { fromRows, mat, pickColumns, type Mat } from "../matrix";
import { basisErrorOf } from "../metrics";
import { learningRate } from "../schedule";
import { partialShuffle } from "../shuffle";
import { dataDirections, unitDirections } from "../init";
import { allFinite, JUMP_KEYS, normaliseColumns, PARAM_KEYS, toModel, zeros, type BatchStats, type ParamKey, type Params, type SAEModel } from "./model";
import { geometricMedian } from "./median";
import { resolveSAE, type ResolvedSAEOptions, type SAEOptions } from "./options";
import { resampleDead } from "./resample";
import { anyPass, objective, type VariantArgs } from "./variants";

export interface SAEHistoryEntry {
  step: number;
  /** Mean loss over the batch, the activation's own objective: mse + λ·l1 (relu), mse (topk), mse + λ·l0 (jumprelu). */
  loss: number;
  /** Mean ‖x − x′‖² over the batch. */
  mse: number;
  /** Mean ‖s‖₁ over the batch. */
  l1: number;
  /** Mean number of active features per point in the batch. */
  l0: number;
  /** Features silent for deadWindow consecutive steps. */
  deadFeatures: number;
  /** Matched angle between the decoder columns and trueBasis (degrees), or null. */
  angleError: number | null;
  lr: number;
}

export interface SAEResult {
  model: SAEModel;
  /** The decoder directions (= model.Wdec), m×n: compare it with an ICA basis A. */
  basis: Matrix;
  history: SAEHistoryEntry[];
  /** Features no point of X activates, after training. */
  dead: number[];
  /** Every resampling: the step and the features it reset. */
  resampled: { step: number; features: number[] }[];
  /** Set if a parameter became non-finite; the model is then the last finite one. */
  diverged: { step: number; reason: string } | null;
  options: ResolvedSAEOptions;
}

/** Adam's state: the first and second moments of every parameter. */
interface Moments { M1: Params; M2: Params }

/**
 * Trains an SAE (ReLU, TopK or JumpReLU: `activation`) on the columns of X.
 * Same seed, same numbers. A run in which a parameter becomes non-finite
 * stops and reports it; the model is then the last finite one.
 */
export function trainSAE(X: Matrix, opts: SAEOptions = {}): SAEResult {
  const { X: Xm, o, init, act } = resolveSAE(X, opts);
  const { rows: m, cols: p } = Xm;
  const n = o.features;
  const jump = act.kind === "jumprelu";
  const keys: readonly ParamKey[] = jump ? JUMP_KEYS : PARAM_KEYS;
  const v: VariantArgs = { act, lambda: o.lambda, bandwidth: o.bandwidth ?? 0 };
  const rng = createRng(`${String(o.seed)}/sae`);
  const D = initialDecoder(init, Xm, n, rng);
  const P: Params = { E: D.slice(), be: new Float64Array(n), D, bd: o.decoderBias ? geometricMedian(Xm) : new Float64Array(m) };
  if (jump) P.lt = new Float64Array(n).fill(Math.log(o.initThreshold!));
  const adam: Moments = { M1: zeros(m, n, jump), M2: zeros(m, n, jump) };
  const G = zeros(m, n, jump);
  const next = zeros(m, n, jump);
  const idx = Int32Array.from({ length: p }, (_, j) => j);
  const silentFor = new Int32Array(n);
  const history: SAEHistoryEntry[] = [];
  const resampled: SAEResult["resampled"] = [];
  let diverged: SAEResult["diverged"] = null;
  let nextResample = 0;
  // Converted once: the history scores the decoder against it at every entry.
  const truth = opts.trueBasis === undefined ? undefined : fromRows("trueBasis", opts.trueBasis);
  const record = (step: number, st: BatchStats, q: number, lr: number): void => {
    const mse = st.sq / q;
    const l1 = st.l1 / q;
    history.push({
      step, loss: objective(st, v, q), mse, l1, l0: st.active / q,
      deadFeatures: silentFor.reduce((c, v) => c + (v >= o.deadWindow ? 1 : 0), 0),
      angleError: truth ? basisErrorOf(mat(m, n, P.D), truth).meanAngleDeg : null,
      lr,
    });
  };

  for (let step = 0; step < o.steps; step++) {
    if (nextResample < o.resample.length && o.resample[nextResample] === step) {
      nextResample++;
      const dead = [...silentFor.keys()].filter((i) => silentFor[i]! >= o.deadWindow);
      if (dead.length > 0) {
        resampleDead(P, adam.M1, adam.M2, dead, Xm, n, rng, v, o.initThreshold);
        for (const i of dead) silentFor[i] = 0;
        resampled.push({ step, features: dead });
      }
    }
    const q = o.batchSize;
    partialShuffle(idx, q, rng);
    const batch = pickColumns(Xm, idx, q);
    for (const key of keys) G[key]!.fill(0);
    const st = anyPass(P, batch.data, m, n, q, v, G);
    for (let i = 0; i < n; i++) silentFor[i] = st.fired[i] ? 0 : silentFor[i]! + 1;
    const lr = learningRate(o.schedule, o.lr, step, o.steps);
    if (step % o.historyEvery === 0) record(step, st, q, lr);
    if (!o.decoderBias) G.bd.fill(0);
    dropRadial(G.D, P.D, m, n);
    adamStep(next, P, G, adam, o, lr, step, keys);
    normaliseColumns(next.D, m, n);
    if (!allFinite(next)) {
      diverged = { step: step + 1, reason: `a parameter became non-finite at step ${step + 1} (lr = ${lr.toPrecision(3)}, batch loss ${(st.sq / q).toPrecision(3)})` };
      break;
    }
    for (const key of keys) P[key]!.set(next[key]!);
  }
  // The last entry: the final model on a fresh batch-independent look at all of X.
  const final = anyPass(P, Xm.data, m, n, p, v, null);
  record(diverged ? diverged.step - 1 : o.steps, final, p, 0);
  const model = toModel(P, m, n, act);
  return {
    model,
    basis: model.Wdec,
    history,
    dead: [...final.fired.keys()].filter((i) => final.fired[i] === 0),
    resampled,
    diverged,
    options: o,
  };
}

/** Unit decoder directions for the initialisation, column-major m×n (the ICA rule's initial directions). */
function initialDecoder(kind: Matrix | "random" | "spread" | "data", X: Mat, n: number, rng: Rng): Float64Array {
  const m = X.rows;
  const D = Array.isArray(kind)
    ? fromRows("init", kind).data
    : Float64Array.from((kind === "data" ? dataDirections(X, n, rng) : unitDirections(kind, m, n, rng)).flat());
  normaliseColumns(D, m, n);
  return D;
}

/**
 * Only the part of a decoder gradient that turns the column survives the
 * renormalisation after the step; drop the radial part so Adam's moments do
 * not carry it (Bricken et al.): g_i ← g_i − (g_i·d_i) d_i.
 */
function dropRadial(gD: Float64Array, D: Float64Array, m: number, n: number): void {
  for (let i = 0; i < n; i++) {
    let dot = 0;
    for (let k = 0; k < m; k++) dot += gD[i * m + k]! * D[i * m + k]!;
    for (let k = 0; k < m; k++) gD[i * m + k] -= dot * D[i * m + k]!;
  }
}

/**
 * One Adam step (Kingma & Ba 2015, Algorithm 1) from P into next, with the
 * bias corrections 1 − β^(t+1) of the moments.
 */
function adamStep(next: Params, P: Params, G: Params, adam: Moments, o: ResolvedSAEOptions, lr: number, step: number, keys: readonly ParamKey[]): void {
  for (const key of keys) next[key]!.set(P[key]!);
  const c1 = 1 - o.beta1 ** (step + 1);
  const c2 = 1 - o.beta2 ** (step + 1);
  for (const key of keys) {
    const g = G[key]!;
    const m1 = adam.M1[key]!;
    const m2 = adam.M2[key]!;
    const x = next[key]!;
    for (let k = 0; k < g.length; k++) {
      m1[k] = o.beta1 * m1[k]! + (1 - o.beta1) * g[k]!;
      m2[k] = o.beta2 * m2[k]! + (1 - o.beta2) * g[k]! * g[k]!;
      x[k] -= (lr * (m1[k]! / c1)) / (Math.sqrt(m2[k]! / c2) + o.eps);
    }
  }
}
