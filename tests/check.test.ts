// Tests of lib/check.ts: claims in strict and report mode, their records,
// their formatting and the summary.
import { test, afterEach } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { claimText, summaryText } from "../lib/check";

const env = process.env.ICA_CLAIMS;
afterEach(() => {
  if (env === undefined) delete process.env.ICA_CLAIMS;
  else process.env.ICA_CLAIMS = env;
  ica.claimMode(null);
  ica.resetClaims();
});

test("strict (the default outside a kernel): a failing claim throws a ClaimError with its words and measured values", () => {
  delete process.env.ICA_CLAIMS;
  assert.equal(ica.claimMode(), "strict");
  assert.doesNotThrow(() => ica.claim(true, "fine"));
  assert.throws(
    () => ica.claim(false, "error below 2°", { err: 3.14159, step: 40 }),
    (e: unknown) => e instanceof ica.ClaimError && e.message === "Claim failed: error below 2° (measured: err = 3.142, step = 40)",
  );
});

test("report: a failing claim does not throw; the tally lists it, and the held ones are counted", () => {
  ica.claimMode("report");
  ica.claim(true, "one holds", { x: 1 });
  ica.claim(false, "two fails", { y: 2.5 });
  ica.claim(() => 1 < 2, "a function that holds");
  const t = ica.claimTally();
  assert.equal(t.mode, "report");
  assert.equal(t.checked, 3);
  assert.equal(t.held, 2);
  assert.deepEqual(t.failed.map((r) => [r.words, r.measured]), [["two fails", "y = 2.5"]]);
  assert.match(summaryText(t), /^3 claims checked: 2 held, 1 failed with the parameters now in use/);
  assert.match(summaryText(t), /✗ FAILED: two fails · measured: y = 2\.5/);
});

