// lib/metrics.ts: the matching against brute force, and the angles against hand-made bases.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import * as ica from "../lib/index";
import { BASIS_ERROR_OPTIONS } from "../lib/metrics";

const fromAngles = (angles: number[], lengths?: number[]) => ica.basisFromAngles(angles, lengths);

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const mean = (v: number[]) => sum(v) / v.length;

test("basisError: Hungarian matching equals brute force over permutations", () => {
  const permutations = (k: number, n: number): number[][] => {
    if (n === 0) return [[]];
    const out: number[][] = [];
    for (const rest of permutations(k, n - 1)) for (let i = 0; i < k; i++) if (!rest.includes(i)) out.push([...rest, i]);
    return out;
  };
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1e6 }), (n, extra, seed) => {
      const r = ica.createRng(seed);
      const k = n + extra;
      const cost = Array.from({ length: n }, () => Array.from({ length: k }, () => r.uniform()));
      const asg = ica.hungarian(cost);
      assert.equal(new Set(asg).size, n);
      const got = sum(asg.map((c, j) => cost[j]![c]!));
      const brute = Math.min(...permutations(k, n).map((perm) => sum(perm.map((c, j) => cost[j]![c]!))));
      assert.ok(Math.abs(got - brute) < 1e-12, `${got} vs ${brute}`);
    }),
    { numRuns: 150 },
  );
});

test("basisError: angles, permutation and scale invariance, extra columns, MMCS, sign", () => {
  const T = ica.basisFromAngles([0, 90, 225]);
  const L = ica.basisFromAngles([92, 224, 3, 45]).map((row) => row.map((v, i) => v * (i + 1)));
  const e = ica.basisError(L, T);
  assert.deepEqual(e.assignment, [2, 0, 1]);
  assert.ok(Math.abs(e.meanAngleDeg - 2) < 1e-9);
  assert.ok(Math.abs(e.maxAngleDeg - 3) < 1e-9);
  // MMCS ignores sign: the learned 45° column is exactly opposite the true 225° one.
  assert.ok(Math.abs(e.mmcs - mean([3, 2, 0].map((d) => Math.cos((d * Math.PI) / 180)))) < 1e-12);
  // With non-negative sources −A_i is another feature; with signed ones it is the same.
  const one = ica.basisFromAngles([30]);
  const flipped = one.map((row) => row.map((v) => -v));
  assert.ok(Math.abs(ica.basisError(flipped, one).meanAngleDeg - 180) < 1e-5);
  assert.ok(ica.basisError(flipped, one, { ignoreSign: true }).meanAngleDeg < 1e-5);
  assert.ok(ica.basisError(T.map((row) => row.map((v) => -v)), T, { ignoreSign: true }).meanAngleDeg < 1e-5);
  assert.throws(() => ica.basisError(ica.basisFromAngles([0]), T), /at least as many columns as Atrue \(3\), got 1/);
  const dead = ica.basisError([[0, 0, 1, 0], [0, 1, 0, 0]], ica.basisFromAngles([0, 90]));
  assert.ok(dead.meanAngleDeg < 1e-5, "a zero column is never preferred");
});

test("angularFraction: counts points near the given directions", () => {
  const X = ica.basisFromAngles([0, 5, 40, 181, 270]);
  assert.equal(ica.angularFraction(X, [0], 10), 2 / 5);
  assert.equal(ica.angularFraction(X, [180, 275], 6), 2 / 5);
  assert.throws(() => ica.angularFraction(X, [0], 0), /halfWidthDeg must be in \(0, 180\], got 0/);
});

test("basisError is scale-safe (defect 6: 90° for c·A with c ≥ 1e155) and keeps its bits at ordinary scales", () => {
  const T = ica.basisFromAngles([10, 100, 215]);
  const L = ica.basisFromAngles([12, 97, 220]);
  const ref = ica.basisError(L, T);
  for (const c of [1e155, 1e200, 1e300, 1e-160, 1e-300]) {
    const e = ica.basisError(L.map((r) => r.map((v) => v * c)), T);
    assert.ok(Math.abs(e.meanAngleDeg - ref.meanAngleDeg) < 1e-9, `c = ${c}: ${e.meanAngleDeg}° against ${ref.meanAngleDeg}°`);
    assert.ok(Math.abs(e.mmcs - ref.mmcs) < 1e-12, `c = ${c}: MMCS`);
    assert.ok(Math.abs(ica.basisError(T.map((r) => r.map((v) => v * c)), T).maxAngleDeg) < 1e-6, `c = ${c}: itself`);
  }
  // The columns may differ in scale from each other too.
  const mixed = L.map((r) => r.map((v, i) => v * [1e-200, 1, 1e250][i]!));
  assert.ok(Math.abs(ica.basisError(mixed, T).meanAngleDeg - ref.meanAngleDeg) < 1e-9);
  // Against an independent formula: the angle from atan2 of the columns.
  const deg = (M: number[][], i: number) => (Math.atan2(M[1]![i]!, M[0]![i]!) * 180) / Math.PI;
  const want = [0, 1, 2].map((i) => Math.abs(((deg(L, i) - deg(T, i) + 540) % 360) - 180));
  assert.ok(Math.abs(ref.meanAngleDeg - mean(want)) < 1e-9);
});

test("basisError options are declared once: misspelled and mistyped options are errors", () => {
  const T = ica.basisFromAngles([0, 90]);
  assert.throws(() => ica.basisError(T, T, { ignoresign: true } as object), /basisError: unknown option 'ignoresign' \(did you mean 'ignoreSign'\?\)/);
  assert.throws(() => ica.basisError(T, T, { ignoreSign: "no" } as unknown as ica.BasisErrorOptions), /ignoreSign must be true or false, got 'no'/);
  assert.deepEqual(Object.keys(BASIS_ERROR_OPTIONS.schema), ["ignoreSign"]);
});

test("columnRoles: features, two-feature mixtures, split features and strays", () => {
  const truth = fromAngles([30, 150, 270]);
  const A = fromAngles([32, 90, 145, 155, 185, 0], [1, 1, 1, 1, 1, 1e-9]).map((r) => r.map((v, j) => (j === 5 ? 0 : v)));
  const roles = ica.columnRoles(A, truth, 15);
  assert.deepEqual(roles.map((r) => r.kind), ["feature", "mixture", "feature", "feature", "other", "other"]);
  assert.deepEqual(roles[1]!.target, [0, 1]);
  assert.ok(Math.abs(roles[1]!.angleDeg) < 1e-9, "30° + 150° sum points at 90°");
  assert.deepEqual([roles[2]!.target, roles[3]!.target], [[1], [1]], "the 145° and 155° columns split feature 2");
  assert.ok(Math.abs(roles[4]!.angleDeg - 25) < 1e-9, "185° is 25° from the 210° mixture");
  assert.throws(() => ica.columnRoles(A, truth, 0), /toleranceDeg must be in \(0, 180\], got 0/);
});
