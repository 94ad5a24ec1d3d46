// Tests of `npm run sweep` (scripts/sweep.ts over lib/sweep/ and lib/io.ts),
// run as a user runs it: a child process with worker threads, interrupted with
// SIGINT like Ctrl-C, on a temporary folder. Each reliability defect of issue
// #15 is reproduced as the issue describes it.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ica from "../lib/index";
import { readSweepRecord, sweepRecordPath } from "../lib/sweep";
import { parseSweepArgs, UsageError, verifySeeds } from "../scripts/sweep";
import { cli, jsonFiles, ROOT, tmpDir, tmpFiles, whenFirstRecord } from "./helpers/sweep-cli";

const readRecord = (dir: string, f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as ica.SweepRecord;
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

test("verifySeeds: k seeds spread over the range, both ends included, no repeats", () => {
  assert.deepEqual(verifySeeds(0, 50, 3), [0, 25, 49]);
  assert.deepEqual(verifySeeds(10, 5, 2), [10, 14]);
  assert.deepEqual(verifySeeds(0, 50, 1), [0]);
  assert.deepEqual(verifySeeds(0, 3, 10), [0, 1, 2]);
  assert.deepEqual(verifySeeds(7, 1, 3), [7]);
});

test("parseSweepArgs: defaults, both value forms, and every mistake named", () => {
  const a = parseSweepArgs([]);
  assert.deepEqual([a.configs, a.seeds, a.firstSeed, a.workers, a.verify, a.seedsPerConfig, a.out], [["all"], null, 0, os.availableParallelism(), false, 3, path.join(ROOT, "data", "sweeps")]);
  const b = parseSweepArgs(["--config", "regular/recipe,sae", "--config=irregular", "--seeds=7", "--first-seed", "3", "--workers", "1", "--out", "x"]);
  assert.deepEqual([b.configs, b.seeds, b.firstSeed, b.workers, b.out], [["regular/recipe", "sae", "irregular"], 7, 3, 1, path.resolve("x")]);
  const v = parseSweepArgs(["--verify", "--seeds-per-config", "5", "-h"]);
  assert.deepEqual([v.verify, v.seedsPerConfig, v.help], [true, 5, true]);
  for (const [argv, re] of [
    [["--seeds", "0"], /--seeds must be an integer in \[1, 10000\], got '0'/],
    [["--seeds", "2.5"], /--seeds must be an integer .* got '2.5'/],
    [["--seeds", "-3"], /--seeds must be an integer .* got '-3'/],
    [["--workers", "many"], /--workers must be an integer in \[1, 64\], got 'many'/],
    [["--workers"], /--workers needs a value/],
    [["--out", "--seeds"], /--out needs a value/],
    [["--bogus"], /unknown option '--bogus'. Valid options: --config, --seeds/],
    [["-x"], /unknown option '-x'/],
    [["--list=yes"], /--list takes no value, got 'yes'/],
    [["regular/recipe"], /unexpected argument 'regular\/recipe'/],
    [["--config", ""], /--config must name at least one configuration, got ''/],
    [["--out="], /--out must name a folder, got ''/],
    [["--seeds-per-config", "3"], /--seeds-per-config applies only with --verify/],
  ] as [string[], RegExp][]) {
    assert.throws(() => parseSweepArgs(argv), (e: Error) => e instanceof UsageError && re.test(e.message), argv.join(" "));
  }
});

test("npm run sweep: 2 configurations × 3 seeds on worker threads; resumes, re-runs stale or broken records, never half-writes", async () => {
  const out = tmpDir("tiny");
  const configs = ["regular/recipe", "regular/sae-nobias"];
  const args = ["--config", configs.join(","), "--seeds", "3", "--out", out];
  const first = await cli(args);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /2 configuration\(s\) × 3 seed\(s\) \(0–2\) = 6 runs: 0 already recorded, 6 to run/);
  assert.match(first.stdout, /regular\/recipe\s+\d+\/3 \(/, "the success-rate table");
  assert.match(first.stderr, /6\/6 runs \(100%\)/, "the progress reaches the end");
  const files = jsonFiles(out);
  assert.deepEqual(files, configs.flatMap((c) => [0, 1, 2].map((s) => path.relative(out, sweepRecordPath(out, c, s)))).sort());
  // Worker threads give the numbers of a run in this process.
  for (const c of configs) {
    for (const s of [0, 1, 2]) {
      const rec = JSON.parse(fs.readFileSync(sweepRecordPath(out, c, s), "utf8")) as ica.SweepRecord;
      assert.equal(ica.sweepResultKey(rec), ica.sweepResultKey(ica.runSweepTask(c, s)), `${c} seed ${s}`);
      assert.ok(!Number.isNaN(Date.parse(rec.recordedAt!)));
    }
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
  assert.equal(manifest.invocations.length, 1);
  assert.deepEqual([manifest.invocations[0].ran, manifest.invocations[0].skipped, manifest.invocations[0].interrupted], [6, 0, false]);
  assert.equal(manifest.invocations[0].cores, os.availableParallelism());

  // Resume: nothing to do, nothing touched.
  const before = files.map((f) => fs.readFileSync(path.join(out, f), "utf8"));
  const again = await cli(args);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /6 already recorded, 0 to run\./);
  assert.deepEqual(files.map((f) => fs.readFileSync(path.join(out, f), "utf8")), before);

  // A record of an older definition, a truncated record and a temporary file from a killed run.
  const staleFile = sweepRecordPath(out, "regular/recipe", 1);
  const stale = JSON.parse(before[files.indexOf(path.relative(out, staleFile))]!);
  fs.writeFileSync(staleFile, JSON.stringify({ ...stale, fingerprint: "0000000000000000" }));
  const brokenFile = sweepRecordPath(out, "regular/sae-nobias", 2);
  fs.writeFileSync(brokenFile, fs.readFileSync(brokenFile, "utf8").slice(0, 100));
  fs.writeFileSync(`${brokenFile}.2147483646.tmp`, "{\"half\":"); // its writer is gone
  const liveTmp = `${brokenFile}.${process.pid}.tmp`; // a sweep still running (this process) owns it
  fs.writeFileSync(liveTmp, "{\"half\":");
  assert.equal(readSweepRecord(out, ica.sweepConfig("regular/recipe"), 1).state, "stale");
  assert.equal(readSweepRecord(out, ica.sweepConfig("regular/sae-nobias"), 2).state, "unreadable");
  const repair = await cli(args);
  assert.equal(repair.code, 0, repair.stderr);
  assert.match(repair.stdout, /Removed 1 temporary file/);
  assert.match(repair.stdout, /4 already recorded, 2 to run \(1 made by an older definition of their configuration\) \(1 unreadable\)/);
  assert.deepEqual(tmpFiles(out), [path.relative(out, liveTmp)]);
  fs.rmSync(liveTmp);
  for (const f of [staleFile, brokenFile]) {
    const rec = JSON.parse(fs.readFileSync(f, "utf8")) as ica.SweepRecord;
    assert.equal(ica.sweepResultKey(rec), ica.sweepResultKey(JSON.parse(before[files.indexOf(path.relative(out, f))]!)), f);
  }
  const loaded = ica.loadSweep(out, { configs, seeds: 3 });
  assert.deepEqual([loaded.records.length, loaded.missing, loaded.stale, loaded.unreadable], [6, [], [], []]);
  fs.rmSync(out, { recursive: true });
});

test("npm run sweep: Ctrl-C keeps every finished run, leaves no partial file, and the same command resumes", async () => {
  const out = tmpDir("sigint");
  const args = ["--config", "regular/overprovision8", "--seeds", "4", "--workers", "1", "--out", out];
  let interrupted = false;
  const first = await cli(args, {
    onStart: (pid) => {
      const poll = setInterval(() => {
        if (jsonFiles(out).length > 0 && !interrupted) {
          interrupted = true;
          clearInterval(poll);
          process.kill(-pid, "SIGINT"); // the whole process group, as a terminal does
        }
      }, 20);
    },
  });
  assert.ok(interrupted, "a first record appeared");
  assert.equal(first.code, 130, `${first.stdout}\n${first.stderr}`);
  assert.match(first.stdout, /Interrupted: finishing the 1 run\(s\) in progress/);
  const kept = jsonFiles(out);
  assert.ok(kept.length >= 1 && kept.length < 4, `kept ${kept.length} records`);
  assert.deepEqual(tmpFiles(out), []);
  for (const f of kept) assert.equal(readRecord(out, f).config, "regular/overprovision8");
  const manifest = JSON.parse(fs.readFileSync(path.join(out, "manifest.json"), "utf8"));
  assert.equal(manifest.invocations[0].interrupted, true);
  const resumed = await cli(args);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`${kept.length} already recorded, ${4 - kept.length} to run`));
  assert.equal(jsonFiles(out).length, 4);
  fs.rmSync(out, { recursive: true });
});

test("npm run sweep: a bad configuration name or option stops it before any work, listing the valid names", async () => {
  const out = path.join(tmpDir("bad"), "never");
  const bad = await cli(["--config", "regular/recipe,regular/nope", "--out", out], { timeoutMs: 60000 });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /sweep: unknown configuration 'regular\/nope'/);
  for (const c of ica.SWEEP_CONFIGS) assert.ok(bad.stderr.includes(c.name), c.name);
  assert.ok(!fs.existsSync(out), "no directory was created");
  const opt = await cli(["--seeds", "-3", "--out", out], { timeoutMs: 60000 });
  assert.equal(opt.code, 2);
  assert.match(opt.stderr, /--seeds needs a value|--seeds must be/);
  const list = await cli(["--list"], { timeoutMs: 60000 });
  assert.equal(list.code, 0);
  assert.equal(list.stdout.trim().split("\n").length, ica.SWEEP_CONFIGS.length);
  assert.ok(!fs.existsSync(out));
});

// ------------------------------------------------------------ reading and summarising
