// Seed sweeps (notebook E8): named configurations of the learning rule, each
// run over many seeds, so that a claim such as "the recipe works" becomes a
// success rate with an interval instead of one anecdote.
//
// A configuration is "<dataset>/<method>". The datasets are E6's; the methods
// are the paper's rule, the rule with one part of the E6 recipe added, the
// recipe, the recipe with one part removed, over-provisioned runs that are
// clustered and refitted, and the SAE of E7 on the same draws. For every seed
// the data and the start are drawn from that seed, as in E6.
//
// runSweepTask is pure apart from its wall time: the same configuration and
// seed give the same record on any machine, in any worker, in any order.
// `npm run sweep` (scripts/sweep.ts) spreads the tasks over worker threads and
// writes one JSON file per run; loadSweep reads them back for the notebook.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { generateData } from "./data";
import { learnBasis, type LearnOptions, type LearnResult } from "./learning";
import { basisError } from "./metrics";
import { clusterColumns, columnUsage } from "./cluster";
import { trainSAE, type SAEOptions } from "./sae";
import { median, pairedRateDifference, quantile, wilsonInterval, type PairedDifference, type Rate } from "./stats";
import type { Matrix } from "./linalg";

/** Version of the record layout; a record of another format is re-run. */
export const SWEEP_FORMAT = 1;

/** A run succeeds when its best error is below this many degrees. */
export const SWEEP_SUCCESS_DEG = 3;

export interface SweepDataset {
  name: string;
  description: string;
  angles: number[];
  samples: number;
}

/** E6's two datasets: E6.1's regular three features and E6.2's irregular four. */
export const SWEEP_DATASETS: readonly SweepDataset[] = [
  { name: "regular", description: "E6.1: three features at 30°, 150° and 270°, 1,000 points", angles: [30, 150, 270], samples: 1000 },
  { name: "irregular", description: "E6.2: four features at 0°, 60°, 150° and 250°, 1,000 points", angles: [0, 60, 150, 250], samples: 1000 },
];

type IcaOptions = Omit<LearnOptions, "seed" | "trueBasis" | "historyEvery">;

export type SweepMethodSpec =
  | { kind: "ica"; options: IcaOptions }
  | { kind: "overprovision"; columns: number; options: IcaOptions; refitSteps: number }
  | { kind: "sae"; options: Omit<SAEOptions, "seed" | "trueBasis" | "historyEvery" | "features"> };

export interface SweepMethod {
  name: string;
  /** What the method changes, in a few words. */
  description: string;
  spec: SweepMethodSpec;
}

/**
 * The numbers every ICA method shares, so that two methods differ only in
 * the parts they name: the recipe's σ, b, peak α and step count. The paper's
 * rule ('vanilla') runs with them too.
 */
export const SWEEP_BASE = { sigma: 0.1, b: 2, lr: 0.1, steps: 300 } as const;

/** E7's SAE training settings (Adam, warm-up + cosine, b_dec learned unless switched off). */
export const SAE_E7 = { steps: 3000, lr: 0.01, batchSize: 256 } as const;

const vanilla: IcaOptions = { preset: "paper", ...SWEEP_BASE };
const recipe: IcaOptions = { preset: "best-effort", ...SWEEP_BASE, bestBy: "likelihood" };

/**
 * The recipe's parts, each with the option that adds it to the paper's rule
 * and the option that removes it from the recipe. "keep the best A" does not
 * change the trajectory, so it has no 'added' method: it only changes which
 * A is handed back.
 */
export const RECIPE_PARTS = [
  { part: "schedule", label: "the warm-up + cosine schedule", add: { schedule: "warmup-cosine" }, remove: { schedule: "constant" } },
  { part: "spread", label: "the spread initialisation", add: { init: "spread" }, remove: { init: "random" } },
  { part: "equalize", label: "equal column norms", add: { equalizeNorms: true }, remove: { equalizeNorms: false } },
  { part: "precondition", label: "the (AAᵀ)⁻¹ preconditioner", add: { precondition: "inverse-AAT" }, remove: { precondition: "none" } },
  { part: "keepbest", label: "keeping the best A (the likelihood proxy's pick)", add: null, remove: { keepBest: false } },
] as const satisfies readonly { part: string; label: string; add: IcaOptions | null; remove: IcaOptions }[];

