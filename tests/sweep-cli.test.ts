// The reliability of `npm run sweep` (scripts/sweep.ts over lib/sweep/ and
// lib/io.ts), each defect of issue #15 reproduced as the issue describes it:
// the command runs as a child process, as a user runs it.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { cli, jsonFiles, ROOT, tmpDir, tmpFiles, whenFirstRecord } from "./helpers/sweep-cli";

const QUICK = ["--config", "regular/sae-nobias", "--seeds", "1", "--workers", "1"];

test("sweep data loss: --out on a folder of one's own files removes only the sweep's own temporary files of dead writers", async () => {
  // The reproduction: `cd /tmp/x && npm run sweep -- --out .` deleted docs/ch1.tmp.
  const dir = tmpDir("own");
  const mine = ["docs/ch1.tmp", ".hidden/draft.tmp", "regular/sae-nobias/notes.tmp", "regular/sae-nobias/seed-000.json.tmp", "unrelated/seed-003.json.2147483646.tmp", "x.2147483646.tmp"];
  for (const f of mine) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), "draft\n");
  }
  const leftover = "regular/sae-nobias/seed-004.json.2147483646.tmp"; // the sweep's own name, its writer gone
  fs.writeFileSync(path.join(dir, leftover), "{\"half\":");
  const r = await cli([...QUICK, "--out", "."], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Removed 1 temporary file/);
  assert.deepEqual(tmpFiles(dir), [...mine].sort(), "every file of the user's is still there");
  for (const f of mine) assert.equal(fs.readFileSync(path.join(dir, f), "utf8"), "draft\n", f);
  fs.rmSync(dir, { recursive: true });
});

test("sweep Ctrl-C: two SIGINTs in quick succession (npm and tsx both forward one Ctrl-C) count as one", async () => {
  const out = tmpDir("sigint2");
  const args = ["--config", "regular/overprovision8", "--seeds", "4", "--workers", "1", "--out", out];
  const trigger = whenFirstRecord(out, (pid) => {
    process.kill(-pid, "SIGINT");
    setTimeout(() => process.kill(-pid, "SIGINT"), 40); // tsx relays npm's copy after 30 ms
  });
  const r = await cli(args, { onStart: trigger.onStart });
  assert.ok(trigger.fired(), "a first record appeared");
  assert.equal(r.code, 130, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /Interrupted: finishing the 1 run\(s\) in progress/);
  assert.doesNotMatch(r.stdout, /Dropped/);
  assert.ok(jsonFiles(out).length >= 2, `the run in progress was finished and kept: ${jsonFiles(out).join(", ")}\n${r.stdout}\n${r.stderr}`);
  assert.deepEqual(tmpFiles(out), []);
  fs.rmSync(out, { recursive: true });
});

