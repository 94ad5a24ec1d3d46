// One interface for the two ways of turning x into a sparse code, so ICA and
// the SAE are measured by the same code (notebook E7): ICA encodes by MAP
// inference under its basis A and decodes with A; the SAE encodes with its
// encoder (ReLU, TopK or JumpReLU, as the model says) and decodes with W_dec and b_dec.
import { declareOptions } from "./options";
import { checkMatrix, type Matrix } from "./linalg";
import { fromRows, toRows } from "./matrix";
import { MODEL_OPTIONS, RETIRED_NON_NEGATIVE, type Model } from "./model";
import { solveMap } from "./inference/solve";
import { basisError } from "./metrics";
import { encodeSAE, type SAEModel } from "./sae";
import { generateData } from "./data";

export interface Coder {
  /** What the legends call it. */
  name: string;
  /** m×n feature directions (ICA's A, the SAE's W_dec). */
  basis: Matrix;
  /** m×p points → n×p codes. */
  encode(X: Matrix): Matrix;
  /** n×p codes → m×p reconstructions. */
  decode(S: Matrix): Matrix;
}

export interface MapCoderOptions extends Partial<Model> {
  /** What the legends call it. Default 'ICA (MAP)'. */
  name?: string;
}

export const MAP_CODER_OPTIONS = declareOptions<MapCoderOptions>("mapCoder", {
  ...MODEL_OPTIONS.schema,
  name: { kind: "string", default: "ICA (MAP)", doc: "what the legends call it" },
}, RETIRED_NON_NEGATIVE);

/** ICA as a coder: ŝ = MAP inference under A and the model (exact for small n), x′ = A ŝ. */
export function mapCoder(A: Matrix, opts: MapCoderOptions = {}): Coder {
  const Am = fromRows("A", A);
  const o = MAP_CODER_OPTIONS.parse(opts);
  const model: Model = { prior: o.prior!, sigma: o.sigma!, b: o.b! };
  const basis = toRows(Am);
  return {
    name: o.name!,
    basis,
    encode: (X) => toRows(solveMap(Am, fromRows("X", X, { rows: Am.rows }), model, { certify: false }).S),
    decode: (S) => multiply(basis, S, new Array<number>(Am.rows).fill(0), Am.cols),
  };
}

/** The SAE as a coder: s = f(W_enc (x − b_dec) + b_enc) with the model's activation f (ReLU, TopK, JumpReLU), x′ = W_dec s + b_dec. */
export function saeCoder(model: SAEModel, name = "SAE"): Coder {
  const { rows: m, cols: n } = checkMatrix("model.Wdec", model.Wdec);
  encodeSAE(model, Array.from({ length: m }, () => [0])); // validates the model once, here
  return {
    name,
    basis: model.Wdec.map((r) => r.slice()),
    encode: (X) => encodeSAE(model, X),
    decode: (S) => multiply(model.Wdec, S, model.bDec, n),
  };
}

function multiply(A: Matrix, S: Matrix, bias: number[], n: number): Matrix {
  const { cols: p } = checkMatrix("S", S, { rows: n });
  return A.map((row, k) => {
    const out = new Array<number>(p).fill(bias[k]!);
    for (let i = 0; i < n; i++) {
      const a = row[i]!;
      if (a === 0) continue;
      const s = S[i]!;
      for (let j = 0; j < p; j++) out[j] += a * s[j]!;
    }
    return out;
  });
}

/**
 * The same coder with its features reordered so that feature i is the one
 * matched to true feature i (Hungarian matching, as in basisError); extra
 * features follow in their old order. `order[i]` is the old index of new
 * feature i. Figures then give a feature the same colour in every model.
 */
export function alignCoder(coder: Coder, Atrue: Matrix): { coder: Coder; order: number[] } {
  const { cols: n } = checkMatrix("coder.basis", coder.basis);
  const matched = basisError(coder.basis, Atrue).assignment;
  const order = [...matched, ...Array.from({ length: n }, (_, i) => i).filter((i) => !matched.includes(i))];
  const back = new Array<number>(n);
  order.forEach((old, i) => (back[old] = i));
  return {
    order,
    coder: {
      name: coder.name,
      basis: coder.basis.map((row) => order.map((i) => row[i]!)),
      encode: (X) => {
        const S = coder.encode(X);
        return order.map((i) => S[i]!);
      },
      decode: (S) => coder.decode(back.map((i) => S[i]!)),
    },
  };
}

