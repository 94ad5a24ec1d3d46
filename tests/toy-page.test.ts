// Tests of lib/sweep/toy-page.ts (notebook E10's summaries of the toy sweep)
// on synthetic records whose answers are counted by hand, and of
// lib/figures/toy.ts's arrows against W itself.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dimensionality, lossByDropped, representedBySparsity, toyShape, toyShapes, toyTable, toyTableHtml } from "../lib/sweep/toy-page";
import { toyModelFigure } from "../lib/figures/toy";
import type { SweepRecord } from "../lib/sweep/record";

function rec(dataset: string, method: string, seed: number, extra: Record<string, number | null>): SweepRecord {
  const [, n, m, S] = /^tms-n(\d+)-m(\d+)-S([\d.]+)/.exec(dataset)!;
  return {
    format: 1, config: `${dataset}/${method}`, dataset, method, seed, fingerprint: "x", options: { features: Number(n), hidden: Number(m), sparsity: Number(S) },
    bestError: 0, bestStep: 0, finalError: 0, finalWorst: 0, returnedError: 0, diverged: null, deadFeatures: 0, curve: { every: 1, values: [] }, extra, wallMs: 0,
  };
}

const P = "tms-n5-m2-S0.97", Q = "tms-n5-m2-S0.9-imp0.7";
const geo = (dataset: string, seed: number, represented: number, firstDropped: number, gapMin: number, gapMax: number, modelLoss: number) =>
  rec(dataset, "toy-geometry", seed, { represented, firstDropped, gapMin, gapMax, modelLoss });
// By hand: P has 2 pentagons (seeds 0, 1: gaps 71.6–72.4 and 71.2–72.9 at 1°), one near-pentagon 1.5° off (seed 2: 'other' at 1°, 'all' at 2°),
// Q has a square without feature 4 (seeds 0, 2), a square without feature 1 (seed 1), and 3 features (seed 3: 'other').
const shapes = [
  geo(P, 0, 5, -1, 71.6, 72.4, 0.001), geo(P, 1, 5, -1, 71.2, 72.9, 0.0011), geo(P, 2, 5, -1, 70.5, 73, 0.0012),
  geo(Q, 0, 4, 4, 89.9, 90.2, 0.0030), geo(Q, 1, 4, 1, 89.5, 90.5, 0.0041), geo(Q, 2, 4, 4, 89.8, 90.1, 0.0029), geo(Q, 3, 3, 3, 90, 180, 0.005),
];

test("toy-page: shapes are counted as by hand, and the tolerance moves the near-pentagon", () => {
  const at1 = toyShapes(shapes, 1);
  assert.deepEqual(at1.map((s) => s.dataset), [P, Q]);
  assert.deepEqual(at1[0]!.seedsOf, { all: [0, 1], dropLast: [], dropOther: [], other: [2] });
  assert.deepEqual(at1[1]!.seedsOf, { all: [], dropLast: [0, 2], dropOther: [1], other: [3] });
  assert.equal(at1[1]!.rates.dropLast.successes, 2);
  assert.equal(at1[1]!.rates.dropLast.trials, 4);
  assert.deepEqual(toyShapes(shapes, 2)[0]!.seedsOf.all, [0, 1, 2]);
  assert.equal(toyShape(shapes[1]!, 0.8), "other");   // its gap of 72.9 is 0.9 from 72
  assert.throws(() => toyShapes(shapes, -1), /toleranceDeg must be a finite number ≥ 0, got -1/);
  assert.throws(() => toyShape(rec("tms-n10-m5-S0.9", "toy-geometry", 0, {}), 1), /2 hidden units/);
});

test("toy-page: losses are grouped by the dropped feature, the lowest single loss first", () => {
  const g = lossByDropped(shapes, Q);
  assert.deepEqual(g.map((x) => x.dropped), [4, 1, 3]);
  assert.deepEqual(g[0]!.seeds, [0, 2]);
  assert.ok(Math.abs(g[0]!.meanLoss - 0.00295) < 1e-12);
  assert.equal(g[0]!.minLoss, 0.0029);
  assert.throws(() => lossByDropped(shapes, "tms-n5-m2-S0.5"), /no records with a model loss for dataset 'tms-n5-m2-S0.5'/);
});

test("toy-page: represented features per sparsity, rising S, other laws left out", () => {
  const rs = [
    rec("tms-n5-m2-S0.5", "toy-geometry", 0, { represented: 3 }), rec("tms-n5-m2-S0", "toy-geometry", 0, { represented: 2 }),
    rec("tms-n5-m2-S0.5", "toy-geometry", 1, { represented: 4 }), rec("tms-n5-m2-S0", "toy-geometry", 1, { represented: 2 }),
    rec("tms-n5-m2-S0.9-imp0.7", "toy-geometry", 0, { represented: 4 }), rec("tms-n10-m5-S0.9", "toy-geometry", 0, { represented: 10 }),
  ];
  const rows = representedBySparsity(rs, 5, 2);
  assert.deepEqual(rows.map((r) => [r.sparsity, r.seeds, r.mean, r.min, r.max]), [[0, 2, 2, 2, 2], [0.5, 2, 3.5, 3, 4]]);
});

