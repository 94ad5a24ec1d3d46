// npm run sweep: run named configurations over many seeds on every core and
// keep one JSON record per run in data/sweeps/ (notebook E8 reads them).
//
//   npm run sweep                                 every configuration, seeds 0–49
//   npm run sweep -- --config regular/recipe --seeds 10
//   npm run sweep -- --config 'regular/recipe-*' --config sae --workers 1
//   npm run sweep -- --verify                     rerun 3 seeds of every configuration, compare
//   npm run sweep -- --list
//   npm run sweep -- --shard 2/8                  the 2nd of 8 shares of the sweep (one task of a cluster array)
//
// Runs already recorded (same configuration definition) are skipped, so an
// interrupted sweep resumes where it stopped. Ctrl-C stops handing out runs
// and waits for the ones in progress (a second Ctrl-C drops them); every
// record is written to a temporary file and renamed into place, so no file
// is ever half-written. The output folder is checked and locked before any
// work; a folder in use by another sweep is refused. The shards of one
// sweep (--shard K/N) share the folder: each has its own lock and manifest
// (lib/sweep/store.ts), and their records together are the whole sweep's.
import { execFileSync } from "child_process";
import * as os from "os";
import * as path from "path";
import {
  appendManifest, describeSweepConfigs, differingFields, loadSweep, readSweepRecord, resolveSweepConfigs, setAsideBadManifest,
  summarizeSweep, SWEEP_CONFIGS, SweepConfigError, sweepRecordPath, writeSweepRecord, type SweepConfig, type SweepInvocation, type SweepRecord,
} from "../lib/sweep";
import { lockSweepDir, removeLeftovers, shardManifestDir, type SweepShard } from "../lib/sweep/store";
import { checkWritableDir, IoError, isDirectory } from "../lib/io";
import { formatRate } from "../lib/stats";
import { intOption, last, parseCli, UsageError } from "./cli";
import { runPool, type PoolOutcome } from "./sweep-pool";
import { Progress } from "./sweep-progress";
import type { SweepTask } from "./sweep-worker";

export { UsageError };

const ROOT = path.resolve(__dirname, "..");

export interface SweepArgs {
  configs: string[];
  /** Seeds per configuration; null: each configuration's own count. */
  seeds: number | null;
  firstSeed: number;
  workers: number;
  out: string;
  /** Rerun `seedsPerConfig` seeds of each configuration and compare with the records in `out`. */
  verify: boolean;
  seedsPerConfig: number;
  list: boolean;
  /** Run only shard k of n of the task list; null: all of it. */
  shard: SweepShard | null;
  help: boolean;
}

const USAGE = `usage: npm run sweep -- [options]

  --config P      configurations to run (repeatable, or comma-separated): a full
                  name such as regular/recipe, a dataset, a method, or a * pattern.
                  Default: all ${SWEEP_CONFIGS.length}.
  --seeds N       seeds per configuration, N ≥ 1 (default: each configuration's
                  own count: 50 for E8's, 20 for the tuned and verdict ones)
  --first-seed S  the first seed (default 0): seeds S … S+N−1
  --workers K     worker threads, 1 ≤ K ≤ 64 (default: the number of cores, ${os.availableParallelism()})
  --out DIR       where the records go (default data/sweeps)
  --verify        write nothing: rerun some seeds of each configuration and
                  compare with the records in --out (exit 1 on any difference)
  --seeds-per-config K
                  with --verify: K seeds spread over S … S+N−1, first and last
                  included (default 3)
  --shard K/N     run only the K-th of N shares of the runs (1 ≤ K ≤ N): run t of
                  the sweep's list (every configuration × seed, seed-major)
                  belongs to shard (t mod N) + 1, whatever is already recorded.
                  N shards, at the same time or not, on one machine or many,
                  write the records of one unsharded sweep into one --out.
                  With --verify: verify that shard's share; with --list: list it.
  --list          print the configurations (with --shard: the shard's runs) and exit
  --help          print this and exit

Exit codes: 0 done, 1 a run failed, its record could not be written, or
--verify found a difference,
2 a bad option or --out, or --out in use by another sweep (before any work), 130 interrupted.`;

