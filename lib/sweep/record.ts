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

/** The parts of a record that a rerun must reproduce exactly (everything but the timing and the provenance). */
export function sweepResultKey(r: SweepRecord): string {
  const { wallMs: _w, commit: _c, recordedAt: _t, ...rest } = r;
  return JSON.stringify(rest);
}

/**
 * The fields of the result key in which two records differ, in record order
 * (empty when the keys are equal). `--verify` prints them, so that a change
 * in how options are spelled ("options") is told apart from a change in a
 * number.
 */
export function differingFields(a: SweepRecord, b: SweepRecord): string[] {
  const ka = JSON.parse(sweepResultKey(a)) as Record<string, unknown>;
  const kb = JSON.parse(sweepResultKey(b)) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(ka), ...Object.keys(kb)])];
  return fields.filter((f) => JSON.stringify(ka[f]) !== JSON.stringify(kb[f]));
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
