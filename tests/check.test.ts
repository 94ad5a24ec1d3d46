// Tests of lib/check.ts: a claim that stops holding throws with its measurement.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

test("claim: throws a ClaimError with the measurement", () => {
  assert.doesNotThrow(() => ica.claim(true, "fine"));
  assert.throws(() => ica.claim(false, "error below 2°", { err: 3.1 }), (e: unknown) => e instanceof ica.ClaimError && /error below 2°.*"err":3.1/.test(String(e)));
});