const OPTIONS = {
  config: { type: "string" }, seeds: { type: "string" }, "first-seed": { type: "string" }, workers: { type: "string" },
  out: { type: "string" }, verify: { type: "boolean" }, "seeds-per-config": { type: "string" },
  list: { type: "boolean" }, shard: { type: "string" }, help: { type: "boolean", short: "h" },
} as const;

/** Parses the command line; every mistake is a UsageError naming the option and the value. */
export function parseSweepArgs(argv: readonly string[]): SweepArgs {
  const v = parseCli(argv, OPTIONS, (raw) => `unknown option '${raw}'. Valid options: ${Object.keys(OPTIONS).map((k) => `--${k}`).join(", ")}\n\n${USAGE}`);
  const configs: string[] = [];
  for (const c of v.config ?? []) {
    const names = c.split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (names.length === 0) throw new UsageError(`--config must name at least one configuration, got '${c}'`);
    configs.push(...names);
  }
  const out = last(v.out);
  if (out !== undefined && out.trim() === "") throw new UsageError(`--out must name a folder, got '${out}'`);
  const int = <D extends number | null>(name: keyof typeof OPTIONS, min: number, max: number, dflt: D): number | D => {
    const s = last(v[name]);
    return s === undefined ? dflt : intOption(`--${name}`, s, min, max);
  };
  const a: SweepArgs = {
    configs: configs.length > 0 ? configs : ["all"],
    seeds: int("seeds", 1, 10000, null),
    firstSeed: int("first-seed", 0, 1e9, 0),
    workers: int("workers", 1, 64, os.availableParallelism()),
    out: out === undefined ? path.join(ROOT, "data", "sweeps") : path.resolve(out),
    verify: v.verify !== undefined,
    seedsPerConfig: int("seeds-per-config", 1, 10000, 3),
    list: v.list !== undefined,
    shard: shardOption(last(v.shard)),
    help: v.help !== undefined,
  };
  if (v["seeds-per-config"] && !a.verify) throw new UsageError(`--seeds-per-config applies only with --verify, got '${last(v["seeds-per-config"])}' without it`);
  return a;
}

/** `--shard K/N` as { k, n }, or a UsageError naming --shard and the value. */
export function shardOption(s: string | undefined): SweepShard | null {
  if (s === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const k = m ? Number(m[1]) : NaN, n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1 && n <= 100000) || !(k >= 1 && k <= n)) {
    throw new UsageError(`--shard must be K/N, shard K of N with 1 ≤ K ≤ N ≤ 100000 (such as 1/4), got '${s}'`);
  }
  return { k, n };
}

/** The tasks of shard k of n: task t (0-based, in the list's order) goes to shard (t mod n) + 1. Null: all of them. */
export function shardTasks<T>(tasks: readonly T[], shard: SweepShard | null): T[] {
  return shard ? tasks.filter((_, t) => t % shard.n === shard.k - 1) : [...tasks];
}

function gitCommit(): string | undefined {
  try {
    const head = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "--", "lib", "scripts"], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    return dirty ? `${head}+changes` : head;
  } catch {
    return undefined;
  }
}

const shown = (dir: string) => {
  const rel = path.relative(process.cwd(), dir);
  return rel === "" ? "." : rel.startsWith("..") ? dir : rel;
};

export interface SweepOutcome extends PoolOutcome {
  planned: number;
  skipped: number;
  wallSeconds: number;
}

/**
 * Checks that `out` and the folder of each configuration to run can be
 * written (a file named like a dataset would otherwise fail the first write,
 * after the run) and takes the lock, all before any work: a bad or busy --out
 * is an IoError. Keeps an unreadable manifest aside and removes the sweep's
 * own leftovers. Returns the lock's release.
 */
function prepareOut(out: string, configs: readonly SweepConfig[], shard: SweepShard | null, owned: readonly SweepTask[], log: (s: string) => void): () => void {
  checkWritableDir(out, "--out");
  for (const c of configs) {
    try {
      checkWritableDir(path.dirname(sweepRecordPath(out, c.name, 0)), "its folder");
    } catch (e) {
      throw e instanceof IoError ? new IoError(`--out '${out}': ${e.message}`) : e;
    }
  }
  const release = lockSweepDir(out, shard);
  const moved = setAsideBadManifest(shardManifestDir(out, shard));
  if (moved) log(`Warning: ${moved}.`);
  const leftovers = removeLeftovers(out, shard, owned.map((t) => sweepRecordPath(out, t.config, t.seed)));
  if (leftovers > 0) log(`Removed ${leftovers} temporary file(s) left by a killed sweep.`);
  return release;
}

