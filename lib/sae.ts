// The sparse autoencoder (SAE) of the interpretability literature, as a
// baseline on the same data as the ICA rule (blog "Comparison with SAEs";
// Bricken et al. 2023, "Towards Monosemanticity", for the training details):
//     s  = ReLU(W_enc (x − b_dec) + b_enc)
//     x′ = W_dec s + b_dec
//     L  = ⟨‖x − x′‖²⟩ + λ ⟨‖s‖₁⟩
// with unit-length decoder columns, trained by Adam on minibatches. Encoder
// and decoder are learned jointly, unlike ICA, which solves for ŝ first.
//
// Layout: feature i's encoder row and decoder column both live at offset i·m
// of their Float64Array, so one index walks both.
import { createRng, type Rng } from "./random";
import { requireInt, requirePositive, requireSeed } from "./options";
import { checkMatrix, fromColMajor, toColMajor, type Matrix } from "./linalg";
import { basisError } from "./metrics";
import { learningRate, type Schedule } from "./schedule";
import { unitDirections } from "./learning";

export interface SAEOptions {
  /** Number of features (dictionary size) n. Default: the columns of trueBasis, else 3. */
  features?: number;
  /** Weight λ of the ℓ₁ penalty ⟨‖s‖₁⟩. Default 0.01 (= 2σ²/b of the ICA recipe, σ = 0.1, b = 2). */
  lambda?: number;
  /** Number of Adam steps. Default 3000. */
  steps?: number;
  /** Adam step size. Default 0.01. */
  lr?: number;
  /** Learning-rate schedule (the ICA rule's schedules). Default 'warmup-cosine': the decay lets minibatch Adam settle. */
  schedule?: Schedule;
  /** Points per step, drawn without replacement. Default min(256, points). */
  batchSize?: number;
  /** Seed of the initialisation, the batches and the resampling. Default 0. */
  seed?: number | string;
  /**
   * Initial decoder directions: 'random' (uniform directions, the usual
   * choice), 'spread' (as far apart as possible, as the ICA recipe starts) or an
   * explicit m×n matrix (columns are normalised). The encoder starts as the
   * decoder's transpose, b_enc at 0. Default 'random'.
   */
  init?: "random" | "spread" | Matrix;
  /**
   * Learn the decoder bias b_dec (started at the geometric median of X, as
   * Bricken et al. do). false fixes b_dec = 0, the offset-free model ICA
   * assumes. Default true.
   */
  decoderBias?: boolean;
  /** Adam's β₁, β₂ and ε. Defaults 0.9, 0.999, 1e-8. */
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** A feature silent on every batch for this many consecutive steps counts as dead. Default 200. */
  deadWindow?: number;
  /**
   * Resample dead features (Bricken et al.): at each listed step, every dead
   * feature's decoder column is set to the direction of a data point drawn
   * with probability ∝ its squared reconstruction error, its encoder row to
   * that direction scaled to 0.2 × the mean live encoder norm, b_enc to 0,
   * and its Adam moments are cleared. true = at 25%, 50% and 75% of the
   * steps. Default false.
   */
  resample?: boolean | number[];
  /** The true basis, when known: the history then records the matched angle error. */
  trueBasis?: Matrix;
  /** Keep every k-th step in the history (the first and last always). Default 50. */
  historyEvery?: number;
}

export interface SAEModel {
  /** n×m encoder. */
  Wenc: Matrix;
  /** n encoder biases. */
  bEnc: number[];
  /** m×n decoder with unit-length columns: the learned feature directions. */
  Wdec: Matrix;
  /** m decoder bias. */
  bDec: number[];
}

