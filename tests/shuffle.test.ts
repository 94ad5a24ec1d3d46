// Tests of lib/shuffle.ts: the partial Fisher–Yates draw, against the uniform
// distribution over subsets (a chi-square test).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { createRng } from "../lib/random";
import { partialShuffle } from "../lib/shuffle";

test("shuffle: the first k entries are a uniform k-subset (chi-square over 3-subsets of 5)", () => {
  const rng = createRng(3);
  const counts = new Map<string, number>();
  const trials = 20_000;
  for (let t = 0; t < trials; t++) {
    const idx = new Int32Array([0, 1, 2, 3, 4]);
    partialShuffle(idx, 3, rng);
    const key = [...idx.subarray(0, 3)].sort().join("");
    counts.set(key, (counts.get(key) ?? 0) + 1);
    assert.deepEqual([...idx].sort(), [0, 1, 2, 3, 4]); // a permutation
  }
  assert.equal(counts.size, 10); // C(5,3)
  const expected = trials / 10;
  const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
  assert.ok(chi2 < 27.9, `chi-square ${chi2.toFixed(1)} over 9 degrees of freedom (p = 0.001 bound 27.9)`);
});
