// Plotly figure specifications as plain objects. Builders return data only;
// lib/display.ts turns a spec into something a notebook or a page can show.
import type { Matrix } from "./linalg";

export type Trace = Record<string, unknown>;
export type Layout = Record<string, unknown>;

export interface Figure {
  data: Trace[];
  layout: Layout;
  frames?: { name: string; data: Trace[]; traces: number[]; layout?: Layout }[];
  config?: Record<string, unknown>;
}

/** Colours of the true features, the learned ones, and data points. */
export const palette = {
  truth: "#222222",
  learned: ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"],
  data: "rgba(90, 110, 140, 0.35)",
};

export interface BasisDrawing {
  A: Matrix;
  name: string;
  /** One colour for all arrows, or one per column. */
  color?: string | string[];
  dash?: boolean;
  /** Multiply every column by this before drawing. */
  scale?: number;
  /** Label each arrow's head with prefix and column index (A₁, A₂, …); false for none. Default "A". */
  labels?: string | false;
}

const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
function subscript(k: number): string {
  return String(k).split("").map((d) => SUBSCRIPT[Number(d)]).join("");
}

/**
 * Arrows from the origin along each column, as plotly annotations, and a
 * label just beyond each head. (Plotly writes an arrow's own text at its
 * tail, which would pile every label up at the origin.)
 */
export function basisArrows(d: BasisDrawing, axes: { x?: string; y?: string } = {}): Layout[] {
  const scale = d.scale ?? 1;
  const xref = axes.x ?? "x";
  const yref = axes.y ?? "y";
  const n = d.A[0]!.length;
  const prefix = d.labels === undefined ? "A" : d.labels;
  const out: Layout[] = [];
  for (let i = 0; i < n; i++) {
    const color = Array.isArray(d.color) ? d.color[i % d.color.length] : d.color ?? palette.learned[i % palette.learned.length];
    const x = d.A[0]![i]! * scale;
    const y = d.A[1]![i]! * scale;
    out.push({
      x, y, ax: 0, ay: 0, xref, yref, axref: xref, ayref: yref,
      showarrow: true, arrowhead: 2, arrowsize: 1.2,
      arrowwidth: d.dash ? 1.5 : 2.5, arrowcolor: color, opacity: d.dash ? 0.7 : 1, text: "",
    });
    if (prefix !== false) {
      const len = Math.hypot(x, y) || 1;
      out.push({
        x, y, xref, yref, showarrow: false,
        // Offset in pixels along the arrow, so the label clears the head.
        xshift: (14 * x) / len, yshift: (14 * y) / len,
        text: `${prefix}${subscript(i + 1)}`, font: { color, size: 13 },
      });
    }
  }
  return out;
}

/** A legend-only line trace standing for a set of arrows. */
function legendEntry(d: BasisDrawing): Trace {
  const color = Array.isArray(d.color) ? d.color[0] : d.color ?? palette.learned[0];
  return {
    type: "scatter",
    mode: "lines",
    x: [null],
    y: [null],
    name: d.name,
    line: { color, width: d.dash ? 1.5 : 2.5, dash: d.dash ? "dot" : "solid" },
    hoverinfo: "skip",
  };
}

/** Scatter trace of the columns of a 2×p matrix. */
export function pointsTrace(X: Matrix, opts: { name?: string; color?: string | string[]; size?: number; symbol?: string; xaxis?: string; yaxis?: string } = {}): Trace {
  const t: Trace = {
    type: "scatter",
    mode: "markers",
    x: X[0]!.slice(),
    y: X[1]!.slice(),
    name: opts.name ?? "data",
    marker: { color: opts.color ?? palette.data, size: opts.size ?? 5, symbol: opts.symbol ?? "circle" },
    hovertemplate: "(%{x:.2f}, %{y:.2f})<extra></extra>",
  };
  if (opts.xaxis) t.xaxis = opts.xaxis;
  if (opts.yaxis) t.yaxis = opts.yaxis;
  return t;
}

export interface ScatterBasisOptions {
  X: Matrix;
  bases?: BasisDrawing[];
  title: string;
  xTitle?: string;
  yTitle?: string;
  pointName?: string;
  pointColor?: string | string[];
  height?: number;
  /** Half-width of the square view; default fits the data. */
  range?: number;
}

/** Largest |coordinate| of the points, for a square view around the origin. */
export function extent(X: Matrix, margin = 1.1): number {
  let r = 0;
  for (const row of X) for (const v of row) r = Math.max(r, Math.abs(v));
  return r * margin || 1;
}

function axis(title: string, range: number, extra: Layout = {}): Layout {
  return { title: { text: title }, range: [-range, range], zeroline: true, zerolinecolor: "#ccc", ...extra };
}