export interface SAEHistoryEntry {
  step: number;
  /** Mean loss over the batch: mse + λ·l1. */
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

export interface ResolvedSAEOptions {
  features: number;
  lambda: number;
  steps: number;
  lr: number;
  schedule: Schedule;
  batchSize: number;
  seed: number | string;
  init: "random" | "spread" | "matrix";
  decoderBias: boolean;
  beta1: number;
  beta2: number;
  eps: number;
  deadWindow: number;
  resample: number[];
  historyEvery: number;
}

const KNOWN = new Set<keyof SAEOptions>([
  "features", "lambda", "steps", "lr", "schedule", "batchSize", "seed", "init", "decoderBias", "beta1",
  "beta2", "eps", "deadWindow", "resample", "trueBasis", "historyEvery",
]);

function requireFraction(name: string, v: unknown): number {
  if (typeof v !== "number" || !(v >= 0 && v < 1)) throw new RangeError(`${name} must be a number in [0, 1), got ${String(v)}`);
  return v;
}

function resolve(X: Matrix, opts: SAEOptions): { o: ResolvedSAEOptions; m: number; p: number; init: Matrix | "random" | "spread" } {
  if (opts === null || typeof opts !== "object") throw new TypeError(`options must be an object, got ${String(opts)}`);
  for (const key of Object.keys(opts)) {
    if (!KNOWN.has(key as keyof SAEOptions)) {
      throw new RangeError(`unknown option '${key}'; valid options are ${[...KNOWN].join(", ")}`);
    }
  }
  const { rows: m, cols: p } = checkMatrix("X", X);
  if (opts.trueBasis !== undefined) checkMatrix("trueBasis", opts.trueBasis, { rows: m });
  const features = requireInt("features", opts.features ?? opts.trueBasis?.[0]?.length ?? 3, 1);
  if (opts.trueBasis !== undefined && opts.trueBasis[0]!.length > features) {
    throw new RangeError(`features (${features}) must be at least the number of true columns (${opts.trueBasis[0]!.length})`);
  }
  const lambda = opts.lambda ?? 0.01;
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda < 0) {
    throw new RangeError(`lambda must be a finite number ≥ 0, got ${String(lambda)}`);
  }
  const steps = requireInt("steps", opts.steps ?? 3000, 0);
  const lr = opts.lr ?? 0.01;
  requirePositive("lr", lr);
  const schedule = opts.schedule ?? "warmup-cosine";
  learningRate(schedule, lr, 0, Math.max(1, steps)); // validates the schedule
  const batchSize = requireInt("batchSize", opts.batchSize ?? Math.min(256, p), 1, p);
  const seed = opts.seed ?? 0;
  requireSeed(seed);
  const beta1 = requireFraction("beta1", opts.beta1 ?? 0.9);
  const beta2 = requireFraction("beta2", opts.beta2 ?? 0.999);
  const eps = opts.eps ?? 1e-8;
  requirePositive("eps", eps);
  const deadWindow = requireInt("deadWindow", opts.deadWindow ?? 200, 1);
  const historyEvery = requireInt("historyEvery", opts.historyEvery ?? 50, 1);
  if (opts.decoderBias !== undefined && typeof opts.decoderBias !== "boolean") {
    throw new TypeError(`decoderBias must be true or false, got ${String(opts.decoderBias)}`);
  }
  let resample: number[];
  const rs = opts.resample ?? false;
  if (rs === false) resample = [];
  else if (rs === true) resample = [0.25, 0.5, 0.75].map((f) => Math.round(f * steps)).filter((s) => s > 0);
  else if (Array.isArray(rs)) {
    rs.forEach((s, i) => requireInt(`resample[${i}]`, s, 1, Math.max(1, steps - 1)));
    resample = [...new Set(rs)].sort((a, b) => a - b);
  } else throw new TypeError(`resample must be true, false or a list of steps, got ${String(rs)}`);
  const initOpt = opts.init ?? "random";
  let init: Matrix | "random" | "spread";
  if (Array.isArray(initOpt)) {
    checkMatrix("init", initOpt, { rows: m, cols: features });
    for (let i = 0; i < features; i++) {
      if (!initOpt.some((row) => row[i] !== 0)) throw new RangeError(`init column ${i + 1} is zero; a decoder direction needs a non-zero column`);
    }
    init = initOpt;
  } else if (initOpt === "random" || initOpt === "spread") {
    init = initOpt;
  } else {
    throw new RangeError(`init must be 'random', 'spread' or an m×n matrix, got ${String(initOpt)}`);
  }
  return {
    m, p, init,
    o: {
      features, lambda, steps, lr, schedule, batchSize, seed,
      init: Array.isArray(init) ? "matrix" : init,
      decoderBias: opts.decoderBias ?? true,
      beta1, beta2, eps, deadWindow, resample, historyEvery,
    },
  };
}

/** Unit decoder directions for the initialisation, column-major m×n (the ICA rule's initial directions). */
function initialDecoder(kind: Matrix | "random" | "spread", m: number, n: number, rng: Rng): Float64Array {
  const D = Array.isArray(kind) ? toColMajor(kind) : Float64Array.from(unitDirections(kind, m, n, rng).flat());
  normaliseColumns(D, m, n);
  return D;
}

