// A two-dimensional toy model of superposition (notebook E10): each column
// W_i of W drawn as an arrow from the origin, labelled with i and its length,
// the features the model represents in colour and the rest in grey, over the
// unit circle for scale.
import { declareOptions } from "../options";
import { arrow } from "./basis";
import { axis, palette, type Figure, type Layout } from "./spec";
import { FIGURE_TITLE, grid, req } from "./shapes";

export interface ToyModelFigureOptions {
  /** 2×n: the model's W. */
  W: number[][];
  title: string;
  /** Columns at least this long are drawn in colour, shorter ones in grey. Default 0.5. */
  threshold?: number;
  height?: number;
}

export const TOY_MODEL_FIGURE_OPTIONS = declareOptions<ToyModelFigureOptions>("toyModelFigure", {
  W: req(grid("2×n matrix: the model's W, one arrow per column")),
  title: FIGURE_TITLE,
  threshold: { kind: "number", min: 0, default: 0.5, doc: "columns at least this long are drawn in colour, shorter ones in grey" },
  height: { kind: "number", above: 0, default: 420, doc: "pixels" },
});

const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
const sub = (k: number) => String(k).split("").map((d) => SUBSCRIPT[Number(d)]).join("");

/** W's columns as arrows labelled "W_i ‖W_i‖", over the dotted unit circle; the plot is square (width = height + 30 px). */
export function toyModelFigure(opts: ToyModelFigureOptions): Figure {
  const o = TOY_MODEL_FIGURE_OPTIONS.parse(opts);
  if (o.W.length !== 2) throw new RangeError(`W must have 2 rows (a model with 2 hidden units), got ${o.W.length}`);
  const n = o.W[0]!.length;
  const annotations: Layout[] = [];
  let reach = 1;
  for (let i = 0; i < n; i++) {
    const x = o.W[0]![i]!, y = o.W[1]![i]!, len = Math.hypot(x, y);
    reach = Math.max(reach, len);
    const color = len >= o.threshold! ? palette.learned[i % palette.learned.length]! : "#999999";
    annotations.push(arrow([0, 0], [x, y], color, 2.5));
    // The label just beyond the head (pixels along the arrow); a null column gets it at the origin.
    const u = len > 0 ? [x / len, y / len] : [0, 1];
    annotations.push({ x, y, xref: "x", yref: "y", showarrow: false, xshift: 30 * u[0]!, yshift: 16 * u[1]!, text: `W${sub(i)} ${len.toFixed(2)}`, font: { color, size: 12 } });
  }
  const circle = Array.from({ length: 121 }, (_, k) => (2 * Math.PI * k) / 120);
  const range = 1.35 * reach;
  return {
    data: [{ type: "scatter", mode: "lines", x: circle.map(Math.cos), y: circle.map(Math.sin), name: "unit circle", line: { color: "#bbb", dash: "dot", width: 1 }, hoverinfo: "skip" }],
    layout: {
      title: { text: o.title }, height: o.height, width: o.height! + 30, showlegend: false,
      xaxis: axis("h₁", range), yaxis: axis("h₂", range, { scaleanchor: "x", scaleratio: 1 }),
      annotations, margin: { t: 50, r: 20, b: 40, l: 50 },
    },
  };
}
