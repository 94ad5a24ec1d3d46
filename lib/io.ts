// Node-only file I/O, kept out of the numerics: every `fs` call of lib/ goes
// through here (the sweep's records, manifest and lock, and display.ts's
// plotly bundle). The numerics never touch the disk, so they run in any host.
//
// Two promises this module keeps, because the sweep writes into folders that
// also hold a user's own files:
// - a temporary file is always `<target>.<pid>.tmp`, next to its target, and
//   only such names, of dead writers, are ever removed (removeDeadTemps);
// - a folder is checked for writability before any work (checkWritableDir),
//   so a bad --out fails in a second with its name, not after an hour of runs.
import * as fs from "fs";
import * as path from "path";

/** A file-system problem, with the parameter and the path it is about. */
export class IoError extends Error {
  override name = "IoError";
}

/** The temporary name `writeAtomic` uses for `file` in this process. */
export function tempName(file: string): string {
  return `${file}.${process.pid}.tmp`;
}

export function exists(file: string): boolean {
  return fs.existsSync(file);
}

export function isDirectory(file: string): boolean {
  return fs.existsSync(file) && fs.statSync(file).isDirectory();
}

export function readText(file: string): string {
  return fs.readFileSync(file, "utf8");
}

/** The text of `file`, or null when there is no such file (any other failure throws). */
export function readTextIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

/**
 * Creates `dir` and its missing parents, one level at a time. Not
 * fs.mkdirSync's `recursive`, which loops forever where mkdir fails with
 * ENOENT under an existing parent (as under /proc, node 20).
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || !isDirectory(d)) throw e;
    }
  }
}

/**
 * Writes `text` so that no reader, and no interruption, ever sees half of
 * it: the text goes to a temporary file beside the target, which is then
 * renamed over it (a rename within one directory is atomic on POSIX).
 */
export function writeAtomic(file: string, text: string): void {
  makeDirs(path.dirname(file));
  const tmp = tempName(file);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/** Whether a process with this id is running (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes, in the one folder `dir` (not below it), the temporary files
 * `<name>.<pid>.tmp` whose <name> matches `owned` and whose writer is dead or
 * is this process. Any other file, `.tmp` or not, is left alone: the folder
 * may hold a user's own files. Returns how many were removed.
 */
export function removeDeadTemps(dir: string, owned: RegExp): number {
  if (!isDirectory(dir)) return 0;
  let n = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const m = /^(.*)\.(\d+)\.tmp$/.exec(entry.name);
    if (!entry.isFile() || !m || !owned.test(m[1]!)) continue;
    const pid = Number(m[2]);
    if (pid !== process.pid && processAlive(pid)) continue;
    fs.rmSync(path.join(dir, entry.name));
    n++;
  }
  return n;
}

/**
 * Makes sure `dir` is (or can become) a folder this process can write to,
 * by creating it and writing and removing one probe file in it. Fails with
 * an IoError naming `param` and the path, before any work is done.
 */
export function checkWritableDir(dir: string, param: string): void {
  if (typeof dir !== "string" || dir === "") throw new IoError(`${param} must name a folder, got ${JSON.stringify(dir)}`);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new IoError(`${param} must be a folder, but '${dir}' is a file`);
  const probe = tempName(path.join(dir, ".write-probe"));
  try {
    makeDirs(dir);
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? "error";
    const why = code === "EACCES" || code === "EPERM" || code === "EROFS" ? "is not writable" : code === "ENOTDIR" ? "lies below a file" : "cannot be written";
    throw new IoError(`${param} '${dir}' ${why} (${(e as Error).message})`);
  }
}

/** Renames `file` to `<file><suffix>` and returns the new name. */
export function moveAside(file: string, suffix: string): string {
  const to = `${file}${suffix}`;
  fs.renameSync(file, to);
  return to;
}

/**
 * Takes the lock file `file` for this process: it is created exclusively and
 * holds our pid. A lock whose pid is dead is stale and taken over. Throws an
 * IoError naming the holder when a live process has it. Returns the release.
 */
export function takeLock(file: string, what: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n`, { flag: "wx" });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number.parseInt(readTextIfExists(file) ?? "", 10);
      if (Number.isInteger(holder) && holder !== process.pid && processAlive(holder)) {
        throw new IoError(`${what} is in use by another process (pid ${holder}, lock file ${file}); wait for it to finish, or stop it`);
      }
      // A dead holder (killed outright): its lock is stale.
      fs.rmSync(file, { force: true });
      continue;
    }
    // Two takers of one stale lock can both get here; the file says who won.
    if (readTextIfExists(file)?.trim() !== String(process.pid)) continue;
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      if (readTextIfExists(file)?.trim() === String(process.pid)) fs.rmSync(file, { force: true });
    };
    process.once("exit", release);
    return release;
  }
  throw new IoError(`could not take the lock ${file} for ${what}`);
}

/**
 * The text of the first of `candidates` that exists (null entries are
 * skipped), or an IoError listing every place looked at and `hint` (what to
 * run to make the file).
 */
export function readFirst(candidates: readonly (string | null)[], what: string, hint: string): string {
  for (const f of candidates) if (f !== null && fs.existsSync(f)) return fs.readFileSync(f, "utf8");
  const looked = candidates.filter((f): f is string => f !== null);
  throw new IoError(`${what} not found (looked at ${looked.length ? looked.join(", ") : "nothing"}): ${hint}`);
}