/** The seeds of configuration c: first … first + n − 1, n from --seeds or the configuration's own count. */
function seedsOf(args: SweepArgs, c: SweepConfig): number[] {
  return Array.from({ length: args.seeds ?? c.seeds }, (_, k) => args.firstSeed + k);
}

/**
 * The sweep's canonical task list: configs × seeds, seed-major (a sweep
 * stopped early has every configuration at a similar count), configurations
 * in the order resolveSweepConfigs gives; --shard splits this list.
 */
export function sweepTasks(configs: readonly SweepConfig[], args: SweepArgs): SweepTask[] {
  const tasks: SweepTask[] = [];
  const seeds = [...new Set(configs.flatMap((c) => seedsOf(args, c)))].sort((a, b) => a - b);
  for (const seed of seeds) {
    for (const c of configs) if (seedsOf(args, c).includes(seed)) tasks.push({ config: c.name, seed });
  }
  return tasks;
}

/** `tasks` minus those recorded in `out`. */
function plan(tasks: readonly SweepTask[], out: string) {
  const todo: SweepTask[] = [];
  let skipped = 0, stale = 0, unreadable = 0;
  for (const t of tasks) {
    const st = readSweepRecord(out, sweepConfigOf(t.config), t.seed);
    if (st.state === "done") skipped++;
    else {
      if (st.state === "stale") stale++;
      if (st.state === "unreadable") unreadable++;
      todo.push(t);
    }
  }
  return { todo, skipped, stale, unreadable };
}

const sweepConfigOf = (name: string): SweepConfig => SWEEP_CONFIGS.find((c) => c.name === name)!;
const shardWords = (shard: SweepShard | null) => (shard ? `Shard ${shard.k} of ${shard.n}: ` : "");

const newProgress = (todo: readonly SweepTask[]) => {
  const remaining = new Map<string, number>();
  for (const t of todo) remaining.set(t.config, (remaining.get(t.config) ?? 0) + 1);
  return new Progress(todo.length, remaining, Boolean(process.stderr.isTTY), (s) => process.stderr.write(s));
};

/** Runs the sweep described by `args`; resolves when every run has finished or the sweep was interrupted. */
export async function sweep(args: SweepArgs, log: (s: string) => void = (s) => process.stdout.write(s + "\n")): Promise<SweepOutcome> {
  const t0 = Date.now();
  const configs = resolveSweepConfigs(args.configs);
  const counts = [...new Set(configs.map((c) => args.seeds ?? c.seeds))];
  const seeds = [...new Set(configs.flatMap((c) => seedsOf(args, c)))].sort((a, b) => a - b);
  const all = sweepTasks(configs, args);
  const mine = shardTasks(all, args.shard);
  const release = prepareOut(args.out, configs, args.shard, mine, log);
  try {
    const { todo, skipped, stale, unreadable } = plan(mine, args.out);
    const planned = mine.length;
    const workers = Math.min(args.workers, Math.max(1, todo.length));
    const seedWords = counts.length === 1 ? `${counts[0]} seed(s) (${seeds[0]}–${seeds[seeds.length - 1]})` : `their own seeds (${counts.join(" or ")} each, from ${args.firstSeed})`;
    log(`${shardWords(args.shard)}${configs.length} configuration(s) × ${seedWords} = ${all.length} runs` +
      (args.shard ? `, ${planned} of them this shard's` : "") + `: ${skipped} already recorded, ${todo.length} to run` +
      (stale ? ` (${stale} made by an older definition of their configuration)` : "") + (unreadable ? ` (${unreadable} unreadable)` : "") +
      (todo.length ? `, on ${workers} worker thread(s) of ${os.availableParallelism()} core(s).` : "."));
    log(`Records: ${shown(args.out)}/`);
    const outcome: SweepOutcome = { planned, skipped, ran: 0, failed: [], unkept: [], interrupted: false, wallSeconds: 0 };
    if (todo.length === 0) return outcome;
    const commit = gitCommit();
    const pool = await runPool(todo, workers, {
      onRecord: (r) => void writeSweepRecord(args.out, { ...r, ...(commit ? { commit } : {}), recordedAt: new Date().toISOString() }),
      log, progress: newProgress(todo), afterInterrupt: "Every finished run is kept; rerun the same command to resume.",
    });
    Object.assign(outcome, pool, { wallSeconds: (Date.now() - t0) / 1000 });
    const entry: SweepInvocation & { shard?: string } = {
      started: new Date(t0).toISOString(), wallSeconds: Number(outcome.wallSeconds.toFixed(1)),
      configs: configs.length === SWEEP_CONFIGS.length ? "all" : configs.map((c) => c.name), seeds: [seeds[0]!, seeds[seeds.length - 1]!],
      planned, skipped, ran: outcome.ran, failed: outcome.failed.length + outcome.unkept.length, interrupted: outcome.interrupted,
      workers, cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? "unknown", node: process.version, commit: commit ?? null,
      ...(args.shard ? { shard: `${args.shard.k}/${args.shard.n}` } : {}),
    };
    const moved = appendManifest(shardManifestDir(args.out, args.shard), entry);
    if (moved) log(`Warning: ${moved}.`);
    return outcome;
  } finally {
    release();
  }
}