/** Data points with basis arrows, equal axis scales (blog E1's scatter). */
export function scatterWithBasis(o: ScatterBasisOptions): Figure {
  const range = o.range ?? extent(o.X);
  const bases = o.bases ?? [];
  return {
    data: [pointsTrace(o.X, { name: o.pointName ?? "data points", color: o.pointColor }), ...bases.map(legendEntry)],
    layout: {
      title: { text: o.title },
      height: o.height ?? 460,
      xaxis: axis(o.xTitle ?? "x₁", range),
      yaxis: axis(o.yTitle ?? "x₂", range, { scaleanchor: "x", scaleratio: 1 }),
      annotations: bases.flatMap((d) => basisArrows(d)),
      legend: { orientation: "h", y: -0.15 },
      margin: { t: 50, r: 20, b: 40, l: 60 },
    },
  };
}

export interface Series {
  x?: number[];
  y: number[];
  name: string;
  color?: string;
  dash?: "solid" | "dot" | "dash";
  mode?: "lines" | "markers" | "lines+markers";
  /** A shaded band around the line, e.g. the quartiles over seeds. */
  band?: { low: number[]; high: number[] };
}

export interface LineChartOptions {
  series: Series[];
  title: string;
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  logY?: boolean;
  /** Label only whole numbers on the x axis (counts such as k). */
  integerX?: boolean;
  height?: number;
}

/** Line plot of one or more series, with optional log axes. */
export function lineChart(o: LineChartOptions): Figure {
  const data: Trace[] = [];
  o.series.forEach((s, i) => {
    const x = s.x ?? s.y.map((_, k) => k);
    const color = s.color ?? palette.learned[i % palette.learned.length]!;
    if (s.band) {
      if (s.band.low.length !== s.y.length || s.band.high.length !== s.y.length) {
        throw new RangeError(`series '${s.name}': band.low and band.high need ${s.y.length} values, got ${s.band.low.length} and ${s.band.high.length}`);
      }
      // The lower edge, invisible, then the upper edge filled down to it.
      data.push({ type: "scatter", mode: "lines", x, y: s.band.low, line: { width: 0, color }, showlegend: false, hoverinfo: "skip" });
      data.push({ type: "scatter", mode: "lines", x, y: s.band.high, line: { width: 0, color }, fill: "tonexty", fillcolor: withAlpha(color, 0.15), showlegend: false, hoverinfo: "skip" });
    }
    data.push({ type: "scatter", mode: s.mode ?? "lines", x, y: s.y, name: s.name, line: { color, dash: s.dash ?? "solid", width: 2 } });
  });
  return {
    data,
    layout: {
      title: { text: o.title },
      height: o.height ?? 400,
      // Plain 1-2-5 labels on a log x axis; plotly's default labels every minor tick.
      xaxis: { title: { text: o.xTitle }, type: o.logX ? "log" : "linear", ...(o.logX ? { tickvals: LOG_TICKS, ticktext: LOG_TICKS.map((v) => String(v)) } : {}), ...(o.integerX ? { dtick: 1 } : {}) },
      yaxis: { title: { text: o.yTitle }, type: o.logY ? "log" : "linear", exponentformat: "power", ...(o.logY ? logTicks(o.series.flatMap((x) => [...x.y, ...(x.band ? [...x.band.low, ...x.band.high] : [])])) : {}) },
      // Many series: a column of legend entries at the right, where it cannot run into the x-axis title.
      // traceorder: plotly would reverse the legend of filled (band) traces.
      legend: { ...(o.series.length > 6 ? { orientation: "v", x: 1.02, y: 1 } : { orientation: "h", y: -0.2 }), traceorder: "normal" },
      margin: { t: 50, r: 20, b: 50, l: 70 },
    },
  };
}

export interface HistogramOptions {
  series: { values: number[]; name: string; color?: string }[];
  title: string;
  xTitle: string;
  yTitle?: string;
  bins?: number;
  /** Normalise to a probability density. Default true. */
  density?: boolean;
  height?: number;
}

/** Overlaid histograms. */
export function histogram(o: HistogramOptions): Figure {
  return {
    data: o.series.map((s, i) => ({
      type: "histogram",
      x: s.values,
      name: s.name,
      opacity: 0.6,
      nbinsx: o.bins ?? 60,
      histnorm: o.density === false ? "" : "probability density",
      marker: { color: s.color ?? palette.learned[i % palette.learned.length] },
    })),
    layout: {
      title: { text: o.title },
      height: o.height ?? 360,
      barmode: "overlay",
      xaxis: { title: { text: o.xTitle } },
      yaxis: { title: { text: o.yTitle ?? (o.density === false ? "count" : "density") } },
      legend: { orientation: "h", y: -0.25 },
      margin: { t: 50, r: 20, b: 50, l: 70 },
    },
  };
}

export interface AnimationFrame {
  /** Slider label, e.g. the step number. */
  label: string;
  /** Traces of the left panel; the same number and kinds in every frame. */
  traces: Trace[];
  /** Arrows (annotations) of the left panel in this frame. */
  bases?: BasisDrawing[];
  /** Position of this frame on the right panel's x axis. */
  at?: number;
  /** Extra annotations of the left panel in this frame (e.g. arrow()). */
  annotations?: Layout[];
}

