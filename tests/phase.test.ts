// Tests of the phase sweep's summaries (lib/sweep/phase-summary.ts), its
// recovery score (lib/sweep/phase.ts), notebook E9's tables
// (lib/sweep/phase-page.ts) and its figure (lib/figures/phase.ts), on
// hand-made records whose answers are counted here, and against brute force.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as math from "mathjs";
import * as ica from "../lib/index";
import { createRng } from "../lib/random";

type Extra = Record<string, number | null>;

/** A phase record of (m, n, k, method, seed) with the given extra fields. */
const rec = (m: number, n: number, k: number, method: string, seed: number, extra: Extra, o: Partial<ica.SweepRecord> = {}): ica.SweepRecord => {
  const dataset = `phase-m${m}-n${n}-k${k}`;
  return {
    format: 1, config: `${dataset}/${method}`, dataset, method, seed, fingerprint: "x", options: {},
    bestError: 3, bestStep: 10, finalError: 4, finalWorst: 6, returnedError: 3, diverged: null, deadFeatures: 0,
    curve: { every: 10, values: [20, 3, 4] }, wallMs: 1, extra, ...o,
  };
};
const learner = (worst: number, mmcs: number, walkAway = 1, within = 1): Extra => ({ returnedWorst: worst, mmcs, walkAway, within });

// m = 4, n ∈ {4, 8}, k ∈ {1, 2}; three seeds a cell, with known outcomes.
const records: ica.SweepRecord[] = [
  // ICA at (4, 4, 1): worst angles 2, 4.9, 7 → 2 of 3 within 5°, 3 of 3 within 10°; MMCS .999, .995, .98 → 1 of 3 at ≥ .998
  rec(4, 4, 1, "phase-ica", 0, learner(2, 0.999, 1, 1)), rec(4, 4, 1, "phase-ica", 1, learner(4.9, 0.995, 2, 1)), rec(4, 4, 1, "phase-ica", 2, learner(7, 0.98, 3, 0.75), { deadFeatures: 3 }),
  // ICA at (4, 4, 2): 1 of 3 within 5°
  rec(4, 4, 2, "phase-ica", 0, learner(30, 0.8)), rec(4, 4, 2, "phase-ica", 1, learner(5, 0.9)), rec(4, 4, 2, "phase-ica", 2, learner(40, 0.7)),
  // ICA at (4, 8, 1): 0 of 2; (4, 8, 2) not run
  rec(4, 8, 1, "phase-ica", 0, learner(9, 0.9)), rec(4, 8, 1, "phase-ica", 1, learner(12, 0.9)),
  // MAP: recovered shares .99, .96, .90 at (4, 4, 1) → 2 of 3 at ≥ .95; (4, 4, 2): .5, .97
  rec(4, 4, 1, "phase-map", 0, { recovered: 0.99 }), rec(4, 4, 1, "phase-map", 1, { recovered: 0.96 }), rec(4, 4, 1, "phase-map", 2, { recovered: 0.9 }),
  rec(4, 4, 2, "phase-map", 0, { recovered: 0.5 }), rec(4, 4, 2, "phase-map", 1, { recovered: 0.97 }),
  // not phase records: ignored
  { ...rec(4, 4, 1, "phase-ica", 9, learner(0, 1)), config: "regular/recipe", dataset: "regular", method: "recipe" },
];
const of = (s: ica.PhaseCellSummary[], method: string, n: number, k: number) => s.find((x) => x.method === method && x.n === n && x.k === k);

