// lib/io.ts, the one module of lib/ that touches the disk: it may only ever
// remove the sweep's own temporary names, must refuse a bad folder with the
// parameter and the path, and must say what to run when a file is missing.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { fork, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkWritableDir, IoError, makeDirs, readFirst, removeDeadTemps, takeLock, tempName, writeAtomic } from "../lib/io";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "ica-io-"));
const DEAD = 2147483646; // above Linux's pid_max: never a running process

test("removeDeadTemps: only <owned name>.<dead pid>.tmp in the one folder; a live writer's file, other names and subfolders are kept", () => {
  const dir = tmp();
  const files = {
    [`seed-001.json.${DEAD}.tmp`]: false, // ours, writer dead: removed
    [tempName("seed-002.json").replace(/^.*\//, "")]: false, // ours, this process: removed
    [`seed-003.json.${process.ppid}.tmp`]: true, // a live writer (our parent)
    "seed-004.json.tmp": true, // no pid: not a name we write
    [`notes.${DEAD}.tmp`]: true, // not an owned name
    "draft.tmp": true,
  };
  for (const f of Object.keys(files)) fs.writeFileSync(path.join(dir, f), "x");
  fs.mkdirSync(path.join(dir, "sub"));
  fs.writeFileSync(path.join(dir, "sub", `seed-005.json.${DEAD}.tmp`), "x");
  assert.equal(removeDeadTemps(dir, /^seed-\d{3,}\.json$/), 2);
  const left = fs.readdirSync(dir).sort();
  assert.deepEqual(left, [...Object.keys(files).filter((f) => files[f]), "sub"].sort());
  assert.deepEqual(fs.readdirSync(path.join(dir, "sub")), [`seed-005.json.${DEAD}.tmp`]);
  assert.equal(removeDeadTemps(path.join(dir, "absent"), /.*/), 0);
  fs.rmSync(dir, { recursive: true });
});

test("checkWritableDir: creates a missing folder; a file, a path below a file, an empty name or an unmakeable folder is an IoError naming the parameter and the path", () => {
  const dir = tmp();
  checkWritableDir(path.join(dir, "a", "b"), "--out");
  assert.ok(fs.statSync(path.join(dir, "a", "b")).isDirectory());
  assert.deepEqual(fs.readdirSync(path.join(dir, "a", "b")), [], "the probe is removed");
  fs.writeFileSync(path.join(dir, "f"), "x");
  const refuses = (p: string, re: RegExp) => assert.throws(() => checkWritableDir(p, "--out"), (e: Error) => e instanceof IoError && re.test(e.message), p);
  refuses(path.join(dir, "f"), /^--out must be a folder, but '.*\/f' is a file$/);
  refuses(path.join(dir, "f", "g"), /^--out '.*\/f\/g' lies below a file \(ENOTDIR/);
  refuses("", /^--out must name a folder, got ""$/);
  if (fs.existsSync("/proc/self")) refuses("/proc/self/io-test/x", /^--out '\/proc\/self\/io-test\/x' cannot be written \(ENOENT/);
  fs.rmSync(dir, { recursive: true });
});

test("makeDirs: no endless loop where mkdir says ENOENT under an existing parent (fs.mkdirSync recursive does loop there)", () => {
  if (!fs.existsSync("/proc/self")) return;
  assert.throws(() => makeDirs("/proc/self/io-test/a/b"), /ENOENT/);
});

test("writeAtomic: the whole text or nothing, through <file>.<pid>.tmp, which is gone afterwards", () => {
  const dir = tmp();
  const file = path.join(dir, "x", "r.json");
  writeAtomic(file, "one");
  writeAtomic(file, "two");
  assert.equal(fs.readFileSync(file, "utf8"), "two");
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["r.json"]);
  fs.rmSync(dir, { recursive: true });
});

test("takeLock: a live holder is named and refused; a dead holder's lock is taken over; release removes only our own lock", () => {
  const dir = tmp();
  const lock = path.join(dir, ".lock");
  fs.writeFileSync(lock, `${process.ppid}\n`);
  assert.throws(() => takeLock(lock, "the folder"), (e: Error) => e instanceof IoError && e.message.includes(`the folder is in use by another process (pid ${process.ppid}`));
  fs.writeFileSync(lock, `${DEAD}\n`);
  const release = takeLock(lock, "the folder");
  assert.equal(fs.readFileSync(lock, "utf8"), `${process.pid}\n`);
  release();
  assert.ok(!fs.existsSync(lock));
  const again = takeLock(lock, "the folder");
  fs.writeFileSync(lock, `${process.ppid}\n`); // someone else's now
  again();
  assert.equal(fs.readFileSync(lock, "utf8"), `${process.ppid}\n`, "release leaves another's lock alone");
  // A taker killed between its gate and its takeover left both behind, each naming a dead pid.
  fs.writeFileSync(lock, `${DEAD}\n`);
  fs.writeFileSync(`${lock}.takeover-${fs.statSync(lock).ino}`, `${DEAD - 1}\n`);
  takeLock(lock, "the folder")();
  assert.deepEqual(fs.readdirSync(dir), [], "the abandoned gate is taken over and removed too");
  fs.rmSync(dir, { recursive: true });
});

test("writeAtomic: a failed write or rename leaves no .tmp behind and is an IoError naming the file", () => {
  const dir = tmp();
  // The rename fails: the target is a folder.
  const folder = path.join(dir, "r.json");
  fs.mkdirSync(folder);
  assert.throws(() => writeAtomic(folder, "x"), (e: Error) => e instanceof IoError && e.message.startsWith(`cannot write '${folder}'`) && /EISDIR/.test(e.message));
  assert.deepEqual(fs.readdirSync(dir), ["r.json"], "the temporary file is removed");
  // The folder of the target is a file (the sweep's `regular` file in --out).
  fs.writeFileSync(path.join(dir, "regular"), "mine");
  const below = path.join(dir, "regular", "m", "seed-000.json");
  assert.throws(() => writeAtomic(below, "x"), (e: Error) => e instanceof IoError && e.message.startsWith(`cannot write '${below}'`) && /ENOTDIR/.test(e.message));
  assert.equal(fs.readFileSync(path.join(dir, "regular"), "utf8"), "mine");
  fs.rmSync(dir, { recursive: true });
});

test("takeLock: a live holder's message says which command holds the lock and that the lock file may be removed if that is not a sweep", () => {
  const dir = tmp();
  const lock = path.join(dir, ".lock");
  fs.writeFileSync(lock, `${process.pid === 1 ? process.ppid : 1}\n`);
  const holder = process.pid === 1 ? process.ppid : 1;
  const cmd = fs.existsSync(`/proc/${holder}/cmdline`) ? fs.readFileSync(`/proc/${holder}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ") : null;
  assert.throws(() => takeLock(lock, "the folder"), (e: Error) => {
    assert.ok(e instanceof IoError);
    assert.match(e.message, new RegExp(`^the folder is in use by another process \\(pid ${holder}`));
    if (cmd) assert.ok(e.message.includes(cmd.slice(0, 40)), `names the command '${cmd}': ${e.message}`);
    assert.ok(e.message.includes(`If pid ${holder} is not a sweep`) && e.message.includes(`remove ${lock}`), e.message);
    assert.doesNotMatch(e.message, /stop it/);
    return true;
  });
  fs.rmSync(dir, { recursive: true });
});

/** A lock-racer child process (tests/helpers/lock-racer.ts), once it is ready. */
function racer(): Promise<ChildProcess> {
  const child = fork(path.join(__dirname, "helpers", "lock-racer.ts"), { execArgv: ["--require", require.resolve("tsx/cjs")], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", () => resolve(child));
    child.once("error", reject);
  });
}

const ask = <T>(child: ChildProcess, m: unknown): Promise<T> =>
  new Promise((resolve) => {
    child.once("message", (r) => resolve(r as T));
    child.send(m as object);
  });

test("takeLock: two processes taking over one stale lock at the same moment, 200 times: exactly one wins each time, the other is refused naming it", async () => {
  const dir = tmp();
  const lock = path.join(dir, ".lock");
  const racers = await Promise.all([racer(), racer()]);
  try {
    for (let round = 0; round < 200; round++) {
      fs.writeFileSync(lock, `${DEAD}\n`); // a sweep killed outright
      const at = Date.now() + 20;
      const replies = await Promise.all(racers.map((c) => ask<{ won: boolean; pid: number; error?: string }>(c, { lock, at })));
      const winners = replies.filter((r) => r.won);
      assert.equal(winners.length, 1, `round ${round}: ${JSON.stringify(replies)}`);
      const [winner, loser] = [winners[0]!, replies.find((r) => !r.won)!];
      assert.equal(fs.readFileSync(lock, "utf8"), `${winner.pid}\n`, `round ${round}: the lock names the winner`);
      assert.match(loser.error!, new RegExp(`in use by another process \\(pid ${winner.pid}`), `round ${round}`);
      await ask(racers[replies.indexOf(winner)]!, "release");
      assert.ok(!fs.existsSync(lock), `round ${round}: released`);
      assert.deepEqual(fs.readdirSync(dir), [], `round ${round}: no helper file is left`);
    }
  } finally {
    for (const c of racers) c.send("quit");
  }
  fs.rmSync(dir, { recursive: true });
});

test("readFirst: the first file that exists; if none, every path looked at and what to run", () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, "b.js"), "B");
  assert.equal(readFirst([path.join(dir, "a.js"), null, path.join(dir, "b.js")], "plotly.js", "run x"), "B");
  assert.throws(() => readFirst([path.join(dir, "a.js"), null], "plotly.js", "run `npm run setup`"),
    (e: Error) => e instanceof IoError && /^plotly\.js not found \(looked at .*\/a\.js\): run `npm run setup`$/.test(e.message));
  fs.rmSync(dir, { recursive: true });
});
