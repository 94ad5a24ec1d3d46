// Tests of lib/options.ts: the declarations every public function's options go
// through, and the README's tables made from them. The expected messages and
// ranges are written out by hand, never produced by the code under test.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import fc from "fast-check";
import { checkFields, declareOptions, optionsTable } from "../lib/options";
import { README, exportedDeclarations, optionsSection, withSection } from "../scripts/options-doc";

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

test("options: a required option must be given; its README default reads 'required'; it cannot also have a default", () => {
  const need = declareOptions<{ series: number[]; height?: number }>("lineChart", {
    series: { kind: "numbers", required: true, doc: "the values" },
    height: { kind: "number", above: 0, default: 400, doc: "pixels" },
  });
  assert.throws(() => need.parse({ height: 3 }), /^TypeError: lineChart: option 'series' is required$/);
  assert.throws(() => need.parse(undefined), /lineChart: option 'series' is required/);
  assert.deepEqual(need.parse({ series: [1] }), { series: [1], height: 400 });
  assert.equal(optionsTable(need).split("\n")[2], "| `series` | number[] | required | the values |");
  assert.throws(() => declareOptions<{ a?: number }>("f", { a: { kind: "number", required: true, default: 1, doc: "" } }),
    /f: option 'a' is required, so it cannot have a default \(got 1\)/);
});

test("options: checkFields checks a nested object like an options object, naming the path", () => {
  const schema = { y: { kind: "numbers", required: true, doc: "" }, name: { kind: "string", doc: "" } } as const;
  assert.throws(() => checkFields("series[2]", schema, { y: [1], nmae: "a" }), /series\[2\]: unknown field 'nmae' \(did you mean 'name'\?\); valid fields are y, name/);
  assert.throws(() => checkFields("series[2]", schema, { name: "a" }), /series\[2\]\.y is required/);
  assert.throws(() => checkFields("series[2]", schema, { y: [1], name: 3 }), /series\[2\]\.name must be a string, got 3/);
  assert.throws(() => checkFields("series[2]", schema, [1]), /series\[2\] must be an object, got an array of length 1/);
  assert.doesNotThrow(() => checkFields("h[0]", schema, { y: [1], extra: 1 }, { open: true }));
});

test("options: README.md's option tables are the ones lib/'s declarations give (scripts/options-doc.ts)", () => {
  const readme = fs.readFileSync(README, "utf8");
  assert.equal(withSection(readme, optionsSection()), readme, "run: npx tsx scripts/options-doc.ts");
});

test("options: every declareOptions call in lib/ is exported, so its function has a README table", () => {
  // Found by reading the sources, independently of what lib/index.ts exports.
  const sources = (fs.readdirSync("lib", { recursive: true }) as string[]).filter((f) => f.endsWith(".ts") && f !== "options.ts");
  const declared = new Set<string>();
  for (const f of sources) {
    for (const m of fs.readFileSync(`lib/${f}`, "utf8").matchAll(/declareOptions(?:<[^(]*>)?\(\s*"([^"]+)"/g)) declared.add(m[1]!);
  }
  assert.ok(declared.size >= 20, `found ${declared.size} declarations`);
  const exported = new Set(exportedDeclarations().map((d) => d.fn));
  assert.deepEqual([...declared].filter((fn) => !exported.has(fn)), [], "declared in lib/ but not exported from lib/index.ts");
  const readme = fs.readFileSync(README, "utf8");
  for (const fn of declared) assert.ok(readme.includes(`### \`${fn}\``), `README.md has no option table for ${fn}`);
});