test("a test that throws fails its claim and says why, in either mode; so does one that returns a non-boolean", () => {
  ica.claimMode("report");
  const missing: { step: number } | null = null;
  ica.claim(() => missing!.step < 50, "within 50 steps", () => ({ step: missing!.step }));
  const [r] = ica.claimRecords();
  assert.equal(r!.held, false);
  assert.match(r!.error!, /^TypeError: Cannot read properties of null/);
  assert.match(r!.measured, /could not be measured: TypeError/);
  ica.claim((() => 1) as unknown as () => boolean, "a number is not a verdict");
  assert.match(ica.claimRecords()[1]!.error!, /returned number \(1\), not a boolean/);
  ica.claimMode("strict");
  assert.throws(() => ica.claim(() => missing!.step < 50, "within 50 steps"), /Claim failed: within 50 steps \(could not be tested: TypeError/);
});

test("the mode: ICA_CLAIMS, overridden by claimMode(); bad values are named", () => {
  process.env.ICA_CLAIMS = "report";
  assert.equal(ica.claimMode(), "report");
  assert.doesNotThrow(() => ica.claim(false, "reported"));
  ica.claimMode("strict");
  assert.throws(() => ica.claim(false, "now strict"), ica.ClaimError);
  ica.claimMode(null);
  assert.equal(ica.claimMode(), "report");
  process.env.ICA_CLAIMS = " Strict\n";
  assert.equal(ica.claimMode(), "strict", "case and surrounding blanks are forgiven");
  process.env.ICA_CLAIMS = "loud";
  assert.throws(() => ica.claimMode(), /ICA_CLAIMS must be "strict" or "report", got "loud"/);
  assert.throws(() => ica.claimMode("lenient" as ica.ClaimMode), /claimMode: mode must be "strict" or "report", got "lenient"/);
  assert.throws(() => ica.claim(true, "  "), /claim: words must say what is claimed, got "  "/);
  assert.throws(() => ica.claim(1 as unknown as boolean, "one"), /claim: ok must be a boolean or a function returning one, got number \(1\) for "one"/);
});

test("a rerun cell replaces its claims, and a cell rerun without reaching a claim drops them (cells as the project's kernel publishes them)", () => {
  ica.claimMode("report");
  const g = globalThis as { __icaCell?: { key: string; count: number }; __icaRuns?: Map<string, number> };
  const runs = new Map<string, number>();
  let count = 0;
  /** What the kernel does when it starts running a cell. */
  const run = (key: string) => {
    count += 1;
    runs.set(key, count);
    g.__icaCell = { key: key, count: count };
  };
  try {
    g.__icaRuns = runs;
    run("code:A");
    ica.claim(true, "a1");
    ica.claim(false, "a2");
    run("code:B");
    ica.claim(true, "b1");
    run("code:A");
    ica.claim(true, "a1");
    ica.claim(true, "a2 now holds");
    assert.deepEqual(ica.claimRecords().map((r) => r.words), ["b1", "a1", "a2 now holds"]);
    assert.equal(ica.claimTally().failed.length, 0);
    // B runs again and makes no claim (its loop is over nothing now, or it threw first): its old claim goes.
    run("code:B");
    assert.deepEqual(ica.claimRecords().map((r) => r.words), ["a1", "a2 now holds"]);
    // A cell id, where the front end sends one, keeps a cell's claims together when its source changes.
    run("id:cell-7");
    ica.claim(false, "before the edit");
    run("id:cell-7");
    ica.claim(true, "after the edit");
    assert.deepEqual(ica.claimRecords().map((r) => r.words), ["a1", "a2 now holds", "after the edit"]);
  } finally {
    delete g.__icaCell;
    delete g.__icaRuns;
  }
  // Without the kernel's cell, every call counts.
  ica.claim(true, "x");
  ica.claim(true, "x");
  assert.equal(ica.claimRecords().filter((r) => r.words === "x").length, 2);
});

test("measured values: numbers to 4 significant digits, integers whole, complex numbers, long lists cut, nested objects", () => {
  assert.equal(ica.formatMeasured({ a: 1 / 3, n: 600, big: 123456.7, tiny: 2.5e-7, zero: 0 }), "a = 0.3333, n = 600, big = 1.23e+5, tiny = 2.50e-7, zero = 0");
  assert.equal(ica.formatMeasured({ mu: [{ re: 0.5, im: -0.25 }, { re: -1, im: 0 }] }), "mu = [0.5−0.25i, -1]");
  assert.equal(ica.formatMeasured({ xs: Array.from({ length: 12 }, (_, i) => i) }), "xs = [0, 1, 2, 3, 4, 5, 6, 7, … (12 in all)]");
  assert.equal(ica.formatMeasured({ g: { sigma: 0.5, lens: [0.1, 0.25], tag: "x" }, s: "dead", none: null, nan: NaN }), 'g = {sigma: 0.5, lens: [0.1, 0.25], tag: "x"}, s = dead, none = null, nan = NaN');
  assert.equal(ica.formatMeasured(undefined), "");
  assert.equal(ica.formatMeasured({ f: new Float64Array([0.5, 1.5]), set: new Set([1, 2]), map: new Map([["k", 2]]) }), "f = [0.5, 1.5], set = [1, 2], map = {k: 2}");
  const wide = Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`k${i}`, i]));
  assert.match(ica.formatMeasured({ wide: wide }), /^wide = \{k0: 0, .*k11: 11, … \(14 keys\)\}$/);
  assert.equal(claimText({ held: true, words: "w", measured: "" }), "✓ held: w");
});

test("the summary's words: none, one, all held", () => {
  assert.equal(summaryText({ mode: "strict", checked: 0, held: 0, failed: [] }), "No claims were checked.");
  assert.equal(summaryText({ mode: "strict", checked: 1, held: 1, failed: [] }), "1 claim checked, it held.");
  assert.equal(summaryText({ mode: "strict", checked: 12, held: 12, failed: [] }), "12 claims checked, all held.");
});

test("claimsInNotebook: the claim records and the summary an executed notebook's outputs carry, in order", () => {
  const claimOut = (held: boolean, words: string) => ({ data: { [ica.CLAIM_MIME]: { held, words, measured: "" }, "text/plain": words } });
  const tally = { mode: "report", checked: 2, held: 1, failed: [{ held: false, words: "b", measured: "" }] };
  const nb = {
    cells: [
      { outputs: [] },
      { outputs: [{ data: { "text/plain": "not a claim" } }, claimOut(true, "a")] },
      {},
      { outputs: [claimOut(false, "b"), { data: { [ica.SUMMARY_MIME]: tally } }] },
    ],
  };
  const found = ica.claimsInNotebook(nb);
  assert.deepEqual(found.claims.map((c) => [c.words, c.held]), [["a", true], ["b", false]]);
  assert.deepEqual(found.summary, tally);
  assert.equal(ica.claimsInNotebook({ cells: [{ outputs: [claimOut(true, "a")] }] }).summary, null);
});
