// Tests of lib/model.ts: the one model value, its defaults written out by hand.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import type { Spec } from "../lib/options";
import { DEFAULT_MODEL, model, MODEL_OPTIONS } from "../lib/model";

test("model: one set of defaults, checked fields, errors name the field", () => {
  assert.deepEqual(model(), { prior: "exponential", sigma: 0.1, b: 2 });
  assert.deepEqual(model({ sigma: 0.5 }), { ...DEFAULT_MODEL, sigma: 0.5 });
  assert.throws(() => model({ sigma: 0 }), /sigma must be > 0, got 0/);
  assert.throws(() => model({ prior: "gauss" as never }), /prior must be one of 'exponential', 'laplace', got 'gauss'/);
  assert.equal((MODEL_OPTIONS.schema.b as Spec & { default: number }).default, 2);
});
