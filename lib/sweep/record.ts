// One sweep record: what a run of one configuration on one seed leaves on
// disk, and which of its parts a rerun must reproduce bit for bit.

/** Version of the record layout; a record of another format is re-run. */
export const SWEEP_FORMAT = 1;

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

/** JSON with every object's keys sorted: the order in which options were spelled is not a result. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? "null" : canonical(x))).join(",")}]`;
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
}

/** The record without what a rerun may change: the wall time and the provenance. */
function result(r: SweepRecord): Record<string, unknown> {
  const { wallMs: _w, commit: _c, recordedAt: _t, ...rest } = r;
  return rest;
}

/**
 * The parts of a record that a rerun must reproduce exactly (everything but
 * the timing and the provenance), as canonical JSON: numbers as JSON writes
 * them (shortest round-trip, so equal text is equal bits), keys sorted.
 */
export function sweepResultKey(r: SweepRecord): string {
  return canonical(result(r));
}

/**
 * The fields of the result key in which two records differ, in record order
 * (empty when the keys are equal). `--verify` prints them, so that a change
 * in how options are spelled ("options") is told apart from a change in a
 * number.
 */
export function differingFields(a: SweepRecord, b: SweepRecord): string[] {
  const ra = result(a), rb = result(b);
  const fields = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  return fields.filter((f) => canonical(ra[f]) !== canonical(rb[f]));
}

/** Throws, naming the file and the field, unless `r` has the fields a summary reads. */
export function checkRecord(r: SweepRecord, file: string): void {
  const bad = (field: string) => new Error(`${file}: field ${field} is missing or not a finite number`);
  if (typeof r !== "object" || r === null) throw new Error(`${file}: not a JSON object`);
  for (const f of ["bestError", "bestStep", "finalError", "finalWorst", "returnedError", "deadFeatures", "wallMs", "seed"] as const) {
    if (typeof r[f] !== "number" || !Number.isFinite(r[f])) throw bad(f);
  }
  if (typeof r.config !== "string" || typeof r.fingerprint !== "string") throw new Error(`${file}: config or fingerprint missing`);
  if (r.diverged !== null && (typeof r.diverged !== "object" || typeof r.diverged.step !== "number")) throw bad("diverged.step");
}
