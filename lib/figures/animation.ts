// The animation engine: frames with a play button and a step slider, and an
// optional right panel of curves with a marker that follows the frames.
import { declareOptions, type Schema } from "../options";
import { axis, logTicks, palette, type Figure, type Layout, type Trace } from "./spec";
import { basisArrows, DRAWING_SCHEMA, DRAWINGS_TYPE, legendEntry, type BasisDrawing } from "./basis";
import { SERIES_SCHEMA, SERIES_TYPE, type Series } from "./charts";
import { FIGURE_TITLE, listOf, objectOf, plotlyObjects, req } from "./shapes";

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

/** A vertical mark on a right panel: the x where it stands and its label. */
export const MARK_SCHEMA: Schema<{ x: number; label: string }> = {
  x: { kind: "number", required: true, doc: "" },
  label: { kind: "string", required: true, doc: "" },
};

const FRAME_SCHEMA: Schema<AnimationFrame> = {
  label: { kind: "string", required: true, doc: "" },
  traces: req(plotlyObjects("Trace[]", "")),
  bases: listOf(DRAWINGS_TYPE, DRAWING_SCHEMA, ""),
  at: { kind: "number", doc: "" },
  annotations: plotlyObjects("Layout[]", ""),
};

const CURVE_SCHEMA: Schema<NonNullable<AnimationOptions["curve"]>> = {
  series: req(listOf(SERIES_TYPE, SERIES_SCHEMA, "")),
  xTitle: { kind: "string", required: true, doc: "" },
  yTitle: { kind: "string", required: true, doc: "" },
  logY: { kind: "boolean", doc: "" },
  marks: listOf("{ x, label }[]", MARK_SCHEMA, ""),
};

export const ANIMATION_OPTIONS = declareOptions<AnimationOptions>("animation", {
  title: FIGURE_TITLE,
  frames: req(listOf("{ label, traces: Trace[], bases?, at?, annotations? }[]", FRAME_SCHEMA,
    "one per slider step: the left panel's traces (the same number in every frame), arrows, and the position `at` on the right panel")),
  background: plotlyObjects("Trace[]", "traces drawn under every frame (e.g. the data)"),
  curve: objectOf(`{ series: ${SERIES_TYPE}, xTitle, yTitle, logY?, marks?: { x, label }[] }`, CURVE_SCHEMA,
    "the right panel's curves; a marker follows the frames along the first; marks are dashed vertical lines"),
  xTitle: { kind: "string", default: "x₁", doc: "left panel's x-axis title" },
  yTitle: { kind: "string", default: "x₂", doc: "left panel's y-axis title" },
  range: { kind: "number", above: 0, default: 1, doc: "half-width of the left panel's square view" },
  duration: { kind: "number", min: 0, default: 120, doc: "milliseconds per frame when playing" },
  height: { kind: "number", above: 0, default: 560, doc: "pixels" },
  legendBases: listOf(DRAWINGS_TYPE, DRAWING_SCHEMA, "static legend entries for the arrows drawn in the frames"),
});

/**
 * An animation with a play button and a step slider (replaces the blog's
 * videos). The left panel shows the frames' traces and arrows; the optional
 * right panel shows whole curves with a marker at the current frame.
 */
export function animation(opts: AnimationOptions): Figure {
  const o = ANIMATION_OPTIONS.parse(opts);
  if (o.frames.length === 0) throw new RangeError("animation needs at least one frame, got 0");
  const background = o.background ?? [];
  const curve = o.curve;
  const leftDomain = curve !== undefined ? [0, 0.52] : [0, 1];
  const first = o.frames[0]!;
  const nFrameTraces = first.traces.length;
  o.frames.forEach((f, i) => {
    if (f.traces.length !== nFrameTraces) {
      throw new RangeError(`animation frame ${i} has ${f.traces.length} traces, frame 0 has ${nFrameTraces}`);
    }
  });
  const legendBases = (o.legendBases ?? []).map(legendEntry);
  const fixed = [...background, ...legendBases, ...(curve ? curveLines(curve) : [])];
  // The frame's own traces, then the marker on the curve: the traces an animation step replaces.
  const animated = (f: AnimationFrame): Trace[] => (curve ? [...f.traces, curveMarker(curve, f)] : f.traces);
  const animatedIdx = animated(first).map((_, i) => fixed.length + i);
  const range = o.range!;
  const marks = curve?.marks ?? [];
  const labels = markLabels(marks);
  const annotations = (f: AnimationFrame): Layout[] => [
    ...(f.bases ?? []).flatMap((d) => basisArrows(d)),
    ...(f.annotations ?? []),
    ...labels,
  ];
  const layout: Layout = {
    title: { text: o.title, y: 0.98, yanchor: "top" },
    height: o.height,
    xaxis: { ...axis(o.xTitle!, range), domain: leftDomain },
    yaxis: axis(o.yTitle!, range, { scaleanchor: "x", scaleratio: 1 }),
    annotations: annotations(first),
    legend: { orientation: "h", x: 0, y: 1.0, yanchor: "bottom" },
    margin: { t: 90, r: 20, b: 130, l: 60 },
    ...playControls(o.frames, o.duration!),
  };
  if (curve) Object.assign(layout, curvePanel(curve, marks));
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

type Curve = NonNullable<AnimationOptions["curve"]>;

/** The right panel's whole curves. */
function curveLines(curve: Curve): Trace[] {
  return curve.series.map((s, i) => ({
    type: "scatter",
    mode: "lines",
    x: s.x ?? s.y.map((_, k) => k),
    y: s.y,
    name: s.name,
    xaxis: "x2",
    yaxis: "y2",
    line: { color: s.color ?? palette.learned[i % palette.learned.length], dash: s.dash ?? "solid", width: 2 },
  }));
}

/** The marker on the first curve at the frame's position: the last point at or before it. */
function curveMarker(curve: Curve, f: AnimationFrame): Trace {
  const s = curve.series[0]!;
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
}

type Marks = NonNullable<Curve["marks"]>;

/** The labels of the right panel's vertical marks, at the top of the panel. */
function markLabels(marks: Marks): Layout[] {
  return marks.map((mk) => ({
    x: mk.x, y: 1, xref: "x2", yref: "y2 domain", text: mk.label, showarrow: false,
    xanchor: "left", yanchor: "top", font: { size: 11, color: "#555" },
  }));
}

/** The right panel's axes and its dashed vertical marks. */
function curvePanel(curve: Curve, marks: Marks): Layout {
  return {
    xaxis2: { domain: [0.62, 1], anchor: "y2", title: { text: curve.xTitle } },
    yaxis2: {
      anchor: "x2", title: { text: curve.yTitle }, type: curve.logY ? "log" : "linear", exponentformat: "power",
      ...(curve.logY ? logTicks(curve.series.flatMap((x) => x.y)) : {}),
    },
    shapes: marks.map((mk) => ({
      type: "line", x0: mk.x, x1: mk.x, y0: 0, y1: 1, xref: "x2", yref: "y2 domain",
      line: { color: "#555", width: 1.5, dash: "dash" },
    })),
  };
}

/** The play and pause buttons and the step slider; `duration` is the milliseconds per frame when playing. */
function playControls(frames: AnimationFrame[], duration: number): Layout {
  return {
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
        steps: frames.map((f) => ({
          label: f.label,
          method: "animate",
          args: [[f.label], { frame: { duration: 0, redraw: true }, transition: { duration: 0 }, mode: "immediate" }],
        })),
      },
    ],
  };
}