function methods(): SweepMethod[] {
  const out: SweepMethod[] = [
    { name: "vanilla", description: "the paper's rule: random start, eq. 5 as it stands, constant α, the last A", spec: { kind: "ica", options: vanilla } },
  ];
  for (const p of RECIPE_PARTS) {
    if (p.add) out.push({ name: `vanilla+${p.part}`, description: `the paper's rule plus ${p.label}`, spec: { kind: "ica", options: { ...vanilla, ...p.add } } });
  }
  out.push({ name: "recipe", description: "the E6 recipe: all five parts", spec: { kind: "ica", options: recipe } });
  for (const p of RECIPE_PARTS) {
    out.push({ name: `recipe-${p.part}`, description: `the recipe without ${p.label}`, spec: { kind: "ica", options: { ...recipe, ...p.remove } } });
  }
  out.push({ name: "recipe@sigma0.5", description: "the recipe at σ = 0.5, the value of E3–E5", spec: { kind: "ica", options: { ...recipe, sigma: 0.5 } } });
  for (const columns of [6, 8]) {
    out.push({
      name: `overprovision${columns}`,
      description: `the recipe with ${columns} columns (last A), usage-weighted k-means to the true count, then a 100-step refit from the centroids (E6.3)`,
      spec: { kind: "overprovision", columns, options: { ...recipe, keepBest: false }, refitSteps: 100 },
    });
  }
  out.push(
    { name: "sae", description: "the E7 SAE, λ = 0.01 (the λ that matches ICA's objective)", spec: { kind: "sae", options: { lambda: 0.01, ...SAE_E7 } } },
    { name: "sae-lambda1", description: "the E7 SAE, λ = 1", spec: { kind: "sae", options: { lambda: 1, ...SAE_E7 } } },
    { name: "sae-nobias", description: "the E7 SAE, λ = 0.01, without the decoder bias", spec: { kind: "sae", options: { lambda: 0.01, ...SAE_E7, decoderBias: false } } },
  );
  return out;
}

/** Every method, in table order. */
export const SWEEP_METHODS: readonly SweepMethod[] = methods();

export interface SweepConfig {
  /** "<dataset>/<method>". */
  name: string;
  dataset: SweepDataset;
  method: SweepMethod;
  /** Changes whenever the dataset or the method's definition changes; a stored record with another one is stale. */
  fingerprint: string;
}

function fingerprint(dataset: SweepDataset, method: SweepMethod): string {
  const text = JSON.stringify({ format: SWEEP_FORMAT, dataset: { angles: dataset.angles, samples: dataset.samples }, spec: method.spec });
  return crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);
}

/** Every configuration: each dataset with each method. */
export const SWEEP_CONFIGS: readonly SweepConfig[] = SWEEP_DATASETS.flatMap((dataset) =>
  SWEEP_METHODS.map((method) => ({ name: `${dataset.name}/${method.name}`, dataset, method, fingerprint: fingerprint(dataset, method) })),
);

export class SweepConfigError extends RangeError {
  override name = "SweepConfigError";
}

/** The valid names, one per line, grouped by dataset (for error messages and `--list`). */
export function describeSweepConfigs(): string {
  const width = Math.max(...SWEEP_CONFIGS.map((c) => c.name.length));
  return SWEEP_CONFIGS.map((c) => `  ${c.name.padEnd(width)}  ${c.method.description}`).join("\n");
}

/**
 * The configurations named by `patterns`, in table order, without repeats.
 * A pattern is a full name ("regular/recipe"), a dataset ("regular"), a
 * method on every dataset ("recipe") or a glob with * ("*\/recipe-*"). A
 * pattern that matches nothing stops everything, with the valid names.
 */
