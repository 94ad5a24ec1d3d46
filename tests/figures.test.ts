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
  const fig = ica.lineChart({ title: "t", xTitle: "x", yTitle: "y", logY: true, series: [{ name: "a", y: [2, 40] }] });
  assert.deepEqual((fig.layout.yaxis as { tickvals: number[] }).tickvals, [1, 2, 5, 10, 20, 50, 100]);
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

test("figures: interval rows in percent, a reference line, and a category count that does not match is named", () => {
  const fig = ica.intervalChart({
    title: "t", xTitle: "x", categories: ["a", "b", "c"], percent: true, reference: 0,
    series: [
      { name: "s1", points: [{ value: 0.5, low: 0.3, high: 0.7 }, null, { value: 1, low: 0.9, high: 1 }] },
      { name: "s2", points: [{ value: 0.2, low: 0.1, high: 0.4 }, { value: 0, low: 0, high: 0.07 }, { value: 0.9, low: 0.8, high: 0.95 }] },
    ],
  });
  assert.equal(fig.data.length, 2);
  const t0 = fig.data[0] as { x: number[]; y: number[]; text: string[]; error_x: { array: number[]; arrayminus: number[] } };
  assert.deepEqual(t0.x, [0.5, 1]);
  assert.deepEqual(t0.y, [-0.15, 1.85]); // two series: offsets ∓0.6/4 around rows 0 and 2
  assert.deepEqual(t0.error_x.array.map((v) => Number(v.toFixed(12))), [0.2, 0]);
  assert.deepEqual(t0.error_x.arrayminus.map((v) => Number(v.toFixed(12))), [0.2, 0.1]);
  assert.equal(t0.text[0], "50% (30% to 70%)");
  assert.deepEqual((fig.layout.shapes as { x0: number }[]).map((sh) => sh.x0), [0]);
  assert.throws(() => ica.intervalChart({ title: "t", xTitle: "x", categories: ["a", "b"], series: [{ name: "s", points: [null] }] }), /1 points for 2 categories/);
});

// ------------------------------------------------------------ options (lib/options.ts declarations)

// Calls a builder with options its type forbids, as an untyped notebook cell can.
const loose = (f: unknown, ...args: unknown[]): unknown => (f as (...a: unknown[]) => unknown)(...args);
const X = [[1, 0, -1], [0, 1, 0.5]];
const series = [{ y: [1, 2], name: "s" }];
const history = [{ step: 0, A: [[1, 0], [0, 1]], angleError: 5, objective: 1, updateNorm: 0.1, deadFeatures: 0 }];
const zones = { x: [0, 1], y: [0, 1], mask: [[0, 1], [1, 0]], zones: [{ mask: 0, active: [] }, { mask: 1, active: [0] }] };

test("figures: a misspelled option is an error that names it and suggests the declared one, in every builder", () => {
  const cases: [unknown, unknown[], RegExp][] = [
    [ica.lineChart, [{ series, title: "t", xTitle: "x", yTitle: "y", titel: "t2", logy: true }], /lineChart: unknown option 'titel' \(did you mean 'title'\?\)/],
    [ica.pointsTrace, [X, { colour: "red" }], /pointsTrace: unknown option 'colour' \(did you mean 'color'\?\)/],
    [ica.histogram, [{ series: [{ values: [1], name: "h" }], title: "t", xTitle: "x", binz: 20 }], /histogram: unknown option 'binz' \(did you mean 'bins'\?\)/],
    [ica.barChart, [{ categories: ["a"], series: [{ name: "s", values: [1] }], title: "t", xTitle: "x", yTitle: "y", hieght: 3 }], /barChart: unknown option 'hieght' \(did you mean 'height'\?\)/],
    [ica.heatmaps, [{ title: "t", panels: [{ title: "p", z: [[1]] }], colourTitle: "c" }], /heatmaps: unknown option 'colourTitle' \(did you mean 'colorTitle'\?\)/],
    [ica.scatterWithBasis, [{ X, title: "t", pointColour: "red" }], /scatterWithBasis: unknown option 'pointColour' \(did you mean 'pointColor'\?\)/],
    [ica.animation, [{ title: "t", frames: [{ label: "0", traces: [] }], durration: 5 }], /animation: unknown option 'durration' \(did you mean 'duration'\?\)/],
    [ica.learningAnimation, [{ X, history, title: "t", frame: 3 }], /learningAnimation: unknown option 'frame' \(did you mean 'frames'\?\)/],
    [ica.seedStrip, [{ groups: [{ name: "g", values: [1] }], title: "t", yTitle: "y", logy: true }], /seedStrip: unknown option 'logy' \(did you mean 'logY'\?\)/],
    [ica.intervalChart, [{ categories: ["a"], series: [], title: "t", xTitle: "x", percents: true }], /intervalChart: unknown option 'percents' \(did you mean 'percent'\?\)/],
    [ica.zoneFigure, [{ zones, title: "t", boundries: [] }], /zoneFigure: unknown option 'boundries' \(did you mean 'boundaries'\?\)/],
    [ica.basisArrows, [{ A: X, name: "A", colour: "red" }], /basisArrows: unknown option 'colour' \(did you mean 'color'\?\)/],
    [ica.basisArrows, [{ A: X, name: "A" }, { x: "x2", z: "y2" }], /basisArrows \(axes\): unknown option 'z'/],
    [ica.contributionArrows, [X, [X], { colours: ["#000"], scale: 1, gain: 1 }], /contributionArrows: unknown option 'colours' \(did you mean 'colors'\?\)/],
    [ica.figureHtml, [{ data: [], layout: {} }, { ID: "a" }], /figureHtml: unknown option 'ID' \(did you mean 'id'\?\)/],
  ];
  for (const [f, args, re] of cases) assert.throws(() => loose(f, ...args), re, String(re));
  // Inside nested shapes too: a series, a basis drawing, a frame.
  assert.throws(() => loose(ica.lineChart, { series: [{ y: [1], name: "s", colour: "red" }], title: "t", xTitle: "x", yTitle: "y" }),
    /series\[0\]: unknown field 'colour' \(did you mean 'color'\?\)/);
  assert.throws(() => loose(ica.scatterWithBasis, { X, title: "t", bases: [{ A: X, name: "A" }, { A: X, name: "B", sclae: 2 }] }),
    /bases\[1\]: unknown field 'sclae' \(did you mean 'scale'\?\)/);
  assert.throws(() => loose(ica.animation, { title: "t", frames: [{ label: "0", traces: [], bases: [], annotation: [] }] }),
    /frames\[0\]: unknown field 'annotation' \(did you mean 'annotations'\?\)/);
});

