// Tests of lib/sweep/exact-page.ts (notebook E11's summaries of its records)
// on synthetic records whose answers are worked out by hand, missing values
// included.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as ica from "../lib/index";
import { columnBias, commonTurn, exactRows, finiteMean, logLogSlope, sizeCurve, slopeInterval, walkCurve } from "../lib/sweep/exact-page";
import type { SweepRecord } from "../lib/sweep/record";

function rec(dataset: string, seed: number, extra: Record<string, number | null>, curve: number[] = []): SweepRecord {
  return {
    format: 1, config: `${dataset}/ml`, dataset, method: "ml", seed, fingerprint: "x", options: {},
    bestError: 0, bestStep: 0, finalError: 0, finalWorst: 0, returnedError: 0, diverged: null, deadFeatures: 0, curve: { every: 10, values: curve }, extra, wallMs: 0,
  };
}

test("exact-page: exactRows averages over seeds, counts per seed, and leaves a missing value out (counted)", () => {
  const base = { ruleWorst: 3, mlWorst: 1, truthLogLik: -4, ruleLogLik: -5, truthProfiled: -3.9, mlTruthConverged: 1, mlConverged: 1 };
  const rs = [
    rec("irregular", 0, { ...base, ruleAngle: 4, mlAngle: 1, mlLogLik: -3.8, ruleProfiled: -4.1, mlTruthAngle: 1.005 }),
    rec("irregular", 1, { ...base, ruleAngle: 6, mlAngle: 2, mlLogLik: -4.1, ruleProfiled: -3.8, mlTruthAngle: 2.5, ruleWorst: 9 }),
    rec("irregular", 2, { ...base, ruleAngle: 5, mlAngle: null, mlLogLik: -3.9, ruleProfiled: null, mlTruthAngle: null }),
  ];
  const [r] = exactRows(rs, ["irregular"], 0.01);
  assert.equal(r!.seeds, 3);
  assert.equal(r!.ruleMean, 5);
  assert.equal(r!.mlMean, 1.5);           // the null is left out
  assert.equal(r!.ruleWorst, 9);
  assert.equal(r!.mlAboveTruth, 2);       // −3.8 and −3.9 ≥ −4; −4.1 is not
  assert.equal(r!.startsAgree, 1);        // seed 0 within 0.01°, seed 1 not; seed 2 has no fit from the truth
  assert.equal(r!.startsCompared, 2);
  assert.equal(r!.truthBeatsRule, 1);     // seed 0: −3.9 > −4.1; seed 1: −3.9 < −3.8; seed 2 missing
  assert.equal(r!.incomplete, 1);
  assert.ok(Number.isNaN(finiteMean([NaN])));
});

test("exact-page: columnBias's mean, standard error and t, computed by hand", () => {
  const rs = [1, 2, 3, 6].map((v, s) => rec("uneven", s, { ruleSigned0: v, ruleSigned1: -v }));
  const [c0, c1] = columnBias(rs, "rule", 2);
  // mean 3, sample variance ((−2)² + (−1)² + 0 + 3²)/3 = 14/3, SE = √(14/3/4).
  assert.equal(c0!.mean, 3);
  assert.ok(Math.abs(c0!.se - Math.sqrt(14 / 12)) < 1e-15);
  assert.ok(Math.abs(c1!.t + 3 / Math.sqrt(14 / 12)) < 1e-12);
});

test("exact-page: commonTurn averages each record's columns first, then over records (by hand)", () => {
  const rs = [[1, 3], [-2, 0], [4, 4]].map(([a, b], s) => rec("uneven", s, { mlSigned0: a!, mlSigned1: b! }));
  const c = commonTurn(rs, "ml", 2);
  // per record: 2, −1, 4; mean 5/3; sample variance ((1/3)² + (8/3)² + (7/3)²)/2 = 57/9; SE = √(57/27).
  assert.ok(Math.abs(c.mean - 5 / 3) < 1e-15);
  assert.ok(Math.abs(c.se - Math.sqrt(57 / 27)) < 1e-14);
  assert.equal(c.negative, 1);
  assert.equal(c.seeds, 3);
});

test("exact-page: sizeCurve reads each size's dataset; logLogSlope recovers an exact power law", () => {
  const sizes = [500, 5000, 50000];
  const rs = sizes.flatMap((p) => [0, 1].map((s) => rec(`regular-model-p${p}`, s, { ruleAngle: 4 + s, ruleFinalAngle: 3 + 2 * s, mlAngle: (20 + 2 * s) / Math.sqrt(p) })));
  const c = sizeCurve(rs, "regular", sizes);
  assert.deepEqual(c.map((q) => q.seeds), [2, 2, 2]);
  assert.deepEqual(c.map((q) => q.ruleMean), [4.5, 4.5, 4.5]);
  assert.deepEqual(c.map((q) => q.ruleLastMean), [4, 4, 4]);
  assert.ok(Math.abs(c[0]!.ruleLastSe - 1) < 1e-15);   // values 3 and 5: sample SD √2, SE √2/√2
  assert.ok(Math.abs(logLogSlope(sizes, c.map((q) => q.mlMean)) + 0.5) < 1e-12);
  assert.ok(Math.abs(logLogSlope(sizes, c.map((q) => q.ruleMean))) < 1e-12);
  assert.ok(Math.abs(logLogSlope([1, 2, 4], [3, 12, 48]) - 2) < 1e-12);
});

test("exact-page: slopeInterval collapses on an exact power law, covers the true slope under noise, and is seeded", () => {
  const sizes = [500, 2000, 5000, 20000, 50000];
  const exact = sizes.flatMap((p) => [0, 1, 2].map((s) => rec(`uneven-model-p${p}`, s, { mlAngle: 30 / Math.sqrt(p) })));
  const c = slopeInterval(exact, "uneven", sizes, "mlAngle", 200);
  assert.ok(Math.abs(c.low + 0.5) < 1e-12 && Math.abs(c.high + 0.5) < 1e-12, JSON.stringify(c));
  // 20 seeds per size, each value the power law times a factor drawn from the project's generator.
  const rng = ica.createRng(5);
  const noisy = sizes.flatMap((p) => Array.from({ length: 20 }, (_, s) => rec(`uneven-model-p${p}`, s, { mlAngle: (30 / Math.sqrt(p)) * (0.7 + 0.6 * rng.uniform()) })));
  const n = slopeInterval(noisy, "uneven", sizes, "mlAngle");
  assert.ok(n.low < -0.5 && n.high > -0.5 && n.high - n.low < 0.2, JSON.stringify(n));
  assert.deepEqual(slopeInterval(noisy, "uneven", sizes, "mlAngle"), n);
  assert.throws(() => slopeInterval(noisy, "regular", sizes, "mlAngle"), /no finite mlAngle at 500 points for regular/);
});

test("exact-page: walkCurve takes the union of the steps, averages what is finite and counts it", () => {
  const rs = [
    rec("e3", 0, { walk0: -4, walk10: -5, walkProfiled0: -3 }, [10, 8]),
    rec("e3", 1, { walk0: -6, walk10: null, walk20: -7, walkProfiled0: null }, [20, 4, 2]),
  ];
  const w = walkCurve(rs);
  assert.deepEqual(w.map((q) => q.step), [0, 10, 20]);
  assert.deepEqual(w.map((q) => q.logLik), [-5, -5, -7]);
  assert.deepEqual(w.map((q) => q.seeds), [2, 1, 1]);
  assert.equal(w[0]!.profiled, -3);
  assert.equal(w[0]!.profiledSeeds, 1);
  assert.deepEqual(w.map((q) => q.angle), [15, 6, 2]);
});
