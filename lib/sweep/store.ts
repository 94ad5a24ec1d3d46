// Sweep records on disk: one JSON file per run at
// <dir>/<dataset>/<method>/seed-007.json, written atomically, read back with
// a state (done, missing, stale, unreadable), and the folder's lock.
//
// The sweep shares its folder with whatever else is there (`--out .` is
// allowed), so it only ever removes its own temporary names
// (`seed-NNN.json.<pid>.tmp`, `manifest.json.<pid>.tmp`, the write probe's,
// the lock's) in --out and its own <dataset>/<method>/ folders, and only
// those of a dead writer.
//
// Shards (`--shard K/N`) of one sweep write into one folder at the same
// time, possibly from several machines over a shared file system. Records
// never collide (each belongs to one shard). Each shard has its own lock,
// `.sweep.shard-K-of-N.lock`, and its own manifest, shards/K-of-N/manifest.json;
// readers merge every manifest. A shard removes only the temporary files of
// its own records, lock and manifest: another machine's pid means nothing here.
import * as fs from "fs";
import * as path from "path";
import { exists, isDirectory, IoError, processAlive, readText, readTextIfExists, removeDeadTemps, takeLock, writeAtomic } from "../io";
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

/** Shard k of n (1 ≤ k ≤ n) of a sweep's task list; null: the whole sweep. */
export interface SweepShard {
  k: number;
  n: number;
}

const shardTag = (s: SweepShard) => `${s.k}-of-${s.n}`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The lock file of a sweep or of one shard: `.sweep.lock`, `.sweep.shard-K-of-N.lock`. */
export const sweepLockName = (shard: SweepShard | null): string => (shard ? `.sweep.shard-${shardTag(shard)}.lock` : ".sweep.lock");

/** The folder of a shard's manifest, `<dir>/shards/K-of-N` (the whole sweep's is `dir` itself). */
export const shardManifestDir = (dir: string, shard: SweepShard | null): string => (shard ? path.join(dir, "shards", shardTag(shard)) : dir);

/**
 * Removes the temporary files a sweep killed outright (SIGKILL, power loss)
 * left in `dir`: only the sweep's own names, only in its own folders, only
 * of writers no longer running. A shard (`shard` with `owned`, the record
 * files of its tasks) removes only those of its own records, lock and
 * manifest. Returns how many were removed.
 */
export function removeLeftovers(dir: string, shard: SweepShard | null = null, owned: readonly string[] = []): number {
  if (shard) {
    let n = removeDeadTemps(dir, new RegExp(`^${escape(sweepLockName(shard))}(\\.takeover-\\d+)*$`));
    n += removeDeadTemps(shardManifestDir(dir, shard), /^manifest\.json$/);
    const byFolder = new Map<string, string[]>();
    for (const f of owned) byFolder.set(path.dirname(f), [...(byFolder.get(path.dirname(f)) ?? []), escape(path.basename(f))]);
    for (const [folder, names] of byFolder) n += removeDeadTemps(folder, new RegExp(`^(${names.join("|")})$`));
    return n;
  }
  // Also io.checkWritableDir's probe, and io.takeLock's own temporary names.
  let n = removeDeadTemps(dir, /^(manifest\.json|\.write-probe|\.sweep\.lock(\.takeover-\d+)*)$/);
  const folders = new Set(SWEEP_CONFIGS.map((c) => path.join(dir, c.dataset.name, c.method.name)));
  for (const f of folders) n += removeDeadTemps(f, /^(seed-\d{3,}\.json|\.write-probe)$/);
  return n;
}

/**
 * Takes `<dir>/.sweep.lock` (or a shard's own lock) so that two sweeps never
 * write one folder; returns the release. Shards of one N share the folder;
 * a whole sweep and any shard, or shards of two different N, do not: the
 * lock is refused while such a lock is held by a live process on this
 * machine (a lock from another machine cannot be checked and is left alone).
 */
export function lockSweepDir(dir: string, shard: SweepShard | null = null): () => void {
  const release = takeLock(path.join(dir, sweepLockName(shard)), shard ? `shard ${shard.k}/${shard.n} of the sweep folder ${dir}` : `the sweep folder ${dir}`);
  for (const name of fs.readdirSync(dir)) {
    const m = /^\.sweep(?:\.shard-(\d+)-of-(\d+))?\.lock$/.exec(name);
    if (!m || name === sweepLockName(shard)) continue;
    const n = m[2] === undefined ? null : Number(m[2]);
    if (shard !== null && n === shard.n) continue; // another shard of the same split
    const pid = Number(readTextIfExists(path.join(dir, name))?.trim());
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || !processAlive(pid)) continue;
    release();
    const theirs = n === null ? "a whole (unsharded) sweep" : `a sweep split into ${n} shards`;
    throw new IoError(`the sweep folder ${dir} is in use by ${theirs} (pid ${pid}, lock file ${path.join(dir, name)}); ` +
      `${shard ? `shard ${shard.k}/${shard.n}` : "a whole sweep"} cannot write there at the same time. Wait for it to finish.`);
  }
  return release;
}

/**
 * Every manifest in `dir`: the whole sweeps' (manifest.json) and each
 * shard's (shards/K-of-N/manifest.json), invocations merged oldest first.
 */
export function readAllManifests(dir: string): { invocations: (SweepInvocation & { shard?: string })[]; problem: string | null } {
  const shardsDir = path.join(dir, "shards");
  const shardDirs = isDirectory(shardsDir) ? fs.readdirSync(shardsDir).filter((d) => /^\d+-of-\d+$/.test(d)).sort().map((d) => path.join(shardsDir, d)) : [];
  const read = [dir, ...shardDirs].map(readManifest);
  const invocations = read.flatMap((r) => r.invocations).sort((a, b) => (a.started < b.started ? -1 : a.started > b.started ? 1 : 0));
  const problems = read.map((r) => r.problem).filter((p): p is string => p !== null);
  return { invocations, problem: problems.length ? problems.join("; ") : null };
}

export interface LoadedSweep {
  records: SweepRecord[];
  /** Per configuration, how many of the seeds asked for have no usable record (absent, stale or unreadable); configurations with all of them are not listed. */
  missing: { config: string; seeds: number }[];
  /** Records whose configuration has been redefined since they were made. */
  stale: string[];
  /** Files that did not parse or lacked a field. */
  unreadable: string[];
  /** The `npm run sweep` invocations that wrote to `dir` (manifest.json and each shard's shards/K-of-N/manifest.json), oldest first; a shard's carries `shard: "K/N"`. */
  invocations: (SweepInvocation & { shard?: string })[];
  /** Why a manifest could not be read (its invocations are then left out); null if all were read or none is there. */
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
  const manifest = readAllManifests(dir);
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
