// Phase diagrams of the recovery sweep (notebook E9): one heatmap panel per
// method and per m, the success rate of each (n, k) cell on a sequential
// scale fixed to [0, 1], the count "s/t" written in the cell, the Wilson
// interval on hover, and optionally the boundary (phaseBoundary) drawn as a
// staircase over the cells at or above one half.
import { declareOptions, show } from "../options";
import { phaseBoundary, type phaseGrid, type PhaseCellSummary } from "../sweep/phase-summary";
import type { Figure, Layout, Trace } from "./spec";
import { FIGURE_TITLE, numberList, req, stringList } from "./shapes";

export interface PhaseDiagramOptions {
  /** phaseSummary's output: one entry per (cell, method). */
  summaries: PhaseCellSummary[];
  /** One panel per method, left to right, in this order. */
  methods: string[];
  /** The dimensions shown, one row of panels each (default: every m of the summaries, ascending). */
  dims?: number[];
  /** Panel titles, one per method (default: the method names). */
  labels?: string[];
  /** 'ratio': x = n/m, y = k/m; 'count': x = n, y = k. */
  axes?: "ratio" | "count";
  /** Draw each panel's boundary: the top edge of the cells at or above one half, counted from the sparsest. */
  boundary?: boolean;
  title: string;
  /** Pixels per row of panels. */
  rowHeight?: number;
}

