// Tests of lib/random.ts: seeded streams, checked by sample moments against the
// distributions' known means and variances.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const mean = (v: number[]) => sum(v) / v.length;

test("rng: same seed, same stream; different seed, different stream", () => {
  const a = ica.createRng(7);
  const b = ica.createRng(7);
  const c = ica.createRng(8);
  const xs = Array.from({ length: 5 }, () => a.normal());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.normal()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.normal()));
});

test("rng: sample moments match the distributions", () => {
  const r = ica.createRng("moments");
  const N = 40000;
  const normal = Array.from({ length: N }, () => r.normal());
  const expo = Array.from({ length: N }, () => r.exponential(0.5));
  const lap = Array.from({ length: N }, () => r.laplace(2));
  assert.ok(Math.abs(mean(normal)) < 0.03);
  assert.ok(Math.abs(mean(normal.map((x) => x * x)) - 1) < 0.04);
  assert.ok(Math.abs(mean(expo) - 2) < 0.06, `exponential mean ${mean(expo)}`);
  assert.ok(expo.every((x) => x > 0));
  assert.ok(Math.abs(mean(lap)) < 0.06);
  assert.ok(Math.abs(mean(lap.map(Math.abs)) - 2) < 0.06, `laplace E|s| ${mean(lap.map(Math.abs))}`);
  // Laplace variance is 2b² = 8.
  assert.ok(Math.abs(mean(lap.map((x) => x * x)) - 8) < 0.4);
});

test("rng: bad parameters name themselves", () => {
  const r = ica.createRng(1);
  assert.throws(() => r.exponential(0), /rate must be a finite number > 0, got 0/);
  assert.throws(() => r.laplace(Number.NaN), /scale .* got NaN/);
  assert.throws(() => ica.createRng(Number.POSITIVE_INFINITY), /seed must be finite, got Infinity/);
});