test("phaseSummary: counts by hand under each criterion (angle, MMCS, code share), and the seed means", () => {
  const s = ica.phaseSummary(records);
  assert.equal(s.length, 5, "five (cell, method) groups; the non-phase record is ignored");
  const a = of(s, "phase-ica", 4, 1)!;
  assert.deepEqual([a.rate.successes, a.rate.trials], [2, 3]);
  assert.deepEqual([a.rate.low, a.rate.high], [ica.wilsonInterval(2, 3).low, ica.wilsonInterval(2, 3).high]);
  assert.ok(Math.abs(a.walkAway - 2) < 1e-12 && Math.abs(a.dead - 1) < 1e-12 && Math.abs(a.within - 2.75 / 3) < 1e-12);
  assert.ok(Math.abs(a.mmcs - (0.999 + 0.995 + 0.98) / 3) < 1e-12);
  assert.equal(of(s, "phase-ica", 4, 2)!.rate.successes, 1, "a worst angle of exactly 5° is within 5°");
  assert.equal(of(s, "phase-ica", 8, 1)!.rate.successes, 0);
  assert.equal(of(s, "phase-ica", 8, 2), undefined, "a cell without records does not appear");
  assert.deepEqual([of(s, "phase-map", 4, 1)!.rate.successes, of(s, "phase-map", 4, 2)!.rate.successes], [2, 1]);
  assert.ok(Number.isNaN(of(s, "phase-map", 4, 1)!.walkAway), "inference has no walk-away");
  const wide = ica.phaseSummary(records, { toleranceDeg: 10 });
  assert.deepEqual([of(wide, "phase-ica", 4, 1)!.rate.successes, of(wide, "phase-ica", 8, 1)!.rate.successes], [3, 1]);
  const cos = ica.phaseSummary(records, { mmcs: 0.998 });
  assert.equal(of(cos, "phase-ica", 4, 1)!.rate.successes, 1, "MMCS replaces the angle");
  assert.equal(of(cos, "phase-ica", 4, 2)!.rate.successes, 0);
  assert.equal(of(cos, "phase-map", 4, 1)!.rate.successes, 2, "the MMCS criterion does not touch inference");
  const share = ica.phaseSummary(records, { codeShare: 0.9 });
  assert.equal(of(share, "phase-map", 4, 1)!.rate.successes, 3);
  assert.equal(of(share, "phase-ica", 4, 1)!.rate.successes, 2, "the code share does not touch the learners");
});

test("phaseGrid and phaseBoundary: rows by ascending k, gaps as null, the boundary by hand", () => {
  const s = ica.phaseSummary(records);
  const g = ica.phaseGrid(s, "phase-ica", 4);
  assert.deepEqual([g.ns, g.ks], [[4, 8], [1, 2]]);
  assert.deepEqual(g.z, [[2 / 3, 0], [1 / 3, null]]);
  assert.deepEqual(ica.phaseBoundary(g), [{ n: 4, k: 1 }, { n: 8, k: null }]);
  const map = ica.phaseGrid(s, "phase-map", 4);
  assert.deepEqual(ica.phaseBoundary(map), [{ n: 4, k: 2 }], "1/2 counts as at least one half");
  // A rate that recovers above a failing k does not extend the boundary.
  const fake = (k: number, rate: number) => ({ ...of(s, "phase-ica", 4, 1)!, k, rate: { ...ica.wilsonInterval(rate * 4, 4) } });
  const gg = ica.phaseGrid([fake(1, 1), fake(2, 0.25), fake(3, 1)], "phase-ica", 4);
  assert.deepEqual(ica.phaseBoundary(gg), [{ n: 4, k: 1 }]);
});

test("phase summaries: errors name the parameter and the value", () => {
  assert.throws(() => ica.phaseSummary(records, { toleranceDeg: -1 }), /toleranceDeg.*-1/);
  assert.throws(() => ica.phaseSummary(records, { mmcs: 1.5 }), /mmcs.*1\.5/);
  assert.throws(() => ica.phaseSummary(records, { codeShare: 0 }), /codeShare.*0/);
  assert.throws(() => ica.phaseSummary(records, { tolerance: 5 } as never), /tolerance/);
  assert.throws(() => ica.phaseSummary([rec(4, 4, 1, "phase-ica", 0, { mmcs: 1 })]), /extra\.returnedWorst/);
  assert.throws(() => ica.phaseGrid(ica.phaseSummary(records), "phase-topk", 4), /phase-topk.*m = 4/);
  assert.throws(() => ica.phaseGrid(ica.phaseSummary(records), "phase-ica", 16), /m = 16/);
});

