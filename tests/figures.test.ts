// Tests of lib/figures/: the geometry of arrows, zone edges and interval
// whiskers checked against the numbers they draw, log ticks against
// hand-written lists, and the animation's marker against a brute-force search.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

type Ann = { x: number; y: number; ax?: number; ay?: number; xshift?: number; yshift?: number; text: string; showarrow: boolean };

test("figures: basis arrows end at scale × each column, labels sit 14 px beyond the head", () => {
  const A = [[1, 0, -2, 0, 1, 1, 1, 1, 1, 3], [0, 2, 0, -1, 1, 1, 1, 1, 1, 4]];
  const out = ica.basisArrows({ A, name: "A", scale: 1.5, labels: "W" }) as Ann[];
  assert.equal(out.length, 20);
  for (let i = 0; i < 10; i++) {
    const head = out[2 * i]!;
    const label = out[2 * i + 1]!;
    assert.deepEqual([head.x, head.y, head.ax, head.ay], [1.5 * A[0]![i]!, 1.5 * A[1]![i]!, 0, 0]);
    assert.equal(Math.hypot(label.xshift!, label.yshift!).toFixed(12), "14.000000000000");
    // The shift points along the column: its cross product with the column is 0.
    assert.ok(Math.abs(label.xshift! * A[1]![i]! - label.yshift! * A[0]![i]!) < 1e-12);
  }
  assert.equal(out[1]!.text, "W₁");
  assert.equal(out[19]!.text, "W₁₀");
  assert.equal(ica.basisArrows({ A, name: "A", labels: false }).length, 10);
});

test("figures: log ticks are 1-2-5 within three decades, powers of ten beyond", () => {
  assert.deepEqual(ica.logTicks([0.012, 4.5]).tickvals, [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10]);
  const wide = ica.logTicks([3e-8, 2e6]) as { tickvals: number[]; ticktext: string[] };
  assert.deepEqual(wide.tickvals, [1e-8, 1e-6, 1e-4, 0.01, 1, 100, 10000, 1e6]);
  assert.equal(wide.ticktext[0], "10<sup>−8</sup>");
  assert.equal(wide.ticktext[4], "1");
  assert.deepEqual(ica.logTicks([0, -1, Number.NaN]), {});
});

test("figures: a line's band is two edge traces before it, filled between them", () => {
  const fig = ica.lineChart({
    series: [{ y: [1, 2, 3], name: "median", band: { low: [0.5, 1.5, 2.5], high: [2, 3, 4] } }, { y: [0, 0, 0], name: "zero" }],
    title: "t", xTitle: "x", yTitle: "y",
  });
  const [low, high, line, other] = fig.data as Record<string, unknown>[];
  assert.deepEqual([low!.y, high!.y, line!.y, other!.name], [[0.5, 1.5, 2.5], [2, 3, 4], [1, 2, 3], "zero"]);
  assert.equal(high!.fill, "tonexty");
  assert.equal(high!.fillcolor, "rgba(214, 39, 40, 0.15)"); // palette.learned[0] = #d62728
  assert.deepEqual(line!.x, [0, 1, 2]);
  assert.throws(() => ica.lineChart({ series: [{ y: [1, 2], name: "s", band: { low: [1], high: [1, 2] } }], title: "", xTitle: "", yTitle: "" }),
    /series 's': band.low and band.high need 2 values, got 1 and 2/);
});

test("figures: the animation's marker sits on the last curve point at or before each frame", () => {
  const xs = [0, 10, 25, 40, 100];
  const ys = [9, 7, 4, 2, 1];
  const ats = [0, 5, 10, 24, 25, 99, 100, 250];
  const fig = ica.animation({
    title: "t",
    frames: ats.map((at) => ({ label: String(at), at, traces: [{ type: "scatter", x: [at], y: [0] }] })),
    curve: { series: [{ x: xs, y: ys, name: "loss" }], xTitle: "step", yTitle: "loss", marks: [{ x: 25, label: "dies" }] },
  });
  ats.forEach((at, f) => {
    let k = 0;
    for (let j = 0; j < xs.length; j++) if (xs[j]! <= at) k = j;
    const marker = fig.frames![f]!.data[1] as { x: number[]; y: number[] };
    assert.deepEqual([marker.x, marker.y], [[at], [ys[k]]], `frame at ${at}`);
  });
  // curve (1 fixed trace), then the frame's trace and the marker.
  assert.deepEqual(fig.frames![0]!.traces, [1, 2]);
  assert.deepEqual((fig.layout.shapes as { x0: number }[]).map((s) => s.x0), [25]);
  assert.ok((fig.frames![3]!.layout!.annotations as Ann[]).some((a) => a.text === "dies"));
  assert.throws(() => ica.animation({ title: "t", frames: [{ label: "0", traces: [] }, { label: "1", traces: [{}] }] }),
    /animation frame 1 has 1 traces, frame 0 has 0/);
});

test("figures: zone edges lie on normal·x = offset, and cells hold zone indices", () => {
  const model = { Wenc: [[1, 2], [-1, 0.5]], bEnc: [0.3, -0.2], Wdec: [[1, 0], [0, 1]], bDec: [0.1, -0.4] };
  const zones = ica.activationZones(ica.saeCoder(model), { xRange: [-2, 2], yRange: [-2, 2], resolution: 9 });
  const edges = ica.reluBoundaries(model);
  const fig = ica.zoneFigure({ zones, title: "z", boundaries: edges });
  edges.forEach((e, i) => {
    const line = fig.data[1 + i] as { x: number[]; y: number[] };
    for (let k = 0; k < 2; k++) {
      const v = e.normal[0]! * line.x[k]! + e.normal[1]! * line.y[k]!;
      assert.ok(Math.abs(v - e.offset) < 1e-9, `edge ${i}, end ${k}: ${v} vs ${e.offset}`);
    }
  });
  const z = (fig.data[0] as { z: number[][] }).z;
  zones.mask.forEach((row, r) => row.forEach((mask, c) => assert.equal(zones.zones[z[r]![c]!]!.mask, mask)));
});

test("figures: interval whiskers reach low and high, and series are offset symmetrically", () => {
  const fig = ica.intervalChart({
    categories: ["a", "b"],
    series: [
      { name: "s", points: [{ value: 0.5, low: 0.2, high: 0.9 }, { value: 0.1, low: 0, high: 0.3 }] },
      { name: "t", points: [null, { value: 0.4, low: 0.35, high: 0.6 }] },
    ],
    title: "i", xTitle: "rate",
  });
  const [s, t] = fig.data as { x: number[]; y: number[]; error_x: { array: number[]; arrayminus: number[] } }[];
  s!.x.forEach((v, k) => {
    assert.ok(Math.abs(v + s!.error_x.array[k]! - [0.9, 0.3][k]!) < 1e-12);
    assert.ok(Math.abs(v - s!.error_x.arrayminus[k]! - [0.2, 0][k]!) < 1e-12);
  });
  assert.deepEqual(t!.x, [0.4]); // the null point is left out
  assert.ok(Math.abs(s!.y[1]! - 1 + (t!.y[0]! - 1)) < 1e-12 && s!.y[1]! < 1, `rows at ${s!.y[1]} and ${t!.y[0]}`);
  assert.throws(() => ica.intervalChart({ categories: ["a"], series: [{ name: "s", points: [{ value: 1, low: 2, high: 3 }] }], title: "", xTitle: "" }),
    /series 's', a: need low ≤ value ≤ high, got 2, 1, 3/);
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