test("figures: an ill-typed option is an error that names it and the value", () => {
  const line = { series, title: "t", xTitle: "x", yTitle: "y" };
  assert.throws(() => loose(ica.lineChart, { ...line, logY: "true" }), /logY must be true or false, got 'true'/);
  assert.throws(() => loose(ica.lineChart, { ...line, series: [{ y: "1,2", name: "s" }] }), /series\[0\]\.y must be an array of numbers, got '1,2'/);
  assert.throws(() => loose(ica.lineChart, { ...line, series: [{ y: [1, 2], name: "s", dash: "dotted" }] }), /series\[0\]\.dash must be one of 'solid', 'dot', 'dash', got 'dotted'/);
  assert.throws(() => loose(ica.lineChart, { ...line, series: { y: [1], name: "s" } }), /series must be an array, got an object/);
  assert.throws(() => loose(ica.histogram, { series: [{ values: [1], name: "h" }], title: "t", xTitle: "x", bins: 0 }), /bins must be an integer ≥ 1, got 0/);
  assert.throws(() => loose(ica.pointsTrace, X, { size: "7" }), /size must be a finite number, got '7'/);
  assert.throws(() => loose(ica.heatmaps, { title: "t", panels: [{ title: "p", z: [1, 2] }] }), /panels\[0\]\.z\[0\] must be an array of numbers, got 1/);
  assert.throws(() => loose(ica.seedStrip, { groups: [{ name: "g", values: [1] }], title: "t", yTitle: "y", threshold: { value: "3", label: "3°" } }),
    /threshold\.value must be a finite number, got '3'/);
  assert.throws(() => loose(ica.intervalChart, { categories: ["a"], series: [], title: "t", xTitle: "x", xRange: [0] }), /xRange must be \[number, number\], got an array of length 1/);
  assert.throws(() => loose(ica.learningAnimation, { X, history, title: "t", curves: ["angle"] }), /curves\[0\] must be one of 'angleError', 'objective', 'updateNorm', 'lr', got 'angle'/);
  assert.throws(() => loose(ica.contributionArrows, X, [X], { colors: ["#000"], scale: 1, gain: "x" }), /gain must be a finite number, got 'x'/);
  assert.throws(() => loose(ica.basisArrows, { A: X, name: "A", labels: true }), /labels must be a string or false, got true/);
  assert.throws(() => loose(ica.figureHtml, { data: [], layout: {} }, { id: 5 }), /id must be a string, got 5/);
  assert.throws(() => loose(ica.lineChart, "title"), /lineChart: options must be an object, got 'title'/);
});

test("figures: a missing required option is an error that names it", () => {
  assert.throws(() => loose(ica.histogram, { title: "t", xTitle: "x", bins: 20 }), /histogram: option 'series' is required/);
  assert.throws(() => loose(ica.lineChart, { series, xTitle: "x", yTitle: "y" }), /lineChart: option 'title' is required/);
  assert.throws(() => loose(ica.learningAnimation, { X, title: "t" }), /learningAnimation: option 'history' is required/);
  assert.throws(() => loose(ica.intervalChart, { series: [], title: "t", xTitle: "x" }), /intervalChart: option 'categories' is required/);
  assert.throws(() => loose(ica.contributionArrows, X, [X], { colors: ["#000"], scale: 1 }), /contributionArrows: option 'gain' is required/);
  assert.throws(() => loose(ica.lineChart, { series: [{ y: [1] }], title: "t", xTitle: "x", yTitle: "y" }), /series\[0\]\.name is required/);
  assert.throws(() => loose(ica.zoneFigure, { title: "t" }), /zoneFigure: option 'zones' is required/);
});
