// Tests of lib/data.ts: the k-hot data of notebook E7 against exact counts
// and the uniform choice of the active sources.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

test("data: active = k gives exactly k non-zero sources per point, uniformly chosen", () => {
  const n = 4;
  for (const k of [1, 2, 3, 4]) {
    const d = ica.generateData({ angles: [0, 60, 150, 250], samples: 4000, seed: 7, active: k });
    for (let j = 0; j < 4000; j++) assert.equal(d.S.filter((row) => row[j]! !== 0).length, k);
    for (let i = 0; i < n; i++) {
      const f = d.S[i]!.filter((v) => v !== 0).length / 4000;
      assert.ok(Math.abs(f - k / n) < 0.03, `k = ${k}, source ${i}: active ${f}`);
    }
  }
  const full = ica.generateData({ angles: [0, 60, 150, 250], samples: 50, seed: 7 });
  const one = ica.generateData({ angles: [0, 60, 150, 250], samples: 50, seed: 7, active: 4 });
  assert.deepEqual(one.S, full.S); // the subset stream does not shift the sources
  assert.throws(() => ica.generateData({ angles: [0, 60], active: 3 }), /active must be an integer in \[1, 2\] \(the number of sources\), got 3/);
});

