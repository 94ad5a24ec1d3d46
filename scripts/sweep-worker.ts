// One worker thread of `npm run sweep`: receives { config, seed }, runs it,
// and posts back the record (or the error, with its stack).
import { parentPort } from "worker_threads";
import { runSweepTask } from "../lib/sweep";

export interface SweepTask {
  config: string;
  seed: number;
}

export type SweepReply =
  | { ok: true; task: SweepTask; record: ReturnType<typeof runSweepTask> }
  | { ok: false; task: SweepTask; error: string };

if (!parentPort) throw new Error("sweep-worker.ts runs inside a worker thread of scripts/sweep.ts");
const port = parentPort;
port.on("message", (task: SweepTask) => {
  let reply: SweepReply;
  try {
    reply = { ok: true, task, record: runSweepTask(task.config, task.seed) };
  } catch (e) {
    reply = { ok: false, task, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply);
});
