// Tests of lib/stats.ts: interpolation and spreads against hand-computed values.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

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