/** Unit columns drawn on the sphere, as rows m×n. */
function columns(m: number, n: number, seed: number): number[][] {
  const rng = createRng(seed);
  const cols = Array.from({ length: n }, () => {
    const v = Array.from({ length: m }, () => rng.normal());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
  return Array.from({ length: m }, (_, r) => cols.map((c) => c[r]!));
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

test("recovery: the matched angles against a brute-force matching over all permutations, MMCS against mathjs", () => {
  const partial: number[] = [];
  for (const [m, n, seed] of [[3, 4, 1], [4, 5, 2], [5, 6, 3], [2, 6, 4]] as const) {
    const A = columns(m, n, seed);
    // A learned basis near the truth (some columns within 5°, others not), its columns in reverse order.
    const B0 = columns(m, n, 100 + seed);
    const B = A.map((row, r) => row.map((v, i) => v + (i % 2 === 0 ? 0.02 : 0.6) * B0[r]![i]!));
    const order = [...Array(n).keys()].reverse();
    const Bs = B.map((row) => order.map((j) => row[j]!));
    const col = (M: number[][], j: number) => M.map((row) => row[j]!);
    const angle = (a: number[], b: number[]) => (Math.acos(Math.max(-1, Math.min(1, Number(math.dot(a, b)) / (Number(math.norm(a)) * Number(math.norm(b)))))) * 180) / Math.PI;
    let best = { sum: Infinity, angles: [] as number[] };
    for (const p of permutations(n)) {
      const angles = p.map((j, i) => angle(col(A, i), col(Bs, j)));
      const sum = angles.reduce((s, v) => s + v, 0);
      if (sum < best.sum) best = { sum, angles };
    }
    const got = ica.recovery(Bs, A);
    assert.ok(Math.abs(got.mean - best.sum / n) < 1e-9, `mean ${got.mean} vs brute force ${best.sum / n}`);
    assert.ok(Math.abs(got.worst - Math.max(...best.angles)) < 1e-9);
    assert.equal(got.within, best.angles.filter((v) => v <= ica.PHASE_TOLERANCE_DEG).length / n);
    partial.push(got.within);
    const cosines = math.multiply(math.transpose(A), Bs) as number[][]; // unit columns of A; B's columns normalised below
    const norms = Array.from({ length: n }, (_, j) => Number(math.norm(col(Bs, j))));
    const mmcs = cosines.map((row) => Math.max(...row.map((c, j) => c / norms[j]!))).reduce((s, v) => s + v, 0) / n;
    assert.ok(Math.abs(got.mmcs - mmcs) < 1e-12, `mmcs ${got.mmcs} vs mathjs ${mmcs}`);
  }
  assert.ok(partial.some((w) => w > 0 && w < 1), `some cases have columns on both sides of the tolerance: ${partial}`);
});

const summaries = ica.phaseSummary(records);

test("phaseDiagram: a panel per method and m, z in [0, 1], the counts as text, gaps where no cell ran, the boundary as a staircase", () => {
  const fig = ica.phaseDiagram({ summaries, methods: ["phase-map", "phase-ica"], title: "t" });
  const maps = fig.data.filter((t) => t.type === "heatmap");
  assert.equal(maps.length, 2);
  const [map, ica0] = maps as { z: (number | null)[][]; text: string[][]; zmin: number; zmax: number; customdata: string[][] }[];
  assert.deepEqual([ica0!.zmin, ica0!.zmax], [0, 1]);
  for (const t of maps as { z: (number | null)[][] }[]) for (const row of t.z) for (const v of row) assert.ok(v === null || (v >= 0 && v <= 1));
  assert.deepEqual(ica0!.text, [["2/3", "0/2"], ["1/3", ""]], "rows by ascending k, from the bottom");
  assert.deepEqual(map!.z, [[2 / 3, null], [0.5, null]], "the MAP panel has the ICA panel's columns, with gaps where it has no cells");
  assert.match(ica0!.customdata[0]![0]!, /2 of 3 seeds.*95% CI/);
  const lines = fig.data.filter((t) => t.type === "scatter") as { x: number[]; y: number[] }[];
  assert.equal(lines.length, 2);
  assert.deepEqual([lines[1]!.x, lines[1]!.y], [[-0.5, 0.5, 0.5, 1.5], [0.5, 0.5, -0.5, -0.5]], "ICA: k = 1 at n = 4, below the grid at n = 8");
  assert.deepEqual(lines[0]!.y, [1.5, 1.5, -0.5, -0.5], "MAP: k = 2 at n = 4; a gap ends the staircase at the bottom");
  const two = ica.phaseDiagram({ summaries: [...summaries, { ...summaries[0]!, m: 8, n: 16, k: 2 }], methods: ["phase-ica"], title: "t", boundary: false, axes: "count" });
  assert.equal(two.data.length, 2, "one panel per m, no boundary");
  assert.deepEqual((two.layout.xaxis2 as { ticktext: string[] }).ticktext, ["16"]);
  assert.deepEqual((fig.layout.yaxis as { ticktext: string[] }).ticktext, ["0.25", "0.5"], "k/m by default");
});

test("phaseDiagram: errors name the option and the value", () => {
  assert.throws(() => ica.phaseDiagram({ summaries, methods: [], title: "t" }), /methods/);
  assert.throws(() => ica.phaseDiagram({ summaries, methods: ["phase-ica"] } as never), /title/);
  assert.throws(() => ica.phaseDiagram({ summaries: [{ m: 4 }] as never, methods: ["phase-ica"], title: "t" }), /summaries\[0\]/);
  assert.throws(() => ica.phaseDiagram({ summaries, methods: ["phase-ica"], title: "t", axes: "log" as never }), /axes.*log/);
  assert.throws(() => ica.phaseDiagram({ summaries, methods: ["phase-ica"], title: "t", dims: [16] }), /dims.*m = 16/);
  assert.throws(() => ica.phaseDiagram({ summaries, methods: ["phase-ica"], labels: ["a", "b"], title: "t" }), /labels/);
  assert.throws(() => ica.phaseDiagram({ summaries: [], methods: ["phase-ica"], title: "t" }), /no cell/);
});

test("E9's tables: the slice, the boundaries, dead features and walk-away against m, what the start gives away", () => {
  const slice = ica.phaseSlice(summaries, ["phase-ica", "phase-topk"], 4, 4);
  assert.equal(slice.length, 1, "a method without cells there is left out");
  assert.deepEqual([slice[0]!.x, slice[0]!.y], [[0.25, 0.5], [2 / 3, 1 / 3]]);
  assert.deepEqual(slice[0]!.band!.low, [ica.wilsonInterval(2, 3).low, ica.wilsonInterval(1, 3).low]);
  assert.throws(() => ica.phaseSlice(summaries, ["phase-ica"], 32, 64), /m = 32, n = 64/);
  assert.equal(ica.phaseSlice(summaries, ["phase-topk", "phase-ica"], 4, 4, ["TopK", "ICA"])[0]!.name, "ICA", "labels go with their methods");
  assert.throws(() => ica.phaseSlice(summaries, ["phase-ica"], 4, 4, []), /labels/);
  assert.deepEqual(ica.boundaryRows(summaries, ["phase-map", "phase-ica", "phase-topk"], 4), [["1", "0.5 (k = 2)", "0.25 (k = 1)", "no records"], ["2", "no records", "below the grid", "no records"]]);
  const d = ica.dimensionRows(summaries, ["phase-ica"], 1);
  assert.deepEqual(d, { dims: [4], rows: [["phase-ica", "0.25", "1.00", "2.00"], ["phase-ica", "0.5", "0.00", "1.00"]] });
  assert.throws(() => ica.dimensionRows(summaries, ["phase-ica"], 3), /ratio.*3/);
  const starts = [rec(4, 4, 1, "phase-ica", 0, {}, { bestStep: 0, bestError: 0.5 }), rec(4, 8, 1, "phase-ica", 0, {}, { bestStep: 0, bestError: 2 }),
    rec(4, 4, 1, "phase-ica", 1, {}, { bestStep: 30 }), rec(4, 4, 1, "phase-map", 0, {}, { bestStep: 0, bestError: 0 })];
  const g = ica.startGiveaway(starts);
  assert.equal(g.length, 1, "inference is not a learner");
  assert.deepEqual([g[0]!.bestAtStart.successes, g[0]!.startIsAnswer.successes, g[0]!.bestAtStart.trials, g[0]!.medianStartError], [2, 1, 3, 20]);
  assert.equal(ica.startGiveaway(starts, { toleranceDeg: 5 })[0]!.startIsAnswer.successes, 2);
  assert.throws(() => ica.startGiveaway(starts, { toleranceDeg: 0 }), /toleranceDeg.*0/);
});

test("phasePooled: one method's successes over the cells kept, counted by hand; no records is an error naming the method", () => {
  const all = ica.phasePooled(records, "phase-ica");
  // (4,4,1): 2 of 3; (4,4,2): 1 of 3; (4,8,1): 0 of 2 → 3 of 8.
  assert.deepEqual([all.rate.successes, all.rate.trials], [3, 8]);
  assert.deepEqual(all.successes.map((r) => `${r.dataset}/${r.seed}`), ["phase-m4-n4-k1/0", "phase-m4-n4-k1/1", "phase-m4-n4-k2/1"]);
  const dense = ica.phasePooled(records, "phase-ica", {}, (c) => c.k >= 2);
  assert.deepEqual([dense.rate.successes, dense.rate.trials], [1, 3]);
  assert.deepEqual([ica.phasePooled(records, "phase-ica", { toleranceDeg: 10 }, (c) => c.n === 8).rate.successes], [1]);
  assert.throws(() => ica.phasePooled(records, "phase-topk"), /no phase records of method 'phase-topk'/);
});