export interface AnimationOptions {
  title: string;
  frames: AnimationFrame[];
  /** Traces drawn under every frame of the left panel (e.g. the data). */
  background?: Trace[];
  /** Curves of the right panel; a marker follows the frames along the first. */
  curve?: {
    series: Series[];
    xTitle: string;
    yTitle: string;
    logY?: boolean;
    /** Vertical dashed lines on the right panel, e.g. the step where a feature dies. */
    marks?: { x: number; label: string }[];
  };
  xTitle?: string;
  yTitle?: string;
  range?: number;
  /** Milliseconds per frame when playing. Default 120. */
  duration?: number;
  height?: number;
  /** Static legend entries for arrows drawn in the frames. */
  legendBases?: BasisDrawing[];
}

/**
 * An animation with a play button and a step slider (replaces the blog's
 * videos). The left panel shows the frames' traces and arrows; the optional
 * right panel shows whole curves with a marker at the current frame.
 */
export function animation(o: AnimationOptions): Figure {
  if (o.frames.length === 0) throw new RangeError("animation needs at least one frame, got 0");
  const background = o.background ?? [];
  const hasCurve = o.curve !== undefined;
  const leftDomain = hasCurve ? [0, 0.52] : [0, 1];
  const first = o.frames[0]!;
  const nFrameTraces = first.traces.length;
  o.frames.forEach((f, i) => {
    if (f.traces.length !== nFrameTraces) {
      throw new RangeError(`animation frame ${i} has ${f.traces.length} traces, frame 0 has ${nFrameTraces}`);
    }
  });
  const legendBases = (o.legendBases ?? []).map(legendEntry);
  const curveTraces: Trace[] = [];
  const marker = (f: AnimationFrame): Trace => {
    const s = o.curve!.series[0]!;
    const xs = s.x ?? s.y.map((_, k) => k);
    const at = f.at ?? 0;
    let k = 0;
    while (k < xs.length - 1 && xs[k + 1]! <= at) k++;
    return {
      type: "scatter",
      mode: "markers",
      x: [at],
      y: [s.y[k]],
      xaxis: "x2",
      yaxis: "y2",
      name: "current step",
      showlegend: false,
      marker: { color: "#000", size: 10, symbol: "circle-open", line: { width: 2 } },
    };
  };
  if (o.curve) {
    o.curve.series.forEach((s, i) =>
      curveTraces.push({
        type: "scatter",
        mode: "lines",
        x: s.x ?? s.y.map((_, k) => k),
        y: s.y,
        name: s.name,
        xaxis: "x2",
        yaxis: "y2",
        line: { color: s.color ?? palette.learned[i % palette.learned.length], dash: s.dash ?? "solid", width: 2 },
      }),
    );
  }
  const fixed = [...background, ...legendBases, ...curveTraces];
  const animated = (f: AnimationFrame): Trace[] => (hasCurve ? [...f.traces, marker(f)] : f.traces);
  const animatedIdx = animated(first).map((_, i) => fixed.length + i);
  const range = o.range ?? 1;
  const annotations = (f: AnimationFrame): Layout[] => [
    ...(f.bases ?? []).flatMap((d) => basisArrows(d)),
    ...(f.annotations ?? []),
    ...markLabels,
  ];
  const marks = o.curve?.marks ?? [];
  const markLabels: Layout[] = marks.map((mk) => ({
    x: mk.x, y: 1, xref: "x2", yref: "y2 domain", text: mk.label, showarrow: false,
    xanchor: "left", yanchor: "top", font: { size: 11, color: "#555" },
  }));
  const duration = o.duration ?? 120;
  const layout: Layout = {
    title: { text: o.title, y: 0.98, yanchor: "top" },
    height: o.height ?? 560,
    xaxis: { ...axis(o.xTitle ?? "x₁", range), domain: leftDomain },
    yaxis: axis(o.yTitle ?? "x₂", range, { scaleanchor: "x", scaleratio: 1 }),
    annotations: annotations(first),
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom" },
    margin: { t: 90, r: 20, b: 130, l: 60 },
    updatemenus: [
      {
        type: "buttons",
        showactive: false,
        x: 0,
        y: -0.2,
        xanchor: "left",
        yanchor: "top",
        direction: "left",
        pad: { t: 0, r: 10 },
        buttons: [
          {
            label: "▶ Play",
            method: "animate",
            args: [null, { frame: { duration, redraw: true }, transition: { duration: 0 }, fromcurrent: true, mode: "immediate" }],
          },
          {
            label: "❚❚ Pause",
            method: "animate",
            args: [[null], { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" }],
          },
        ],
      },
    ],
    sliders: [
      {
        active: 0,
        x: 0.2,
        len: 0.8,
        y: -0.12,
        yanchor: "top",
        currentvalue: { prefix: "step ", visible: true, xanchor: "right" },
        pad: { t: 10 },
        steps: o.frames.map((f) => ({
          label: f.label,
          method: "animate",
          args: [[f.label], { frame: { duration: 0, redraw: true }, transition: { duration: 0 }, mode: "immediate" }],
        })),
      },
    ],
  };
  if (o.curve) {
    layout.xaxis2 = { domain: [0.62, 1], anchor: "y2", title: { text: o.curve.xTitle } };
    layout.yaxis2 = {
      anchor: "x2", title: { text: o.curve.yTitle }, type: o.curve.logY ? "log" : "linear", exponentformat: "power",
      ...(o.curve.logY ? logTicks(o.curve.series.flatMap((x) => x.y)) : {}),
    };
    layout.shapes = marks.map((mk) => ({
      type: "line", x0: mk.x, x1: mk.x, y0: 0, y1: 1, xref: "x2", yref: "y2 domain",
      line: { color: "#555", width: 1.5, dash: "dash" },
    }));
  }
  return {
    data: [...fixed, ...animated(first)],
    layout,
    frames: o.frames.map((f) => ({
      name: f.label,
      data: animated(f),
      traces: animatedIdx,
      layout: { annotations: annotations(f) },
    })),
  };
}

/**
 * One colour per point from its sources (n×p): a mix of the feature colours
 * weighted by each point's share of ŝ (the blog's RGB scheme, generalised).
 * A point with ŝ = 0 is grey.
 */
export function sourceColors(S: Matrix, colors: string[] = palette.learned): string[] {
  const n = S.length;
  const p = S[0]!.length;
  const rgb = colors.map((c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)));
  const out: string[] = [];
  for (let j = 0; j < p; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.abs(S[i]![j]!);
    if (total === 0) {
      out.push("rgb(150,150,150)");
      continue;
    }
    const mix = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const w = Math.abs(S[i]![j]!) / total;
      const c = rgb[i % rgb.length]!;
      for (let k = 0; k < 3; k++) mix[k] += w * c[k]!;
    }
    out.push(`rgb(${mix.map((v) => Math.round(v)).join(",")})`);
  }
  return out;
}