/** `k` seeds spread evenly over first … first + n − 1, both ends included, without repeats. */
export function verifySeeds(first: number, n: number, k: number): number[] {
  if (k === 1 || n === 1) return [first];
  return [...new Set(Array.from({ length: Math.min(k, n) }, (_, i) => first + Math.round((i * (n - 1)) / (Math.min(k, n) - 1))))];
}

export interface VerifyOutcome extends PoolOutcome {
  equal: number;
  different: { task: SweepTask; fields: string[] }[];
  /** Records that are not there to compare with (missing, stale or unreadable), with why. */
  absent: string[];
}

/** --verify's task list, configuration-major: each configuration's verifySeeds; --shard splits this list. */
export function verifyTasks(configs: readonly SweepConfig[], args: SweepArgs): SweepTask[] {
  return configs.flatMap((c) => verifySeeds(args.firstSeed, args.seeds ?? c.seeds, args.seedsPerConfig).map((seed) => ({ config: c.name, seed })));
}

/** Reruns `seedsPerConfig` seeds of every chosen configuration and compares each with its stored record. Writes nothing. */
export async function verify(args: SweepArgs, log: (s: string) => void = (s) => process.stdout.write(s + "\n")): Promise<VerifyOutcome> {
  if (!isDirectory(args.out)) throw new IoError(`--out must be an existing folder of records to verify, got '${args.out}'`);
  const configs = resolveSweepConfigs(args.configs);
  const seedsFor = (c: SweepConfig) => verifySeeds(args.firstSeed, args.seeds ?? c.seeds, args.seedsPerConfig);
  const seeds = [...new Set(configs.flatMap(seedsFor))].sort((a, b) => a - b);
  const stored = new Map<string, SweepRecord>();
  const absent: string[] = [];
  const todo: SweepTask[] = [];
  for (const t of shardTasks(verifyTasks(configs, args), args.shard)) {
    const st = readSweepRecord(args.out, sweepConfigOf(t.config), t.seed);
    if (st.state === "done") {
      stored.set(`${t.config}#${t.seed}`, st.record);
      todo.push(t);
    } else absent.push(`${t.config} seed ${t.seed}: ${st.state === "missing" ? "no record" : `${st.state}, ${st.why}`}`);
  }
  const workers = Math.min(args.workers, Math.max(1, todo.length));
  log(`${shardWords(args.shard)}Verifying ${configs.length} configuration(s) × seeds ${seeds.join(", ")} against ${shown(args.out)}/: ${todo.length} rerun(s) on ${workers} worker thread(s).`);
  const out: VerifyOutcome = { ran: 0, failed: [], unkept: [], interrupted: false, equal: 0, different: [], absent };
  if (todo.length > 0) {
    const onRecord = (r: SweepRecord) => {
      const fields = differingFields(stored.get(`${r.config}#${r.seed}`)!, r);
      if (fields.length === 0) out.equal++;
      else out.different.push({ task: { config: r.config, seed: r.seed }, fields });
    };
    Object.assign(out, await runPool(todo, workers, { onRecord, log, progress: newProgress(todo), afterInterrupt: "Nothing is written." }));
  }
  for (const d of out.different) log(`different: ${d.task.config} seed ${d.task.seed} (${d.fields.join(", ")})`);
  for (const a of absent) log(`not compared: ${a}`);
  log(`${out.equal + out.different.length} record(s) compared: ${out.equal} equal, ${out.different.length} different; ${absent.length} not compared (missing, stale or unreadable).`);
  return out;
}

