// A stand-in for scripts/sweep-worker.ts in tests/sweep-pool.test.ts: what it
// does with a task is named by the task's configuration.
//   "quick"      reply at once
//   "slow"       reply after `seed` ms
//   "crash-idle" reply at once, then throw 50 ms later, while idle
//   "exit"       end the thread (exit code 0) without replying
import { parentPort } from "worker_threads";

if (!parentPort) throw new Error("fake-sweep-worker.ts runs inside a worker thread");
const port = parentPort;
const reply = (task: { config: string; seed: number }) =>
  port.postMessage({ ok: true, task, record: { config: task.config, seed: task.seed, wallMs: 1 } });
port.on("message", (task: { config: string; seed: number }) => {
  if (task.config === "quick") reply(task);
  else if (task.config === "slow") setTimeout(() => reply(task), task.seed);
  else if (task.config === "crash-idle") {
    reply(task);
    setTimeout(() => {
      throw new Error("the idle worker crashed");
    }, 50);
  } else if (task.config === "exit") process.exit(0);
});
