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