export interface CodeStats {
  /** ⟨‖x − x′‖²⟩. */
  mse: number;
  /** ⟨‖x − x′‖²⟩ / ⟨‖x‖²⟩: the fraction of the data's energy left unexplained. */
  relativeMse: number;
  /** Mean number of non-zero code entries per point. */
  l0: number;
  /** Mean ‖s‖₁ per point. */
  l1: number;
  /** Features no point uses. */
  dead: number[];
}

/** Reconstruction error and sparsity of a coder on the columns of X. */
export function codeStats(coder: Coder, X: Matrix): CodeStats {
  checkMatrix("X", X);
  return statsOf(coder, X, coder.encode(X));
}

/** codeStats for codes S = coder.encode(X) already computed. */
function statsOf(coder: Coder, X: Matrix, S: Matrix): CodeStats {
  const m = X.length;
  const p = X[0]!.length;
  const Xh = coder.decode(S);
  let sq = 0;
  let energy = 0;
  for (let k = 0; k < m; k++) {
    for (let j = 0; j < p; j++) {
      sq += (X[k]![j]! - Xh[k]![j]!) ** 2;
      energy += X[k]![j]! ** 2;
    }
  }
  let l0 = 0;
  let l1 = 0;
  const dead: number[] = [];
  S.forEach((row, i) => {
    let used = false;
    for (const v of row) {
      if (v !== 0) {
        l0++;
        l1 += Math.abs(v);
        used = true;
      }
    }
    if (!used) dead.push(i);
  });
  return { mse: sq / p, relativeMse: energy > 0 ? sq / energy : 0, l0: l0 / p, l1: l1 / p, dead };
}

export interface DensityPoint {
  /** Number of true sources active in each point. */
  k: number;
  /** ⟨‖x − x′‖²⟩ / ⟨‖x‖²⟩ over the k-hot points. */
  relativeMse: number;
  /**
   * Fraction of the points whose code has every one of its true features
   * active (each true feature mapped to its matched learned column): the
   * point lies in a zone that can represent it.
   */
  covered: number;
  /** Fraction whose active set is exactly the matched columns of its true features. */
  exact: number;
  /**
   * Support precision: of all active code entries, the share that are a
   * matched column of one of the point's true features. `covered` alone
   * rewards a code that fires every feature on every point; precision is
   * what such a code pays. NaN when no entry is active at this k.
   */
  precision: number;
  /** Support recall: of all (point, true feature) pairs, the share whose matched column is active. */
  recall: number;
  /** Mean number of active code entries. */
  l0: number;
}

export interface DensityOptions {
  /** Points per k. Default 500. */
  samples?: number;
  /** Seed; the k-hot set of each k has its own stream. Default 0. */
  seed?: number | string;
  /** Mean source b of the k-hot points (generateData's b). Default 2. */
  b?: number;
  /** The numbers of active sources. Default 1 … n. */
  ks?: number[];
}

export const DENSITY_OPTIONS = declareOptions<DensityOptions>("densityCurve", {
  samples: { kind: "integer", min: 1, default: 500, doc: "points per k" },
  seed: { kind: "seed", default: 0, doc: "seed; each k draws from `<seed>/k<k>`" },
  b: { ...MODEL_OPTIONS.schema.b, doc: "mean source of the k-hot points (generateData's b)" },
  ks: { kind: "numbers", min: 1, doc: "numbers of active sources (default 1 … n)" },
}, { rate: "b, the mean source (b = 1/rate)" });

/**
 * The density claim of the blog's "Comparison with SAEs": for k = 1 … n,
 * draw k-hot points from the true basis (exactly k sources active, the same
 * exponential magnitudes as the training data), and measure how well the
 * coder reconstructs them and whether its code activates their features.
 * Learned columns are matched to true features as in basisError.
 */