const objects = (name: string, v: unknown) => {
  if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of phaseSummary entries, got ${show(v)}`);
  v.forEach((s, i) => {
    const e = s as Partial<PhaseCellSummary> | null;
    if (e === null || typeof e !== "object" || typeof e.method !== "string" || typeof e.m !== "number" || typeof e.rate?.rate !== "number") {
      throw new TypeError(`${name}[${i}] must be a phaseSummary entry ({ m, n, k, method, rate, … }), got ${show(s)}`);
    }
  });
};

export const PHASE_DIAGRAM_OPTIONS = declareOptions<PhaseDiagramOptions>("phaseDiagram", {
  summaries: req({ kind: "custom", type: "PhaseCellSummary[]", check: objects, doc: "phaseSummary's output: one entry per (cell, method)" }),
  methods: req(stringList("one panel per method, left to right", { nonEmpty: true })),
  dims: numberList("the m shown, one row of panels each (default: every m of the summaries)"),
  labels: stringList("panel titles, one per method (default: the method names)"),
  axes: { kind: "enum", values: ["ratio", "count"], default: "ratio", doc: "'ratio': x = n/m, y = k/m; 'count': x = n, y = k" },
  boundary: { kind: "boolean", default: true, doc: "draw each panel's boundary (phaseBoundary) as a staircase" },
  title: FIGURE_TITLE,
  rowHeight: { kind: "number", above: 0, default: 300, doc: "pixels per row of panels" },
});

/** A ratio as a short label: 0.125, 0.25, 2. */
const label = (v: number) => String(Number(v.toPrecision(3)));
const pct = (v: number) => `${Math.round(100 * v)}%`;

/**
 * A method's grid at m over the n and k of every method at m (phaseGrid's
 * shape), so that the panels of a row line up and a missing cell is a gap.
 */
function alignedGrid(summaries: readonly PhaseCellSummary[], method: string, m: number): ReturnType<typeof phaseGrid> {
  const atM = summaries.filter((s) => s.m === m);
  const ns = [...new Set(atM.map((s) => s.n))].sort((a, b) => a - b);
  const ks = [...new Set(atM.map((s) => s.k))].sort((a, b) => a - b);
  const cells = ks.map((k) => ns.map((n) => atM.find((s) => s.method === method && s.n === n && s.k === k) ?? null));
  return { ns, ks, cells, z: cells.map((row) => row.map((s) => (s ? s.rate.rate : null))) };
}

/** The staircase over a grid's boundary, in the panel's index units (cells are 1 wide, centred on integers). */
function staircase(g: ReturnType<typeof phaseGrid>): { x: number[]; y: number[] } {
  const x: number[] = [], y: number[] = [];
  phaseBoundary(g).forEach((b, j) => {
    const top = b.k === null ? -0.5 : g.ks.indexOf(b.k) + 0.5;
    x.push(j - 0.5, j + 0.5);
    y.push(top, top);
  });
  return { x, y };
}

/**
 * Side-by-side phase diagrams: a row of panels per m, a panel per method.
 * Rows of a panel are the densities, sparsest at the bottom; a cell without
 * records is a gap.
 */
export function phaseDiagram(opts: PhaseDiagramOptions): Figure {
  const o = PHASE_DIAGRAM_OPTIONS.parse(opts);
  if (o.labels && o.labels.length !== o.methods.length) throw new RangeError(`labels must give one title per method (${o.methods.length}), got ${o.labels.length}`);
  const dims = o.dims ?? [...new Set(o.summaries.map((s) => s.m))].sort((a, b) => a - b);
  if (dims.length === 0) throw new RangeError("phaseDiagram: summaries holds no cell (no records were read)");
  for (const m of dims) if (!o.summaries.some((s) => s.m === m)) throw new RangeError(`dims: no summary has m = ${show(m)} (the summaries have m = ${[...new Set(o.summaries.map((s) => s.m))].join(", ")})`);
  const cols = o.methods.length, rows = dims.length;
  const gapX = 0.04, gapY = rows > 1 ? 0.12 : 0;
  const w = (1 - gapX * (cols - 1)) / cols, h = (1 - gapY * (rows - 1)) / rows;
  const ratio = o.axes === "ratio";
  const layout: Layout = { title: { text: o.title }, height: o.rowHeight! * rows + 100, margin: { t: 80, r: 20, b: 100, l: 70 }, annotations: [] as Layout[] };
  const data: Trace[] = [];
  dims.forEach((m, r) => {
    o.methods.forEach((method, c) => {
      const i = r * cols + c, suffix = i === 0 ? "" : String(i + 1);
      const x0 = c * (w + gapX), y1 = 1 - r * (h + gapY);
      const g = alignedGrid(o.summaries, method, m);
      const xs = g.ns.map((n) => (ratio ? label(n / m) : String(n))), ys = g.ks.map((k) => (ratio ? label(k / m) : String(k)));
      layout[`xaxis${suffix}`] = {
        domain: [x0, x0 + w], anchor: `y${suffix}`, tickvals: xs.map((_, j) => j), ticktext: xs, range: [-0.5, xs.length - 0.5],
        title: { text: r === rows - 1 ? (ratio ? "n/m" : "n") : "" }, showgrid: false, zeroline: false,
      };
      layout[`yaxis${suffix}`] = {
        domain: [y1 - h, y1], anchor: `x${suffix}`, tickvals: ys.map((_, j) => j), ticktext: ys, range: [-0.5, ys.length - 0.5],
        title: { text: c === 0 ? (ratio ? `k/m (m = ${m})` : `k (m = ${m})`) : "" }, showticklabels: c === 0, ticks: c === 0 ? "outside" : "", showgrid: false, zeroline: false,
      };
      (layout.annotations as Layout[]).push({
        text: `${o.labels?.[c] ?? method}${rows > 1 ? `, m = ${m}` : ""}`, x: x0 + w / 2, y: y1 + 0.01, xref: "paper", yref: "paper",
        showarrow: false, xanchor: "center", yanchor: "bottom", font: { size: 13 },
      });
      const text = g.cells.map((row) => row.map((s) => (s ? `${s.rate.successes}/${s.rate.trials}` : "")));
      const hover = g.cells.map((row) => row.map((s) => (s ? `n = ${s.n}, k = ${s.k}: ${s.rate.successes} of ${s.rate.trials} seeds (${pct(s.rate.rate)}, 95% CI ${pct(s.rate.low)}–${pct(s.rate.high)})` : "")));
      data.push({
        type: "heatmap", z: g.z, x: xs.map((_, j) => j), y: ys.map((_, j) => j), xaxis: `x${suffix}`, yaxis: `y${suffix}`,
        zmin: 0, zmax: 1, colorscale: "Viridis", showscale: i === 0, hoverongaps: false, xgap: 2, ygap: 2,
        colorbar: { title: { text: "success rate" }, tickformat: ".0%", len: 0.8 },
        text, texttemplate: "%{text}", customdata: hover, hovertemplate: `${o.labels?.[c] ?? method}<br>%{customdata}<extra></extra>`,
      });
      if (o.boundary && g.cells.some((row) => row.some((v) => v !== null))) {
        const s = staircase(g);
        data.push({
          type: "scatter", mode: "lines", x: s.x, y: s.y, xaxis: `x${suffix}`, yaxis: `y${suffix}`, line: { color: "#ff4040", width: 3 },
          name: "boundary (rate ≥ ½ below the line)", legendgroup: "boundary", showlegend: i === 0, hoverinfo: "skip",
        });
      }
    });
  });
  layout.legend = { orientation: "h", x: 0, y: 0, yref: "container", yanchor: "bottom" };
  return { data, layout };
}
