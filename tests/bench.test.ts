// `npm run bench`: its options, its objective, and one quick run of every
// workload but W5 (as CI runs it), whose report must hold together. Speeds are
// printed, never asserted: the machines are shared and noisy.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";
import * as ica from "../lib/index";
import { fromColMajor, toColMajor } from "../lib/linalg";
import { multiply } from "mathjs";
import { UsageError, WORKLOADS, lassoWorkload, parseBenchArgs, totalObjective, type BenchReport } from "../scripts/bench";
import { ROUNDING, score, wideData } from "../scripts/bench-wide";

const ROOT = path.resolve(__dirname, "..");

test("bench options: defaults, quick mode, workload lists, and bad input named", () => {
  assert.deepEqual(parseBenchArgs([]), { quick: false, json: false, runs: 5, only: [...WORKLOADS], help: false });
  assert.equal(parseBenchArgs(["--quick"]).runs, 1);
  assert.deepEqual(parseBenchArgs(["--only", "w3,W1"]).only, ["W1", "W3"]);
  assert.equal(parseBenchArgs(["--runs", "7", "--json"]).runs, 7);
  assert.throws(() => parseBenchArgs(["--runs", "3"]), (e: unknown) => e instanceof UsageError && /--runs must be at least 5 .* got 3/.test(e.message));
  assert.throws(() => parseBenchArgs(["--runs", "x"]), /--runs must be an integer in \[1, 1000\], got 'x'/);
  assert.throws(() => parseBenchArgs(["--only", "W9"]), /--only takes workloads from W1, W2, W3, W4, W5, W6, W7, W8, got 'W9'/);
  assert.throws(() => parseBenchArgs(["--fast"]), /unknown option '--fast'/);
  assert.deepEqual(parseBenchArgs(["--only=W2", "--quick", "--runs=3", "-h"]), { quick: true, json: false, runs: 3, only: ["W2"], help: true });
  assert.throws(() => parseBenchArgs(["--runs"]), (e: unknown) => e instanceof UsageError && /--runs needs a value/.test(e.message));
  assert.throws(() => parseBenchArgs(["--only", "--quick"]), /--only needs a value/);
  assert.throws(() => parseBenchArgs(["--json=yes"]), /--json takes no value, got 'yes'/);
  assert.throws(() => parseBenchArgs(["W1"]), /unexpected argument 'W1'/);
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

test("W6/W7 data: unit columns, exactly k active sources of mean b, noise σ, and the same bytes for the same seed", () => {
  const d = wideData(12, 30, 4, 4000, 7, 0.1);
  for (let i = 0; i < d.n; i++) {
    const len = Math.hypot(...d.A.data.subarray(i * d.m, (i + 1) * d.m));
    assert.ok(Math.abs(len - 1) < 1e-12, `column ${i} has length ${len}`);
  }
  let sum = 0;
  for (let j = 0; j < d.p; j++) {
    const col = d.S.data.subarray(j * d.n, (j + 1) * d.n);
    assert.equal(col.filter((v) => v > 0).length, 4, `point ${j}`);
    sum += col.reduce((a, v) => a + v, 0);
  }
  // Mean amplitude b: the standard error of 16,000 exponentials of mean 2 is 0.016.
  assert.ok(Math.abs(sum / (4 * d.p) - 2) < 0.08, `mean amplitude ${sum / (4 * d.p)}`);
  // The noise, recomputed with mathjs: X − A S has standard deviation σ.
  const R = multiply(fromColMajor(d.A.data, d.m, d.n), fromColMajor(d.S.data, d.n, d.p)) as number[][];
  const noise = fromColMajor(d.X.data, d.m, d.p).flatMap((row, r) => row.map((v, j) => v - R[r]![j]!));
  const sd = Math.sqrt(noise.reduce((a, v) => a + v * v, 0) / noise.length);
  assert.ok(Math.abs(sd - 0.1) < 0.003, `noise sd ${sd}`);
  // Noise-free points (the default) are A S itself, to mathjs's rounding.
  const c = wideData(12, 30, 4, 200, 7);
  const R0 = multiply(fromColMajor(c.A.data, c.m, c.n), fromColMajor(c.S.data, c.n, c.p)) as number[][];
  const gap = Math.max(...fromColMajor(c.X.data, c.m, c.p).flatMap((row, r) => row.map((v, j) => Math.abs(v - R0[r]![j]!))));
  assert.ok(gap < 1e-12, `noise-free X differs from A S by ${gap}`);
  assert.throws(() => wideData(12, 30, 4, 10, 7, -1), /noise must be a finite number ≥ 0, got -1/);
  assert.deepEqual(wideData(12, 30, 4, 50, 7).X.data, wideData(12, 30, 4, 50, 7).X.data);
  assert.notDeepEqual(wideData(12, 30, 4, 50, 7).X.data, wideData(12, 30, 4, 50, 8).X.data);
  assert.throws(() => wideData(12, 30, 31, 10), /k must be at most n = 30, got 31/);
  assert.throws(() => wideData(12, 0, 3, 10), /n must be a positive integer, got 0/);
});

test("W6 scores every answer by the public lassoObjective and kktResidual, rounding-level negatives as 0", () => {
  const d = wideData(8, 20, 3, 200);
  const r = ica.inferSources(fromColMajor(d.A.data, 8, 20), fromColMajor(d.X.data, 8, 200), { method: "active-set", sigma: d.sigma, b: d.b });
  const S = toColMajor(r.S);
  const A = fromColMajor(d.A.data, 8, 20);
  const X = fromColMajor(d.X.data, 8, 200);
  const mine = score(d, S);
  const objective = ica.lassoObjective(A, X, r.S, { sigma: d.sigma, b: d.b }).reduce((a, v) => a + v, 0);
  assert.ok(Math.abs(mine.objective - objective) <= 1e-12 * objective, `${mine.objective} against ${objective}`);
  assert.equal(mine.kkt, ica.kktResidual(A, X, r.S, { sigma: d.sigma, b: d.b }));
  assert.equal(mine.clipped, 0);
  // A zero nudged to −1e-19 (as lasso_lars returns) is scored as the zero it is; a real negative is an error.
  const z = S.findIndex((v) => v === 0);
  const nudged = S.slice();
  nudged[z] = -1e-19;
  assert.deepEqual(score(d, nudged), { ...mine, clipped: 1 });
  nudged[z] = -10 * ROUNDING * Math.max(...S);
  assert.throws(() => score(d, nudged), /a non-negative solver returned ŝ/);
  const worse = S.map((v) => v * 1.01);
  assert.ok(score(d, worse).objective > mine.objective && score(d, worse).kkt > 1e-6);
});

test("npm run bench -- --quick --json: every workload but W5 once, and a report that holds together", () => {
  // W5 times the whole \`npm start\`, which the notebook and site tests already run; the suite leaves it to the full bench.
  const quick = WORKLOADS.filter((w) => w !== "W5");
  const out = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "bench.ts"), "--quick", "--json", "--only", quick.join(",")], {
    cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26, timeout: 12 * 60_000,
  });
  assert.equal(out.status, 0, `bench failed:\n${out.stderr}`);
  const report = JSON.parse(out.stdout) as BenchReport;
  assert.equal(report.mode, "quick");
  assert.ok(report.machine.cores >= 1);
  assert.deepEqual([...new Set(report.rows.map((r) => r.workload))], quick);
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
  assert.deepEqual(report.targets.map((t) => t.workload).filter((w, i, a) => a.indexOf(w) === i), ["W1", "W3", "W6", "W7"]);
  checkWide(report);
});

