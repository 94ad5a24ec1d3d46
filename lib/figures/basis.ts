// Vectors in the plane: data points, basis arrows (a learned or true A),
// single arrows, and the blog's E4.3 contribution diagrams.
import type { Matrix } from "../linalg";
import { declareOptions, show, type Schema } from "../options";
import { axis, palette, type Figure, type Layout, type Trace } from "./spec";
import { colorSpec, FIGURE_TITLE, grid, listOf, req, stringList } from "./shapes";

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

/** The fields of a drawing, checked by basisArrows and wherever a figure takes `bases`. */
export const DRAWING_SCHEMA: Schema<BasisDrawing> = {
  A: req(grid("2×n matrix: one arrow per column")),
  name: { kind: "string", required: true, doc: "legend entry" },
  color: colorSpec("one colour for all arrows, or one per column (default: the palette)"),
  dash: { kind: "boolean", default: false, doc: "thin, faded arrows and a dotted legend line (e.g. the truth)" },
  scale: { kind: "number", default: 1, doc: "multiply every column by this before drawing" },
  labels: {
    kind: "custom", type: "string | false", default: "A", doc: "label each head with this prefix and the column index (A₁, A₂, …); false for none",
    check: (name, v) => {
      if (typeof v !== "string" && v !== false) throw new TypeError(`${name} must be a string or false, got ${show(v)}`);
    },
  },
};

/** How the README names a list of drawings. */
export const DRAWINGS_TYPE = "{ A, name, color?, dash?, scale?, labels? }[]";

export const BASIS_DRAWING_OPTIONS = declareOptions<BasisDrawing>("basisArrows", DRAWING_SCHEMA);

export const BASIS_AXES_OPTIONS = declareOptions<{ x?: string; y?: string }>("basisArrows (axes)", {
  x: { kind: "string", default: "x", doc: "the x axis the arrows are drawn on (e.g. 'x2' for a second panel)" },
  y: { kind: "string", default: "y", doc: "the y axis the arrows are drawn on" },
});

const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
function subscript(k: number): string {
  return String(k).split("").map((d) => SUBSCRIPT[Number(d)]).join("");
}

/**
 * Arrows from the origin along each column, as plotly annotations, and a
 * label just beyond each head. (Plotly writes an arrow's own text at its
 * tail, which would pile every label up at the origin.)
 */
export function basisArrows(drawing: BasisDrawing, axes: { x?: string; y?: string } = {}): Layout[] {
  const d = BASIS_DRAWING_OPTIONS.parse(drawing);
  const { x: xref, y: yref } = BASIS_AXES_OPTIONS.parse(axes);
  const scale = d.scale!;
  const n = d.A[0]!.length;
  const prefix = d.labels!;
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
export function legendEntry(d: BasisDrawing): Trace {
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

export interface PointsTraceOptions {
  name?: string;
  color?: string | string[];
  size?: number;
  symbol?: string;
  xaxis?: string;
  yaxis?: string;
}

export const POINTS_TRACE_OPTIONS = declareOptions<PointsTraceOptions>("pointsTrace", {
  name: { kind: "string", default: "data", doc: "legend entry" },
  color: colorSpec("one colour, or one per point (e.g. sourceColors)", { default: palette.data }),
  size: { kind: "number", above: 0, default: 5, doc: "marker size, pixels" },
  symbol: { kind: "string", default: "circle", doc: "plotly marker symbol ('x', 'diamond-open', …)" },
  xaxis: { kind: "string", doc: "the x axis of a second panel ('x2'); default the first" },
  yaxis: { kind: "string", doc: "the y axis of a second panel ('y2'); default the first" },
});

/** Scatter trace of the columns of a 2×p matrix. */
export function pointsTrace(X: Matrix, options: PointsTraceOptions = {}): Trace {
  const opts = POINTS_TRACE_OPTIONS.parse(options);
  const t: Trace = {
    type: "scatter",
    mode: "markers",
    x: X[0]!.slice(),
    y: X[1]!.slice(),
    name: opts.name,
    marker: { color: opts.color, size: opts.size, symbol: opts.symbol },
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

export const SCATTER_BASIS_OPTIONS = declareOptions<ScatterBasisOptions>("scatterWithBasis", {
  X: req(grid("2×p data, one point per column")),
  bases: listOf(DRAWINGS_TYPE, DRAWING_SCHEMA, "arrows from the origin along each column of each A (see basisArrows)"),
  title: FIGURE_TITLE,
  xTitle: { kind: "string", default: "x₁", doc: "x-axis title" },
  yTitle: { kind: "string", default: "x₂", doc: "y-axis title" },
  pointName: { kind: "string", default: "data points", doc: "legend entry of the points" },
  pointColor: colorSpec("one colour, or one per point (default grey)"),
  height: { kind: "number", above: 0, default: 460, doc: "pixels" },
  range: { kind: "number", above: 0, doc: "half-width of the square view (default: fits the data)" },
});

/** Data points with basis arrows, equal axis scales (blog E1's scatter). */
export function scatterWithBasis(opts: ScatterBasisOptions): Figure {
  const o = SCATTER_BASIS_OPTIONS.parse(opts);
  const range = o.range ?? extent(o.X);
  const bases = o.bases ?? [];
  return {
    data: [pointsTrace(o.X, { name: o.pointName, color: o.pointColor }), ...bases.map(legendEntry)],
    layout: {
      title: { text: o.title },
      height: o.height,
      xaxis: axis(o.xTitle!, range),
      yaxis: axis(o.yTitle!, range, { scaleanchor: "x", scaleratio: 1 }),
      annotations: bases.flatMap((d) => basisArrows(d)),
      legend: { orientation: "h", y: -0.15 },
      margin: { t: 50, r: 20, b: 40, l: 60 },
    },
  };
}

/** One arrow annotation from `from` to `to` on the left panel's axes. */
export function arrow(from: [number, number], to: [number, number], color: string, width = 2): Layout {
  return {
    x: to[0], y: to[1], ax: from[0], ay: from[1], xref: "x", yref: "y", axref: "x", ayref: "y",
    showarrow: true, arrowhead: 2, arrowsize: 1, arrowwidth: width, arrowcolor: color, text: "",
  };
}

export interface ContributionArrowsOptions {
  colors: string[];
  scale: number;
  gain: number;
}

export const CONTRIBUTION_ARROWS_OPTIONS = declareOptions<ContributionArrowsOptions>("contributionArrows", {
  colors: req(stringList("one colour per point, reused cyclically", { nonEmpty: true })),
  scale: { kind: "number", required: true, doc: "the scale the columns are drawn at (learningAnimation's annotations get it)" },
  gain: { kind: "number", required: true, doc: "stretch of every contribution arrow, so lengths compare across frames" },
});

/**
 * The blog's E4.3 arrow diagrams: from the tip of each column A_i (drawn
 * ×scale), one arrow per point j along its contribution parts[j][:, i]/p to
 * the update, in that point's colour, and the black sum (the update itself).
 * `gain` stretches every arrow by the same factor, so lengths compare across
 * frames and points.
 */
export function contributionArrows(A: Matrix, parts: Matrix[], opts: ContributionArrowsOptions): Layout[] {
  const o = CONTRIBUTION_ARROWS_OPTIONS.parse(opts);
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
