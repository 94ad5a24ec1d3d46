// npm run sweep: run named configurations over many seeds on every core and
// keep one JSON record per run in data/sweeps/ (notebook E8 reads them).
//
//   npm run sweep                                 every configuration, seeds 0–49
//   npm run sweep -- --config regular/recipe --seeds 10
//   npm run sweep -- --config 'regular/recipe-*' --config sae --workers 1
//   npm run sweep -- --list
//
// Runs already recorded (same configuration definition) are skipped, so an
// interrupted sweep resumes where it stopped. Ctrl-C stops handing out runs
// and waits for the ones in progress (a second Ctrl-C drops them); every
// record is written to a temporary file and renamed into place, so no file
// is ever half-written.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import {
  SWEEP_CONFIGS, SWEEP_FORMAT, SweepConfigError, describeSweepConfigs, loadSweep, readSweepRecord, resolveSweepConfigs,
  summarizeSweep, writeAtomic, writeSweepRecord, type SweepInvocation, type SweepRecord,
} from "../lib/sweep";
import { formatRate } from "../lib/stats";
import type { SweepReply, SweepTask } from "./sweep-worker";

const ROOT = path.resolve(__dirname, "..");

export class UsageError extends Error {
  override name = "UsageError";
}

export interface SweepArgs {
  configs: string[];
  seeds: number;
  firstSeed: number;
  workers: number;
  out: string;
  list: boolean;
  help: boolean;
}

const USAGE = `usage: npm run sweep -- [options]

  --config P      configurations to run (repeatable, or comma-separated): a full
                  name such as regular/recipe, a dataset, a method, or a * pattern.
                  Default: all ${SWEEP_CONFIGS.length}.
  --seeds N       seeds per configuration, N ≥ 1 (default 50)
  --first-seed S  the first seed (default 0): seeds S … S+N−1
  --workers K     worker threads, 1 ≤ K ≤ 64 (default: the number of cores, ${os.availableParallelism()})
  --out DIR       where the records go (default data/sweeps)
  --list          print the configurations and exit
  --help          print this and exit`;

const OPTIONS = ["--config", "--seeds", "--first-seed", "--workers", "--out", "--list", "--help"];

function intArg(name: string, v: string | undefined, min: number, max: number): number {
  const n = v !== undefined && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be an integer in [${min}, ${max}], got ${v === undefined ? "nothing" : `'${v}'`}`);
  }
  return n;
}

/** Parses the command line; every mistake is a UsageError naming the option and the value. */
export function parseSweepArgs(argv: readonly string[]): SweepArgs {
  const a: SweepArgs = { configs: [], seeds: 50, firstSeed: 0, workers: os.availableParallelism(), out: path.join(ROOT, "data", "sweeps"), list: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let value: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => {
      if (value !== undefined) return value;
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case "--config": a.configs.push(...next().split(",").map((s) => s.trim()).filter((s) => s !== "")); break;
      case "--seeds": a.seeds = intArg("--seeds", next(), 1, 10000); break;
      case "--first-seed": a.firstSeed = intArg("--first-seed", next(), 0, 1e9); break;
      case "--workers": a.workers = intArg("--workers", next(), 1, 64); break;
      case "--out": a.out = path.resolve(next()); break;
      case "--list": a.list = true; break;
      case "--help": case "-h": a.help = true; break;
      default: throw new UsageError(`unknown option '${argv[i]}'. Valid options: ${OPTIONS.join(", ")}\n\n${USAGE}`);
    }
  }
  if (a.configs.length === 0) a.configs = ["all"];
  return a;
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

/** Whether a process with this id is running (a temporary file of a live sweep must be left alone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes temporary files left by a sweep that was killed outright (SIGKILL,
 * power loss). A file's name carries the writer's process id; files of a
 * sweep still running are kept.
 */
function removeLeftovers(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const pid = /\.(\d+)\.tmp$/.exec(entry.name)?.[1];
    if (entry.isFile() && entry.name.endsWith(".tmp") && !(pid !== undefined && Number(pid) !== process.pid && alive(Number(pid)))) {
      fs.rmSync(path.join(entry.parentPath, entry.name));
      n++;
    }
  }
  return n;
}

const fmtTime = (s: number) => {
  if (!Number.isFinite(s)) return "?";
  s = Math.max(0, Math.round(s));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, "0")}m` : m > 0 ? `${m}m ${String(sec).padStart(2, "0")}s` : `${sec}s`;
};

