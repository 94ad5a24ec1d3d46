// The Jupyter side of the pipeline: find a Python that has Jupyter, register
// the project's own tslab kernel under build/, and execute notebooks in it.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { libDeclarations } from "./lib-types.js";

export const ROOT = path.resolve(__dirname, "..");
export const BUILD = path.join(ROOT, "build");
/** JUPYTER_PATH entry that holds the project's kernel spec. */
export const JUPYTER_DATA = path.join(BUILD, "jupyter");
export const KERNEL_NAME = "tslab";
export const NOTEBOOKS = path.join(ROOT, "notebooks");

const APT = "sudo apt-get install jupyter-nbconvert jupyter-notebook python3-nbclient python3-ipykernel";
const PIP = "pip install nbconvert nbclient notebook ipykernel";

export class SetupError extends Error {}

/**
 * A Python interpreter that can import the given Jupyter modules. Debian's
 * packages live under /usr/bin/python3, which need not be the python3 first on
 * PATH, so that one is tried first. ICA_PYTHON overrides the choice.
 */
export function findPython(modules: string[] = ["nbclient", "nbformat", "jupyter_client"]): string {
  const candidates = [process.env.ICA_PYTHON, "/usr/bin/python3", "python3"].filter(
    (c): c is string => typeof c === "string" && c.length > 0,
  );
  const problems: string[] = [];
  for (const py of candidates) {
    try {
      execFileSync(py, ["-c", `import ${modules.join(", ")}`], { stdio: "pipe" });
      return py;
    } catch (e) {
      const err = e as { code?: string; stderr?: Buffer };
      const why = err.code === "ENOENT" ? "not found" : firstLine(err.stderr?.toString() ?? String(e));
      problems.push(`  ${py}: ${why}`);
    }
  }
  throw new SetupError(
    [
      `No Python with the Jupyter modules ${modules.join(", ")} was found:`,
      ...problems,
      "Install Jupyter and nbconvert with one of:",
      `  ${APT}`,
      `  ${PIP}`,
      "or point ICA_PYTHON at an interpreter that has them.",
    ].join("\n"),
  );
}

function firstLine(s: string): string {
  const lines = s.trim().split("\n");
  return lines[lines.length - 1] ?? s;
}

/**
 * Writes the kernel spec under build/jupyter/kernels/tslab (or another data
 * directory). argv names this node binary and scripts/kernel.js by absolute
 * path, so neither node nor tslab needs to be on PATH when Jupyter starts the
 * kernel; kernel.js moves to the repository root before starting tslab.
 */
export function registerKernel(dataDir: string = JUPYTER_DATA, name: string = KERNEL_NAME): string {
  const tslabMain = path.join(ROOT, "node_modules", "tslab", "dist", "main.js");
  if (!fs.existsSync(tslabMain)) {
    throw new SetupError(`tslab is not installed (${tslabMain} is missing). Run: npm ci`);
  }
  const dir = path.join(dataDir, "kernels", name);
  fs.mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, path.join(ROOT, "scripts", "kernel.js"), "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (ica-vs-sae)",
    language: "typescript",
  };
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  return dir;
}

/** Environment in which Jupyter finds the project's kernel and nothing global is touched. */
export function jupyterEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const prev = process.env.JUPYTER_PATH;
  return {
    ...process.env,
    JUPYTER_PATH: prev ? `${JUPYTER_DATA}${path.delimiter}${prev}` : JUPYTER_DATA,
    // Keep Jupyter's runtime and config files inside build/ too.
    JUPYTER_RUNTIME_DIR: path.join(BUILD, "jupyter-runtime"),
    JUPYTER_CONFIG_DIR: path.join(BUILD, "jupyter-config"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
    ...extra,
  };
}

/** The notebooks in notebooks/, in file-name order. */
export function listNotebooks(): string[] {
  return fs
    .readdirSync(NOTEBOOKS)
    .filter((f) => f.endsWith(".ipynb") && !f.endsWith(".nbconvert.ipynb"))
    .sort()
    .map((f) => path.join(NOTEBOOKS, f));
}

export interface RunEvent {
  event: "done" | "error";
  notebook: string;
  seconds?: number;
  output?: string;
  cell?: number | null;
  codeCell?: number | null;
  pass?: number;
  ename?: string;
  evalue?: string;
  source?: string;
}

export class NotebookError extends Error {
  constructor(readonly detail: RunEvent) {
    super(
      `${detail.notebook}: cell ${detail.cell} (code cell ${detail.codeCell}${detail.pass && detail.pass > 1 ? `, rerun pass ${detail.pass}` : ""}) failed with ${detail.ename}: ${detail.evalue}\n` +
        `--- cell source ---\n${detail.source ?? ""}\n-------------------`,
    );
  }
}