export function resolveSweepConfigs(patterns: readonly string[]): SweepConfig[] {
  if (!Array.isArray(patterns) || patterns.length === 0) throw new SweepConfigError("configs must name at least one configuration");
  const chosen = new Set<string>();
  const unknown: string[] = [];
  for (const raw of patterns) {
    if (typeof raw !== "string" || raw.trim() === "") {
      unknown.push(JSON.stringify(raw));
      continue;
    }
    const pat = raw.trim();
    const re = new RegExp(`^${pat.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\@]/g, "\\$&")).join("[^/]*")}$`);
    const hits = SWEEP_CONFIGS.filter((c) => pat === "all" || re.test(c.name) || re.test(c.dataset.name) || re.test(c.method.name));
    if (hits.length === 0) unknown.push(`'${pat}'`);
    for (const h of hits) chosen.add(h.name);
  }
  if (unknown.length > 0) {
    throw new SweepConfigError(
      `unknown configuration ${unknown.join(", ")}. A configuration is <dataset>/<method>; a dataset, a method or a * pattern selects several. Valid names:\n${describeSweepConfigs()}`,
    );
  }
  return SWEEP_CONFIGS.filter((c) => chosen.has(c.name));
}

export interface SweepRecord {
  format: number;
  /** "<dataset>/<method>". */
  config: string;
  dataset: string;
  method: string;
  /** Seeds the data, the start and the batches. */
  seed: number;
  fingerprint: string;
  /** The options the run resolved to (for over-provisioning, the wide run's and the refit's). */
  options: unknown;
  /** The lowest mean matched angle (degrees) along the run: an oracle, since it needs the truth. */
  bestError: number;
  bestStep: number;
  /** The mean matched angle of the last basis. */
  finalError: number;
  /** The worst column's angle in the last basis. */
  finalWorst: number;
  /** The mean matched angle of the basis the method hands back (the recipe's likelihood pick, or the last A). */
  returnedError: number;
  /** Where and why the run stopped early; null if it ran every step. */
  diverged: { step: number; reason: string } | null;
  /** Columns (features) that no point uses at the end. */
  deadFeatures: number;
  /** The mean matched angle every `every` steps. */
  curve: { every: number; values: number[] };
  /** Method-specific numbers (over-provisioning: the wide run's errors). */
  extra: Record<string, number | null>;
  /** Wall time of this run in milliseconds (not part of the result: it varies). */
  wallMs: number;
  /** Where the record was made (added by the sweep command). */
  commit?: string;
  recordedAt?: string;
}

/** Looks a configuration up by its full name, or stops with the valid names. */
export function sweepConfig(name: string): SweepConfig {
  const c = SWEEP_CONFIGS.find((x) => x.name === name);
  if (!c) throw new SweepConfigError(`unknown configuration '${String(name)}'. Valid names:\n${describeSweepConfigs()}`);
  return c;
}

const round = (v: number, digits = 4) => Number(v.toFixed(digits));

/** The lowest angle error of a history (the first one on ties) and its step. */
function lowest(history: readonly { step: number; angleError: number | null }[]): { bestError: number; bestStep: number } {
  let k = 0;
  for (let i = 1; i < history.length; i++) if (history[i]!.angleError! < history[k]!.angleError!) k = i;
  return { bestError: history[k]!.angleError!, bestStep: history[k]!.step };
}

function icaOutcome(r: LearnResult, trueBasis: Matrix) {
  const last = r.history[r.history.length - 1]!;
  const final = basisError(r.A, trueBasis);
  return {
    ...lowest(r.history),
    finalError: final.meanAngleDeg,
    finalWorst: final.maxAngleDeg,
    returnedError: basisError(r.learned, trueBasis).meanAngleDeg,
    diverged: r.diverged,
    deadFeatures: last.deadFeatures,
    curve: { every: 10, values: r.history.filter((h) => h.step % 10 === 0).map((h) => round(h.angleError!, 3)) },
  };
}

/**
 * One run of one configuration: draws the dataset from `seed`, runs the
 * method with the same seed, and scores it against the true basis.
 */
