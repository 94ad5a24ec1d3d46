// Tests of lib/learning/diagnostics.ts: turnRates. The
// references are independent of the code under test: a closed form worked by
// hand on a 2×2 basis, and the angle a finite step actually turns a column.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { createRng } from "../lib/random";

const DEG = 180 / Math.PI;

test("turnRates on a 2×2 basis: the hand-derived rates, no turn for a radial update, 0 for a zero column", () => {
  // Column (1, 0) pushed by α·(0, 1) points at atan(α): d/dα at 0 is 1 rad.
  // Column (0, 2) pushed by α·(−1, 0) points at atan2(2, −α) = π/2 + atan(α/2):
  // d/dα at 0 is 1/2 rad. Both counter-clockwise, so positive.
  const A = [[1, 0], [0, 2]];
  const dA = [[0, -1], [1, 0]];
  const rates = ica.turnRates(A, dA);
  assert.equal(rates.length, 2);
  assert.ok(Math.abs(rates[0]! - DEG) < 1e-12, `column 0: ${rates[0]} against ${DEG}`);
  assert.ok(Math.abs(rates[1]! - DEG / 2) < 1e-12, `column 1: ${rates[1]} against ${DEG / 2}`);
  // A clockwise push turns the other way.
  assert.ok(Math.abs(ica.turnRates(A, [[0, 1], [-1, 0]])[0]! + DEG) < 1e-12);
  // An update along the column only lengthens it.
  assert.deepEqual(ica.turnRates(A, [[3, 0], [0, -5]]).map(Math.abs), [0, 0]);
  // A zero column has no direction to turn.
  assert.deepEqual(ica.turnRates([[0, 1], [0, 0]], dA), [0, 0]);
});

test("turnRates against the angle a small step turns each column, by central differences", () => {
  const rng = createRng(20261201);
  const n = 7;
  const draw = () => Array.from({ length: n }, () => 2 * rng.uniform() - 1);
  /** Signed angle from u to v (radians), from their cross and dot products. */
  const angle = (ux: number, uy: number, vx: number, vy: number) => Math.atan2(ux * vy - uy * vx, ux * vx + uy * vy);
  for (let trial = 0; trial < 20; trial++) {
    const scale = 10 ** (4 * rng.uniform() - 2);
    const A = [draw().map((v) => v * scale), draw().map((v) => v * scale)];
    const dA = [draw(), draw()];
    const rates = ica.turnRates(A, dA);
    for (let i = 0; i < n; i++) {
      const x = A[0]![i]!;
      const y = A[1]![i]!;
      const h = 1e-5 * Math.hypot(x, y);
      const plus = angle(x, y, x + h * dA[0]![i]!, y + h * dA[1]![i]!);
      const minus = angle(x, y, x - h * dA[0]![i]!, y - h * dA[1]![i]!);
      const fd = ((plus - minus) / (2 * h)) * DEG;
      assert.ok(Math.abs(fd - rates[i]!) <= 1e-6 * (1 + Math.abs(fd)), `trial ${trial}, column ${i}: ${rates[i]} against ${fd}`);
    }
  }
});

test("turnRates takes only 2-row matrices of the same size, and names the one that is wrong", () => {
  const dA = [[0, 1], [1, 0]];
  assert.throws(() => ica.turnRates([[1, 0], [0, 1], [0, 0]], dA), /A must have 2 rows, got 3/);
  assert.throws(() => ica.turnRates([[1, 0], [0, 1]], [[0, 1, 2], [1, 0, 2]]), /dA/);
});

test("turnRates at extreme scales: A and dA scaled together by c turn at the same rate (no NaN at 1e160, no 0 at 1e-170)", () => {
  const A = [[1, -0.5, 2], [0.25, 1, -1]];
  const dA = [[0.3, 0.1, -0.2], [-0.4, 0.7, 0.05]];
  const unit = ica.turnRates(A, dA);
  for (const c of [1e160, 1e-170, 1e300, 1e-300]) {
    const scaledRates = ica.turnRates(A.map((r) => r.map((v) => v * c)), dA.map((r) => r.map((v) => v * c)));
    scaledRates.forEach((r, i) => assert.ok(Math.abs(r - unit[i]!) <= 1e-12 * Math.abs(unit[i]!), `c = ${c}, column ${i}: ${r} against ${unit[i]}`));
  }
});

