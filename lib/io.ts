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
 * renamed over it (a rename within one directory is atomic on POSIX). On
 * failure the temporary file is removed and an IoError names `file`.
 */
export function writeAtomic(file: string, text: string): void {
  const tmp = tempName(file);
  try {
    makeDirs(path.dirname(file));
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (e) {
    unlinkQuietly(tmp);
    throw new IoError(`cannot write '${file}' (${(e as Error).message})`, { cause: e });
  }
}

/** Removes the file `file` if it is there; never a folder (unlink refuses those), never throws. */
function unlinkQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // absent (the write never created it), or not ours to remove
  }
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
 * Creates `file` holding our pid, only if there is no such file. The pid is
 * written to a temporary file first and hard-linked into place (link fails
 * if the name exists), so a reader never sees the lock empty.
 */
function createHolding(file: string): boolean {
  const tmp = tempName(file);
  try {
    fs.writeFileSync(tmp, `${process.pid}\n`);
    fs.linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw new IoError(`cannot create the lock file ${file} (${(e as Error).message})`, { cause: e });
  } finally {
    unlinkQuietly(tmp);
  }
}

/** A lock file as read: its inode (one generation of the file) and the pid it names (null if none). */
interface Held {
  ino: number;
  pid: number | null;
}

/** Reads `file` and its inode through one descriptor, so both are of one generation; null if absent. */
function readHeld(file: string): Held | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
  try {
    const ino = fs.fstatSync(fd).ino;
    const text = fs.readFileSync(fd, "utf8").trim();
    return { ino, pid: /^\d+$/.test(text) ? Number(text) : null };
  } finally {
    fs.closeSync(fd);
  }
}

/** Held by a running process other than this one (a lock naming a dead pid, this pid or nothing is stale). */
const heldByOther = (h: Held): boolean => h.pid !== null && h.pid !== process.pid && processAlive(h.pid);

const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** The command line of process `pid`, where /proc shows it; else null. */
function commandOf(pid: number): string | null {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== "").join(" ");
    return cmd === "" ? null : cmd.length > 200 ? `${cmd.slice(0, 200)}…` : cmd;
  } catch {
    return null;
  }
}

/**
 * Removes the stale generation `ino` of `file`, unless it was removed or
 * replaced meanwhile. Whoever removes generation `ino` must first create the
 * gate `<file>.takeover-<ino>`, which only one process can: so two processes
 * that saw the same stale lock cannot both remove it, and neither can remove
 * the live lock the other then creates (the file is read again, by inode,
 * behind the gate). A gate left by a taker killed in those microseconds is
 * itself stale and removed the same way, one level up.
 */
function removeStale(file: string, ino: number, depth: number): void {
  const gate = `${file}.takeover-${ino}`;
  if (!createHolding(gate)) {
    const g = readHeld(gate);
    if (g === null) return; // that takeover just ended: look at the lock again
    if (heldByOther(g)) return void pause(2); // another process is taking it over now
    if (depth >= 3) throw new IoError(`cannot take over the stale lock ${file}: remove ${file} and ${file}.takeover-* if no sweep is running`);
    return removeStale(gate, g.ino, depth + 1);
  }
  try {
    const now = readHeld(file);
    if (now !== null && now.ino === ino && !heldByOther(now)) fs.unlinkSync(file);
  } finally {
    fs.unlinkSync(gate);
  }
}

/**
 * Takes the lock file `file` for this process: it is created exclusively and
 * holds our pid. A lock whose pid is dead is stale and taken over (see
 * removeStale). Throws an IoError naming the holder, and its command where
 * /proc shows it, when a live process has it. Returns the release.
 */
export function takeLock(file: string, what: string): () => void {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (createHolding(file)) {
      let held = true;
      const release = () => {
        if (!held) return;
        held = false;
        // Nobody replaces a live process's lock, so a lock naming us is ours.
        if (readHeld(file)?.pid === process.pid) fs.rmSync(file, { force: true });
      };
      process.once("exit", release);
      return release;
    }
    const seen = readHeld(file);
    if (seen === null) continue; // released meanwhile
    if (heldByOther(seen)) {
      const pid = seen.pid!, cmd = commandOf(pid);
      throw new IoError(`${what} is in use by another process (pid ${pid}${cmd ? `: ${cmd}` : ""}, lock file ${file}); wait for it to finish. ` +
        `If pid ${pid} is not a sweep (a killed sweep's pid can be reused by another program), the lock is stale: remove ${file}.`);
    }
    removeStale(file, seen.ino, 0);
  }
  throw new IoError(`could not take the lock ${file} for ${what}: it kept changing hands`);
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
