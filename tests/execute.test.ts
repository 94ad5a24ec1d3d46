// A reader's runs: `npm run execute` in report and strict mode, reader edits
// of a Parameters cell, and the errors the project's kernel reports to any
// Jupyter client (nbclient alone, with no code of ours on the Python side).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { BUILD, KERNEL_NAME, findPython, jupyterEnv, registerKernel } from "../scripts/jupyter";
import { UsageError, applyReaderEdit, execute, parseExecuteArgs, readerEdits, type ReaderEdit } from "../scripts/execute";

const DIR = path.join(BUILD, "test-execute");
fs.rmSync(DIR, { recursive: true, force: true });
fs.mkdirSync(DIR, { recursive: true });

type Nb = { cells: { cell_type: string; source: string; metadata: object; outputs?: unknown[]; execution_count?: null }[]; metadata: Record<string, unknown>; nbformat: number; nbformat_minor: number };

function notebook(sources: string[], metadata: Record<string, unknown> = {}): Nb {
  return {
    cells: [{ cell_type: "markdown", metadata: {}, source: "# Test" }, ...sources.map((source) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source }))],
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" }, ...metadata },
    nbformat: 4,
    nbformat_minor: 5,
  };
}
function write(name: string, nb: Nb): string {
  const file = path.join(DIR, name);
  fs.writeFileSync(file, JSON.stringify(nb));
  return file;
}

/** What an executed notebook's cells printed on stdout. */
function printed(file: string): string {
  const nb = JSON.parse(fs.readFileSync(file, "utf8")) as { cells: { outputs?: { name?: string; text?: string | string[] }[] }[] };
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.name === "stdout").map((o) => [o.text ?? ""].flat().join("")).join("");
}

/** A Parameters cell, two claims that test its values, and the summary. */
const PARAMS = 'import * as ica from "./lib/index";\nconst p = { seed: 1, limit: 2 };';
const CLAIMS = [
  PARAMS,
  "ica.claim(p.seed < p.limit, `seed ${p.seed} is below ${p.limit}`, { seed: p.seed, limit: p.limit });\nica.claim(p.limit > 0, `the limit ${p.limit} is positive`, { limit: p.limit });",
  'console.log("after the claims");',
  "ica.claimSummary();",
];

test("parseExecuteArgs: report by default, --strict, --edits, --out; bad input is named", () => {
  const nb = write("args.ipynb", notebook([PARAMS]));
  assert.deepEqual(parseExecuteArgs([nb]), { notebooks: [nb], mode: "report", outDir: path.join(BUILD, "execute"), edits: false });
  assert.deepEqual(parseExecuteArgs([nb, "--strict", "--edits", "--out", DIR]), { notebooks: [nb], mode: "strict", outDir: DIR, edits: true });
  assert.throws(() => parseExecuteArgs([]), (e: unknown) => e instanceof UsageError && /give a notebook to execute/.test(e.message));
  assert.throws(() => parseExecuteArgs(["README.md"]), /a notebook must be an \.ipynb file, got 'README\.md'/);
  assert.throws(() => parseExecuteArgs(["nowhere.ipynb"]), /no such notebook: 'nowhere\.ipynb'/);
  assert.throws(() => parseExecuteArgs([nb, "--strct"]), /Unknown option '--strct'/);
  assert.throws(() => parseExecuteArgs([nb, "--out", " "]), /--out needs a folder, got " "/);
});

test("reader edits: listed in the metadata, checked, applied to the Parameters cell only, each text found exactly once", () => {
  const edit: ReaderEdit = { name: "seed 1 → 3", replace: [["seed: 1", "seed: 3"]] };
  const nb = notebook([PARAMS, "const q = { seed: 1 };"], { ica: { readerEdits: [edit] } });
  assert.deepEqual(readerEdits(nb, "t.ipynb"), [edit]);
  const edited = applyReaderEdit(nb, edit, "t.ipynb");
  assert.equal(edited.cells[1]!.source, 'import * as ica from "./lib/index";\nconst p = { seed: 3, limit: 2 };');
  assert.equal(edited.cells[2]!.source, "const q = { seed: 1 };", "a later cell is left as it is");
  assert.equal(nb.cells[1]!.source, PARAMS, "the notebook given is not changed");
  assert.throws(() => applyReaderEdit(nb, { name: "absent", replace: [["seed: 9", "seed: 1"]] }, "t.ipynb"), /reader edit 'absent': "seed: 9" occurs 0 times in the Parameters cell, not once/);
  assert.throws(() => applyReaderEdit(notebook(["const a = 1, b = 1;"]), { name: "twice", replace: [[" = 1", " = 2"]] }, "t.ipynb"), /" = 1" occurs 2 times/);
  assert.throws(() => readerEdits(notebook([], { ica: { readerEdits: [{ name: "x", replace: [["a", "a"]] }] } }), "t.ipynb"), /t\.ipynb: reader edit 1 must be \{ name, replace: \[\[from, to\], …\] \} with from ≠ to/);
  assert.throws(() => readerEdits(notebook([], { ica: { readerEdits: {} } }), "t.ipynb"), /metadata\.ica\.readerEdits must be a list/);
});

