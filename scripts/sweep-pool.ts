// The worker-thread pool of `npm run sweep`: hands out (configuration, seed)
// tasks to worker threads (sweep-worker.ts), one at a time each, and passes
// every record back to the main thread, which alone writes files.
//
// Ctrl-C stops handing out tasks and waits for the runs in progress; a second
// Ctrl-C drops them. Under `npm run sweep` one Ctrl-C reaches this process
// more than once: the terminal signals the whole process group, npm forwards
// its own copy to tsx, and tsx relays that copy to us when we do not report
// it within 30 ms (tsx 4's relaySignals). So a signal that arrives within
// DUPLICATE_SIGNAL_MS of the last one of the same name is taken as that one;
// a different signal (a SIGTERM after a SIGINT) always counts.
//
// A run that fails, a record that cannot be kept (onRecord throws: say, the
// disk is full) and a worker that crashes or exits all stop the handing out;
// the runs in progress finish, and the outcome lists what went wrong.
import * as path from "path";
import { performance } from "perf_hooks";
import { Worker } from "worker_threads";
import { IoError } from "../lib/io";
import type { SweepRecord } from "../lib/sweep";
import type { Progress } from "./sweep-progress";
import type { SweepReply, SweepTask } from "./sweep-worker";

/** A second signal of the same name sooner than this after the first is the same key press, relayed. */
export const DUPLICATE_SIGNAL_MS = 1000;

let onInterrupt: (() => void) | null = null;
/** When each signal name was last counted (performance.now(): the wall clock can jump). */
const lastCounted = new Map<NodeJS.Signals, number>();
let listening = false;

function onSignal(signal: NodeJS.Signals): void {
  const now = performance.now();
  if (now - (lastCounted.get(signal) ?? -Infinity) < DUPLICATE_SIGNAL_MS) return;
  lastCounted.set(signal, now);
  if (onInterrupt) onInterrupt();
  else process.exit(signal === "SIGTERM" ? 143 : 130);
}

/**
 * Installs the one SIGINT/SIGTERM handler for the life of the process (not
 * only while a pool runs: a relayed copy that arrives after the pool ends
 * must not kill the process before it has written its manifest).
 */
export function listenForInterrupts(): void {
  if (listening) return;
  listening = true;
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

export interface PoolOutcome {
  /** Runs finished and kept by onRecord. */
  ran: number;
  /** Runs that failed, or whose worker crashed or exited under them (a crash of an idle worker is `(worker)` seed -1). */
  failed: { task: SweepTask; error: string }[];
  /** Runs that finished but whose record onRecord could not keep, with its error. */
  unkept: { task: SweepTask; error: string }[];
  interrupted: boolean;
}

export interface PoolHooks {
  /** Gets each finished record, in the main thread, in completion order; may throw (an IoError's message is shown without a stack). */
  onRecord(record: SweepRecord): void;
  log(s: string): void;
  progress: Progress;
  /** Said after an interrupt: what happens to the runs finished so far. */
  afterInterrupt: string;
  /** The worker script (default sweep-worker.ts); tests pass a stand-in. */
  workerFile?: string;
}

const IDLE: SweepTask = { config: "(worker)", seed: -1 };
const named = (t: SweepTask) => `${t.config} seed ${t.seed}`;

/** One runPool: its workers, which run each busy worker holds, and the outcome so far. */
class PoolRun {
  readonly out: PoolOutcome = { ran: 0, failed: [], unkept: [], interrupted: false };
  private readonly pool: Worker[] = [];
  private readonly holding = new Map<Worker, SweepTask>(); // the run each busy worker is doing
  private readonly gone = new Set<Worker>(); // crashed or exited: given nothing more
  private next = 0;
  private stopping = false;
  private settled = false;
  private interrupts = 0;

  constructor(private readonly todo: readonly SweepTask[], private readonly hooks: PoolHooks, private readonly resolve: () => void) {}

  start(workers: number): void {
    const tsx = require.resolve("tsx/cjs");
    const workerFile = this.hooks.workerFile ?? path.join(__dirname, "sweep-worker.ts");
    onInterrupt = () => this.interrupted();
    for (let k = 0; k < workers; k++) {
      const w = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(workerFile)});`, { eval: true });
      this.pool.push(w);
      w.on("message", (reply: SweepReply) => {
        if (this.settled) return;
        this.received(w, reply);
        this.dispatch(w);
      });
      w.on("error", (e) => this.died(w, `crashed: ${e.message}`, e.stack ?? String(e)));
      w.on("exit", (code) => this.died(w, `exited (code ${code})`, `the worker thread exited (code ${code})${this.holding.has(w) ? ` during ${named(this.holding.get(w)!)}` : ""}`));
      this.dispatch(w);
    }
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    onInterrupt = null;
    for (const w of this.pool) void w.terminate();
    this.resolve();
  }

  private stop(message: string): void {
    this.stopping = true;
    this.hooks.progress.end();
    this.hooks.log(message);
  }

  /** Gives `w` the next run, or ends the pool once no run is left in progress. */
  private dispatch(w: Worker | null): void {
    if (w === null || this.gone.has(w) || this.stopping || this.next >= this.todo.length) {
      if (this.holding.size === 0) this.finish();
      return;
    }
    const task = this.todo[this.next++]!;
    this.holding.set(w, task);
    w.postMessage(task);
  }

  private received(w: Worker, reply: SweepReply): void {
    this.holding.delete(w);
    if (!reply.ok) {
      this.out.failed.push({ task: reply.task, error: reply.error });
      return this.stop(`Run ${named(reply.task)} failed; stopping after the runs in progress.\n${reply.error}`);
    }
    try {
      this.hooks.onRecord(reply.record);
    } catch (e) {
      const error = e instanceof IoError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
      this.out.unkept.push({ task: reply.task, error });
      return this.stop(`The record of ${named(reply.task)} could not be kept; stopping after the runs in progress.\n${error}`);
    }
    this.out.ran++;
    this.hooks.progress.finished(reply.record.config, reply.record.wallMs);
  }

  /** A worker that dies, with an error or without, fails the run it held (if any) and is given nothing more. */
  private died(w: Worker, why: string, error: string): void {
    if (this.settled || this.gone.has(w)) return; // (an 'exit' follows every 'error')
    this.gone.add(w);
    const task = this.holding.get(w) ?? IDLE;
    this.holding.delete(w);
    this.out.failed.push({ task, error });
    this.stop(`A worker thread ${why}${task === IDLE ? "" : ` during ${named(task)}`}; stopping after the runs in progress.`);
    this.dispatch(null);
  }

  private interrupted(): void {
    this.interrupts++;
    this.out.interrupted = true;
    this.stopping = true;
    this.hooks.progress.end();
    const busy = this.holding.size;
    if (this.interrupts === 1 && busy > 0) {
      this.hooks.log(`Interrupted: finishing the ${busy} run(s) in progress (Ctrl-C again to drop them). ${this.hooks.afterInterrupt}`);
      return;
    }
    if (busy > 0) this.hooks.log(`Dropped ${busy} run(s) in progress.`);
    this.holding.clear();
    this.finish();
  }
}

/** Runs `todo` on `workers` threads; resolves when all are done, a problem stopped the handing out, or the user interrupted. */
export async function runPool(todo: readonly SweepTask[], workers: number, hooks: PoolHooks): Promise<PoolOutcome> {
  listenForInterrupts();
  let run!: PoolRun;
  await new Promise<void>((resolve) => {
    run = new PoolRun(todo, hooks, resolve);
    run.start(workers);
  });
  hooks.progress.end();
  return run.out;
}