test("toy-page: dimensionality pools every D_i, sums per seed and counts those near each fraction", () => {
  const D = "tms-n10-m5-S0.9";
  const rs = [
    rec(D, "toy-geometry", 0, { represented: 3, dim0: 1, dim1: 0.5, dim2: 0.49, dim3: 0.001 }),
    rec(D, "toy-geometry", 1, { represented: 3, dim0: 0.4, dim1: 0.41, dim2: 0.3333, dim3: 0.7 }),
  ];
  const [row] = dimensionality(rs, [D, "tms-n20-m5-S0.9"], [1, 1 / 2, 2 / 5, 1 / 3, 0], 0.02);
  assert.equal(row!.hidden, 5);
  assert.deepEqual(row!.values, [1, 0.5, 0.49, 0.001, 0.4, 0.41, 0.3333, 0.7]);
  assert.deepEqual([row!.labels[0], row!.labels[7]], ["seed 0, feature 0", "seed 1, feature 3"]);
  assert.ok(Math.abs(row!.sums[0]! - 1.991) < 1e-12 && Math.abs(row!.sums[1]! - 1.8433) < 1e-12);
  // By hand at ±0.02: 1 → {1}; 1/2 → {0.5, 0.49}; 2/5 → {0.4, 0.41}; 1/3 → {0.3333}; 0 → {0.001}.
  assert.deepEqual(row!.near.map((x) => x.rate.successes), [1, 2, 2, 1, 1]);
  assert.ok(row!.near.every((x) => x.rate.trials === 8));
  assert.throws(() => dimensionality(rs, [D], [0.5], Number.NaN), /tolerance must be a finite number ≥ 0/);
});

test("toy-page: toyTable's means, medians and within-5° rate match hand values, and missing cells are skipped", () => {
  const L = "tms-n5-m2-S0.97";
  const run = (method: string, seed: number, angle: number, within5: number, normRatio: number) =>
    rec(L, method, seed, { angle, worst: 2 * angle, mmcs: 1 - angle / 100, precision: 0.9, recall: 0.8 + seed / 100, dead: seed, normRatio, within5, normSpread: 1 + seed / 10 });
  const rs = [run("toy-ica", 0, 1, 1, 1.0), run("toy-ica", 1, 3, 1, 1.2), run("toy-ica", 2, 8, 0, 1.5), run("toy-relu", 0, 4, 1, 2)];
  const rows = toyTable(rs, { methods: ["toy-ica", "toy-topk", "toy-relu"], datasets: [L, "tms-n20-m5-S0.9"] });
  assert.deepEqual(rows.map((r) => [r.method, r.seeds]), [["toy-ica", 3], ["toy-relu", 1]]);
  const r = rows[0]!;
  assert.equal(r.meanAngle, 4);
  assert.equal(r.medianAngle, 3);
  assert.equal(r.meanWorst, 8);
  assert.ok(Math.abs(r.meanMmcs - 0.96) < 1e-12);
  assert.ok(Math.abs(r.meanRecall - 0.81) < 1e-12);
  assert.equal(r.meanDead, 1);
  assert.equal(r.medianNormRatio, 1.2);
  assert.equal(r.medianNormSpread, 1.1);
  assert.deepEqual([r.within5.successes, r.within5.trials], [2, 3]);
  const html = toyTableHtml(rows, "caption");
  assert.match(html, /<caption>caption<\/caption>/);
  assert.equal((html.match(/<tr>/g) ?? []).length, 3);
  assert.throws(() => toyTable(rs, undefined as never), /toyTable needs/);
});

test("toy figure: one arrow per column ending at W's column, labelled with its length", () => {
  const W = [[1, 0, -0.3], [0, 1.2, 0.4]];
  const fig = toyModelFigure({ W, title: "t" });
  const arrows = (fig.layout.annotations as Record<string, unknown>[]).filter((a) => a.showarrow === true);
  assert.deepEqual(arrows.map((a) => [a.x, a.y]), [[1, 0], [0, 1.2], [-0.3, 0.4]]);
  const labels = (fig.layout.annotations as Record<string, unknown>[]).filter((a) => a.showarrow === false).map((a) => a.text);
  assert.deepEqual(labels, ["W₀ 1.00", "W₁ 1.20", "W₂ 0.50"]);
  assert.equal(arrows[2]!.arrowcolor === "#999999", false);   // 0.5 is at the threshold: represented
  assert.throws(() => toyModelFigure({ W: [[1, 2]], title: "t" }), /W must have 2 rows/);
});
