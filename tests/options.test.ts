// lib/options.ts, lib/model.ts and lib/matrix.ts: the declarations every public
// function's options go through, the one model value and the internal matrix.
// References are written out by hand here (the expected messages, ranges and
// the column-major layout), never produced by the code under test.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import fc from "fast-check";
import { declareOptions, optionsTable, type Spec } from "../lib/options";
import { DEFAULT_MODEL, model, MODEL_OPTIONS } from "../lib/model";
import { fromRows, mat, pickColumns, toRows } from "../lib/matrix";
import { createRng } from "../lib/random";
import { partialShuffle } from "../lib/shuffle";
import { README, optionsSection, withSection } from "../scripts/options-doc";

interface Demo { sigma?: number; steps?: number; flag?: boolean; mode?: "a" | "b"; seed?: number | string }
const demo = declareOptions<Demo>("demo", {
  sigma: { kind: "number", above: 0, default: 0.5, doc: "noise" },
  steps: { kind: "integer", min: 0, max: 10, doc: "steps" },
  flag: { kind: "boolean", default: false, doc: "a switch" },
  mode: { kind: "enum", values: ["a", "b"], default: "a", doc: "mode" },
  seed: { kind: "seed", default: 0, doc: "seed" },
}, { nonNegative: "prior" });

test("options: defaults fill what is missing, given values pass through", () => {
  assert.deepEqual(demo.parse(undefined), { sigma: 0.5, flag: false, mode: "a", seed: 0 });
  assert.deepEqual(demo.parse({ steps: 3, mode: "b", seed: "x" }), { sigma: 0.5, steps: 3, flag: false, mode: "b", seed: "x" });
});

test("options: a misspelled name is an error that names it and suggests the declared one", () => {
  assert.throws(() => demo.parse({ sigm: 0.1 }), /demo: unknown option 'sigm' \(did you mean 'sigma'\?\); valid options are sigma, steps, flag, mode, seed/);
  assert.throws(() => demo.parse({ zzzzzz: 1 }), (e: Error) => /unknown option 'zzzzzz'; valid/.test(e.message));
  assert.throws(() => demo.parse({ nonNegative: true }), /option 'nonNegative' was replaced by prior/);
});

test("options: wrong types are errors, never truthy defaults", () => {
  assert.throws(() => demo.parse({ flag: "false" }), /flag must be true or false, got 'false'/);
  assert.throws(() => demo.parse({ mode: "c" }), /mode must be one of 'a', 'b', got 'c'/);
  assert.throws(() => demo.parse({ steps: 2.5 }), /steps must be an integer, got 2.5/);
  assert.throws(() => demo.parse({ sigma: Number.NaN }), /sigma must be a finite number, got NaN/);
  assert.throws(() => demo.parse({ seed: {} }), /seed must be a number or a string, got an object/);
  assert.throws(() => demo.parse([1]), /demo: options must be an object, got an array/);
  assert.throws(() => demo.parse(null), /options must be an object, got null/);
});

test("options: a number is accepted exactly when it is inside the declared range", () => {
  fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), (x) => {
    const inside = x > 0;
    let ok = true;
    try { demo.parse({ sigma: x }); } catch { ok = false; }
    return ok === inside;
  }));
  fc.assert(fc.property(fc.integer({ min: -50, max: 50 }), (k) => {
    let ok = true;
    try { demo.parse({ steps: k }); } catch { ok = false; }
    return ok === (k >= 0 && k <= 10);
  }));
});

test("options: the README table lists each option with its type, default and doc", () => {
  const t = optionsTable(demo).split("\n");
  assert.equal(t[0], "| option | type | default | meaning |");
  assert.equal(t[2], "| `sigma` | number > 0 | `0.5` | noise |");
  assert.equal(t[3], "| `steps` | integer ≥ 0 and ≤ 10 | — | steps |");
  assert.equal(t[5], "| `mode` | `'a'` \\| `'b'` | `'a'` | mode |");
});

test("options: README.md's option tables are the ones lib/'s declarations give (scripts/options-doc.ts)", () => {
  const readme = fs.readFileSync(README, "utf8");
  assert.equal(withSection(readme, optionsSection()), readme, "run: npx tsx scripts/options-doc.ts");
  // Every function with declared options has its table there.
  assert.match(readme, /### `model`/);
});

test("model: one set of defaults, checked fields, errors name the field", () => {
  assert.deepEqual(model(), { prior: "exponential", sigma: 0.1, b: 2 });
  assert.deepEqual(model({ sigma: 0.5 }), { ...DEFAULT_MODEL, sigma: 0.5 });
  assert.throws(() => model({ sigma: 0 }), /sigma must be > 0, got 0/);
  assert.throws(() => model({ prior: "gauss" as never }), /prior must be one of 'exponential', 'laplace', got 'gauss'/);
  assert.equal((MODEL_OPTIONS.schema.b as Spec & { default: number }).default, 2);
});

test("matrix: fromRows is column-major, toRows inverts it, shapes and bad input are checked", () => {
  const M = fromRows("X", [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual([M.rows, M.cols, [...M.data]], [2, 3, [1, 4, 2, 5, 3, 6]]);
  assert.deepEqual(toRows(M), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual([...pickColumns(M, [2, 0]).data], [3, 6, 1, 4]);
  assert.throws(() => fromRows("X", [[1, 2], [3]]), /X must be rectangular/);
  assert.throws(() => fromRows("X", [[1, Number.NaN]]), /X\[0\]\[1\] must be a finite number, got NaN/);
  assert.throws(() => fromRows("A", [[1, 2]], { rows: 2 }), /A must have 2 rows, got 1/);
  assert.throws(() => mat(2, 2, new Float64Array(3)), /3 entries, expected 2×2 = 4/);
});

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