export function runSweepTask(configName: string, seed: number): SweepRecord {
  const config = sweepConfig(configName);
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0) throw new RangeError(`seed must be an integer ≥ 0, got ${String(seed)}`);
  const t0 = performance.now();
  const { dataset, method } = config;
  const d = generateData({ angles: dataset.angles, samples: dataset.samples, seed });
  const trueCount = dataset.angles.length;
  const spec = method.spec;
  let body: Omit<SweepRecord, "format" | "config" | "dataset" | "method" | "seed" | "fingerprint" | "wallMs">;
  if (spec.kind === "ica") {
    const r = learnBasis(d.X, { ...spec.options, trueBasis: d.A, seed });
    body = { options: r.options, ...icaOutcome(r, d.A), extra: {} };
  } else if (spec.kind === "overprovision") {
    const wide = learnBasis(d.X, { ...spec.options, sources: spec.columns, seed });
    const usage = columnUsage(wide.A, d.X, { sigma: wide.options.sigma, b: wide.options.b });
    const live = usage.share.filter((w) => w > 0).length;
    const weighted = live >= trueCount ? clusterColumns(wide.A, trueCount, { seed, weights: usage.share }) : null;
    const plain = clusterColumns(wide.A, trueCount, { seed });
    const refit = learnBasis(d.X, {
      ...spec.options, sources: trueCount, init: weighted ? weighted.centroids : plain.centroids, steps: spec.refitSteps, trueBasis: d.A, seed,
    });
    const out = icaOutcome(refit, d.A);
    body = {
      options: { wide: wide.options, refit: refit.options },
      ...out,
      diverged: wide.diverged ? { step: wide.diverged.step, reason: `wide run: ${wide.diverged.reason}` } : out.diverged,
      deadFeatures: wide.history[wide.history.length - 1]!.deadFeatures,
      extra: {
        plainClusterError: round(basisError(plain.centroids, d.A).meanAngleDeg),
        weightedClusterError: weighted ? round(basisError(weighted.centroids, d.A).meanAngleDeg) : null,
        wideMatchedError: round(basisError(wide.A, d.A).meanAngleDeg),
        refitDeadFeatures: out.deadFeatures,
      },
    };
  } else {
    const r = trainSAE(d.X, { ...spec.options, features: trueCount, trueBasis: d.A, seed, historyEvery: 10 });
    const final = basisError(r.basis, d.A);
    body = {
      options: r.options,
      ...lowest(r.history),
      finalError: final.meanAngleDeg,
      finalWorst: final.maxAngleDeg,
      returnedError: final.meanAngleDeg,
      diverged: r.diverged,
      deadFeatures: r.dead.length,
      curve: { every: 100, values: r.history.filter((h) => h.step % 100 === 0).map((h) => round(h.angleError!, 3)) },
      extra: {},
    };
  }
  return {
    format: SWEEP_FORMAT, config: config.name, dataset: dataset.name, method: method.name, seed, fingerprint: config.fingerprint,
    ...body,
    bestError: round(body.bestError, 6), finalError: round(body.finalError, 6), finalWorst: round(body.finalWorst, 6), returnedError: round(body.returnedError, 6),
    wallMs: round(performance.now() - t0, 1),
  };
}

/** Runs configurations × seeds here, one after another (the notebook's live cell; the command uses workers). */
export function runSweep(configs: readonly string[], seeds: readonly number[]): SweepRecord[] {
  const chosen = resolveSweepConfigs(configs);
  if (!Array.isArray(seeds) || seeds.length === 0) throw new RangeError("seeds must be a non-empty list of integers ≥ 0");
  return chosen.flatMap((c) => seeds.map((s) => runSweepTask(c.name, s)));
}

/** The parts of a record that a rerun must reproduce exactly (everything but the timing and the provenance). */
export function sweepResultKey(r: SweepRecord): string {
  const { wallMs: _w, commit: _c, recordedAt: _t, ...rest } = r;
  return JSON.stringify(rest);
}

// ---------------------------------------------------------------- storage

/** Where a run's record lives: <dir>/<dataset>/<method>/seed-007.json. */
export function sweepRecordPath(dir: string, config: string, seed: number): string {
  const [dataset, method] = config.split("/");
  return path.join(dir, dataset!, method!, `seed-${String(seed).padStart(3, "0")}.json`);
}

/**
 * Writes a record so that no reader, and no interruption, ever sees half of
 * it: the text goes to a temporary file beside the target, which is then
 * renamed over it (a rename within one directory is atomic on POSIX).
 */
export function writeSweepRecord(dir: string, record: SweepRecord): string {
  const file = sweepRecordPath(dir, record.config, record.seed);
  writeAtomic(file, JSON.stringify(record) + "\n");
  return file;
}

