// learnBasis's resolved options are what a record stores: handed back, they
// must run (the verdict notebook reruns a stored record this way).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

test("learnBasis: a run's resolved options, handed back, give the same run ('default' inference is accepted)", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 200, seed: 1 });
  const first = ica.learnBasis(d.X, { preset: "best-effort", steps: 20, seed: 2 });
  assert.equal(first.options.inference, "default");
  const { init: _init, ...stored } = first.options;
  const again = ica.learnBasis(d.X, { ...stored, init: "spread" });
  assert.deepEqual(again.A, first.A);
  assert.deepEqual(again.options, first.options);
  assert.throws(() => ica.learnBasis(d.X, { inference: "defaults" as never }), /inference must be one of 'exact', 'active-set', 'fista', 'gradient', 'default', got 'defaults'/);
});
