// Tests of lib/sweep/toy-verdict.ts (E10's verdict summaries) on synthetic
// records whose answers are counted by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { firstStepBeyond, pairedComparison, scaleRows, startRows, truthStartRows, withinRates } from "../lib/sweep/toy-verdict";
import type { SweepRecord } from "../lib/sweep/record";

const D = "tms-n10-m5-S0.9";
function rec(method: string, seed: number, extra: Record<string, number | null>, finalError = 0, curve: number[] = [0]): SweepRecord {
  return {
    format: 1, config: `${D}/${method}`, dataset: D, method, seed, fingerprint: "x", options: {},
    bestError: 0, bestStep: 0, finalError, finalWorst: 0, returnedError: 0, diverged: null, deadFeatures: 0, curve: { every: 10, values: curve }, extra, wallMs: 0,
  };
}

test("toy-verdict: the paired comparison counts seeds on which a is lower, over shared seeds only, ties not lower", () => {
  const rs = [
    rec("a", 0, { angle: 1 }), rec("a", 1, { angle: 5 }), rec("a", 2, { angle: 2 }), rec("a", 3, { angle: 9 }),
    rec("b", 0, { angle: 2 }), rec("b", 1, { angle: 5 }), rec("b", 2, { angle: 1 }),
  ];
  const p = pairedComparison(rs, D, "a", "b");
  // Shared seeds 0, 1, 2: a lower on seed 0 only (seed 1 ties); means 8/3 and 8/3.
  assert.deepEqual([p.seeds, p.aLower.successes, p.aLower.trials], [3, 1, 3]);
  assert.ok(Math.abs(p.meanA - 8 / 3) < 1e-12 && Math.abs(p.meanDifference) < 1e-12, "means");
  assert.throws(() => pairedComparison(rs, D, "a", "c"), /no records of tms-n10-m5-S0.9\/c/);
  assert.throws(() => pairedComparison([rec("a", 0, { angle: NaN }), rec("b", 0, { angle: 1 })], D, "a", "b"), /field angle is NaN/);
});

test("toy-verdict: scale rows read the raw points' length back from the normalising factor", () => {
  const rs = [
    rec("raw", 0, { angle: 60, within5: 0 }), rec("raw", 1, { angle: 50, within5: 0 }),
    rec("norm", 0, { angle: 1, within5: 1, scale: 4 }), rec("norm", 1, { angle: 11, within5: 0, scale: 2 }),
  ];
  const [r] = scaleRows(rs, [D], "raw", "norm", 2);
  // Raw lengths 2/4 = 0.5 and 2/2 = 1: median 0.75.
  assert.deepEqual([r!.rawMedianNorm, r!.rawAngle, r!.normalisedAngle, r!.rawWithin5.successes, r!.normalisedWithin5.successes], [0.75, 55, 6, 0, 1]);
});

test("toy-verdict: the oracle rows, the start rows, the rates at several cuts and the first exit", () => {
  const rs = [
    rec("o", 0, { angle: 0 }, 60, [0, 0.2, 30, 60]), rec("o", 1, { angle: 0.5 }, 2, [0, 0.1, 0.3, 2]), rec("o", 2, { angle: 0.0004 }, 70, [0, 8, 70]),
  ];
  const [t] = truthStartRows(rs, [D], 5, "o");
  assert.deepEqual([t!.seeds, t!.last, t!.lastMax, t!.walkedAway.successes, t!.keptStart.successes], [3, 44, 70, 2, 2]);
  assert.ok(Math.abs(t!.returned - 0.5004 / 3) < 1e-12, "returned");
  assert.deepEqual(rs.map((r) => firstStepBeyond(r, 5)), [20, null, 10]);
  const starts = [rec("s", 0, { angle: 3 }, 0, [3]), rec("s", 1, { angle: 1 }, 0, [4]), rec("s", 2, { angle: 4.9 }, 0, [5])];
  const [s] = startRows(starts, [D], "s", 0.5);
  // Kept: seed 0 (3 = 3); improved by more than 0.5°: seed 1 (1 < 3.5); seed 2 improves by 0.1 only.
  assert.deepEqual([s!.startMean, s!.startMedian, s!.keptStart.successes, s!.improved.successes], [4, 4, 1, 1]);
  const cuts = withinRates([rec("w", 0, { worst: 2 }), rec("w", 1, { worst: 4 }), rec("w", 2, { worst: 12 })], D, "w", [3, 5, 10]);
  assert.deepEqual(cuts.map((c) => c.successes), [1, 2, 2]);
  assert.throws(() => startRows([rec("s", 0, { angle: 1 }, 0, [])], [D], "s"), /no value at step 0/);
});