/** The progress line: bar, count, rate and an ETA from each configuration's mean cost so far. */
class Progress {
  private done = 0;
  private finishedCost = 0;
  private readonly costs = new Map<string, { sum: number; n: number }>();
  private lastDraw = 0;
  private lastPct = -1;
  private readonly t0 = Date.now();
  constructor(private readonly total: number, private readonly remaining: Map<string, number>, private readonly tty: boolean, private readonly write: (s: string) => void) {}

  finished(config: string, wallMs: number): void {
    this.done++;
    this.finishedCost += wallMs;
    const c = this.costs.get(config) ?? { sum: 0, n: 0 };
    c.sum += wallMs;
    c.n++;
    this.costs.set(config, c);
    this.remaining.set(config, (this.remaining.get(config) ?? 1) - 1);
    this.draw(config);
  }

  eta(): number {
    if (this.finishedCost === 0) return NaN;
    let overall = 0, n = 0;
    for (const c of this.costs.values()) {
      overall += c.sum;
      n += c.n;
    }
    const mean = overall / n;
    let left = 0;
    for (const [config, count] of this.remaining) {
      const c = this.costs.get(config);
      left += count * (c ? c.sum / c.n : mean);
    }
    // Work per second of wall time so far (≈ the number of busy workers).
    const speed = this.finishedCost / ((Date.now() - this.t0) / 1000);
    return left / speed;
  }

  draw(current = "", force = false): void {
    const now = Date.now();
    const pct = Math.floor((100 * this.done) / this.total);
    if (this.tty) {
      if (!force && now - this.lastDraw < 150 && this.done < this.total) return;
      const width = 28;
      const fill = Math.round((width * this.done) / this.total);
      const line = `[${"#".repeat(fill)}${"-".repeat(width - fill)}] ${this.done}/${this.total} ${String(pct).padStart(3)}%  elapsed ${fmtTime((now - this.t0) / 1000)}  ETA ${fmtTime(this.eta())}  ${current}`;
      this.write(`\r${line.slice(0, (process.stderr.columns || 120) - 1).padEnd(Math.min(119, (process.stderr.columns || 120) - 1))}`);
    } else {
      // Logs: one line per 5% (and the last run).
      const step = Math.floor(pct / 5);
      if (!force && step === this.lastPct && this.done < this.total) return;
      this.lastPct = step;
      this.write(`  ${this.done}/${this.total} runs (${pct}%), elapsed ${fmtTime((now - this.t0) / 1000)}, ETA ${fmtTime(this.eta())}\n`);
    }
    this.lastDraw = now;
  }

  end(): void {
    if (this.tty) this.write("\n");
  }
}

interface Manifest {
  format: number;
  note: string;
  invocations: SweepInvocation[];
}

function appendManifest(out: string, entry: SweepInvocation): void {
  const file = path.join(out, "manifest.json");
  let m: Manifest = { format: SWEEP_FORMAT, note: "One entry per `npm run sweep` invocation that ran at least one run (newest last, up to 50).", invocations: [] };
  try {
    const old = JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
    if (Array.isArray(old.invocations)) m.invocations = old.invocations;
  } catch {
    // first invocation, or an unreadable manifest: start a new one
  }
  m.invocations.push(entry);
  m.invocations = m.invocations.slice(-50);
  writeAtomic(file, JSON.stringify(m, null, 2) + "\n");
}