export function writeAtomic(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export type RecordState = { state: "done"; record: SweepRecord } | { state: "missing" } | { state: "stale" | "unreadable"; why: string };

/** Whether the record of (config, seed) is there, current and readable. */
export function readSweepRecord(dir: string, config: SweepConfig, seed: number): RecordState {
  const file = sweepRecordPath(dir, config.name, seed);
  if (!fs.existsSync(file)) return { state: "missing" };
  let rec: SweepRecord;
  try {
    rec = JSON.parse(fs.readFileSync(file, "utf8")) as SweepRecord;
    checkRecord(rec, file);
  } catch (e) {
    return { state: "unreadable", why: (e as Error).message };
  }
  if (rec.format !== SWEEP_FORMAT || rec.fingerprint !== config.fingerprint) {
    return { state: "stale", why: `made by another definition of ${config.name} (fingerprint ${String(rec.fingerprint)}, now ${config.fingerprint})` };
  }
  if (rec.config !== config.name || rec.seed !== seed) return { state: "unreadable", why: `${file} holds ${rec.config} seed ${rec.seed}` };
  return { state: "done", record: rec };
}

function checkRecord(r: SweepRecord, file: string): void {
  const bad = (field: string) => new Error(`${file}: field ${field} is missing or not a finite number`);
  if (typeof r !== "object" || r === null) throw new Error(`${file}: not a JSON object`);
  for (const f of ["bestError", "bestStep", "finalError", "finalWorst", "returnedError", "deadFeatures", "wallMs", "seed"] as const) {
    if (typeof r[f] !== "number" || !Number.isFinite(r[f])) throw bad(f);
  }
  if (typeof r.config !== "string" || typeof r.fingerprint !== "string") throw new Error(`${file}: config or fingerprint missing`);
  if (r.diverged !== null && (typeof r.diverged !== "object" || typeof r.diverged.step !== "number")) throw bad("diverged.step");
}

export interface LoadedSweep {
  records: SweepRecord[];
  /** Configurations with fewer records than the most complete one, or none. */
  missing: { config: string; seeds: number }[];
  /** Records whose configuration has been redefined since they were made. */
  stale: string[];
  /** Files that did not parse or lacked a field. */
  unreadable: string[];
  /** The `npm run sweep` invocations that wrote to `dir` (manifest.json), oldest first. */
  invocations: SweepInvocation[];
}

/** One `npm run sweep` invocation, as its manifest entry records it. */
export interface SweepInvocation {
  started: string;
  wallSeconds: number;
  configs: "all" | string[];
  seeds: [number, number];
  planned: number;
  skipped: number;
  ran: number;
  failed: number;
  interrupted: boolean;
  workers: number;
  cores: number;
  cpu: string;
  node: string;
  commit: string | null;
}

/**
 * Reads every record under `dir` for the given configurations (default:
 * all) and seeds firstSeed … firstSeed + seeds − 1 (default 0 … 49).
 */
export function loadSweep(dir: string, o: { configs?: readonly string[]; seeds?: number; firstSeed?: number } = {}): LoadedSweep {
  if (typeof dir !== "string" || !fs.existsSync(dir)) throw new RangeError(`dir must be an existing directory of sweep records, got ${String(dir)}`);
  const configs = o.configs ? resolveSweepConfigs(o.configs) : [...SWEEP_CONFIGS];
  const seeds = o.seeds ?? 50;
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`seeds must be an integer ≥ 1, got ${String(seeds)}`);
  const first = o.firstSeed ?? 0;
  if (!Number.isInteger(first) || first < 0) throw new RangeError(`firstSeed must be an integer ≥ 0, got ${String(first)}`);
  const out: LoadedSweep = { records: [], missing: [], stale: [], unreadable: [], invocations: [] };
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as { invocations?: SweepInvocation[] };
    if (Array.isArray(m.invocations)) out.invocations = m.invocations;
  } catch {
    // no manifest: records written by hand or by an older sweep
  }
  for (const c of configs) {
    let absent = 0;
    for (let s = first; s < first + seeds; s++) {
      const st = readSweepRecord(dir, c, s);
      if (st.state === "done") out.records.push(st.record);
      else {
        absent++;
        if (st.state === "stale") out.stale.push(`${c.name} seed ${s}`);
        if (st.state === "unreadable") out.unreadable.push(`${c.name} seed ${s}: ${st.why}`);
      }
    }
    if (absent > 0) out.missing.push({ config: c.name, seeds: absent });
  }
  return out;
}

