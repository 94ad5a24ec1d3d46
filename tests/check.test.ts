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
  assert.match(summaryText(t), /^3 claims checked: 2 held, 1 failed\./);
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
  process.env.ICA_CLAIMS = "loud";
  assert.throws(() => ica.claimMode(), /ICA_CLAIMS must be "strict" or "report", got "loud"/);
  assert.throws(() => ica.claimMode("lenient" as ica.ClaimMode), /claimMode: mode must be "strict" or "report", got "lenient"/);
  assert.throws(() => ica.claim(true, "  "), /claim: words must say what is claimed, got "  "/);
  assert.throws(() => ica.claim(1 as unknown as boolean, "one"), /claim: ok must be a boolean or a function returning one, got number \(1\) for "one"/);
});

test("a rerun cell replaces its claims, identified by its source and run count (as the project's kernel publishes them)", () => {
  ica.claimMode("report");
  const g = globalThis as { __icaCell?: { code: string; count: number } };
  try {
    g.__icaCell = { code: "cell A", count: 1 };
    ica.claim(true, "a1");
    ica.claim(false, "a2");
    g.__icaCell = { code: "cell B", count: 2 };
    ica.claim(true, "b1");
    g.__icaCell = { code: "cell A", count: 3 };
    ica.claim(true, "a1");
    ica.claim(true, "a2 now holds");
    assert.deepEqual(ica.claimRecords().map((r) => r.words), ["b1", "a1", "a2 now holds"]);
    assert.equal(ica.claimTally().failed.length, 0);
  } finally {
    delete g.__icaCell;
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
  assert.equal(claimText({ held: true, words: "w", measured: "" }), "✓ held: w");
});

test("the summary's words: none, one, all held", () => {
  assert.equal(summaryText({ mode: "strict", checked: 0, held: 0, failed: [] }), "No claims were checked.");
  assert.equal(summaryText({ mode: "strict", checked: 1, held: 1, failed: [] }), "1 claim checked, it held.");
  assert.equal(summaryText({ mode: "strict", checked: 12, held: 12, failed: [] }), "12 claims checked, all held.");
});