/** Runners started at once: one per core, at most one per notebook. ICA_NOTEBOOK_WORKERS overrides. */
export function notebookWorkers(count: number): number {
  const env = process.env.ICA_NOTEBOOK_WORKERS;
  let want = os.cpus().length;
  if (env !== undefined && env !== "") {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new SetupError(`ICA_NOTEBOOK_WORKERS must be an integer ≥ 1, got '${env}'`);
    want = n;
  }
  return Math.max(1, Math.min(want, count));
}

const TIMES = path.join(BUILD, "notebook-times.json");

/** Longest first, by the last recorded run (unknown ones first of all), so the runners finish together. */
function longestFirst(notebooks: string[]): string[] {
  let times: Record<string, number> = {};
  try {
    times = JSON.parse(fs.readFileSync(TIMES, "utf8")) as Record<string, number>;
  } catch {
    // no record yet: file order
  }
  const t = (nb: string) => times[path.basename(nb)] ?? Infinity;
  return notebooks.map((nb, i) => ({ nb, i })).sort((a, b) => t(b.nb) - t(a.nb) || a.i - b.i).map((x) => x.nb);
}

function recordTimes(events: RunEvent[]): void {
  let times: Record<string, number> = {};
  try {
    times = JSON.parse(fs.readFileSync(TIMES, "utf8")) as Record<string, number>;
  } catch {
    // first record
  }
  for (const e of events) if (e.event === "done" && e.seconds !== undefined) times[e.notebook] = e.seconds;
  fs.mkdirSync(BUILD, { recursive: true });
  fs.writeFileSync(TIMES, JSON.stringify(times, null, 1) + "\n");
}

/**
 * Executes notebooks, each in a fresh kernel, stopping at the first failing
 * cell; claims are strict unless `env` sets ICA_CLAIMS. With rerun, every
 * cell of a notebook runs twice in one kernel. With keepFailed, a notebook
 * that fails is written out as far as it ran (its event's `output`).
 * Notebooks run on `workers` runner processes at once (default: one per
 * core), longest first; each runner takes the next notebook when it is done.
 * Events arrive in the order notebooks finish.
 */
export async function executeNotebooks(
  notebooks: string[],
  opts: { outDir: string; rerun?: boolean; env?: Record<string, string>; workers?: number; keepFailed?: boolean; onEvent?: (e: RunEvent) => void },
): Promise<RunEvent[]> {
  const python = findPython();
  registerKernel();
  // Made once here, rather than by the first kernels all at the same time.
  libDeclarations(ROOT);
  const script = path.join(ROOT, "scripts", "nbrun.py");
  const args = [script, "--kernel", KERNEL_NAME, "--out", opts.outDir, ...(opts.rerun ? ["--rerun"] : []), ...(opts.keepFailed ? ["--keep-failed"] : []), "--stdin"];
  // Claims stop a notebook here unless the caller asks otherwise (npm run execute does, for a reader's run).
  const env = { ICA_CLAIMS: "strict", ...opts.env };
  const queue = longestFirst(notebooks);
  const workers = Math.max(1, Math.min(opts.workers ?? notebookWorkers(notebooks.length), notebooks.length));
  const events: RunEvent[] = [];
  let failed = false;
  const children: ReturnType<typeof spawn>[] = [];
  const runner = (): Promise<{ code: number; stderr: string }> => {
    const child = spawn(python, args, { env: jupyterEnv(env), stdio: ["pipe", "pipe", "pipe"] });
    children.push(child);
    let stderr = "";
    let buf = "";
    const feed = (): void => {
      const next = failed ? undefined : queue.shift();
      if (next === undefined) child.stdin!.end();
      else child.stdin!.write(`${next}\n`);
    };
    child.stderr!.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line.startsWith("{")) continue;
        const ev = JSON.parse(line) as RunEvent;
        events.push(ev);
        opts.onEvent?.(ev);
        if (ev.event === "error") {
          // Fail fast: the others finish the notebook in hand and take no more.
          failed = true;
          for (const c of children) if (c !== child && c.stdin && !c.stdin.writableEnded) c.stdin.end();
        } else feed();
      }
    });
    child.stdin!.on("error", () => {
      // the runner exited first; its exit code says why
    });
    feed();
    return new Promise((resolve) => child.on("close", (c) => resolve({ code: c ?? 1, stderr })));
  };
  const results = await Promise.all(Array.from({ length: workers }, runner));
  const failure = events.find((e) => e.event === "error");
  if (failure) throw new NotebookError(failure);
  const crashed = results.find((r) => r.code !== 0);
  if (crashed) {
    throw new Error(`notebook runner exited with code ${crashed.code}:\n${crashed.stderr.split("\n").slice(-25).join("\n")}`);
  }
  recordTimes(events);
  return events;
}
