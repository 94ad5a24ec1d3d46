// The bench's timing, shared by scripts/bench.ts (W1–W5) and
// scripts/bench-wide.ts (W6, W7): `runs` timed calls after `warmup` untimed
// ones, reported as median, min and max in milliseconds.

import { median } from "../lib/stats";

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

/** The times of `runs` calls of fn after `warmup` untimed ones (ms). */
export function timeRuns(fn: () => void, runs: number, warmup: number): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times;
}

/** Median, min and max of some times (ms). */
export function stats(times: number[]): Timing {
  return { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), runs: times.length };
}