function normaliseColumns(D: Float64Array, m: number, n: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += D[i * m + r]! * D[i * m + r]!;
    const len = Math.sqrt(s);
    if (len === 0) {
      D[i * m] = 1; // a zero column has no direction; give it one rather than a NaN
      continue;
    }
    for (let r = 0; r < m; r++) D[i * m + r] = D[i * m + r]! / len;
  }
}

/** Weiszfeld's iteration for the geometric median of the columns of X (column-major). */
export function geometricMedian(X: Float64Array, m: number, p: number, iterations = 100): Float64Array {
  const y = new Float64Array(m);
  for (let j = 0; j < p; j++) for (let r = 0; r < m; r++) y[r] += X[j * m + r]! / p;
  const next = new Float64Array(m);
  for (let it = 0; it < iterations; it++) {
    next.fill(0);
    let wsum = 0;
    for (let j = 0; j < p; j++) {
      let d = 0;
      for (let r = 0; r < m; r++) d += (X[j * m + r]! - y[r]!) ** 2;
      const w = 1 / Math.max(Math.sqrt(d), 1e-12);
      wsum += w;
      for (let r = 0; r < m; r++) next[r] += w * X[j * m + r]!;
    }
    let move = 0;
    for (let r = 0; r < m; r++) {
      const v = next[r]! / wsum;
      move += (v - y[r]!) ** 2;
      y[r] = v;
    }
    if (move < 1e-24) break;
  }
  return y;
}

interface Params {
  E: Float64Array; // encoder rows, feature i at i·m
  be: Float64Array;
  D: Float64Array; // decoder columns, feature i at i·m
  bd: Float64Array;
}

interface BatchStats { sq: number; l1: number; active: number; fired: Uint8Array }

/**
 * Forward pass over q points of X (column-major) and, when G is given, the
 * gradient of the batch-mean loss accumulated into G.
 */
function pass(P: Params, X: Float64Array, m: number, n: number, q: number, lambda: number, G: Params | null): BatchStats {
  if (m === 2) return pass2(P, X, n, q, lambda, G);
  const { E, be, D, bd } = P;
  const xc = new Float64Array(m);
  const r = new Float64Array(m);
  const s = new Float64Array(n);
  const fired = new Uint8Array(n);
  let sq = 0;
  let l1 = 0;
  let active = 0;
  const w = 2 / q;
  const gl = lambda / q;
  for (let j = 0; j < q; j++) {
    const o = j * m;
    for (let k = 0; k < m; k++) {
      xc[k] = X[o + k]! - bd[k]!;
      r[k] = bd[k]! - X[o + k]!;
    }
    for (let i = 0; i < n; i++) {
      let u = be[i]!;
      for (let k = 0; k < m; k++) u += E[i * m + k]! * xc[k]!;
      if (u > 0) {
        s[i] = u;
        fired[i] = 1;
        active++;
        l1 += u;
        for (let k = 0; k < m; k++) r[k] += D[i * m + k]! * u;
      } else {
        s[i] = 0;
      }
    }
    for (let k = 0; k < m; k++) sq += r[k]! * r[k]!;
    if (G === null) continue;
    // ∂L/∂x′ = 2r/q; x′ = D s + b_dec; s = ReLU(E (x − b_dec) + b_enc).
    const { E: gE, be: gbe, D: gD, bd: gbd } = G;
    for (let k = 0; k < m; k++) {
      r[k] = w * r[k]!;
      gbd[k] += r[k]!;
    }
    for (let i = 0; i < n; i++) {
      const v = s[i]!;
      if (v === 0) continue;
      let gs = gl;
      for (let k = 0; k < m; k++) {
        gD[i * m + k] += r[k]! * v;
        gs += D[i * m + k]! * r[k]!;
      }
      gbe[i] += gs;
      for (let k = 0; k < m; k++) {
        gE[i * m + k] += gs * xc[k]!;
        gbd[k] -= gs * E[i * m + k]!;
      }
    }
  }
  return { sq, l1, active, fired };
}

/**
 * pass() for 2-D data, with the loops over the two coordinates written out
 * and the coordinates held in locals. Every sum is formed in the same order
 * as in pass(), so the two give the same bits (tests/sae.test.ts checks it).
 */
