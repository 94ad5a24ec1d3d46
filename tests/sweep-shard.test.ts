// Tests of `npm run sweep -- --shard K/N` (scripts/sweep.ts, lib/sweep/store.ts):
// N shard processes writing into one folder at the same time leave exactly
// the records of one unsharded sweep; each task belongs to one shard; the
// shards' locks and manifests; bad values of --shard.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as ica from "../lib/index";
import { lockSweepDir, readAllManifests, removeLeftovers, sweepRecordPath } from "../lib/sweep/store";
import { readManifest } from "../lib/sweep/manifest";
import { parseSweepArgs, shardTasks, sweepTasks, UsageError } from "../scripts/sweep";
import { cli, jsonFiles, ROOT, tmpDir, tmpFiles } from "./helpers/sweep-cli";

// Two cheap configurations (about a second a run on one core) × 3 seeds.
const SMALL = ["--config", "regular/recipe,regular/sae-nobias", "--seeds", "3"];
const N = 3;

/** The record without what may differ between two runs of one task: its wall time and when it was written. */
const comparable = (file: string) => {
  const { wallMs: _w, recordedAt: _t, ...rest } = JSON.parse(fs.readFileSync(file, "utf8")) as ica.SweepRecord;
  return rest;
};

/** The runs `--list` prints for a shard: "<config> seed <s>" lines. */
const listed = (stdout: string) => stdout.split("\n").filter((l) => /^ {2}\S+ seed \d+$/.test(l)).map((l) => l.trim());

test("sweep --shard: bad values are usage errors naming --shard and the value", () => {
  for (const bad of ["0/4", "5/4", "1/0", "a/b", "2", "1/2/3", "-1/4", "1.5/4", ""]) {
    assert.throws(() => parseSweepArgs(["--shard", bad]), (e: Error) => e instanceof UsageError && e.message.includes(`--shard must be K/N`) && e.message.includes(`got '${bad}'`), bad);
  }
  assert.deepEqual(parseSweepArgs(["--shard", "4/4"]).shard, { k: 4, n: 4 });
  assert.deepEqual(parseSweepArgs(["--shard=1/1"]).shard, { k: 1, n: 1 });
  assert.equal(parseSweepArgs([]).shard, null);
});

test("sweep --shard: the shards of every configuration's task list are a partition, task t in shard (t mod N) + 1, sizes within one", () => {
  const args = parseSweepArgs(["--seeds", "7", "--first-seed", "3"]);
  const all = sweepTasks(ica.SWEEP_CONFIGS, args);
  assert.equal(all.length, ica.SWEEP_CONFIGS.length * 7);
  for (const n of [1, 2, 3, 7, 10, all.length + 5]) {
    const shards = Array.from({ length: n }, (_, k) => shardTasks(all, { k: k + 1, n }));
    // Brute force: where each task landed, by looking for it in every shard.
    all.forEach((t, i) => {
      const holders = shards.flatMap((s, k) => (s.includes(t) ? [k + 1] : []));
      assert.deepEqual(holders, [(i % n) + 1], `task ${i} with N = ${n}`);
    });
    assert.equal(shards.reduce((a, s) => a + s.length, 0), all.length);
    const sizes = shards.map((s) => s.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `N = ${n}: ${sizes.join(", ")}`);
  }
  assert.deepEqual(shardTasks(all, null), all);
});

