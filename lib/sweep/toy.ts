// The toy-model sweep (notebook E10, issue #19): ICA's recipe and three SAEs
// on the hidden activations h = W x of a trained toy model of superposition
// (Elhage et al. 2022), scored against the model's represented features (the
// columns of W with ‖W_i‖ ≥ 0.5). A record's seed s fixes the model (seed
// ⌊s / LEARNERS_PER_MODEL⌋) and everything else (s): 20 seeds are 5 models ×
// 4 learner seeds. 'geometry' records only describe the model (its seed is s).
//
// The scale. ICA's σ and b are absolute, and h's scale is whatever training
// gave. 'normalised' divides every point by one number: the median ‖h‖ of the
// training points, times the recipe's b, so that a typical point is as long
// as one source of mean size b along a unit column. 'raw' leaves h alone.
// The angles do not change with the scale; the SAEs see the same data.
import { trainToyModel, type ToyModel } from "../toy";
import { featureDimensionality, featureNorms, polygon, representedFeatures } from "../toy/geometry";
import { initialBasis } from "../init";
import { learnBasis } from "../learning";
import { basisError, type BasisError } from "../metrics";
import { median } from "../stats";
import { mapCoder, saeCoder, type Coder } from "../coders";
import type { Dataset } from "../data";
import type { Matrix } from "../linalg";
import type { SweepRecord } from "./record";
import { recovery } from "./phase";
import { handedBack, runTuned, type Tuned } from "./tune";
import { LEARNERS_PER_MODEL, TOY_POINTS, TOY_TARGET_NORM, type ToyLaw, type ToySpec } from "./toy-spec";

export { LEARNERS_PER_MODEL, TOY_POINTS, TOY_TARGET_NORM, type ToyLaw, type ToySpec };

type Body = Omit<SweepRecord, "format" | "config" | "dataset" | "method" | "seed" | "fingerprint" | "wallMs">;

const round = (v: number, digits = 6): number | null => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null);

// Trained models, per process: a sweep worker trains each (law, seed) once, however many methods use it.
const trained = new Map<string, ToyModel>();

/** The model of a law and seed, trained once per process. */
export function toyModel(law: ToyLaw, seed: number): ToyModel {
  const key = `${JSON.stringify(law)}#${seed}`;
  let model = trained.get(key);
  if (!model) {
    model = trainToyModel({ ...law, seed });
    if (trained.size > 64) trained.clear();
    trained.set(key, model);
  }
  return model;
}

/** Columns `idx` of W (m×n), as an m×|idx| matrix. */
const columns = (W: Matrix, idx: number[]): Matrix => W.map((row) => idx.map((i) => row[i]!));

/** The model's numbers every toy record carries. */
function modelExtra(model: ToyModel): Record<string, number | null> {
  const norms = featureNorms(model.W);
  const rep = representedFeatures(model.W);
  const D = featureDimensionality(model.W);
  const repNorms = rep.map((i) => norms[i]!);
  const out: Record<string, number | null> = {
    modelLoss: round(model.loss, 8), represented: rep.length, modelDiverged: model.diverged ? model.diverged.step : null,
    normMin: round(Math.min(...repNorms)), normMax: round(Math.max(...repNorms)), normSpread: round(Math.max(...repNorms) / Math.min(...repNorms)),
    sumDim: round(D.reduce((s, v) => s + v, 0)), meanDimRepresented: round(rep.reduce((s, i) => s + D[i]!, 0) / Math.max(1, rep.length)),
    firstDropped: norms.findIndex((v) => v < 0.5),
  };
  if (model.W.length === 2 && rep.length >= 2) {
    const g = polygon(model.W);
    Object.assign(out, { gapMin: round(Math.min(...g.gapsDeg)), gapMax: round(Math.max(...g.gapsDeg)) });
  }
  D.forEach((v, i) => (out[`dim${i}`] = round(v)));
  return out;
}

/** Support precision, recall and dead latents of a coder on points H made from features X, matched to the represented features through `assignment`. */
function supportOf(coder: Coder, H: Matrix, X: Matrix, rep: number[], assignment: number[]): Record<string, number | null> {
  const S = coder.encode(H);
  const cols = S.length, p = H[0]!.length;
  const owner = new Array<number>(cols).fill(-1);
  assignment.forEach((c, j) => (owner[c] = rep[j]!));
  let tp = 0, fp = 0, fn = 0, l0 = 0;
  const used = new Uint8Array(cols);
  for (let t = 0; t < p; t++) {
    for (let c = 0; c < cols; c++) {
      const on = S[c]![t] !== 0;
      if (on) (used[c] = 1, l0++);
      const f = owner[c]!;
      const truth = f >= 0 && X[f]![t]! > 0;
      if (on && truth) tp++;
      else if (on) fp++;
      else if (truth) fn++;
    }
  }
  return {
    precision: round(tp / Math.max(1, tp + fp)), recall: round(tp / Math.max(1, tp + fn)),
    dead: cols - used.reduce((s, v) => s + v, 0), l0: round(l0 / p),
  };
}

