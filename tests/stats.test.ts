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