test("npm run execute: report mode runs on past a failing claim and exits 0; strict stops at it with its words and values and exits 1", async () => {
  const nb = write("claims.ipynb", notebook(CLAIMS, { ica: { readerEdits: [{ name: "seed 1 → 5", replace: [["seed: 1", "seed: 5"]] }, { name: "limit 2 → 9", replace: [["limit: 2", "limit: 9"]] }] } }));
  const out = path.join(DIR, "out");
  const run = async (argv: string[]) => {
    const lines: string[] = [];
    const code = await execute(parseExecuteArgs([...argv, "--out", out]), (s) => lines.push(s));
    return { code, text: lines.join("\n") };
  };
  const held = await run([nb]);
  assert.equal(held.code, 0, held.text);
  assert.match(held.text, /2 claims checked, all held\./);
  assert.ok(printed(path.join(out, "claims.ipynb")).includes("after the claims"), "the executed copy is written");

  const edits = await run([nb, "--edits"]);
  assert.equal(edits.code, 0, edits.text);
  assert.match(edits.text, /claims\.ipynb with seed 1 → 5: executing[\s\S]*2 claims checked: 1 held, 1 failed with the parameters now in use[\s\S]*✗ FAILED: seed 5 is below 2 · measured: seed = 5, limit = 2/);
  assert.match(edits.text, /claims\.ipynb with limit 2 → 9: executing[\s\S]*2 claims checked, all held\./);
  assert.ok(printed(path.join(out, "claims.edit1.ipynb")).includes("after the claims"), "report mode ran past the failing claim");

  const strictEdit = write("claims-strict.ipynb", applyReaderEdit(JSON.parse(fs.readFileSync(nb, "utf8")) as Nb, { name: "s", replace: [["seed: 1", "seed: 5"]] }, "t"));
  const strict = await run([strictEdit, "--strict"]);
  assert.equal(strict.code, 1, strict.text);
  assert.match(strict.text, /cell 3 \(code cell 2\) failed with ClaimError:\n\s+Claim failed: seed 5 is below 2 \(measured: seed = 5, limit = 2\)/);
  assert.ok(!printed(path.join(out, "claims-strict.ipynb")).includes("after the claims"), "strict mode stopped at the claim");
});

test("npm run execute: in report mode a cell that fails for another reason exits 1 and names the error", async () => {
  const nb = write("broken.ipynb", notebook([PARAMS, "const run: { step: number }[] = [];\nconsole.log(run[3]!.step.toFixed(1));", "ica.claimSummary();"]));
  const lines: string[] = [];
  const code = await execute(parseExecuteArgs([nb, "--out", path.join(DIR, "out")]), (s) => lines.push(s));
  assert.equal(code, 1);
  assert.match(lines.join("\n"), /cell 3 \(code cell 2\) failed with TypeError:\n\s+Cannot read properties of undefined \(reading 'step'\)/);
});

test("the kernel fills ename, evalue and traceback for every error, as nbclient reads them", () => {
  const python = findPython(["nbclient", "nbformat"]);
  registerKernel();
  const nb = write("errors.ipynb", notebook([
    'import * as ica from "./lib/index";',
    "const xs: number[] = [];\nconsole.log(xs[4]!.toFixed(2));",
    'throw "a bare string";',
    "const n: number = 'text';",
    'ica.claimMode("strict");\nica.claim(1 > 2, `1 exceeds ${2}`, { gap: 1 - 2 });',
    "class Custom extends Error { override name = 'CustomError'; }\nthrow new Custom('named by its class');",
    'console.error("a line on stderr");\nconsole.log("fine");',
  ]));
  const script = path.join(__dirname, "helpers", "nbclient-run.py");
  const run = (flag: string[]) => JSON.parse(execFileSync(python, [script, "--kernel", KERNEL_NAME, ...flag, nb], { env: jupyterEnv(), encoding: "utf8" })) as Record<string, unknown>;
  const { errors } = run(["--allow-errors"]) as { errors: { cell: number; ename: string; evalue: string; traceback: string[] }[] };
  assert.deepEqual(errors.map((e) => [e.cell, e.ename]), [[2, "TypeError"], [3, "Error"], [4, "TypeScriptError"], [5, "ClaimError"], [6, "CustomError"]]);
  const [typeError, bare, compile, claimed, custom] = errors;
  assert.equal(typeError!.evalue, "Cannot read properties of undefined (reading 'toFixed')");
  assert.match(typeError!.traceback[0]!, /TypeError.*: Cannot read properties of undefined/);
  assert.ok(typeError!.traceback.slice(1).every((l) => !/node:|tslab[\\/]dist/.test(l)), typeError!.traceback.join("\n"));
  assert.equal(bare!.evalue, "a non-Error value was thrown: a bare string");
  assert.match(compile!.evalue, /Type 'string' is not assignable to type 'number'/);
  assert.equal(claimed!.evalue, "Claim failed: 1 exceeds 2 (measured: gap = -1)");
  assert.equal(custom!.evalue, "named by its class");
  // Without allow_errors, nbclient's own exception carries the name and message.
  const first = run([]) as { raised: string; ename: string; evalue: string };
  assert.equal(first.ename, "TypeError");
  assert.match(first.raised, /TypeError: Cannot read properties of undefined \(reading 'toFixed'\)/);
  assert.ok(!/<Error>/.test(first.raised), first.raised);
});
