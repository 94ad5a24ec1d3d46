// Sweep records on disk: one JSON file per run at
// <dir>/<dataset>/<method>/seed-007.json, written atomically, read back with
// a state (done, missing, stale, unreadable), and the folder's lock.
//
// The sweep shares its folder with whatever else is there (`--out .` is
// allowed), so it only ever removes its own temporary names
// (`seed-NNN.json.<pid>.tmp`, `manifest.json.<pid>.tmp`, the write probe's,
// the lock's) in --out and its own <dataset>/<method>/ folders, and only
// those of a dead writer.
import * as path from "path";
import { exists, isDirectory, readText, removeDeadTemps, takeLock, writeAtomic } from "../io";
import { checkRecord, SWEEP_FORMAT, type SweepRecord } from "./record";
import { resolveSweepConfigs, SWEEP_CONFIGS, type SweepConfig } from "./registry";
import { readManifest, type SweepInvocation } from "./manifest";
import { declareOptions, show } from "../options";

export { writeAtomic };

/** Where a run's record lives: <dir>/<dataset>/<method>/seed-007.json. */
export function sweepRecordPath(dir: string, config: string, seed: number): string {
  const [dataset, method] = config.split("/");
  return path.join(dir, dataset!, method!, `seed-${String(seed).padStart(3, "0")}.json`);
}

/** Writes a record atomically (io.writeAtomic) and returns its path. */
export function writeSweepRecord(dir: string, record: SweepRecord): string {
  const file = sweepRecordPath(dir, record.config, record.seed);
  writeAtomic(file, JSON.stringify(record) + "\n");
  return file;
}

export type RecordState = { state: "done"; record: SweepRecord } | { state: "missing" } | { state: "stale" | "unreadable"; why: string };

/** Whether the record of (config, seed) is there, current and readable. */
export function readSweepRecord(dir: string, config: SweepConfig, seed: number): RecordState {
  const file = sweepRecordPath(dir, config.name, seed);
  if (!exists(file)) return { state: "missing" };
  let rec: SweepRecord;
  try {
    rec = JSON.parse(readText(file)) as SweepRecord;
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

/**
 * Removes the temporary files a sweep killed outright (SIGKILL, power loss)
 * left in `dir`: only the sweep's own names, only in its own folders, only
 * of writers no longer running. Returns how many were removed.
 */
export function removeLeftovers(dir: string): number {
  // Also io.checkWritableDir's probe, and io.takeLock's own temporary names.
  let n = removeDeadTemps(dir, /^(manifest\.json|\.write-probe|\.sweep\.lock(\.takeover-\d+)*)$/);
  const folders = new Set(SWEEP_CONFIGS.map((c) => path.join(dir, c.dataset.name, c.method.name)));
  for (const f of folders) n += removeDeadTemps(f, /^(seed-\d{3,}\.json|\.write-probe)$/);
  return n;
}

/** Takes `<dir>/.sweep.lock` so that two sweeps never write one folder; returns the release. */
export function lockSweepDir(dir: string): () => void {
  return takeLock(path.join(dir, ".sweep.lock"), `the sweep folder ${dir}`);
}

export interface LoadedSweep {
  records: SweepRecord[];
  /** Per configuration, how many of the seeds asked for have no usable record (absent, stale or unreadable); configurations with all of them are not listed. */
  missing: { config: string; seeds: number }[];
  /** Records whose configuration has been redefined since they were made. */
  stale: string[];
  /** Files that did not parse or lacked a field. */
  unreadable: string[];
  /** The `npm run sweep` invocations that wrote to `dir` (manifest.json), oldest first. */
  invocations: SweepInvocation[];
  /** Why manifest.json could not be read (then `invocations` is empty); null if it was read or is absent. */
  manifestProblem: string | null;
}

export interface LoadSweepOptions {
  configs?: readonly string[];
  seeds?: number;
  firstSeed?: number;
}

export const LOAD_SWEEP_OPTIONS = declareOptions<LoadSweepOptions>("loadSweep", {
  configs: {
    kind: "custom", type: "string[]", doc: "configurations: full names, datasets, methods or * patterns (default: all)",
    check: (name, v) => {
      if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of configuration names, got ${show(v)}`);
    },
  },
  seeds: { kind: "integer", min: 1, doc: "seeds per configuration (default: each configuration's own count, 50 for E8's, 20 for the tuned ones)" },
  firstSeed: { kind: "integer", min: 0, default: 0, doc: "the first seed: seeds firstSeed … firstSeed + seeds − 1" },
});

/**
 * Reads every record under `dir` for the given configurations (default:
 * all) and seeds firstSeed … firstSeed + seeds − 1 (default: 0 up to each
 * configuration's own count).
 */
export function loadSweep(dir: string, opts: LoadSweepOptions = {}): LoadedSweep {
  if (typeof dir !== "string" || !isDirectory(dir)) throw new RangeError(`dir must be an existing directory of sweep records, got ${String(dir)}`);
  const o = LOAD_SWEEP_OPTIONS.parse(opts);
  const configs = o.configs ? resolveSweepConfigs(o.configs) : [...SWEEP_CONFIGS];
  const first = o.firstSeed!;
  const manifest = readManifest(dir);
  const out: LoadedSweep = { records: [], missing: [], stale: [], unreadable: [], invocations: manifest.invocations, manifestProblem: manifest.problem };
  for (const c of configs) {
    let absent = 0;
    const seeds = o.seeds ?? c.seeds;
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