/** The learned basis scored against the represented columns: angles, MMCS, norm ratio, support. */
function scoreBasis(B: Matrix, e: BasisError, coder: Coder, model: ToyModel, rep: number[], score: { H: Matrix; X: Matrix }): Record<string, number | null> {
  const truth = columns(model.W, rep);
  const rec = recovery(B, truth);
  const bn = featureNorms(B), tn = featureNorms(truth);
  const q = e.assignment.map((c, j) => bn[c]! / tn[j]!);
  return {
    angle: round(e.meanAngleDeg), worst: round(e.maxAngleDeg), mmcs: round(rec.mmcs), within5: round(rec.within),
    normRatio: round(Math.max(...q) / Math.min(...q)),
    ...supportOf(coder, score.H, score.X, rep, e.assignment),
  };
}

/** Scales every point of H by c. */
const scaled = (H: Matrix, c: number): Matrix => H.map((row) => row.map((v) => v * c));

/** c with median ‖c·h‖ = TOY_TARGET_NORM over the columns of H (1 for 'raw'). */
export function normalisingScale(H: Matrix, scale: "raw" | "normalised"): number {
  if (scale === "raw") return 1;
  const med = median(Array.from({ length: H[0]!.length }, (_, j) => Math.sqrt(H.reduce((s, row) => s + row[j]! ** 2, 0))));
  if (!(med > 0)) throw new RangeError(`the training points' median norm is ${med}: nothing to normalise`);
  return TOY_TARGET_NORM / med;
}

/** A tuned run's record body: the kept run's trajectory, its choice and objectives, and its scores. */
function tunedBody(t: Tuned, truth: Matrix, model: ToyModel, rep: number[], score: { H: Matrix; X: Matrix }, c: number): Body {
  const kept = t.runs[t.chosen]!;
  const B = handedBack(kept);
  const coder = kept.family === "ica"
    ? mapCoder(kept.result.learned, { prior: kept.result.options.prior, sigma: kept.result.options.sigma, b: kept.result.options.b })
    : saeCoder(kept.result.model);
  const h = kept.result.history as { step: number; angleError: number | null }[];
  const best = h.reduce((a, b) => (b.angleError! < a.angleError! ? b : a));
  const last = kept.family === "ica" ? kept.result.A : kept.result.basis;
  const fin = basisError(last, truth), got = basisError(B, truth);
  const extra: Record<string, number | null> = { chosen: t.chosen, scale: round(c, 8), ...modelExtra(model), ...scoreBasis(B, got, coder, model, rep, score) };
  t.objectives.forEach((v, i) => (extra[`objective${i}`] = round(v)));
  return {
    options: kept.result.options, bestError: best.angleError!, bestStep: best.step, finalError: fin.meanAngleDeg, finalWorst: fin.maxAngleDeg,
    returnedError: got.meanAngleDeg, diverged: kept.result.diverged,
    deadFeatures: extra.dead as number, curve: { every: 10, values: h.filter((e) => e.step % 10 === 0).map((e) => Number(e.angleError!.toFixed(3))) }, extra,
  };
}

const noRun = { bestError: 0, bestStep: 0, finalError: 0, finalWorst: 0, returnedError: 0, diverged: null, deadFeatures: 0, curve: { every: 1, values: [] } };

/** One run of a toy method on a law and a seed. */
export function runToy(spec: ToySpec, law: ToyLaw, seed: number): Body {
  if (spec.family === "geometry") {
    const model = toyModel(law, seed);
    return { options: model.options, ...noRun, diverged: model.diverged, extra: modelExtra(model) };
  }
  const model = toyModel(law, Math.floor(seed / LEARNERS_PER_MODEL));
  const rep = representedFeatures(model.W);
  const n = model.options.features;
  const draw = (what: string, samples: number) => model.sample({ samples, seed: `${seed}/${what}`, nonZero: true });
  const train = draw("train", TOY_POINTS.train), select = draw("select", TOY_POINTS.select), score = draw("score", TOY_POINTS.score);
  const c = normalisingScale(train.H, spec.scale);
  const truth = columns(model.W, rep);
  const asData = (s: { X: Matrix; H: Matrix }): Dataset => ({ A: truth, X: scaled(s.H, c), S: rep.map((i) => s.X[i]!) } as unknown as Dataset);
  const d = asData(train), fresh = asData(select), scoreSet = { H: scaled(score.H, c), X: score.X };
  if (spec.family === "ica-truth") {
    // An oracle, for the diagnosis only: the represented columns (unit length), then data directions for the rest.
    const extra = n > rep.length ? initialBasis("data", { m: truth.length, n: n - rep.length, seed, data: d.X }) : truth.map(() => []);
    const lengths = featureNorms(truth);
    const unit = truth.map((row, k) => row.map((v, j) => v / lengths[j]!).concat(extra[k]!));
    const r = learnBasis(d.X, { ...spec.options, init: unit, sources: n, trueBasis: truth, seed });
    const t: Tuned = { chosen: 0, runs: [{ family: "ica", result: r }], objectives: [NaN] };
    return tunedBody(t, truth, model, rep, scoreSet, c);
  }
  const k = spec.topkFromData ? { k: Math.max(1, Math.round(train.X.reduce((s, row) => s + row.filter((v) => v > 0).length, 0) / TOY_POINTS.train)) } : {};
  const tspec = { kind: "tuned", family: spec.family, options: { ...spec.options, ...k }, grid: spec.grid, extraColumns: n - rep.length } as never;
  const t = runTuned(tspec, d, fresh, seed);
  return tunedBody(t, truth, model, rep, scoreSet, c);
}
