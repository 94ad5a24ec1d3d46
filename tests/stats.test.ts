// Tests of lib/stats.ts: success rates and their intervals. References:
// published Wilson intervals and hand computations.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

test("wilsonInterval: published values and edge cases; bad counts are named", () => {
  const close = (a: number, b: number) => Math.abs(a - b) < 5e-4;
  const half = ica.wilsonInterval(10, 20);
  assert.ok(close(half.low, 0.2993) && close(half.high, 0.7007), JSON.stringify(half));
  const none = ica.wilsonInterval(0, 20);
  assert.ok(none.low === 0 && close(none.high, 0.1611));
  const all = ica.wilsonInterval(20, 20);
  assert.ok(all.high === 1 && close(all.low, 0.8389));
  assert.equal(ica.formatRate(ica.rateBelow([1, 2, 5, 9], 3)), "2/4 (50%, 95% CI 15%–85%)");
  assert.equal(ica.median([3, 1, 2]), 2);
  assert.equal(ica.median([4, 1, 2, 3]), 2.5);
  assert.throws(() => ica.wilsonInterval(3, 2), /successes must be an integer in \[0, 2\], got 3/);
  assert.throws(() => ica.wilsonInterval(0, 0), /trials must be an integer ≥ 1, got 0/);
  assert.throws(() => ica.rateBelow([1, Number.NaN], 3), /values\[1\] must be a number, got NaN/);
});


test("stats: interpolate and formatSpread", () => {
  const pts = [{ x: 2, y: 100 }, { x: 0, y: 1 }, { x: 1, y: 10 }];
  assert.equal(ica.interpolate(pts, 0.5), 5.5);
  assert.ok(Math.abs(ica.interpolate(pts, 0.5, { logY: true })! - Math.sqrt(10)) < 1e-12);
  assert.equal(ica.interpolate(pts, 3), null);
  assert.throws(() => ica.interpolate([{ x: 0, y: 0 }, { x: 1, y: 1 }], 0.5, { logY: true }), /points\[0\] must have finite x and y > 0/);
  assert.equal(ica.formatSpread([3, 1, 2]), "2.00 (1.00–3.00)");
  assert.equal(ica.formatSpread([1.234], 1), "1.2");
  assert.throws(() => ica.formatSpread([]), /at least one value/);
});

test("interpolate: its option is declared; logY: 'yes' is an error, not true", () => {
  const pts = [{ x: 0, y: 1 }, { x: 1, y: 100 }];
  assert.throws(() => ica.interpolate(pts, 0.5, { logY: "yes" } as never), /logY must be true or false, got 'yes'/);
  assert.throws(() => ica.interpolate(pts, 0.5, { logy: true } as never), /interpolate: unknown option 'logy' \(did you mean 'logY'\?\)/);
  assert.ok(Math.abs(ica.interpolate(pts, 0.5, { logY: true })! - 10) < 1e-12);
});

test("pairedRateDifference: Newcombe's paired interval; no correlation gives the independent interval; coverage near 95%", () => {
  // φ = 0 (one pair of each kind): the hybrid interval of two independent Wilson intervals.
  const d0 = ica.pairedRateDifference([true, true, false, false], [true, false, true, false]);
  const w = ica.wilsonInterval(2, 4);
  const half = Math.hypot(w.rate - w.low, w.high - w.rate);
  assert.ok(Math.abs(d0.low + half) < 1e-12 && Math.abs(d0.high - half) < 1e-12);
  // Identical outcomes: a difference of 0, pinned down tightly by the pairing.
  const same = Array.from({ length: 50 }, (_, i) => i % 2 === 0);
  const ds = ica.pairedRateDifference(same, same);
  assert.equal(ds.difference, 0);
  assert.ok(ds.low < 0 && ds.low > -0.06 && ds.high > 0 && ds.high < 0.06, `${ds.low} ${ds.high}`);
  // Swapping the arguments mirrors the interval.
  const a = Array.from({ length: 30 }, (_, i) => i % 3 !== 0);
  const b = Array.from({ length: 30 }, (_, i) => i % 5 === 0 || i % 7 === 0);
  const ab = ica.pairedRateDifference(a, b);
  const ba = ica.pairedRateDifference(b, a);
  assert.ok(Math.abs(ab.difference + ba.difference) < 1e-12 && Math.abs(ab.low + ba.high) < 1e-12 && Math.abs(ab.high + ba.low) < 1e-12);
  // Coverage by simulation: correlated pairs with P(a) = 0.7, P(b) = 0.5, n = 50.
  const rng = ica.createRng("newcombe");
  let covered = 0;
  const reps = 2000;
  for (let t = 0; t < reps; t++) {
    const xa: boolean[] = [], xb: boolean[] = [];
    for (let i = 0; i < 50; i++) {
      const u = rng.uniform();
      xa.push(u < 0.7);
      xb.push(rng.uniform() < 0.6 ? u < 0.5 : rng.uniform() < 0.5);
    }
    const r = ica.pairedRateDifference(xa, xb);
    if (r.low <= 0.2 && 0.2 <= r.high) covered++;
  }
  assert.ok(covered / reps > 0.93 && covered / reps < 0.98, `coverage ${covered / reps}`);
  assert.throws(() => ica.pairedRateDifference([true], [true, false]), /same length, got 1 and 2/);
  assert.throws(() => ica.pairedRateDifference([true, 1 as unknown as boolean], [true, false]), /a\[1\] must be a boolean, got 1/);
});

test("quantile: type-7 interpolation; bad q named", () => {
  assert.equal(ica.quantile([4, 1, 3, 2], 0.25), 1.75);
  assert.equal(ica.quantile([4, 1, 3, 2], 0.5), ica.median([1, 2, 3, 4]));
  assert.equal(ica.quantile([5], 0.9), 5);
  assert.deepEqual([ica.quantile([1, 9], 0), ica.quantile([1, 9], 1)], [1, 9]);
  assert.throws(() => ica.quantile([1, 2], 1.5), /q must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => ica.quantile([], 0.5), /empty/);
});