function pass2(P: Params, X: Float64Array, n: number, q: number, lambda: number, G: Params | null): BatchStats {
  const { E, be, D, bd } = P;
  const s = new Float64Array(n);
  const fired = new Uint8Array(n);
  const bd0 = bd[0]!;
  const bd1 = bd[1]!;
  let sq = 0;
  let l1 = 0;
  let active = 0;
  const w = 2 / q;
  const gl = lambda / q;
  const gE = G === null ? null : G.E;
  const gbe = G === null ? null : G.be;
  const gD = G === null ? null : G.D;
  let gbd0 = G === null ? 0 : G.bd[0]!;
  let gbd1 = G === null ? 0 : G.bd[1]!;
  for (let j = 0; j < q; j++) {
    const x0 = X[2 * j]!;
    const x1 = X[2 * j + 1]!;
    const xc0 = x0 - bd0;
    const xc1 = x1 - bd1;
    let r0 = bd0 - x0;
    let r1 = bd1 - x1;
    for (let i = 0; i < n; i++) {
      let u = be[i]!;
      u += E[2 * i]! * xc0;
      u += E[2 * i + 1]! * xc1;
      if (u > 0) {
        s[i] = u;
        fired[i] = 1;
        active++;
        l1 += u;
        r0 += D[2 * i]! * u;
        r1 += D[2 * i + 1]! * u;
      } else {
        s[i] = 0;
      }
    }
    sq += r0 * r0;
    sq += r1 * r1;
    if (gE === null || gbe === null || gD === null) continue;
    r0 = w * r0;
    r1 = w * r1;
    gbd0 += r0;
    gbd1 += r1;
    for (let i = 0; i < n; i++) {
      const v = s[i]!;
      if (v === 0) continue;
      let gs = gl;
      gD[2 * i] += r0 * v;
      gs += D[2 * i]! * r0;
      gD[2 * i + 1] += r1 * v;
      gs += D[2 * i + 1]! * r1;
      gbe[i] += gs;
      gE[2 * i] += gs * xc0;
      gbd0 -= gs * E[2 * i]!;
      gE[2 * i + 1] += gs * xc1;
      gbd1 -= gs * E[2 * i + 1]!;
    }
  }
  if (G !== null) {
    G.bd[0] = gbd0;
    G.bd[1] = gbd1;
  }
  return { sq, l1, active, fired };
}

function zeros(m: number, n: number): Params {
  return { E: new Float64Array(n * m), be: new Float64Array(n), D: new Float64Array(n * m), bd: new Float64Array(m) };
}

const PARAM_KEYS = ["E", "be", "D", "bd"] as const;

function toModel(P: Params, m: number, n: number): SAEModel {
  return {
    Wenc: Array.from({ length: n }, (_, i) => Array.from(P.E.subarray(i * m, i * m + m))),
    bEnc: Array.from(P.be),
    Wdec: fromColMajor(P.D, m, n),
    bDec: Array.from(P.bd),
  };
}

function fromModel(model: SAEModel): { P: Params; m: number; n: number } {
  const { rows: m, cols: n } = checkMatrix("model.Wdec", model.Wdec);
  checkMatrix("model.Wenc", model.Wenc, { rows: n, cols: m });
  checkVector("model.bEnc", model.bEnc, n);
  checkVector("model.bDec", model.bDec, m);
  return {
    m, n,
    P: {
      E: Float64Array.from(model.Wenc.flat()),
      be: Float64Array.from(model.bEnc),
      D: toColMajor(model.Wdec),
      bd: Float64Array.from(model.bDec),
    },
  };
}

function checkVector(name: string, v: unknown, length: number): void {
  if (!Array.isArray(v) || v.length !== length) {
    throw new RangeError(`${name} must be an array of ${length} numbers, got ${Array.isArray(v) ? `length ${v.length}` : String(v)}`);
  }
  v.forEach((x, i) => {
    if (typeof x !== "number" || !Number.isFinite(x)) throw new RangeError(`${name}[${i}] must be a finite number, got ${String(x)}`);
  });
}

function allFinite(P: Params): boolean {
  for (const a of [P.E, P.be, P.D, P.bd]) for (let k = 0; k < a.length; k++) if (!Number.isFinite(a[k]!)) return false;
  return true;
}

/**
 * Trains a ReLU SAE on the columns of X. Same seed, same numbers. A run in
 * which a parameter becomes non-finite stops and reports it; the model is
 * then the last finite one.
 */