/** The success-rate table of the configurations in `args`, from the records on disk. */
function report(args: SweepArgs, log: (s: string) => void): void {
  const { records } = loadSweep(args.out, { configs: args.configs, ...(args.seeds === null ? {} : { seeds: args.seeds }), firstSeed: args.firstSeed });
  const rows = summarizeSweep(records);
  if (rows.length === 0) return;
  const w = Math.max(...rows.map((r) => r.config.length));
  log(`\n${"configuration".padEnd(w)}  best error < 3°                    median best  median last  diverged  dead`);
  for (const r of rows) {
    log(`${r.config.padEnd(w)}  ${formatRate(r.success).padEnd(33)}  ${r.medianBest.toFixed(2).padStart(10)}°  ${r.medianFinal.toFixed(2).padStart(10)}°  ${String(r.diverged).padStart(8)}  ${String(r.dead).padStart(4)}`);
  }
}

/** `--list --shard K/N`: the shard's tasks, one a line (with --verify: the ones it would rerun). */
function listShard(args: SweepArgs): string {
  const configs = resolveSweepConfigs(args.configs);
  const all = args.verify ? verifyTasks(configs, args) : sweepTasks(configs, args);
  const mine = shardTasks(all, args.shard);
  return [`Shard ${args.shard!.k} of ${args.shard!.n}: ${mine.length} of ${all.length} run(s)`, ...mine.map((t) => `  ${t.config} seed ${t.seed}`)].join("\n");
}

/** The exit code of a finished sweep or verification (see USAGE). */
function exitCode(o: PoolOutcome, differences: number): number {
  if (o.failed.length > 0) console.error(`${o.failed.length} run(s) failed: ${o.failed.map((f) => `${f.task.config} seed ${f.task.seed}`).join(", ")}`);
  if (o.unkept.length > 0) console.error(`${o.unkept.length} record(s) could not be written: ${o.unkept.map((f) => `${f.task.config} seed ${f.task.seed} (${f.error})`).join(", ")}`);
  if (o.failed.length > 0 || o.unkept.length > 0) return 1;
  if (o.interrupted) return 130;
  return differences > 0 ? 1 : 0;
}

async function main(): Promise<number> {
  try {
    const args = parseSweepArgs(process.argv.slice(2));
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    if (args.list) {
      console.log(args.shard ? listShard(args) : describeSweepConfigs());
      return 0;
    }
    resolveSweepConfigs(args.configs);
    if (args.verify) {
      const v = await verify(args);
      return exitCode(v, v.different.length + v.absent.length);
    }
    const o = await sweep(args);
    if (args.shard) console.log(`\nShard ${args.shard.k} of ${args.shard.n} done. When every shard is, check the merged records with --verify or read them with loadSweep.`);
    else if (o.ran > 0 || o.skipped > 0) report(args, console.log);
    console.log(`\n${o.ran} run(s) in ${o.wallSeconds.toFixed(1)} s wall time, ${o.skipped} skipped, on ${os.availableParallelism()} core(s).`);
    if (o.interrupted && o.failed.length === 0) console.log("Interrupted. Rerun the same command to finish: the recorded runs are skipped.");
    return exitCode(o, 0);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SweepConfigError || e instanceof IoError) {
      console.error(`sweep: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => {
    console.error(e);
    process.exit(1);
  });
}
