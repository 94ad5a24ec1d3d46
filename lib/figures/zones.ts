// Activation zones drawn as a categorical map (blog "Comparison with SAEs").
import type { Matrix } from "../linalg";
import { declareOptions } from "../options";
import { palette, type Figure, type Trace } from "./spec";
import { basisArrows, DRAWING_SCHEMA, DRAWINGS_TYPE, pointsTrace, type BasisDrawing } from "./basis";
import { anyNumber, FIGURE_TITLE, grid, listOf, numberList, objectOf, req } from "./shapes";

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

export const ZONE_FIGURE_OPTIONS = declareOptions<ZoneFigureOptions>("zoneFigure", {
  // A ZoneMap carries more than the figure reads (the feature count, each zone's share).
  zones: req(objectOf("ZoneMap", {
    x: req(numberList("")), y: req(numberList("")), mask: req(grid("")),
    zones: req(listOf("", { mask: req(anyNumber("")), active: req(numberList("")) }, "", { open: true })),
  }, "activationZones's map", { open: true })),
  title: FIGURE_TITLE,
  bases: listOf(DRAWINGS_TYPE, DRAWING_SCHEMA, "arrows drawn over the zones (the coder's directions, the truth)"),
  boundaries: listOf("{ normal: number[], offset }[]", {
    normal: req(numberList("")), offset: { kind: "number", required: true, doc: "" },
  }, "zone edges of a ReLU encoder (reluBoundaries): normal·x = offset, one dashed line each"),
  points: listOf("{ X, name, color?, symbol?, open? }[]", {
    X: req(grid("")), name: { kind: "string", required: true, doc: "" }, color: { kind: "string", doc: "" },
    symbol: { kind: "string", doc: "" }, open: { kind: "boolean", doc: "" },
  }, "point sets drawn on top (default colour #333, symbol circle); open draws hollow markers"),
  height: { kind: "number", above: 0, default: 520, doc: "pixels" },
});

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
export function zoneFigure(opts: ZoneFigureOptions): Figure {
  const o = ZONE_FIGURE_OPTIONS.parse(opts);
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
      height: o.height,
      xaxis: { title: { text: "x₁" }, range: [x0, x1], constrain: "domain" },
      yaxis: { title: { text: "x₂" }, range: [y0, y1], scaleanchor: "x", scaleratio: 1, constrain: "domain" },
      annotations: (o.bases ?? []).flatMap((d) => basisArrows(d)),
      legend: { orientation: "h", y: -0.15 },
      margin: { t: 50, r: 20, b: 40, l: 60 },
    },
  };
}
