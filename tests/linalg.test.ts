// lib/linalg.ts against mathjs.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import * as math from "mathjs";
import * as ica from "../lib/index";
import { solveSmall, symmetricEigenvalues, toColMajor, fromColMajor } from "../lib/linalg";

test("linalg: solveSmall and symmetricEigenvalues agree with mathjs", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 1e6 }), (d, seed) => {
      const r = ica.createRng(seed);
      const B = Array.from({ length: d }, () => Array.from({ length: d }, () => r.normal()));
      const M = math.add(math.multiply(math.transpose(B), B), math.multiply(0.1, math.identity(d))) as math.Matrix;
      const Mn = M.toArray() as number[][];
      const rhs = Array.from({ length: d }, () => r.normal());
      const y = solveSmall(toColMajor(Mn), rhs, d)!;
      const ref = math.lusolve(Mn, rhs) as number[][];
      y.forEach((v, i) => assert.ok(Math.abs(v - ref[i]![0]!) < 1e-8 * (1 + Math.abs(v))));
      const ev = symmetricEigenvalues(toColMajor(Mn), d);
      const refEv = (math.eigs(Mn).values as number[]).slice().sort((a, b) => b - a);
      ev.forEach((v, i) => assert.ok(Math.abs(v - refEv[i]!) < 1e-8 * (1 + Math.abs(v))));
    }),
    { numRuns: 60 },
  );
  assert.equal(solveSmall([1, 2, 2, 4], [1, 1], 2), null, "singular systems are reported");
  assert.deepEqual(fromColMajor(toColMajor([[1, 2, 3], [4, 5, 6]]), 2, 3), [[1, 2, 3], [4, 5, 6]]);
});
