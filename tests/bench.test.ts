// `npm run bench`: its options, its objective, and one quick run of every
// workload (as CI runs it), whose report must hold together. Speeds are
// printed, never asserted: the machines are shared and noisy.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ica from "../lib/index";
import { toColMajor } from "../lib/linalg";
import { UsageError, WORKLOADS, lassoWorkload, parseBenchArgs, totalObjective, type BenchReport } from "../scripts/bench";
import { listNotebooks } from "../scripts/jupyter";

const ROOT = path.resolve(__dirname, "..");

test("bench options: defaults, quick mode, workload lists, and bad input named", () => {
  assert.deepEqual(parseBenchArgs([]), { quick: false, json: false, runs: 5, only: [...WORKLOADS], help: false });
  assert.equal(parseBenchArgs(["--quick"]).runs, 1);
  assert.deepEqual(parseBenchArgs(["--only", "w3,W1"]).only, ["W1", "W3"]);
  assert.equal(parseBenchArgs(["--runs", "7", "--json"]).runs, 7);
  assert.throws(() => parseBenchArgs(["--runs", "3"]), (e: unknown) => e instanceof UsageError && /--runs must be at least 5 .* got 3/.test(e.message));
  assert.throws(() => parseBenchArgs(["--runs", "x"]), /--runs must be an integer in \[1, 1000\], got 'x'/);
  assert.throws(() => parseBenchArgs(["--only", "W9"]), /--only takes workloads from W1, W2, W3, W4, W5, got 'W9'/);
  assert.throws(() => parseBenchArgs(["--fast"]), /unknown option '--fast'/);
});

test("the bench scores every method with one objective, the one inferSources minimises", () => {
  const { A, X, sigma, b } = lassoWorkload(500);
  const r = ica.inferSources(A, X, { method: "exact", sigma, b });
  const mine = totalObjective(A, toColMajor(X), toColMajor(r.S), 2, 500, sigma, b);
  const theirs = r.objective.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(mine - theirs) <= 1e-9 * theirs, `${mine} against ${theirs}`);
  const worse = r.S.map((row) => row.map((v) => v * 1.01));
  assert.ok(totalObjective(A, toColMajor(X), toColMajor(worse), 2, 500, sigma, b) > mine);
  assert.throws(() => totalObjective(A, toColMajor(X), toColMajor(r.S.map((row) => row.map((v) => -v - 1))), 2, 500, sigma, b), /non-negative solver returned/);
});

/** Every file below `dir` with its size, mtime and SHA-256, or "absent": to see that nothing in it changed. */
function snapshot(dir: string): string {
  if (!fs.existsSync(dir)) return "absent";
  const lines: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      const st = fs.statSync(p);
      if (e.isDirectory()) {
        lines.push(`${path.relative(dir, p)}/ ${st.mtimeMs}`);
        walk(p);
      } else {
        const hash = crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex");
        lines.push(`${path.relative(dir, p)} ${st.size} ${st.mtimeMs} ${hash}`);
      }
    }
  };
  lines.push(`./ ${fs.statSync(dir).mtimeMs}`);
  walk(dir);
  return lines.join("\n");
}

const benchSites = () => new Set(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith("ica-bench-site-")));

test("npm run bench -- --quick --json: every workload once, and a report that holds together", () => {
  // W5 runs `npm start`: it must build into a folder of its own, remove it, and leave the reader's site/ alone.
  const site = path.join(ROOT, "site");
  const siteBefore = snapshot(site);
  const tmpBefore = benchSites();
  const out = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "bench.ts"), "--quick", "--json"], {
    cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26, timeout: 12 * 60_000,
  });
  assert.equal(out.status, 0, `bench failed:\n${out.stderr}`);
  assert.equal(snapshot(site), siteBefore, "the bench changed the repository's site/");
  assert.deepEqual([...benchSites()].filter((f) => !tmpBefore.has(f)), [], "the bench left its site folder behind");
  const report = JSON.parse(out.stdout) as BenchReport;
  assert.equal(report.mode, "quick");
  assert.ok(report.machine.cores >= 1);
  assert.deepEqual([...new Set(report.rows.map((r) => r.workload))], [...WORKLOADS]);
  for (const row of report.rows) {
    assert.equal(row.runs, 1);
    assert.ok(row.medianMs > 0 && Number.isFinite(row.medianMs), `${row.workload} ${row.method}: ${row.medianMs}`);
  }
  const w1 = report.rows.filter((r) => r.workload === "W1");
  const ours = w1.find((r) => r.method.startsWith("ours: exact, geometric"))!;
  assert.ok(ours.objective! > 0);
  assert.equal(w1.find((r) => r.method.startsWith("ours: exact, every support"))!.note, "same ŝ, bit for bit");
  assert.ok(Math.abs(w1.find((r) => r.method.startsWith("ours: inferSources"))!.objective! - ours.objective!) <= 1e-9 * ours.objective!);
  // Other solvers may only do as well as the exact optimum, never better.
  for (const row of w1.filter((r) => r.objective !== undefined)) {
    assert.ok(row.objective! >= ours.objective! * (1 - 1e-12), `${row.method} reports ${row.objective}, below the exact ${ours.objective}`);
  }
  const numpy = w1.find((r) => r.method.startsWith("numpy"));
  if (numpy) assert.ok(Math.abs(numpy.objective! - ours.objective!) <= 1e-9 * ours.objective!, "numpy's enumeration reaches the same optimum");
  else assert.ok(report.skipped.some((s) => s.method === "numpy"), "a missing numpy is reported as skipped");
  if (!w1.some((r) => r.method.startsWith("scikit-learn"))) assert.ok(report.skipped.some((s) => s.method === "scikit-learn"));
  const w2 = report.rows.find((r) => r.workload === "W2" && r.method.startsWith("ours"))!;
  assert.ok(w2.objective! >= ours.objective!, "200 FISTA iterations cannot beat the exact optimum");
  assert.match(report.rows.find((r) => r.workload === "W3")!.note!, /error of the returned A \d+\.\d+°/);
  const w5 = report.rows.find((r) => r.workload === "W5")!;
  assert.equal(w5.size, `${listNotebooks().length} notebooks`);
  assert.equal(report.notebooks!.length, listNotebooks().length);
  const rss = report.targets.find((t) => t.text.startsWith("peak RSS"));
  assert.ok(rss, "the kernels' peak RSS is measured");
  const mib = Number(/(\d+) MiB/.exec(rss.measured)![1]);
  assert.ok(mib > 50 && mib < 8192, `a kernel peak of ${mib} MiB is not plausible`);
  assert.deepEqual(report.targets.map((t) => t.workload).filter((w, i, a) => a.indexOf(w) === i), ["W1", "W3", "W5"]);
});