/** One arrow annotation from `from` to `to` on the left panel's axes. */
export function arrow(from: [number, number], to: [number, number], color: string, width = 2): Layout {
  return {
    x: to[0], y: to[1], ax: from[0], ay: from[1], xref: "x", yref: "y", axref: "x", ayref: "y",
    showarrow: true, arrowhead: 2, arrowsize: 1, arrowwidth: width, arrowcolor: color, text: "",
  };
}

/** The part of a learnBasis history entry that the learning figures draw. */
export interface LearningStep {
  step: number;
  A: Matrix;
  angleError: number | null;
  objective: number;
  updateNorm: number;
  deadFeatures: number;
  lr?: number;
}

export type LearningCurve = "angleError" | "objective" | "updateNorm" | "lr";

export interface LearningAnimationOptions {
  /** The data, drawn under every frame. */
  X: Matrix;
  history: LearningStep[];
  title: string;
  trueBasis?: Matrix;
  /** Number of frames picked evenly from the history. Default 40. */
  frames?: number;
  /** Steps that must be frames (e.g. the best step, a death). */
  include?: number[];
  /** Right-panel curves; the marker follows the first. Default ['angleError'] with a true basis, else ['objective']. */
  curves?: LearningCurve[];
  logY?: boolean;
  /** Vertical marks on the right panel. */
  marks?: { x: number; label: string }[];
  /** Arrows are drawn ×scale; default makes the longest initial or true column 60% of the view. */
  scale?: number;
  range?: number;
  /** Colours of the data points (e.g. sourceColors); default grey. */
  pointColor?: string | string[];
  /** Marker size of the data points. Default 4 (use ~10 for a handful of points). */
  pointSize?: number;
  /** Extra left-panel annotations per step, keyed by step. */
  annotations?: (step: LearningStep, scale: number) => Layout[];
}

const CURVE_LABEL: Record<LearningCurve, string> = {
  angleError: "angle error (°)",
  objective: "mean MAP objective",
  updateNorm: "‖ΔA‖",
  lr: "learning rate α",
};

/**
 * The blog's learning videos as an animation: data, learned columns (solid,
 * one colour each) and true columns (thin dark arrows), with the error curve and
 * a marker synchronised with the step slider.
 */
