// The notebooks as a reader changes them: every notebook has a Parameters
// cell with a note above it, ends with its claim summary, lists at least three
// reader edits, and runs to the end under each of them in report mode.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { execFileSync } from "child_process";
import { BUILD, KERNEL_NAME, executeNotebooks, findPython, jupyterEnv, listNotebooks, registerKernel } from "../scripts/jupyter";
import { applyReaderEdit, readerEdits } from "../scripts/execute";
import { claimsInNotebook as claimsOf } from "../lib/check";

type Cell = { cell_type: string; source: string | string[]; outputs?: { output_type: string }[] };
type Nb = { cells: Cell[]; metadata: Record<string, unknown> };
const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join("") : c.source);
const read = (file: string): Nb => JSON.parse(fs.readFileSync(file, "utf8")) as Nb;

test("every notebook: a Parameters cell first, with a note for the reader above it; a claim summary last; at least three reader edits", () => {
  for (const file of listNotebooks()) {
    const name = path.basename(file);
    const nb = read(file);
    const first = nb.cells.findIndex((c) => c.cell_type === "code");
    assert.ok(first > 0, `${name} has no code cell after its title`);
    const note = text(nb.cells[first - 1]!);
    assert.match(note, /^## Parameters/m, `${name}: the markdown cell above the first code cell must be headed "## Parameters"`);
    assert.match(note, /report|instead of stopping/i, `${name}: the note must say that with other values the claims report instead of stopping`);
    assert.match(text(nb.cells[first]!), /import \* as ica from "\.\/lib\/index";/, `${name}: the Parameters cell imports the library`);
    const code = nb.cells.filter((c) => c.cell_type === "code");
    assert.equal(text(code[code.length - 1]!).trim(), "ica.claimSummary();", `${name}: the last code cell must be ica.claimSummary();`);
    const edits = readerEdits(nb, name);
    assert.ok(edits.length >= 3, `${name} lists ${edits.length} reader edits, fewer than 3`);
    for (const e of edits) applyReaderEdit(nb, e, name); // each `from` occurs exactly once
  }
});

const report: { notebook: string; edit: string; file: string; seconds: number; checked: number; failed: number; failedWords: string[]; firstFailed: { words: string; measured: string } | null }[] = [];

test("every notebook runs to its claim summary under each of its reader edits, in report mode", async () => {
  const dir = path.join(BUILD, "reader-edits");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "in"), { recursive: true });
  const runs: { notebook: string; edit: string; file: string }[] = [];
  for (const file of listNotebooks()) {
    const name = path.basename(file);
    const nb = read(file);
    readerEdits(nb, name).forEach((edit, i) => {
      const edited = path.join(dir, "in", `${path.basename(name, ".ipynb")}.edit${i + 1}.ipynb`);
      fs.writeFileSync(edited, JSON.stringify(applyReaderEdit(nb, edit, name)));
      runs.push({ notebook: name, edit: edit.name, file: edited });
    });
  }
  // A failing cell (any error: claims do not fail cells in report mode) rejects here, naming the notebook and cell.
  const events = await executeNotebooks(runs.map((r) => r.file), { outDir: path.join(dir, "out"), env: { ICA_CLAIMS: "report" } });
  const byFile = new Map(events.map((e) => [e.notebook, e]));
  report.length = 0;
  for (const r of runs) {
    const ev = byFile.get(path.basename(r.file));
    assert.ok(ev?.output, `${r.notebook} with ${r.edit} did not finish`);
    const executed = read(ev.output);
    assert.ok(executed.cells.every((c) => (c.outputs ?? []).every((o) => o.output_type !== "error")), `${r.notebook} with ${r.edit}: a cell shows an error`);
    const { claims, summary } = claimsOf(executed as Parameters<typeof claimsOf>[0]);
    assert.ok(summary, `${r.notebook} with ${r.edit}: no claim summary`);
    assert.equal(summary.mode, "report");
    assert.equal(summary.checked, claims.length, `${r.notebook} with ${r.edit}: the summary counts every claim shown`);
    assert.deepEqual(summary.failed.map((f) => f.words), claims.filter((c) => !c.held).map((c) => c.words));
    // A claim whose test threw a programming error (an index past the end, an
    // undefined value) is a notebook bug, not an overturned claim.
    const bugs = claims.filter((c) => c.error !== undefined && /^(TypeError|RangeError|ReferenceError)\b/.test(c.error));
    assert.deepEqual(bugs.map((c) => `${c.words}: ${c.error}`), [], `${r.notebook} with ${r.edit}: claims whose test hit a programming error`);
    report.push({ notebook: r.notebook, edit: r.edit, file: r.file, seconds: ev.seconds ?? NaN, checked: summary.checked, failed: summary.failed.length, failedWords: summary.failed.map((f) => f.words), firstFailed: summary.failed[0] ?? null });
  }
  // Every claim held with the published parameters (the strict build checks
  // that), so a failed claim here is one whose outcome the edit changed.
  fs.writeFileSync(path.join(BUILD, "reader-edits.json"), JSON.stringify(report, null, 1) + "\n");
  for (const r of report) console.log(`${r.notebook} · ${r.edit}: ${r.checked} claims, ${r.failed} changed outcome (${r.seconds.toFixed(1)} s)`);
});

test("strict mode on an edited E3, through nbclient alone: the error is the first overturned claim, in words and measured values", () => {
  const overturned = report.find((r) => r.notebook === "03-e3-updating-a.ipynb" && r.firstFailed !== null);
  assert.ok(overturned, "no reader edit of E3 overturned a claim in report mode (or the previous test did not run)");
  const python = findPython(["nbclient", "nbformat"]);
  registerKernel();
  const script = path.join(__dirname, "helpers", "nbclient-run.py");
  const out = execFileSync(python, [script, "--kernel", KERNEL_NAME, overturned.file], { env: jupyterEnv({ ICA_CLAIMS: "strict" }), encoding: "utf8" });
  const { raised, ename, evalue } = JSON.parse(out) as { raised: string | null; ename?: string; evalue?: string };
  assert.ok(raised !== null, `E3 with ${overturned.edit} ran to the end in strict mode`);
  assert.equal(ename, "ClaimError");
  const { words, measured } = overturned.firstFailed!;
  assert.ok(evalue!.startsWith(`Claim failed: ${words}`), evalue);
  if (measured) assert.ok(evalue!.includes(`(measured: ${measured})`), evalue);
  assert.ok(raised.includes(`ClaimError: Claim failed: ${words}`) && !raised.includes("<Error>"), raised);
});
