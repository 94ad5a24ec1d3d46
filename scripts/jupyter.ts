// The Jupyter side of the pipeline: find a Python that has Jupyter, register
// the project's own tslab kernel under build/, and execute notebooks in it.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

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

/**
 * Executes notebooks, each in a fresh kernel, stopping at the first failing
 * cell. With rerun, every cell of a notebook runs twice in one kernel.
 */
export async function executeNotebooks(
  notebooks: string[],
  opts: { outDir: string; rerun?: boolean; env?: Record<string, string>; onEvent?: (e: RunEvent) => void },
): Promise<RunEvent[]> {
  const python = findPython();
  registerKernel();
  const script = path.join(ROOT, "scripts", "nbrun.py");
  const args = [script, "--kernel", KERNEL_NAME, "--out", opts.outDir, ...(opts.rerun ? ["--rerun"] : []), ...notebooks];
  const child = spawn(python, args, { env: jupyterEnv(opts.env), stdio: ["ignore", "pipe", "pipe"] });
  const events: RunEvent[] = [];
  let stderr = "";
  let buf = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line.startsWith("{")) continue;
      const ev = JSON.parse(line) as RunEvent;
      events.push(ev);
      opts.onEvent?.(ev);
    }
  });
  const code: number = await new Promise((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  const failure = events.find((e) => e.event === "error");
  if (failure) throw new NotebookError(failure);
  if (code !== 0) {
    throw new Error(`notebook runner exited with code ${code}:\n${stderr.split("\n").slice(-25).join("\n")}`);
  }
  return events;
}