export function learningAnimation(o: LearningAnimationOptions): Figure {
  const h = o.history;
  if (h.length === 0) throw new RangeError("learningAnimation needs a non-empty history");
  const count = Math.max(1, Math.min(o.frames ?? 40, h.length));
  const picked = new Set<number>();
  for (let k = 0; k < count; k++) picked.add(Math.round((k * (h.length - 1)) / Math.max(1, count - 1)));
  for (const s of o.include ?? []) {
    const at = h.findIndex((e) => e.step >= s);
    if (at >= 0) picked.add(at);
  }
  const steps = [...picked].sort((a, b) => a - b).map((i) => h[i]!);
  const range = o.range ?? extent(o.X);
  const lengths = (A: Matrix): number[] => A[0]!.map((_, i) => Math.hypot(...A.map((r) => r[i]!)));
  const ref = Math.max(...lengths(h[0]!.A), ...(o.trueBasis ? lengths(o.trueBasis) : [0]));
  const scale = o.scale ?? (ref > 0 ? (0.6 * range) / ref : 1);
  const curves = o.curves ?? [o.trueBasis ? "angleError" : "objective"];
  const x = h.map((e) => e.step);
  const series: Series[] = curves.map((c, i) => ({
    x,
    y: h.map((e) => (c === "angleError" ? (e.angleError ?? Number.NaN) : (e[c] ?? Number.NaN))),
    name: CURVE_LABEL[c],
    color: i === 0 ? "#000000" : palette.learned[(i + 3) % palette.learned.length],
  }));
  const truth: BasisDrawing | null = o.trueBasis
    ? { A: o.trueBasis, name: "A_true", color: palette.truth, dash: true, scale, labels: false }
    : null;
  return animation({
    title: o.title,
    range,
    background: [pointsTrace(o.X, { name: "data", color: o.pointColor, size: o.pointSize ?? 4 })],
    legendBases: [
      { A: h[0]!.A, name: "learned A (×" + formatScale(scale) + ")", color: palette.learned[0] },
      ...(truth ? [{ ...truth, name: "A_true (thin dark arrows)" }] : []),
    ],
    frames: steps.map((e) => ({
      label: String(e.step),
      at: e.step,
      traces: [{
        type: "scatter", mode: "markers", name: "column tips", showlegend: false,
        x: e.A[0]!.map((v) => v * scale), y: e.A[1]!.map((v) => v * scale),
        marker: { size: 6, color: palette.learned.slice(0, e.A[0]!.length) },
        hovertext: e.A[0]!.map((_, i) => `A${i + 1}: length ${lengths(e.A)[i]!.toPrecision(3)}`),
        hoverinfo: "text",
      }],
      bases: [...(truth ? [truth] : []), { A: e.A, name: "A", scale }],
      annotations: o.annotations ? o.annotations(e, scale) : [],
    })),
    curve: {
      series,
      xTitle: "step",
      yTitle: curves.length === 1 ? CURVE_LABEL[curves[0]!] : "value",
      logY: o.logY,
      marks: o.marks,
    },
  });
}

function formatScale(s: number): string {
  return s >= 10 ? s.toFixed(0) : s.toPrecision(2);
}

export interface HeatmapPanel {
  title: string;
  z: Matrix;
  xLabels?: string[];
  yLabels?: string[];
}

/** Heatmaps side by side with a shared diverging colour scale centred on 0 (blog E5). */
export function heatmaps(o: { title: string; panels: HeatmapPanel[]; height?: number; colorTitle?: string }): Figure {
  const k = o.panels.length;
  if (k === 0) throw new RangeError("heatmaps needs at least one panel");
  let zmax = 0;
  for (const p of o.panels) for (const row of p.z) for (const v of row) zmax = Math.max(zmax, Math.abs(v));
  zmax = zmax || 1;
  const gap = 0.06;
  const width = (1 - gap * (k - 1)) / k;
  const layout: Layout = {
    title: { text: o.title },
    height: o.height ?? 320,
    margin: { t: 80, r: 20, b: 50, l: 50 },
    annotations: [] as Layout[],
  };
  const data: Trace[] = o.panels.map((p, i) => {
    const suffix = i === 0 ? "" : String(i + 1);
    const x0 = i * (width + gap);
    layout[`xaxis${suffix}`] = { domain: [x0, x0 + width], anchor: `y${suffix}`, type: "category" };
    layout[`yaxis${suffix}`] = { anchor: `x${suffix}`, autorange: "reversed", type: "category" };
    (layout.annotations as Layout[]).push({
      text: p.title, x: x0 + width / 2, y: 1.02, xref: "paper", yref: "paper",
      showarrow: false, xanchor: "center", yanchor: "bottom", font: { size: 13 },
    });
    return {
      type: "heatmap",
      z: p.z,
      x: p.xLabels ?? p.z[0]!.map((_, c) => String(c + 1)),
      y: p.yLabels ?? p.z.map((_, r) => String(r + 1)),
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
      zmin: -zmax,
      zmax,
      colorscale: "RdBu",
      reversescale: true,
      showscale: i === k - 1,
      colorbar: { title: { text: o.colorTitle ?? "" } },
      texttemplate: "%{z:.2f}",
      hovertemplate: "row %{y}, column %{x}: %{z:.3f}<extra></extra>",
    };
  });
  return { data, layout };
}

/**
 * The blog's E4.3 arrow diagrams: from the tip of each column A_i (drawn
 * ×scale), one arrow per point j along its contribution parts[j][:, i]/p to
 * the update, in that point's colour, and the black sum (the update itself).
 * `gain` stretches every arrow by the same factor, so lengths compare across
 * frames and points.
 */