export function densityCurve(coder: Coder, Atrue: Matrix, opts: DensityOptions = {}): DensityPoint[] {
  const { cols: n } = checkMatrix("Atrue", Atrue);
  const o = DENSITY_OPTIONS.parse(opts);
  const ks = o.ks ?? Array.from({ length: n }, (_, i) => i + 1);
  return ks.map((k) => {
    const d = generateData({ A: Atrue, samples: o.samples, seed: `${String(o.seed)}/k${k}`, b: o.b, active: k });
    const code = coder.encode(d.X);
    const cov = coverageOf(code, basisError(coder.basis, Atrue).assignment, d.S);
    const stats = statsOf(coder, d.X, code);
    const frac = (v: boolean[]) => v.filter(Boolean).length / v.length;
    return {
      k, relativeMse: stats.relativeMse, covered: frac(cov.covered), exact: frac(cov.exact),
      precision: cov.counts.fired > 0 ? cov.counts.hits / cov.counts.fired : Number.NaN, recall: cov.counts.hits / cov.counts.wanted, l0: stats.l0,
    };
  });
}

/** Per point, whether the code's support holds the point's features; and the pooled support precision and recall. */
export interface SupportCoverage {
  /** The point's every true feature has its matched column active. */
  covered: boolean[];
  /** ... and no other column is active. */
  exact: boolean[];
  /** Active entries that are matched columns of the point's features, over all active entries (NaN if none is active). */
  precision: number;
  /** Matched columns of the points' features that are active, over all (point, true feature) pairs (NaN if there is none). */
  recall: number;
}

/**
 * For points X made by the true sources S (n×p) of basis Atrue: does the
 * coder switch on every true feature of each point (its matched column,
 * as in basisError), and nothing else? `covered` means the point lies in a
 * zone that contains all its features; `exact` that the zone is exactly them.
 * Precision and recall pool the (point, column) pairs of all points.
 */
export function supportCoverage(coder: Coder, Atrue: Matrix, X: Matrix, S: Matrix): SupportCoverage {
  const { cols: n } = checkMatrix("Atrue", Atrue);
  const { cols: p } = checkMatrix("X", X, { rows: Atrue.length });
  checkMatrix("S", S, { rows: n, cols: p });
  const { covered, exact, counts } = coverageOf(coder.encode(X), basisError(coder.basis, Atrue).assignment, S);
  return {
    covered, exact,
    precision: counts.fired > 0 ? counts.hits / counts.fired : Number.NaN,
    recall: counts.wanted > 0 ? counts.hits / counts.wanted : Number.NaN,
  };
}

/** supportCoverage from codes already computed; assignment[t] = the column matched to true feature t. */
function coverageOf(code: Matrix, assignment: number[], S: Matrix): { covered: boolean[]; exact: boolean[]; counts: { hits: number; fired: number; wanted: number } } {
  const n = S.length;
  const p = S[0]!.length;
  const covered: boolean[] = [];
  const exact: boolean[] = [];
  const counts = { hits: 0, fired: 0, wanted: 0 };
  for (let j = 0; j < p; j++) {
    const want = new Set<number>();
    for (let t = 0; t < n; t++) if (S[t]![j]! !== 0) want.add(assignment[t]!);
    let all = true;
    for (const c of want) {
      if (code[c]![j]! === 0) all = false;
      else counts.hits++;
    }
    let extra = false;
    for (let c = 0; c < code.length; c++) {
      if (code[c]![j]! === 0) continue;
      counts.fired++;
      if (!want.has(c)) extra = true;
    }
    counts.wanted += want.size;
    covered.push(all);
    exact.push(all && !extra);
  }
  return { covered, exact, counts };
}

export interface CoderScore extends CodeStats {
  /** Mean matched angle between the coder's directions and the true features, degrees. */
  angleDeg: number;
  /** Worst matched angle, degrees. */
  maxAngleDeg: number;
  /** Mean max cosine similarity of the true features with the coder's directions. */
  mmcs: number;
}

/** Everything E7's tables report about one coder on one dataset (wall time aside). */
export function scoreCoder(coder: Coder, X: Matrix, Atrue: Matrix): CoderScore {
  const e = basisError(coder.basis, Atrue);
  return { ...codeStats(coder, X), angleDeg: e.meanAngleDeg, maxAngleDeg: e.maxAngleDeg, mmcs: e.mmcs };
}