/** The W6 and W7 rows of a quick report: present, consistent, and no solver better than the exact one. */
function checkWide(report: BenchReport): void {
  const w6 = report.rows.filter((r) => r.workload === "W6");
  const ours = w6.filter((r) => r.method.startsWith("ours: 'active-set'"));
  assert.equal(ours.length, 2, "one 'active-set' row per W6 size of --quick: the issue's, noise-free and noisy");
  for (const o of ours) {
    const same = w6.filter((r) => r.size === o.size && r.objective !== undefined);
    for (const r of same) assert.ok(r.objective! >= o.objective! * (1 - 1e-9), `${r.method} (${r.size}) reports ${r.objective}, below the exact ${o.objective}`);
    assert.match(o.note!, /KKT \d\.\de-1[2-9]/);
    const lars = same.find((r) => r.method.includes("lasso_lars"));
    if (lars) assert.ok(Math.abs(lars.objective! - o.objective!) <= 1e-6 * o.objective!, `lasso_lars ${lars.objective} against ${o.objective}`);
    else assert.ok(report.skipped.some((s) => s.workload === "W6" && s.method.startsWith("lars")), "a missing scikit-learn is reported as skipped");
  }
  const api = w6.find((r) => r.method.startsWith("ours: inferSources"))!;
  assert.equal(api.objective, ours[0]!.objective, "inferSources returns the same ŝ as solveMap");
  const w7 = report.rows.filter((r) => r.workload === "W7");
  assert.match(w7.find((r) => r.method.startsWith("ours: learnBasis"))!.note!, /= inference [\d.]+ m?s \('active-set', warm\) \+ the likelihood's \d+ scorings [\d.]+ m?s \(one scoring, timed apart: [\d.]+ m?s\) \+ update and the rest/);
  assert.match(w7.find((r) => r.method.startsWith("ours: trainSAE"))!.note!, /= forward and backward pass [\d.]+ m?s \+ Adam and the rest( [\d.]+ m?s|, under 5% of the step)/);
}