export function contributionArrows(
  A: Matrix,
  parts: Matrix[],
  o: { colors: string[]; scale: number; gain: number },
): Layout[] {
  const n = A[0]!.length;
  const p = parts.length;
  const out: Layout[] = [];
  for (let i = 0; i < n; i++) {
    const tip: [number, number] = [A[0]![i]! * o.scale, A[1]![i]! * o.scale];
    let sx = 0;
    let sy = 0;
    parts.forEach((P, j) => {
      const dx = (P[0]![i]! / p) * o.gain * o.scale;
      const dy = (P[1]![i]! / p) * o.gain * o.scale;
      sx += dx;
      sy += dy;
      if (Math.hypot(dx, dy) > 1e-9) out.push(arrow(tip, [tip[0] + dx, tip[1] + dy], o.colors[j % o.colors.length]!, 1.5));
    });
    if (Math.hypot(sx, sy) > 1e-9) out.push(arrow(tip, [tip[0] + sx, tip[1] + sy], "#000000", 2.5));
  }
  return out;
}

export interface SeedStripOptions {
  /** One box per group (a configuration), one point per seed. */
  groups: { name: string; values: number[]; color?: string; labels?: string[] }[];
  title: string;
  yTitle: string;
  xTitle?: string;
  /** A dashed horizontal line, e.g. the 3° success threshold. */
  threshold?: { value: number; label: string };
  logY?: boolean;
  height?: number;
}

const LOG_TICKS = [-3, -2, -1, 0, 1, 2, 3].flatMap((e) => [1, 2, 5].map((m) => Number((m * 10 ** e).toPrecision(1))));

/**
 * Tick marks for a log axis over `values`: 1, 2, 5 per decade when the data
 * span at most three decades, powers of ten otherwise (at most about 9 of
 * them). Plain numbers from 0.001 to 5000, 10ⁿ beyond. plotly's own log
 * labels print a digit at every minor tick, which reads as the wrong number.
 */
export function logTicks(values: number[]): { tickvals: number[]; ticktext: string[] } | Record<string, never> {
  const pos = values.filter((v) => typeof v === "number" && v > 0 && Number.isFinite(v));
  if (pos.length === 0) return {};
  const lo = Math.floor(Math.log10(Math.min(...pos)) + 1e-9);
  const hi = Math.ceil(Math.log10(Math.max(...pos)) - 1e-9);
  const span = Math.max(hi - lo, 1);
  const mantissas = span <= 3 ? [1, 2, 5] : [1];
  const stride = Math.max(1, Math.ceil(span / 9));
  const tickvals: number[] = [];
  const ticktext: string[] = [];
  for (let e = lo; e <= hi; e += stride) {
    for (const m of mantissas) {
      const v = Number((m * 10 ** e).toPrecision(1));
      if (e === hi && m > 1) continue; // past the top decade
      tickvals.push(v);
      ticktext.push(e >= -3 && e <= 3 ? String(v) : `${m === 1 ? "" : `${m}·`}10<sup>${e < 0 ? "−" : ""}${Math.abs(e)}</sup>`);
    }
  }
  return { tickvals, ticktext };
}

/**
 * Distributions over seeds: a box (median, quartiles) with every run drawn
 * as a point beside it, so a rate such as "14/20 under 3°" can be read off
 * and a single bad seed is not hidden in a whisker.
 */
export function seedStrip(o: SeedStripOptions): Figure {
  if (o.groups.length === 0) throw new RangeError("seedStrip needs at least one group");
  const data: Trace[] = o.groups.map((g, i) => ({
    type: "box",
    name: g.name,
    y: g.values,
    boxpoints: "all",
    jitter: 0.4,
    pointpos: -1.6,
    marker: { size: 5, color: g.color ?? palette.learned[i % palette.learned.length] },
    line: { width: 1.5 },
    text: g.labels ?? g.values.map((_, k) => `seed ${k}`),
    hovertemplate: "%{text}: %{y:.3g}<extra>" + g.name + "</extra>",
  }));
  const shapes: Layout[] = [];
  const annotations: Layout[] = [];
  if (o.threshold) {
    shapes.push({
      type: "line", xref: "paper", x0: 0, x1: 1, yref: "y", y0: o.threshold.value, y1: o.threshold.value,
      line: { color: "#444", dash: "dash", width: 1.5 },
    });
    annotations.push({
      xref: "paper", x: 1, xanchor: "right", yref: "y", y: o.logY ? Math.log10(o.threshold.value) : o.threshold.value,
      yanchor: "bottom", text: o.threshold.label, showarrow: false, font: { size: 12, color: "#444" },
    });
  }
  return {
    data,
    layout: {
      title: { text: o.title },
      height: o.height ?? 420,
      showlegend: false,
      // Long configuration names are turned by plotly; automargin keeps them inside the figure.
      xaxis: { title: { text: o.xTitle ?? "" }, automargin: true },
      yaxis: {
        title: { text: o.yTitle }, type: o.logY ? "log" : "linear", zeroline: false,
        // Plain 1–2–5 labels: plotly's default log labels ("2", "5" between
        // decades) read as the wrong numbers.
        ...(o.logY ? logTicks(o.groups.flatMap((g) => g.values)) : {}),
      },
      shapes,
      annotations,
      margin: { t: 50, r: 20, b: 70, l: 70 },
    },
  };
}