test("sweep Ctrl-C under npm run sweep: one Ctrl-C to the process group finishes the run in progress", async () => {
  const out = tmpDir("npm");
  const trigger = whenFirstRecord(out, (pid) => process.kill(-pid, "SIGINT"));
  const r = await cli(["--config", "regular/overprovision8", "--seeds", "4", "--workers", "1", "--out", out], { npm: true, onStart: trigger.onStart });
  assert.ok(trigger.fired(), "a first record appeared");
  assert.match(r.stdout, /Interrupted: finishing the 1 run\(s\) in progress/, `${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(r.stdout, /Dropped/);
  assert.ok(jsonFiles(out).length >= 2, `the run in progress was kept: ${jsonFiles(out).join(", ")}\n${r.stdout}\n${r.stderr}`);
  fs.rmSync(out, { recursive: true });
});

test("sweep bad --out: a file, a path below a file or an unwritable folder is refused before any run, naming --out and the path; empty --config/--out are errors", async () => {
  const dir = tmpDir("badout");
  const file = path.join(dir, "a-file");
  fs.writeFileSync(file, "x");
  const cases: [string, RegExp][] = [
    [file, /--out must be a folder, but '.*a-file' is a file/],
    [path.join(file, "sub"), /--out '.*a-file\/sub' lies below a file/],
  ];
  // Root writes into read-only folders; /proc refuses even root.
  if (process.getuid?.() === 0) cases.push(["/proc/self/sweep-out", /--out '\/proc\/self\/sweep-out' cannot be written/]);
  else {
    const ro = path.join(dir, "read-only");
    fs.mkdirSync(ro, { mode: 0o555 });
    cases.push([ro, /--out '.*read-only' is not writable/]);
  }
  for (const [out, re] of cases) {
    const r = await cli([...QUICK, "--out", out], { timeoutMs: 60000 });
    assert.equal(r.code, 2, `${out}: ${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, re, out);
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack");
    assert.doesNotMatch(r.stdout, /to run/, "checked before planning any run");
  }
  for (const [argv, re] of [
    [["--config", ""], /--config must name at least one configuration, got ''/],
    [["--config=,"], /--config must name at least one configuration, got ','/],
    [["--out", ""], /--out must name a folder, got ''/],
    [["--out="], /--out must name a folder, got ''/],
  ] as [string[], RegExp][]) {
    const r = await cli([...argv, "--seeds", "1"], { timeoutMs: 60000, cwd: dir });
    assert.equal(r.code, 2, `${argv.join(" ")}: ${r.stdout}`);
    assert.match(r.stderr, re);
  }
  assert.deepEqual(fs.readdirSync(dir), ["a-file"], "nothing was written");
  fs.rmSync(dir, { recursive: true });
});

test("sweep bad --out: a file where a record folder <dataset>/<method> goes is refused before any run, naming --out and the path", async () => {
  // The reviewer's reproduction: a file `regular` in the folder, then `--config regular/sae-nobias --out .`.
  const dir = tmpDir("badsub");
  fs.writeFileSync(path.join(dir, "regular"), "mine\n");
  const r = await cli([...QUICK, "--out", "."], { cwd: dir, timeoutMs: 60000 });
  assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, /--out '.*': its folder '.*\/regular\/sae-nobias' lies below a file/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack");
  assert.doesNotMatch(r.stdout, /to run/, "checked before planning any run");
  assert.deepEqual(fs.readdirSync(dir), ["regular"], "nothing was written");
  assert.equal(fs.readFileSync(path.join(dir, "regular"), "utf8"), "mine\n");
  fs.rmSync(dir, { recursive: true });
});

