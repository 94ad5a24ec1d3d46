// Unit and property tests of lib/ modules without a test file of their own yet. Independent references:
// sample moments for the RNG.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const mean = (v: number[]) => sum(v) / v.length;

test("rng: same seed, same stream; different seed, different stream", () => {
  const a = ica.createRng(7);
  const b = ica.createRng(7);
  const c = ica.createRng(8);
  const xs = Array.from({ length: 5 }, () => a.normal());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.normal()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.normal()));
});

test("rng: sample moments match the distributions", () => {
  const r = ica.createRng("moments");
  const N = 40000;
  const normal = Array.from({ length: N }, () => r.normal());
  const expo = Array.from({ length: N }, () => r.exponential(0.5));
  const lap = Array.from({ length: N }, () => r.laplace(2));
  assert.ok(Math.abs(mean(normal)) < 0.03);
  assert.ok(Math.abs(mean(normal.map((x) => x * x)) - 1) < 0.04);
  assert.ok(Math.abs(mean(expo) - 2) < 0.06, `exponential mean ${mean(expo)}`);
  assert.ok(expo.every((x) => x > 0));
  assert.ok(Math.abs(mean(lap)) < 0.06);
  assert.ok(Math.abs(mean(lap.map(Math.abs)) - 2) < 0.06, `laplace E|s| ${mean(lap.map(Math.abs))}`);
  // Laplace variance is 2b² = 8.
  assert.ok(Math.abs(mean(lap.map((x) => x * x)) - 8) < 0.4);
});

test("rng: bad parameters name themselves", () => {
  const r = ica.createRng(1);
  assert.throws(() => r.exponential(0), /rate must be a finite number > 0, got 0/);
  assert.throws(() => r.laplace(Number.NaN), /scale .* got NaN/);
  assert.throws(() => ica.createRng(Number.POSITIVE_INFINITY), /seed must be finite, got Infinity/);
});

test("generateData: shapes, determinism, priors, archetypes, noise", () => {
  const d = ica.generateData({ angles: [0, 90, 200], samples: 300, seed: 3 });
  assert.equal(d.X.length, 2);
  assert.equal(d.X[0]!.length, 300);
  assert.equal(d.S.length, 3);
  assert.deepEqual(d, ica.generateData({ angles: [0, 90, 200], samples: 300, seed: 3 }));
  assert.ok(d.S.flat().every((s) => s >= 0), "exponential sources are non-negative");
  // X = A S exactly without noise.
  const AS = ica.reconstruct(d.A, d.S);
  AS.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - d.X[i]![j]!) < 1e-12)));
  const lap = ica.generateData({ angles: [0, 90, 200], samples: 2000, prior: "laplace", seed: 3 });
  assert.ok(lap.S.flat().some((s) => s < 0));
  const arch = ica.generateData({ angles: [10, 100], rate: 0.25, archetypes: true });
  assert.deepEqual(arch.S, [[4, 0], [0, 4]]);
  const noisy = ica.generateData({ A: d.A, samples: 4000, noise: 0.05, seed: 3 });
  const resid = ica.reconstruct(noisy.A, noisy.S).flatMap((row, i) => row.map((v, j) => noisy.X[i]![j]! - v));
  const sd = Math.sqrt(mean(resid.map((e) => e * e)));
  assert.ok(Math.abs(sd - 0.05) < 0.003, `noise sd ${sd}`);
});

test("generateData: invalid options raise errors that name the option and value", () => {
  assert.throws(() => ica.generateData({ angles: [0, Number.NaN] }), /angles\[1\] must be a finite number of degrees, got NaN/);
  assert.throws(() => ica.generateData({ angles: [0, 90], samples: 0 }), /samples must be an integer ≥ 1, got 0/);
  assert.throws(() => ica.generateData({ angles: [0, 90], rate: -1 }), /rate must be a finite number > 0, got -1/);
  assert.throws(() => ica.generateData({ angles: [0, 90], noise: -0.1 }), /noise must be a finite number ≥ 0, got -0.1/);
  assert.throws(() => ica.generateData({ angles: [0], A: [[1], [0]] }), /either angles or A/);
  assert.throws(() => ica.generateData({ A: [[1, 2], [0]] }), /A must be rectangular/);
  assert.throws(() => ica.generateData({ angles: [0], prior: "gauss" as ica.Prior }), /prior must be 'exponential' or 'laplace', got gauss/);
});


test("figures: animation frames target the animated traces; HTML is script-safe", () => {
  const X = ica.basisFromAngles([0, 90, 180]);
  const fig = ica.animation({
    title: "t",
    background: [ica.pointsTrace(X)],
    frames: [0, 1, 2].map((k) => ({ label: String(k), at: k, traces: [ica.pointsTrace(X)], bases: [{ A: X, name: "A" }] })),
    curve: { series: [{ y: [3, 2, 1], name: "loss" }], xTitle: "step", yTitle: "loss" },
  });
  assert.equal(fig.frames!.length, 3);
  // background + curve are fixed; the frame trace and the marker follow.
  assert.deepEqual(fig.frames![0]!.traces, [2, 3]);
  assert.equal(fig.data.length, 4);
  assert.equal((fig.layout.sliders as { steps: unknown[] }[])[0]!.steps.length, 3);
  assert.deepEqual((fig.frames![2]!.data[1] as { y: number[] }).y, [1]);
  assert.throws(() => ica.animation({ title: "t", frames: [] }), /at least one frame, got 0/);
  const html = ica.figureHtml({ data: [{ type: "scatter", name: "</script><b>" }], layout: { title: { text: "x" } } });
  assert.ok(!html.slice(0, html.lastIndexOf("</script>")).includes("</script><b>"));
  assert.match(html, /Plotly\.newPlot/);
  assert.deepEqual(ica.sourceColors([[1, 0], [0, 0]], ["#ff0000", "#00ff00"]), ["rgb(255,0,0)", "rgb(150,150,150)"]);
});

test("claim: throws a ClaimError with the measurement", () => {
  assert.doesNotThrow(() => ica.claim(true, "fine"));
  assert.throws(() => ica.claim(false, "error below 2°", { err: 3.1 }), (e: unknown) => e instanceof ica.ClaimError && /error below 2°.*"err":3.1/.test(String(e)));
});