export interface BarChartOptions {
  categories: string[];
  /** null leaves a category without a bar in that series. */
  series: { name: string; values: (number | null)[]; color?: string }[];
  title: string;
  xTitle: string;
  yTitle: string;
  height?: number;
}

/** Grouped bars: one group per category, one bar per series. */
export function barChart(o: BarChartOptions): Figure {
  o.series.forEach((s) => {
    if (s.values.length !== o.categories.length) {
      throw new RangeError(`series '${s.name}' has ${s.values.length} values for ${o.categories.length} categories`);
    }
  });
  return {
    data: o.series.map((s, i) => ({
      type: "bar",
      name: s.name,
      x: o.categories,
      y: s.values,
      marker: { color: s.color ?? palette.learned[i % palette.learned.length] },
      hovertemplate: "%{x}: %{y:.3g}<extra>" + s.name + "</extra>",
    })),
    layout: {
      title: { text: o.title },
      height: o.height ?? 380,
      barmode: "group",
      xaxis: { title: { text: o.xTitle } },
      yaxis: { title: { text: o.yTitle }, zeroline: true },
      legend: { orientation: "h", y: -0.25 },
      margin: { t: 50, r: 20, b: 60, l: 70 },
    },
  };
}

export interface ZoneFigureOptions {
  /** From activationZones. */
  zones: { x: number[]; y: number[]; mask: number[][]; zones: { mask: number; active: number[] }[] };
  title: string;
  /** Feature arrows drawn over the zones (the coder's directions, the truth). */
  bases?: BasisDrawing[];
  /** Zone edges of a ReLU encoder (reluBoundaries): normal·x = offset, one dashed line per feature. */
  boundaries?: { normal: number[]; offset: number }[];
  /** Point sets drawn on top, e.g. k-hot points; `open` draws hollow markers (points outside a zone that covers them). */
  points?: { X: Matrix; name: string; color?: string; symbol?: string; open?: boolean }[];
  height?: number;
}

/**
 * The colour of an active set: the mean of its features' colours, lightened
 * towards white so arrows and points stay readable on top. The same set
 * gets the same colour in every figure.
 */
export function zoneColor(active: number[]): string {
  if (active.length === 0) return "rgb(245,245,245)";
  const mix = [0, 0, 0];
  for (const i of active) {
    const c = palette.learned[i % palette.learned.length]!;
    for (let k = 0; k < 3; k++) mix[k] += parseInt(c.slice(1 + 2 * k, 3 + 2 * k), 16) / active.length;
  }
  const light = mix.map((v) => Math.round(v + 0.6 * (255 - v)));
  return `rgb(${light.join(",")})`;
}

/** Activation zones as a categorical map whose colour bar names each active set (blog "Comparison with SAEs"). */
export function zoneFigure(o: ZoneFigureOptions): Figure {
  const list = o.zones.zones;
  if (list.length === 0) throw new RangeError("zoneFigure needs at least one zone");
  const index = new Map(list.map((z, k) => [z.mask, k]));
  const names = list.map((z) => (z.active.length === 0 ? "no feature" : `features ${z.active.map((i) => i + 1).join("+")}`));
  const Z = list.length;
  const colorscale: [number, string][] = [];
  list.forEach((z, k) => {
    colorscale.push([k / Z, zoneColor(z.active)], [(k + 1) / Z, zoneColor(z.active)]);
  });
  const x0 = o.zones.x[0]!;
  const x1 = o.zones.x.at(-1)!;
  const y0 = o.zones.y[0]!;
  const y1 = o.zones.y.at(-1)!;
  const data: Trace[] = [{
    type: "heatmap",
    x: o.zones.x,
    y: o.zones.y,
    // Zone indices, not names, per cell: a name per cell would multiply the
    // page size; the colour bar and the legend name the zones.
    z: o.zones.mask.map((row) => row.map((v) => index.get(v)!)),
    hovertemplate: "(%{x:.2f}, %{y:.2f}): zone %{z}<extra></extra>",
    colorscale, zmin: -0.5, zmax: Z - 0.5, showscale: true,
    colorbar: { tickvals: list.map((_, k) => k), ticktext: names.map((nm, k) => `${k}: ${nm}`), len: 0.8, thickness: 14 },
  }];
  const span = 4 * Math.max(x1 - x0, y1 - y0);
  (o.boundaries ?? []).forEach((b, i) => {
    const [a, c] = b.normal as [number, number];
    const nn = a * a + c * c;
    if (nn === 0) return;
    const px = (a * b.offset) / nn;
    const py = (c * b.offset) / nn;
    const len = Math.sqrt(nn);
    data.push({
      type: "scatter", mode: "lines", x: [px - (span * c) / len, px + (span * c) / len], y: [py + (span * a) / len, py - (span * a) / len],
      name: "zone edges (dashed, in each feature's colour)", showlegend: i === 0,
      legendgroup: "edges",
      line: { color: palette.learned[i % palette.learned.length], dash: "dash", width: 1.5 },
      hoverinfo: "skip",
    });
  });
  for (const p of o.points ?? []) {
    data.push({
      ...pointsTrace(p.X, { name: p.name, color: p.color ?? "#333", size: 8, symbol: `${p.symbol ?? "circle"}${p.open ? "-open" : ""}` }),
    });
  }
  return {
    data,
    layout: {
      title: { text: o.title },
      height: o.height ?? 520,
      xaxis: { title: { text: "x₁" }, range: [x0, x1], constrain: "domain" },
      yaxis: { title: { text: "x₂" }, range: [y0, y1], scaleanchor: "x", scaleratio: 1, constrain: "domain" },
      annotations: (o.bases ?? []).flatMap((d) => basisArrows(d)),
      legend: { orientation: "h", y: -0.15 },
      margin: { t: 50, r: 20, b: 40, l: 60 },
    },
  };
}