export interface SweepOutcome {
  planned: number;
  skipped: number;
  ran: number;
  failed: { task: SweepTask; error: string }[];
  interrupted: boolean;
  wallSeconds: number;
}

/** Runs the sweep described by `args`; resolves when every run has finished or the sweep was interrupted. */
export async function sweep(args: SweepArgs, log: (s: string) => void = (s) => process.stdout.write(s + "\n")): Promise<SweepOutcome> {
  const t0 = Date.now();
  const configs = resolveSweepConfigs(args.configs);
  const seeds = Array.from({ length: args.seeds }, (_, k) => args.firstSeed + k);
  const leftovers = removeLeftovers(args.out);
  if (leftovers > 0) log(`Removed ${leftovers} temporary file(s) left by a killed sweep.`);

  // Seed-major order: a sweep stopped early has every configuration at a similar number of seeds.
  const todo: SweepTask[] = [];
  let skipped = 0, stale = 0, unreadable = 0;
  for (const seed of seeds) {
    for (const c of configs) {
      const st = readSweepRecord(args.out, c, seed);
      if (st.state === "done") skipped++;
      else {
        if (st.state === "stale") stale++;
        if (st.state === "unreadable") unreadable++;
        todo.push({ config: c.name, seed });
      }
    }
  }
  const planned = configs.length * seeds.length;
  const workers = Math.min(args.workers, Math.max(1, todo.length));
  log(`${configs.length} configuration(s) × ${seeds.length} seed(s) (${seeds[0]}–${seeds[seeds.length - 1]}) = ${planned} runs: ${skipped} already recorded, ${todo.length} to run` +
    (stale ? ` (${stale} made by an older definition of their configuration)` : "") + (unreadable ? ` (${unreadable} unreadable)` : "") +
    (todo.length ? `, on ${workers} worker thread(s) of ${os.availableParallelism()} core(s).` : "."));
  const rel = path.relative(process.cwd(), args.out);
  log(`Records: ${rel === "" ? "." : rel.startsWith("..") ? args.out : rel}/`);
  const outcome: SweepOutcome = { planned, skipped, ran: 0, failed: [], interrupted: false, wallSeconds: 0 };
  if (todo.length === 0) return outcome;

  const commit = gitCommit();
  const remaining = new Map<string, number>();
  for (const t of todo) remaining.set(t.config, (remaining.get(t.config) ?? 0) + 1);
  const tty = Boolean(process.stderr.isTTY);
  const progress = new Progress(todo.length, remaining, tty, (s) => process.stderr.write(s));
  const tsx = require.resolve("tsx/cjs");
  const workerFile = path.join(__dirname, "sweep-worker.ts");
  let next = 0;
  let stopping = false;
  const pool: Worker[] = [];

  await new Promise<void>((resolve) => {
    let busy = 0;
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      process.off("SIGINT", onSigint);
      process.off("SIGTERM", onSigint);
      for (const w of pool) void w.terminate();
      resolve();
    };
    const dispatch = (w: Worker) => {
      if (stopping || next >= todo.length) {
        if (busy === 0) finish();
        return;
      }
      busy++;
      w.postMessage(todo[next++]!);
    };
    let interrupts = 0;
    const onSigint = () => {
      interrupts++;
      outcome.interrupted = true;
      stopping = true;
      if (interrupts === 1 && busy > 0) {
        progress.end();
        log(`Interrupted: finishing the ${busy} run(s) in progress (Ctrl-C again to drop them). Every finished run is kept; rerun the same command to resume.`);
      } else {
        progress.end();
        if (busy > 0) log(`Dropped ${busy} run(s) in progress.`);
        busy = 0;
        finish();
      }
    };
    process.on("SIGINT", onSigint);
    process.on("SIGTERM", onSigint);
    for (let k = 0; k < workers; k++) {
      const w = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(workerFile)});`, { eval: true });
      pool.push(w);
      w.on("message", (reply: SweepReply) => {
        if (settled) return;
        busy--;
        if (reply.ok) {
          const rec: SweepRecord = { ...reply.record, ...(commit ? { commit } : {}), recordedAt: new Date().toISOString() };
          writeSweepRecord(args.out, rec);
          outcome.ran++;
          progress.finished(rec.config, rec.wallMs);
        } else {
          outcome.failed.push({ task: reply.task, error: reply.error });
          stopping = true;
          progress.end();
          log(`Run ${reply.task.config} seed ${reply.task.seed} failed; stopping after the runs in progress.\n${reply.error}`);
        }
        dispatch(w);
      });
      w.on("error", (e) => {
        if (settled) return;
        outcome.failed.push({ task: { config: "(worker)", seed: -1 }, error: e.stack ?? String(e) });
        stopping = true;
        busy = Math.max(0, busy - 1);
        log(`A worker thread crashed: ${e.message}`);
        if (busy === 0) finish();
      });
      dispatch(w);
    }
  });
  progress.end();
  outcome.wallSeconds = (Date.now() - t0) / 1000;
  appendManifest(args.out, {
    started: new Date(t0).toISOString(), wallSeconds: Number(outcome.wallSeconds.toFixed(1)),
    configs: configs.length === SWEEP_CONFIGS.length ? "all" : configs.map((c) => c.name), seeds: [seeds[0]!, seeds[seeds.length - 1]!],
    planned, skipped, ran: outcome.ran, failed: outcome.failed.length, interrupted: outcome.interrupted,
    workers, cores: os.availableParallelism(), cpu: os.cpus()[0]?.model ?? "unknown", node: process.version, commit: commit ?? null,
  });
  return outcome;
}

/** The success-rate table of the configurations in `args`, from the records on disk. */
function report(args: SweepArgs, log: (s: string) => void): void {
  const { records } = loadSweep(args.out, { configs: args.configs, seeds: args.seeds, firstSeed: args.firstSeed });
  const rows = summarizeSweep(records);
  if (rows.length === 0) return;
  const w = Math.max(...rows.map((r) => r.config.length));
  log(`\n${"configuration".padEnd(w)}  best error < 3°                    median best  median last  diverged  dead`);
  for (const r of rows) {
    log(`${r.config.padEnd(w)}  ${formatRate(r.success).padEnd(33)}  ${r.medianBest.toFixed(2).padStart(10)}°  ${r.medianFinal.toFixed(2).padStart(10)}°  ${String(r.diverged).padStart(8)}  ${String(r.dead).padStart(4)}`);
  }
}

async function main(): Promise<number> {
  let args: SweepArgs;
  try {
    args = parseSweepArgs(process.argv.slice(2));
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    if (args.list) {
      console.log(describeSweepConfigs());
      return 0;
    }
    resolveSweepConfigs(args.configs);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SweepConfigError) {
      console.error(`sweep: ${e.message}`);
      return 2;
    }
    throw e;
  }
  const o = await sweep(args);
  if (o.ran > 0 || o.skipped > 0) report(args, console.log);
  console.log(`\n${o.ran} run(s) in ${o.wallSeconds.toFixed(1)} s wall time, ${o.skipped} skipped, on ${os.availableParallelism()} core(s).`);
  if (o.failed.length > 0) {
    console.error(`${o.failed.length} run(s) failed: ${o.failed.map((f) => `${f.task.config} seed ${f.task.seed}`).join(", ")}`);
    return 1;
  }
  if (o.interrupted) {
    console.log("Interrupted. Rerun the same command to finish: the recorded runs are skipped.");
    return 130;
  }
  return 0;
}

if (require.main === module) {
  main().then((code) => process.exit(code), (e) => {
    console.error(e);
    process.exit(1);
  });
}
