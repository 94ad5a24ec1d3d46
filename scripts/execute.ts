// npm run execute -- notebooks/03-e3-updating-a.ipynb [--strict]
//
// Runs notebooks as a reader would: each in a fresh kernel of the project's
// own, top to bottom, with claims that report (the default) or stop (with
// --strict). The executed copy goes to build/execute/ (the notebook itself is
// left as it is), and the claim summary is printed.
//
// Exit code: 0 when every cell ran; 1 when a cell failed (in report mode a
// claim never fails a cell, so that is some other error; in strict mode it
// may be a claim, named with its measured values); 2 on a usage error.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { BUILD, NotebookError, SetupError, executeNotebooks } from "./jupyter";
import { claimsInNotebook, summaryText, type ClaimTally, type ClaimMode, type ExecutedNotebook } from "../lib/check";

export const EXECUTE_DIR = path.join(BUILD, "execute");

export class UsageError extends Error {}

const USAGE = "usage: npm run execute -- NOTEBOOK.ipynb [NOTEBOOK.ipynb …] [--strict] [--edits] [--out DIR]";

export interface ExecuteArgs {
  notebooks: string[];
  mode: ClaimMode;
  outDir: string;
  /** Run each notebook once per reader edit listed in its metadata, instead of as it is. */
  edits: boolean;
}

/**
 * A reader's edit of a notebook's Parameters cell (its first code cell):
 * each [from, to] pair replaces text that occurs exactly once there. The
 * notebooks list theirs in metadata.ica.readerEdits; the tests run them all.
 */
export interface ReaderEdit {
  name: string;
  replace: [string, string][];
}

/** The reader edits a notebook lists, checked. */
export function readerEdits(nb: { metadata?: Record<string, unknown> }, file: string): ReaderEdit[] {
  const list = (nb.metadata?.ica as { readerEdits?: unknown } | undefined)?.readerEdits;
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw new UsageError(`${file}: metadata.ica.readerEdits must be a list, got ${JSON.stringify(list)}`);
  return list.map((e: unknown, i) => {
    const edit = e as Partial<ReaderEdit>;
    const pairs = edit?.replace;
    if (typeof edit?.name !== "string" || edit.name.trim() === "" || !Array.isArray(pairs) || pairs.length === 0 ||
      !pairs.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && p[0] !== "" && typeof p[1] === "string" && p[0] !== p[1])) {
      throw new UsageError(`${file}: reader edit ${i + 1} must be { name, replace: [[from, to], …] } with from ≠ to, got ${JSON.stringify(e)}`);
    }
    return edit as ReaderEdit;
  });
}

type Notebook = { cells: { cell_type: string; source: string | string[] }[]; metadata?: Record<string, unknown> };

/** The notebook with `edit` applied to its Parameters cell (its first code cell); throws, naming the text, if a `from` does not occur exactly once there. */
export function applyReaderEdit<T extends Notebook>(nb: T, edit: ReaderEdit, file: string): T {
  const copy = JSON.parse(JSON.stringify(nb)) as T;
  const cell = copy.cells.find((c) => c.cell_type === "code");
  if (cell === undefined) throw new UsageError(`${file} has no code cell to edit`);
  let src = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
  for (const [from, to] of edit.replace) {
    const count = src.split(from).length - 1;
    if (count !== 1) throw new UsageError(`${file}: reader edit '${edit.name}': ${JSON.stringify(from)} occurs ${count} times in the Parameters cell, not once`);
    src = src.replace(from, () => to);
  }
  cell.source = src;
  return copy;
}

export function parseExecuteArgs(argv: string[]): ExecuteArgs {
  let parsed: { values: { strict?: boolean; edits?: boolean; out?: string }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: { strict: { type: "boolean" }, edits: { type: "boolean" }, out: { type: "string" } }, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError(`give a notebook to execute\n${USAGE}`);
  const notebooks = positionals.map((p) => {
    const abs = path.resolve(p);
    if (!abs.endsWith(".ipynb")) throw new UsageError(`a notebook must be an .ipynb file, got '${p}'`);
    if (!fs.existsSync(abs)) throw new UsageError(`no such notebook: '${p}'`);
    return abs;
  });
  if (values.out !== undefined && values.out.trim() === "") throw new UsageError(`--out needs a folder, got ${JSON.stringify(values.out)}\n${USAGE}`);
  return { notebooks, mode: values.strict ? "strict" : "report", outDir: values.out !== undefined ? path.resolve(values.out) : EXECUTE_DIR, edits: values.edits ?? false };
}

/** Executes the notebooks; prints what each did; returns the exit code. */
export async function execute(args: ExecuteArgs, log: (s: string) => void = console.log): Promise<number> {
  fs.mkdirSync(args.outDir, { recursive: true });
  let code = 0;
  const runs: { file: string; label: string }[] = [];
  for (const file of args.notebooks) {
    if (!args.edits) {
      runs.push({ file, label: path.basename(file) });
      continue;
    }
    const json = JSON.parse(fs.readFileSync(file, "utf8")) as Notebook;
    const edits = readerEdits(json, path.basename(file));
    if (edits.length === 0) throw new UsageError(`${path.basename(file)} lists no reader edits (metadata.ica.readerEdits)`);
    const dir = path.join(args.outDir, "edits");
    fs.mkdirSync(dir, { recursive: true });
    edits.forEach((edit, i) => {
      const edited = path.join(dir, `${path.basename(file, ".ipynb")}.edit${i + 1}.ipynb`);
      fs.writeFileSync(edited, JSON.stringify(applyReaderEdit(json, edit, path.basename(file)), null, 1) + "\n");
      runs.push({ file: edited, label: `${path.basename(file)} with ${edit.name}` });
    });
  }
  for (const { file: nb, label: name } of runs) {
    log(`${name}: executing in a fresh kernel, claims in ${args.mode} mode…`);
    let output: string | undefined;
    let stopped = false;
    try {
      const [done] = await executeNotebooks([nb], { outDir: args.outDir, env: { ICA_CLAIMS: args.mode }, workers: 1, keepFailed: true });
      output = done?.output;
      log(`  ran every cell in ${done?.seconds?.toFixed(1)} s`);
    } catch (e) {
      if (!(e instanceof NotebookError)) throw e;
      code = 1;
      stopped = true;
      output = e.detail.output;
      const d = e.detail;
      log(`  cell ${d.cell} (code cell ${d.codeCell}) failed with ${d.ename}:`);
      for (const line of (d.evalue ?? "").split("\n")) log(`    ${line}`);
    }
    if (output !== undefined && fs.existsSync(output)) {
      const { claims, summary } = claimsInNotebook(JSON.parse(fs.readFileSync(output, "utf8")) as ExecutedNotebook);
      const failed = claims.filter((c) => !c.held);
      const tally: ClaimTally = summary ?? { mode: args.mode, checked: claims.length, held: claims.length - failed.length, failed };
      const note = summary ? "" : stopped ? "(it stopped before its summary; the claims shown so far) " : "(it has no claimSummary() cell; the claims shown) ";
      log(`  ${note}${summaryText(tally).split("\n").join("\n  ")}`);
      log(`  executed copy: ${path.relative(process.cwd(), output) || output}`);
    }
  }
  return code;
}

if (require.main === module) {
  Promise.resolve()
    .then(() => execute(parseExecuteArgs(process.argv.slice(2))))
    .then((code) => process.exit(code))
    .catch((e: unknown) => {
      if (e instanceof UsageError) {
        console.error(e.message);
        process.exit(2);
      }
      console.error(e instanceof SetupError ? e.message : e);
      process.exit(1);
    });
}