/** "#rrggbb" with an alpha, as rgba(); other colour strings are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return color;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}

export interface Interval {
  value: number;
  low: number;
  high: number;
  /** Hover text; default: the three numbers. */
  label?: string;
}

export interface IntervalChartOptions {
  /** One row per category, drawn top to bottom. */
  categories: string[];
  /** One marker per category and series, with a horizontal whisker from low to high; null leaves a gap. */
  series: { name: string; points: (Interval | null)[]; color?: string }[];
  title: string;
  xTitle: string;
  xRange?: [number, number];
  /** Show x as a percentage (values are fractions). */
  percent?: boolean;
  /** A dashed vertical line, e.g. 0 for differences. */
  reference?: number;
  height?: number;
}

/**
 * Estimates with intervals, one row per category (a forest plot): success
 * rates with their Wilson intervals, or differences of rates. Series share a
 * row and are offset a little so their whiskers do not overlap.
 */
export function intervalChart(o: IntervalChartOptions): Figure {
  if (o.categories.length === 0 || o.series.length === 0) throw new RangeError("intervalChart needs at least one category and one series");
  o.series.forEach((s) => {
    if (s.points.length !== o.categories.length) {
      throw new RangeError(`series '${s.name}' has ${s.points.length} points for ${o.categories.length} categories`);
    }
    s.points.forEach((p, k) => {
      if (p && !(p.low <= p.value && p.value <= p.high)) {
        throw new RangeError(`series '${s.name}', ${o.categories[k]}: need low ≤ value ≤ high, got ${p.low}, ${p.value}, ${p.high}`);
      }
    });
  });
  const ns = o.series.length;
  const fmt = (v: number) => (o.percent ? `${(100 * v).toFixed(0)}%` : v.toPrecision(3));
  const data: Trace[] = o.series.map((s, i) => {
    const rows = s.points.map((p, k) => ({ p, k })).filter((r): r is { p: Interval; k: number } => r.p !== null);
    const offset = ns === 1 ? 0 : (i - (ns - 1) / 2) * (0.6 / ns);
    return {
      type: "scatter", mode: "markers", name: s.name,
      x: rows.map((r) => r.p.value),
      y: rows.map((r) => r.k + offset),
      error_x: { type: "data", symmetric: false, array: rows.map((r) => r.p.high - r.p.value), arrayminus: rows.map((r) => r.p.value - r.p.low), thickness: 1.5, width: 3 },
      marker: { size: 8, color: s.color ?? palette.learned[i % palette.learned.length] },
      text: rows.map((r) => r.p.label ?? `${fmt(r.p.value)} (${fmt(r.p.low)} to ${fmt(r.p.high)})`),
      customdata: rows.map((r) => o.categories[r.k]),
      hovertemplate: "%{customdata}: %{text}<extra>" + s.name + "</extra>",
    };
  });
  const shapes: Layout[] = o.reference === undefined ? [] : [{
    type: "line", xref: "x", x0: o.reference, x1: o.reference, yref: "paper", y0: 0, y1: 1, line: { color: "#444", dash: "dash", width: 1 },
  }];
  const longest = Math.max(...o.categories.map((c) => c.length));
  return {
    data,
    layout: {
      title: { text: o.title },
      height: o.height ?? Math.max(260, 90 + o.categories.length * (14 + 8 * ns)),
      xaxis: { title: { text: o.xTitle }, zeroline: false, ...(o.xRange ? { range: o.xRange } : {}), ...(o.percent ? { tickformat: ".0%" } : {}) },
      // A fixed, reversed range: the first category on top, and a row without any estimate still shown.
      yaxis: { tickvals: o.categories.map((_, k) => k), ticktext: o.categories, autorange: false, zeroline: false, range: [o.categories.length - 0.5, -0.5] },
      shapes,
      showlegend: ns > 1,
      // Above the plot at the right, where it cannot cover the x-axis title.
      legend: { orientation: "h", x: 1, xanchor: "right", y: 1, yanchor: "bottom" },
      margin: { t: ns > 1 ? 80 : 50, r: 20, b: 50, l: Math.min(260, 20 + 7 * longest) },
    },
  };
}
