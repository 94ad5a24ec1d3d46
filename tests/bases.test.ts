// Tests of lib/bases.ts: random bases of any size. References: the moments of
// the uniform distribution on the sphere, the coherence recomputed by brute
// force over every pair, and the Welch bound and the best 2-D packing.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

const columns = (A: number[][]) => A[0]!.map((_, i) => A.map((row) => row[i]!));
const dot = (u: number[], v: number[]) => u.reduce((s, x, r) => s + x * v[r]!, 0);
/** The largest |cos| between two columns, over every pair. */
function coherence(A: number[][]): number {
  const c = columns(A).map((u) => u.map((x) => x / Math.sqrt(dot(u, u))));
  let max = 0;
  for (let i = 0; i < c.length; i++) for (let j = i + 1; j < c.length; j++) max = Math.max(max, Math.abs(dot(c[i]!, c[j]!)));
  return max;
}

test("randomBasis: unit columns, uniform on the sphere (mean 0, E[a_r²] = 1/m, within 4 standard errors)", () => {
  const m = 5, n = 20000;
  const A = ica.randomBasis(m, n, { seed: 4 });
  assert.equal(A.length, m);
  assert.equal(A[0]!.length, n);
  for (const u of columns(A)) assert.ok(Math.abs(dot(u, u) - 1) < 1e-14);
  // On the unit sphere in ℝ^m: E[a_r] = 0, E[a_r²] = 1/m, E[a_r⁴] = 3/(m(m + 2)).
  const se1 = Math.sqrt(1 / m / n);
  const se2 = Math.sqrt((3 / (m * (m + 2)) - 1 / m ** 2) / n);
  for (let r = 0; r < m; r++) {
    const mean = A[r]!.reduce((s, x) => s + x, 0) / n;
    const sq = A[r]!.reduce((s, x) => s + x * x, 0) / n;
    assert.ok(Math.abs(mean) < 4 * se1, `row ${r}: mean ${mean}, 4 SE ${4 * se1}`);
    assert.ok(Math.abs(sq - 1 / m) < 4 * se2, `row ${r}: mean square ${sq}, expected ${1 / m} ± ${4 * se2}`);
  }
  // Two different coordinates are uncorrelated: E[a_0 a_1] = 0, with sd √(E[a_0² a_1²]) = 1/√(m(m + 2)).
  const cross = A[0]!.reduce((s, x, i) => s + x * A[1]![i]!, 0) / n;
  assert.ok(Math.abs(cross) < 4 / Math.sqrt(m * (m + 2) * n), `E[a_0 a_1] = ${cross}`);
});

test("randomBasis: the coherence is exactly μ (to 1e-12), whether the draw was above or below it", () => {
  const cases: [number, number, number][] = [[2, 3, 0.6], [3, 7, 0.7], [10, 40, 0.35], [16, 64, 0.3], [64, 256, 0.3], [5, 4, 0.2], [64, 10, 0.9], [4, 4, 0.05]];
  for (const [m, n, mu] of cases) {
    const A = ica.randomBasis(m, n, { seed: `${m}x${n}`, coherence: mu });
    columns(A).forEach((u, i) => assert.ok(Math.abs(dot(u, u) - 1) < 1e-12, `${m}×${n}: column ${i} has norm² ${dot(u, u)}`));
    const got = coherence(A);
    assert.ok(Math.abs(got - mu) < 1e-12, `${m}×${n}, μ = ${mu}: coherence ${got}`);
  }
  // n ≤ m with μ = 0: orthonormal columns.
  const Q = columns(ica.randomBasis(6, 6, { seed: 1, coherence: 0 }));
  Q.forEach((u, i) => Q.forEach((v, j) => assert.ok(Math.abs(dot(u, v) - (i === j ? 1 : 0)) < 1e-12)));
});

test("randomBasis: the Welch bound, an unreachable coherence and bad inputs are errors naming the value", () => {
  // Welch bound for m = 2, n = 3: √(1/(2·2)) = 0.5.
  assert.equal(ica.welchBound(2, 3), 0.5);
  assert.equal(ica.welchBound(4, 3), 0);
  assert.throws(() => ica.randomBasis(2, 3, { coherence: 0.4 }), /coherence must be at least the Welch bound √\(\(n − m\)\/\(m\(n − 1\)\)\) = 0.5 for m = 2, n = 3, got 0.4/);
  assert.throws(() => ica.randomBasis(3, 5, { coherence: 0 }), /coherence must be at least the Welch bound .* got 0/);
  // Four lines in the plane are at best 45° apart (cos 0.707), above the Welch bound √(1/3) = 0.577: 0.6 cannot be reached.
  assert.throws(() => ica.randomBasis(2, 4, { coherence: 0.6 }), /could not bring the coherence of a 2×4 basis down to 0.6 \(\d+ sweeps of rotations/);
  assert.ok(Math.abs(coherence(ica.randomBasis(2, 4, { coherence: 0.75 })) - 0.75) < 1e-12);
  assert.throws(() => ica.randomBasis(0, 3), /m must be an integer ≥ 1, got 0/);
  assert.throws(() => ica.randomBasis(2, 1.5), /n must be an integer ≥ 1, got 1.5/);
  assert.throws(() => ica.randomBasis(2, 3, { coherence: 1.2 }), /coherence must be ≥ 0 and ≤ 1, got 1.2/);
  assert.throws(() => ica.randomBasis(2, 1, { coherence: 0.5 }), /coherence needs at least 2 columns .* got n = 1/);
  assert.throws(() => ica.randomBasis(2, 3, { coherense: 0.5 } as never), /randomBasis: unknown option 'coherense' \(did you mean 'coherence'\?\)/);
});

test("randomBasis: the same seed gives the same bits; another seed another basis", () => {
  const a = ica.randomBasis(8, 30, { seed: "s", coherence: 0.6 });
  assert.deepEqual(a, ica.randomBasis(8, 30, { seed: "s", coherence: 0.6 }));
  assert.notDeepEqual(a, ica.randomBasis(8, 30, { seed: "t", coherence: 0.6 }));
  assert.deepEqual(ica.randomBasis(3, 4, { seed: 2 }), ica.randomBasis(3, 4, { seed: 2 }));
});
