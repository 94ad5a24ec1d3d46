// scripts/sweep-pool.ts, the sweep's worker-thread pool, with a stand-in
// worker (tests/helpers/fake-sweep-worker.ts) whose tasks reply, wait, crash
// or exit on demand: no run is dropped or left hanging, whatever a worker does.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as path from "path";
import { IoError } from "../lib/io";
import { runPool, type PoolHooks, type PoolOutcome } from "../scripts/sweep-pool";
import { Progress } from "../scripts/sweep-progress";
import type { SweepTask } from "../scripts/sweep-worker";

const FAKE = path.join(__dirname, "helpers", "fake-sweep-worker.ts");

function hooks(todo: readonly SweepTask[], logs: string[], records: SweepTask[], keep?: (t: SweepTask) => void): PoolHooks {
  return {
    onRecord: (r) => {
      keep?.({ config: r.config, seed: r.seed });
      records.push({ config: r.config, seed: r.seed });
    },
    log: (s) => void logs.push(s),
    progress: new Progress(todo.length, new Map(), false, () => {}),
    afterInterrupt: "",
    workerFile: FAKE,
  };
}

/** runPool, or a rejection if it has not finished within `ms` (a hung pool). */
function pool(todo: SweepTask[], workers: number, logs: string[], records: SweepTask[], keep?: (t: SweepTask) => void, ms = 20000): Promise<PoolOutcome> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    runPool(todo, workers, hooks(todo, logs, records, keep)).finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the pool did not finish in ${ms} ms: ${logs.join(" | ")}`)), ms))),
  ]);
}

test("sweep pool: a worker that crashes while idle does not end the pool before another worker's run in progress", async () => {
  const logs: string[] = [], records: SweepTask[] = [];
  const todo = [{ config: "slow", seed: 1500 }, { config: "crash-idle", seed: 0 }];
  const o = await pool(todo, 2, logs, records);
  assert.deepEqual(records.map((r) => r.config).sort(), ["crash-idle", "slow"], `the slow run was kept: ${logs.join(" | ")}`);
  assert.equal(o.ran, 2);
  assert.equal(o.failed.length, 1, "the crash is reported");
  assert.match(o.failed[0]!.error, /the idle worker crashed/);
  assert.ok(logs.some((l) => /A worker thread crashed: the idle worker crashed/.test(l)), logs.join(" | "));
});

test("sweep pool: a worker that exits without an error while holding a run fails that run instead of hanging the pool", async () => {
  const logs: string[] = [], records: SweepTask[] = [];
  const o = await pool([{ config: "exit", seed: 7 }, { config: "quick", seed: 8 }], 1, logs, records);
  assert.equal(o.ran, 0);
  assert.deepEqual(o.failed.map((f) => f.task), [{ config: "exit", seed: 7 }]);
  assert.match(o.failed[0]!.error, /exited \(code 0\) during exit seed 7/);
  assert.deepEqual(records, [], "no run was handed out after the failure");
});

test("sweep pool: a SIGTERM soon after a SIGINT is a second signal, not a relayed copy: it drops the runs in progress", async () => {
  const logs: string[] = [], records: SweepTask[] = [];
  const running = pool([{ config: "slow", seed: 3000 }], 1, logs, records);
  setTimeout(() => {
    process.emit("SIGINT", "SIGINT");
    setTimeout(() => process.emit("SIGTERM", "SIGTERM"), 40);
  }, 300);
  const o = await running;
  assert.equal(o.interrupted, true);
  assert.ok(logs.some((l) => /Interrupted: finishing the 1 run\(s\) in progress/.test(l)), logs.join(" | "));
  assert.ok(logs.some((l) => /Dropped 1 run\(s\) in progress/.test(l)), `SIGTERM was swallowed: ${logs.join(" | ")}`);
  assert.equal(o.ran, 0);
});

test("sweep pool: a record that cannot be kept stops the handing out; the run in progress finishes and is kept; the IoError is reported without a stack", async () => {
  const logs: string[] = [], records: SweepTask[] = [];
  const todo = [{ config: "slow", seed: 1000 }, { config: "quick", seed: 1 }, { config: "quick", seed: 2 }, { config: "quick", seed: 3 }];
  const keep = (t: SweepTask) => {
    if (t.seed === 1) throw new IoError("cannot write '/x/quick/seed-001.json' (ENOSPC: no space left on device)");
  };
  const o = await pool(todo, 2, logs, records, keep);
  assert.deepEqual(records, [{ config: "slow", seed: 1000 }], `only the run in progress was kept: ${logs.join(" | ")}`);
  assert.equal(o.ran, 1);
  assert.deepEqual(o.failed, []);
  assert.deepEqual(o.unkept, [{ task: { config: "quick", seed: 1 }, error: "cannot write '/x/quick/seed-001.json' (ENOSPC: no space left on device)" }]);
  assert.ok(logs.some((l) => /The record of quick seed 1 could not be kept; stopping after the runs in progress\.\ncannot write '\/x\/quick\/seed-001\.json'/.test(l)), logs.join(" | "));
  assert.ok(!logs.some((l) => /\n\s+at /.test(l)), "no stack");
});