// ---------------------------------------------------------------- summaries

export interface SweepSummary {
  config: string;
  dataset: string;
  method: string;
  runs: number;
  /** Best error below the threshold (the success). */
  success: Rate;
  /** The handed-back basis below the threshold (what a user without the truth gets). */
  returned: Rate;
  /** The last basis below the threshold. */
  final: Rate;
  diverged: number;
  /** Runs that end with at least one dead feature. */
  dead: number;
  medianBest: number;
  medianFinal: number;
  medianWallMs: number;
}

/** One row per configuration (in table order), from a list of records. */
export function summarizeSweep(records: readonly SweepRecord[], thresholdDeg = SWEEP_SUCCESS_DEG): SweepSummary[] {
  if (typeof thresholdDeg !== "number" || !(thresholdDeg > 0)) throw new RangeError(`thresholdDeg must be a number > 0, got ${String(thresholdDeg)}`);
  const rows: SweepSummary[] = [];
  for (const c of SWEEP_CONFIGS) {
    const rs = records.filter((r) => r.config === c.name);
    if (rs.length === 0) continue;
    const below = (f: (r: SweepRecord) => number) => wilsonInterval(rs.filter((r) => f(r) < thresholdDeg).length, rs.length);
    rows.push({
      config: c.name, dataset: c.dataset.name, method: c.method.name, runs: rs.length,
      success: below((r) => r.bestError),
      returned: below((r) => r.returnedError),
      final: below((r) => r.finalError),
      diverged: rs.filter((r) => r.diverged !== null).length,
      dead: rs.filter((r) => r.deadFeatures > 0).length,
      medianBest: median(rs.map((r) => r.bestError)),
      medianFinal: median(rs.map((r) => r.finalError)),
      medianWallMs: median(rs.map((r) => r.wallMs)),
    });
  }
  return rows;
}

/** Which number of a record a rate is about. */
export type SweepMeasure = "bestError" | "returnedError" | "finalError";

/**
 * rate(a) − rate(b) of "measure below the threshold", paired by seed (both
 * configurations draw the same data from a seed), with Newcombe's paired
 * interval. Only seeds present for both count.
 */
export function pairedSweepDifference(
  records: readonly SweepRecord[], a: string, b: string,
  o: { measure?: SweepMeasure; thresholdDeg?: number } = {},
): PairedDifference {
  const measure = o.measure ?? "bestError";
  const threshold = o.thresholdDeg ?? SWEEP_SUCCESS_DEG;
  const bySeed = (name: string) => {
    sweepConfig(name);
    return new Map(records.filter((r) => r.config === name).map((r) => [r.seed, r[measure] < threshold]));
  };
  const ra = bySeed(a);
  const rb = bySeed(b);
  const seeds = [...ra.keys()].filter((s) => rb.has(s)).sort((x, y) => x - y);
  if (seeds.length === 0) throw new RangeError(`no seed has records for both ${a} and ${b}`);
  return pairedRateDifference(seeds.map((s) => ra.get(s)!), seeds.map((s) => rb.get(s)!));
}

/** The error curve of a configuration over its seeds: median and quartiles at every recorded step. */
export function sweepCurve(records: readonly SweepRecord[], config: string): { steps: number[]; median: number[]; low: number[]; high: number[] } {
  const rs = records.filter((r) => r.config === config);
  if (rs.length === 0) throw new RangeError(`no records for ${config}`);
  const len = Math.min(...rs.map((r) => r.curve.values.length));
  const every = rs[0]!.curve.every;
  const steps = Array.from({ length: len }, (_, k) => k * every);
  const at = (k: number) => rs.map((r) => r.curve.values[k]!);
  return {
    steps,
    median: steps.map((_, k) => median(at(k))),
    low: steps.map((_, k) => quantile(at(k), 0.25)),
    high: steps.map((_, k) => quantile(at(k), 0.75)),
  };
}
