// The worker-thread pool of `npm run sweep`: hands out (configuration, seed)
// tasks to worker threads (sweep-worker.ts), one at a time each, and passes
// every record back to the main thread, which alone writes files.
//
// Ctrl-C stops handing out tasks and waits for the runs in progress; a second
// Ctrl-C drops them. Under `npm run sweep` one Ctrl-C reaches this process
// more than once: the terminal signals the whole process group, npm forwards
// its own copy to tsx, and tsx relays that copy to us when we do not report
// it within 30 ms (tsx 4's relaySignals). So signals that arrive within
// DUPLICATE_SIGNAL_MS of the last one counted are taken as that one.
import * as path from "path";
import { Worker } from "worker_threads";
import type { SweepRecord } from "../lib/sweep";
import type { Progress } from "./sweep-progress";
import type { SweepReply, SweepTask } from "./sweep-worker";

/** A second signal sooner than this after the first is the same key press, relayed. */
export const DUPLICATE_SIGNAL_MS = 1000;

let onInterrupt: (() => void) | null = null;
let lastSignal = -Infinity;
let listening = false;

function onSignal(signal: NodeJS.Signals): void {
  const now = Date.now();
  if (now - lastSignal < DUPLICATE_SIGNAL_MS) return;
  lastSignal = now;
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
  ran: number;
  failed: { task: SweepTask; error: string }[];
  interrupted: boolean;
}

export interface PoolHooks {
  /** Gets each finished record, in the main thread, in completion order. */
  onRecord(record: SweepRecord): void;
  log(s: string): void;
  progress: Progress;
  /** Said after an interrupt: what happens to the runs finished so far. */
  afterInterrupt: string;
}

/** Runs `todo` on `workers` threads; resolves when all are done, one failed, or the user interrupted. */
export async function runPool(todo: readonly SweepTask[], workers: number, hooks: PoolHooks): Promise<PoolOutcome> {
  listenForInterrupts();
  const out: PoolOutcome = { ran: 0, failed: [], interrupted: false };
  const tsx = require.resolve("tsx/cjs");
  const workerFile = path.join(__dirname, "sweep-worker.ts");
  const pool: Worker[] = [];
  let next = 0, busy = 0, stopping = false, settled = false, interrupts = 0;
  await new Promise<void>((resolve) => {
    const finish = () => {
      if (settled) return;
      settled = true;
      onInterrupt = null;
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
    onInterrupt = () => {
      interrupts++;
      out.interrupted = true;
      stopping = true;
      hooks.progress.end();
      if (interrupts === 1 && busy > 0) {
        hooks.log(`Interrupted: finishing the ${busy} run(s) in progress (Ctrl-C again to drop them). ${hooks.afterInterrupt}`);
        return;
      }
      if (busy > 0) hooks.log(`Dropped ${busy} run(s) in progress.`);
      busy = 0;
      finish();
    };
    for (let k = 0; k < workers; k++) {
      const w = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(workerFile)});`, { eval: true });
      pool.push(w);
      w.on("message", (reply: SweepReply) => {
        if (settled) return;
        busy--;
        if (reply.ok) {
          hooks.onRecord(reply.record);
          out.ran++;
          hooks.progress.finished(reply.record.config, reply.record.wallMs);
        } else {
          out.failed.push({ task: reply.task, error: reply.error });
          stopping = true;
          hooks.progress.end();
          hooks.log(`Run ${reply.task.config} seed ${reply.task.seed} failed; stopping after the runs in progress.\n${reply.error}`);
        }
        dispatch(w);
      });
      w.on("error", (e) => {
        if (settled) return;
        out.failed.push({ task: { config: "(worker)", seed: -1 }, error: e.stack ?? String(e) });
        stopping = true;
        busy = Math.max(0, busy - 1);
        hooks.log(`A worker thread crashed: ${e.message}`);
        if (busy === 0) finish();
      });
      dispatch(w);
    }
  });
  hooks.progress.end();
  return out;
}
