// Runs `scripts/sweep.ts` as a user runs it: a child process in a process
// group of its own (so a test can signal the group, as a terminal's Ctrl-C
// does), on a temporary folder.
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..");
export const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `tsx scripts/sweep.ts ...args` (or `npm run sweep -- ...args` with `npm: true`), with cwd ROOT unless given. */
export function cli(args: string[], o: { onStart?: (pid: number) => void; timeoutMs?: number; cwd?: string; npm?: boolean } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [cmd, argv] = o.npm ? ["npm", ["run", "--silent", "--prefix", ROOT, "sweep", "--", ...args]] : [TSX, [path.join(ROOT, "scripts", "sweep.ts"), ...args]];
    const child = spawn(cmd, argv, { cwd: o.cwd ?? ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      process.kill(-child.pid!, "SIGKILL");
      reject(new Error(`sweep ${args.join(" ")} did not finish in ${o.timeoutMs ?? 120000} ms\n${stdout}\n${stderr}`));
    }, o.timeoutMs ?? 120000);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    o.onStart?.(child.pid!);
  });
}

export const tmpDir = (tag: string): string => fs.mkdtempSync(path.join(os.tmpdir(), `ica-sweep-${tag}-`));

/** The record files below `dir` (relative paths, sorted; not the manifest). */
export const jsonFiles = (dir: string): string[] =>
  fs.existsSync(dir) ? (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".json") && !f.endsWith("manifest.json")).sort() : [];

export const tmpFiles = (dir: string): string[] => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(".tmp")).sort();

/** Calls `fire(pid)` once, as soon as `dir` holds a first record. */
export function whenFirstRecord(dir: string, fire: (pid: number) => void): { onStart: (pid: number) => void; fired: () => boolean } {
  let fired = false;
  return {
    fired: () => fired,
    onStart: (pid) => {
      const poll = setInterval(() => {
        if (jsonFiles(dir).length > 0 && !fired) {
          fired = true;
          clearInterval(poll);
          fire(pid);
        }
      }, 20);
    },
  };
}
