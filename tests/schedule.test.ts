// Tests of lib/schedule.ts: the learning-rate schedules, against their
// closed forms.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

test("schedule: warm-up ramps to the peak, cosine decays towards 0", () => {
  const lr = (s: number) => ica.learningRate("warmup-cosine", 0.2, s, 100);
  assert.ok(Math.abs(lr(0) - 0.02) < 1e-15);
  assert.ok(Math.abs(lr(9) - 0.2) < 1e-15);
  assert.ok(Math.abs(lr(10) - 0.2) < 1e-15);
  assert.ok(Math.abs(lr(55) - 0.1) < 1e-12);
  assert.ok(lr(99) > 0 && lr(99) < 0.001);
  for (let s = 10; s < 99; s++) assert.ok(lr(s + 1) <= lr(s));
  assert.equal(ica.learningRate("constant", 0.2, 50, 100), 0.2);
  assert.throws(() => ica.learningRate({ kind: "warmup-cosine", warmupFraction: 1 }, 0.1, 0, 10), /warmupFraction must be ≥ 0 and < 1, got 1/);
});

test("schedule: the object form is declared; a misspelled or ill-typed field is an error", () => {
  assert.equal(ica.learningRate({ kind: "warmup-cosine", warmupFraction: 0.5 }, 0.2, 0, 10), 0.2 / 5);
  assert.equal(ica.learningRate({ kind: "warmup-cosine" }, 0.2, 0, 100), 0.02, "the default fraction is 0.1");
  assert.throws(() => ica.learningRate({ kind: "warmup-cosine", warmup: 0.5 } as never, 0.1, 0, 10), /schedule: unknown option 'warmup'/);
  assert.throws(() => ica.learningRate({ kind: "cosine" } as never, 0.1, 0, 10), /kind must be one of 'warmup-cosine', got 'cosine'/);
  assert.throws(() => ica.learningRate({ warmupFraction: 0.2 } as never, 0.1, 0, 10), /schedule.kind must be 'warmup-cosine'/);
  assert.throws(() => ica.learningRate("cosine" as never, 0.1, 0, 10), /schedule must be 'constant' or 'warmup-cosine', got cosine/);
  assert.throws(() => ica.learningRate("constant", 0, 0, 10), /lr must be a finite number > 0, got 0/);
});