test("sweep write error: a record folder that turns into a file mid-sweep stops the handing out of runs, naming the path (exit 1, no stack)", async () => {
  const out = tmpDir("writeerr");
  const folder = path.join(out, "regular", "overprovision8");
  const trigger = whenFirstRecord(out, () => {
    fs.rmSync(folder, { recursive: true });
    fs.writeFileSync(folder, "in the way\n");
  });
  const r = await cli(["--config", "regular/overprovision8", "--seeds", "4", "--workers", "1", "--out", out], { onStart: trigger.onStart });
  assert.ok(trigger.fired(), "a first record appeared");
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(`${r.stdout}\n${r.stderr}`, /could not be written: regular\/overprovision8 seed 1 \(cannot write '.*\/regular\/overprovision8\/seed-001\.json'/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack");
  assert.match(r.stdout, /stopping after the runs in progress/);
  assert.doesNotMatch(r.stdout, /seed 2|seed 3/, "no run was handed out after the failed write");
  assert.deepEqual(tmpFiles(out), []);
  fs.rmSync(out, { recursive: true });
});

test("sweep manifest: an unreadable manifest.json is kept aside as manifest.json.bad-<time>, with a message", async () => {
  const out = tmpDir("manifest");
  const conflicted = "{\n<<<<<<< HEAD\n  \"invocations\": [1]\n=======\n  \"invocations\": [2]\n>>>>>>> other\n}\n";
  fs.writeFileSync(path.join(out, "manifest.json"), conflicted);
  const r = await cli([...QUICK, "--out", out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /manifest\.json is unreadable \(.*\): kept it as .*manifest\.json\.bad-\d{4}-\d\d-\d\dT[\d-]+Z/);
  const aside = fs.readdirSync(out).filter((f) => f.startsWith("manifest.json.bad-"));
  assert.equal(aside.length, 1);
  assert.equal(fs.readFileSync(path.join(out, aside[0]!), "utf8"), conflicted, "the old log is kept byte for byte");
  const m = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
  assert.equal(m.invocations.length, 1);
  fs.rmSync(out, { recursive: true });
});

test("sweep lock: a second sweep on a folder in use is refused (exit 2, naming the pid); a dead holder's lock is taken over", async () => {
  const out = tmpDir("lock");
  const long = ["--config", "regular/overprovision8", "--seeds", "40", "--workers", "1", "--out", out];
  let second: Promise<Awaited<ReturnType<typeof cli>>> | undefined;
  // The second starts once the first has written a record, and the first is stopped once the second has answered.
  const trigger = whenFirstRecord(out, (pid) => {
    second = cli(long).finally(() => {
      try {
        process.kill(-pid, "SIGINT");
      } catch {
        // the first has already finished (it would have, if the second did all the work too)
      }
    });
  });
  const first = await cli(long, { onStart: trigger.onStart });
  assert.ok(trigger.fired());
  const r2 = await second!;
  assert.equal(r2.code, 2, `${r2.stdout}\n${r2.stderr}`);
  assert.equal(first.code, 130, first.stderr);
  assert.match(r2.stderr, /the sweep folder .* is in use by another process \(pid \d+/);
  assert.doesNotMatch(r2.stdout, /to run/, "refused before any work");
  assert.ok(!fs.existsSync(path.join(out, ".sweep.lock")), "the first sweep released its lock");
  // A lock left by a sweep killed outright (its pid is dead) does not block.
  fs.writeFileSync(path.join(out, ".sweep.lock"), "2147483646\n");
  const r3 = await cli([...QUICK, "--out", out]);
  assert.equal(r3.code, 0, r3.stderr);
  assert.ok(!fs.existsSync(path.join(out, ".sweep.lock")));
  fs.rmSync(out, { recursive: true });
});

test("npm run sweep -- --verify: reruns first, middle and last seed of configurations and finds the committed records reproduced", async () => {
  const r = await cli(["--verify", "--config", "regular/recipe,irregular/sae", "--seeds-per-config", "3"]);
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /seeds 0, 25, 49 against data\/sweeps\/: 6 rerun\(s\)/);
  assert.match(r.stdout, /6 record\(s\) compared: 6 equal, 0 different; 0 not compared/);
});

test("npm run sweep -- --verify: a changed number or option, and a missing record, are reported, with exit 1", async () => {
  const out = tmpDir("verify");
  const src = path.join(ROOT, "data", "sweeps", "regular", "recipe");
  fs.mkdirSync(path.join(out, "regular", "recipe"), { recursive: true });
  for (const s of ["000", "001"]) fs.copyFileSync(path.join(src, `seed-${s}.json`), path.join(out, "regular", "recipe", `seed-${s}.json`));
  const f0 = path.join(out, "regular", "recipe", "seed-000.json");
  const rec = JSON.parse(fs.readFileSync(f0, "utf8"));
  fs.writeFileSync(f0, JSON.stringify({ ...rec, bestError: rec.bestError + 1e-6, options: { ...rec.options, sigma: 0.2 }, wallMs: 1 }));
  const r = await cli(["--verify", "--config", "regular/recipe", "--seeds", "3", "--out", out]);
  assert.equal(r.code, 1, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /different: regular\/recipe seed 0 \(options, bestError\)/);
  assert.match(r.stdout, /not compared: regular\/recipe seed 2: no record/);
  assert.match(r.stdout, /2 record\(s\) compared: 1 equal, 1 different; 1 not compared/);
  assert.deepEqual(fs.readdirSync(out), ["regular"], "verify writes nothing");
  fs.rmSync(out, { recursive: true });
});