export function trainSAE(X: Matrix, opts: SAEOptions = {}): SAEResult {
  const { o, m, p, init } = resolve(X, opts);
  const n = o.features;
  const Xb = toColMajor(X);
  const rng = createRng(`${String(o.seed)}/sae`);
  const D = initialDecoder(init, m, n, rng);
  const P: Params = { E: D.slice(), be: new Float64Array(n), D, bd: o.decoderBias ? geometricMedian(Xb, m, p) : new Float64Array(m) };
  const M1 = zeros(m, n);
  const M2 = zeros(m, n);
  const G = zeros(m, n);
  const next = zeros(m, n);
  const idx = Int32Array.from({ length: p }, (_, j) => j);
  const batch = new Float64Array(m * o.batchSize);
  const silentFor = new Int32Array(n);
  const history: SAEHistoryEntry[] = [];
  const resampled: SAEResult["resampled"] = [];
  let diverged: SAEResult["diverged"] = null;
  let nextResample = 0;
  const record = (step: number, st: BatchStats, q: number, lr: number): void => {
    const mse = st.sq / q;
    const l1 = st.l1 / q;
    history.push({
      step, loss: mse + o.lambda * l1, mse, l1, l0: st.active / q,
      deadFeatures: silentFor.reduce((c, v) => c + (v >= o.deadWindow ? 1 : 0), 0),
      angleError: opts.trueBasis ? basisError(fromColMajor(P.D, m, n), opts.trueBasis).meanAngleDeg : null,
      lr,
    });
  };

  for (let step = 0; step < o.steps; step++) {
    if (nextResample < o.resample.length && o.resample[nextResample] === step) {
      nextResample++;
      const dead = [...silentFor.keys()].filter((i) => silentFor[i]! >= o.deadWindow);
      if (dead.length > 0) {
        resampleDead(P, M1, M2, dead, Xb, m, n, p, rng);
        for (const i of dead) silentFor[i] = 0;
        resampled.push({ step, features: dead });
      }
    }
    const q = o.batchSize;
    for (let k = 0; k < q; k++) {
      const r = k + rng.int(p - k);
      const pick = idx[r]!;
      idx[r] = idx[k]!;
      idx[k] = pick;
      for (let c = 0; c < m; c++) batch[k * m + c] = Xb[pick * m + c]!;
    }
    for (const key of PARAM_KEYS) G[key].fill(0);
    const st = pass(P, batch, m, n, q, o.lambda, G);
    for (let i = 0; i < n; i++) silentFor[i] = st.fired[i] ? 0 : silentFor[i]! + 1;
    const lr = learningRate(o.schedule, o.lr, step, o.steps);
    if (step % o.historyEvery === 0) record(step, st, q, lr);
    if (!o.decoderBias) G.bd.fill(0);
    // Only the part of a decoder gradient that turns the column survives the
    // renormalisation below; drop the radial part so Adam's moments do not
    // carry it (Bricken et al.).
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let k = 0; k < m; k++) dot += G.D[i * m + k]! * P.D[i * m + k]!;
      for (let k = 0; k < m; k++) G.D[i * m + k] -= dot * P.D[i * m + k]!;
    }
    for (const key of PARAM_KEYS) next[key].set(P[key]);
    const c1 = 1 - o.beta1 ** (step + 1);
    const c2 = 1 - o.beta2 ** (step + 1);
    for (const key of PARAM_KEYS) {
      const g = G[key];
      const m1 = M1[key];
      const m2 = M2[key];
      const x = next[key];
      for (let k = 0; k < g.length; k++) {
        m1[k] = o.beta1 * m1[k]! + (1 - o.beta1) * g[k]!;
        m2[k] = o.beta2 * m2[k]! + (1 - o.beta2) * g[k]! * g[k]!;
        x[k] -= (lr * (m1[k]! / c1)) / (Math.sqrt(m2[k]! / c2) + o.eps);
      }
    }
    normaliseColumns(next.D, m, n);
    if (!allFinite(next)) {
      diverged = { step: step + 1, reason: `a parameter became non-finite at step ${step + 1} (lr = ${lr.toPrecision(3)}, batch loss ${(st.sq / q).toPrecision(3)})` };
      break;
    }
    for (const key of PARAM_KEYS) P[key].set(next[key]);
  }
  // The last entry: the final model on a fresh batch-independent look at all of X.
  const final = pass(P, Xb, m, n, p, o.lambda, null);
  record(diverged ? diverged.step - 1 : o.steps, final, p, 0);
  const model = toModel(P, m, n);
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