test(`sweep --shard: ${N} shard processes at once into one folder write exactly the records of one unsharded sweep`, async () => {
  const shared = tmpDir("shards"), whole = tmpDir("whole");
  const lists = await Promise.all(Array.from({ length: N }, (_, k) => cli([...SMALL, "--shard", `${k + 1}/${N}`, "--list"], { timeoutMs: 60000 })));
  const full = await cli([...SMALL, "--shard", "1/1", "--list"], { timeoutMs: 60000 });
  const union = lists.flatMap((r) => listed(r.stdout));
  assert.equal(new Set(union).size, union.length, "no task is in two shards");
  assert.deepEqual([...union].sort(), listed(full.stdout).sort(), "together the shards hold the whole list");
  assert.equal(union.length, 6);

  const shards = await Promise.all(Array.from({ length: N }, (_, k) => cli([...SMALL, "--workers", "1", "--shard", `${k + 1}/${N}`, "--out", shared])));
  shards.forEach((r, k) => {
    assert.equal(r.code, 0, `shard ${k + 1}: ${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, new RegExp(`Shard ${k + 1} of ${N}: 2 configuration\\(s\\) × 3 seed\\(s\\) \\(0–2\\) = 6 runs, 2 of them this shard's: 0 already recorded, 2 to run`));
    for (const t of listed(lists[k]!.stdout)) {
      const [config, seed] = t.split(" seed ");
      assert.ok(fs.existsSync(sweepRecordPath(shared, config!, Number(seed))), `shard ${k + 1} wrote ${t}`);
    }
  });
  const one = await cli([...SMALL, "--workers", "1", "--out", whole]);
  assert.equal(one.code, 0, one.stderr);

  const files = jsonFiles(whole);
  assert.equal(files.length, 6);
  assert.deepEqual(jsonFiles(shared), files, "the same record files");
  for (const f of files) assert.deepEqual(comparable(path.join(shared, f)), comparable(path.join(whole, f)), f);
  assert.deepEqual(tmpFiles(shared), []);
  assert.deepEqual(fs.readdirSync(shared).filter((f) => f.includes("lock")), [], "every shard released its lock");

  // Readers see every shard's manifest entry, oldest first; the records load as one sweep.
  const loaded = ica.loadSweep(shared, { configs: ["regular/recipe", "regular/sae-nobias"], seeds: 3 });
  assert.deepEqual([loaded.records.length, loaded.missing, loaded.manifestProblem], [6, [], null]);
  assert.deepEqual(loaded.invocations.map((v) => v.shard).sort(), ["1/3", "2/3", "3/3"]);
  assert.deepEqual(loaded.invocations.map((v) => v.ran), [2, 2, 2]);
  const starts = loaded.invocations.map((v) => v.started);
  assert.deepEqual(starts, [...starts].sort());

  // A rerun of a shard skips its share; --verify of one shard reruns only that shard's share of the seeds.
  const again = await cli([...SMALL, "--shard", `2/${N}`, "--out", shared]);
  assert.match(again.stdout, /2 already recorded, 0 to run\./);
  const v = await cli([...SMALL, "--verify", "--seeds-per-config", "3", "--workers", "1", "--shard", `2/${N}`, "--out", shared]);
  assert.equal(v.code, 0, `${v.stdout}\n${v.stderr}`);
  assert.match(v.stdout, /Shard 2 of 3: Verifying .*: 2 rerun\(s\)/);
  assert.match(v.stdout, /2 record\(s\) compared: 2 equal, 0 different/);
  fs.rmSync(shared, { recursive: true });
  fs.rmSync(whole, { recursive: true });
});

test("sweep --shard locks: shards of one N share a folder; a whole sweep, a shard of another N or the same shard twice is refused", () => {
  const dir = tmpDir("shardlock");
  const a = lockSweepDir(dir, { k: 1, n: 3 });
  const b = lockSweepDir(dir, { k: 2, n: 3 });
  // This process holds them, so plant locks naming a live other process: our parent (the test runner).
  const other = process.ppid;
  fs.writeFileSync(path.join(dir, ".sweep.shard-3-of-3.lock"), `${other}\n`);
  assert.throws(() => lockSweepDir(dir, { k: 3, n: 3 }), /shard 3\/3 of the sweep folder .* is in use by another process/);
  assert.throws(() => lockSweepDir(dir), /in use by a sweep split into 3 shards .*a whole sweep cannot write there/);
  assert.throws(() => lockSweepDir(dir, { k: 1, n: 4 }), /in use by a sweep split into 3 shards .*shard 1\/4 cannot write there/);
  assert.ok(!fs.existsSync(path.join(dir, ".sweep.lock")) && !fs.existsSync(path.join(dir, ".sweep.shard-1-of-4.lock")), "a refused lock is released");
  a();
  b();
  fs.rmSync(path.join(dir, ".sweep.shard-3-of-3.lock"));
  fs.writeFileSync(path.join(dir, ".sweep.lock"), `${other}\n`);
  assert.throws(() => lockSweepDir(dir, { k: 2, n: 2 }), /in use by a whole \(unsharded\) sweep/);
  // A lock naming a dead process does not count.
  fs.writeFileSync(path.join(dir, ".sweep.lock"), "2147483646\n");
  lockSweepDir(dir, { k: 2, n: 2 })();
  fs.rmSync(dir, { recursive: true });
});

test("sweep --shard leftovers: a shard removes the dead temporary files of its own records only (another machine's pid means nothing here)", () => {
  const dir = tmpDir("shardleft");
  const mine = sweepRecordPath(dir, "regular/recipe", 0), theirs = sweepRecordPath(dir, "regular/recipe", 1);
  fs.mkdirSync(path.dirname(mine), { recursive: true });
  for (const f of [mine, theirs]) fs.writeFileSync(`${f}.2147483646.tmp`, "{\"half\":");
  fs.mkdirSync(path.join(dir, "shards", "1-of-2"), { recursive: true });
  fs.writeFileSync(path.join(dir, "shards", "1-of-2", "manifest.json.2147483646.tmp"), "{");
  fs.writeFileSync(path.join(dir, "manifest.json.2147483646.tmp"), "{");
  fs.writeFileSync(path.join(dir, ".write-probe.2147483646.tmp"), "");
  assert.equal(removeLeftovers(dir, { k: 1, n: 2 }, [mine]), 2);
  assert.deepEqual(tmpFiles(dir), [".write-probe.2147483646.tmp", "manifest.json.2147483646.tmp", path.relative(dir, `${theirs}.2147483646.tmp`)].sort());
  fs.rmSync(dir, { recursive: true });
});

test("sweep --shard manifests: on the stored records (no shards/ folder) the merged manifest is manifest.json's", () => {
  const dir = path.join(ROOT, "data", "sweeps");
  assert.ok(!fs.existsSync(path.join(dir, "shards")));
  assert.deepEqual(readAllManifests(dir), readManifest(dir));
});