/** Bricken et al.'s resampling of dead features, in place. */
function resampleDead(P: Params, M1: Params, M2: Params, dead: number[], X: Float64Array, m: number, n: number, p: number, rng: Rng): void {
  // Squared reconstruction error of every point under the current model.
  const err = new Float64Array(p);
  let total = 0;
  for (let j = 0; j < p; j++) {
    const e = pass(P, X.subarray(j * m, j * m + m), m, n, 1, 0, null).sq;
    err[j] = e;
    total += e;
  }
  let liveNorm = 0;
  let live = 0;
  for (let i = 0; i < n; i++) {
    if (dead.includes(i)) continue;
    let s = 0;
    for (let k = 0; k < m; k++) s += P.E[i * m + k]! ** 2;
    liveNorm += Math.sqrt(s);
    live++;
  }
  const encNorm = 0.2 * (live > 0 ? liveNorm / live : 1);
  for (const i of dead) {
    let j = 0;
    if (total > 0) {
      let t = rng.uniform() * total;
      while (j < p - 1 && t >= err[j]!) t -= err[j++]!;
    } else {
      j = rng.int(p);
    }
    let len = 0;
    for (let k = 0; k < m; k++) len += (X[j * m + k]! - P.bd[k]!) ** 2;
    len = Math.sqrt(len);
    for (let k = 0; k < m; k++) {
      const u = len > 0 ? (X[j * m + k]! - P.bd[k]!) / len : k === 0 ? 1 : 0;
      P.D[i * m + k] = u;
      P.E[i * m + k] = encNorm * u;
      M1.D[i * m + k] = M2.D[i * m + k] = M1.E[i * m + k] = M2.E[i * m + k] = 0;
    }
    P.be[i] = 0;
    M1.be[i] = M2.be[i] = 0;
  }
}

/** The SAE's code s = ReLU(W_enc (x − b_dec) + b_enc) for every column of X: n×p. */
export function encodeSAE(model: SAEModel, X: Matrix): Matrix {
  const { P, m, n } = fromModel(model);
  const { cols: p } = checkMatrix("X", X, { rows: m });
  const S: Matrix = Array.from({ length: n }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) {
      let u = P.be[i]!;
      for (let k = 0; k < m; k++) u += P.E[i * m + k]! * (X[k]![j]! - P.bd[k]!);
      S[i]![j] = u > 0 ? u : 0;
    }
  }
  return S;
}

/** The SAE's reconstruction x′ = W_dec s + b_dec of every column of X: m×p. */
export function reconstructSAE(model: SAEModel, X: Matrix): Matrix {
  const S = encodeSAE(model, X);
  const m = model.Wdec.length;
  const n = model.Wdec[0]!.length;
  return Array.from({ length: m }, (_, k) =>
    X[0]!.map((_, j) => {
      let v = model.bDec[k]!;
      for (let i = 0; i < n; i++) v += model.Wdec[k]![i]! * S[i]![j]!;
      return v;
    }));
}

/**
 * The SAE loss on all of X, with its parts: mse = ⟨‖x − x′‖²⟩, l1 = ⟨‖s‖₁⟩,
 * l0 = mean active features, and the features no point activates.
 */
export function saeLoss(model: SAEModel, X: Matrix, lambda: number): { loss: number; mse: number; l1: number; l0: number; dead: number[] } {
  const { P, m, n } = fromModel(model);
  const { cols: p } = checkMatrix("X", X, { rows: m });
  if (typeof lambda !== "number" || !Number.isFinite(lambda) || lambda < 0) {
    throw new RangeError(`lambda must be a finite number ≥ 0, got ${String(lambda)}`);
  }
  const st = pass(P, toColMajor(X), m, n, p, lambda, null);
  return {
    loss: (st.sq + lambda * st.l1) / p, mse: st.sq / p, l1: st.l1 / p, l0: st.active / p,
    dead: [...st.fired.keys()].filter((i) => st.fired[i] === 0),
  };
}

/**
 * The gradient of the mean loss over X with respect to every parameter, as
 * trainSAE computes it (before the decoder projection): exposed so the tests
 * can check it against finite differences.
 */
export function saeGradient(model: SAEModel, X: Matrix, lambda: number): SAEModel {
  const { P, m, n } = fromModel(model);
  const { cols: p } = checkMatrix("X", X, { rows: m });
  const G = zeros(m, n);
  pass(P, toColMajor(X), m, n, p, lambda, G);
  return toModel(G, m, n);
}
