// Generic charts: lines with bands, histograms, grouped bars and heatmaps.
import type { Matrix } from "../linalg";
import { declareOptions, type Schema } from "../options";
import { logTicks, LOG_TICKS, palette, withAlpha, type Figure, type Layout, type Trace } from "./spec";
import { AXIS_TITLES, FIGURE_TITLE, gappedNumbers, grid, listOf, numberList, objectOf, req, stringList } from "./shapes";

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

/** The fields of one series, checked wherever a figure takes series (lineChart, animation's curve). */
export const SERIES_SCHEMA: Schema<Series> = {
  x: numberList("x of each point (default 0, 1, 2, …)"),
  y: req(numberList("y of each point")),
  name: { kind: "string", required: true, doc: "legend entry" },
  color: { kind: "string", doc: "line colour (default: the palette, by position)" },
  dash: { kind: "enum", values: ["solid", "dot", "dash"], doc: "line style (default 'solid')" },
  mode: { kind: "enum", values: ["lines", "markers", "lines+markers"], doc: "plotly mode (default 'lines')" },
  band: objectOf("{ low: number[], high: number[] }", { low: req(numberList("")), high: req(numberList("")) }, "a shaded band"),
};

/** How the README names a list of series. */
export const SERIES_TYPE = "{ x?, y, name, color?, dash?, mode?, band?: { low, high } }[]";

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

export const LINE_CHART_OPTIONS = declareOptions<LineChartOptions>("lineChart", {
  series: req(listOf(SERIES_TYPE, SERIES_SCHEMA, "the lines; a band is shaded around its line (e.g. quartiles over seeds)")),
  ...AXIS_TITLES,
  logX: { kind: "boolean", default: false, doc: "log x axis, labelled 1–2–5" },
  logY: { kind: "boolean", default: false, doc: "log y axis, labelled 1–2–5 over the data's decades" },
  integerX: { kind: "boolean", default: false, doc: "label only whole numbers on the x axis (counts such as k)" },
  height: { kind: "number", above: 0, default: 400, doc: "pixels" },
});

/** Line plot of one or more series, with optional log axes. */
export function lineChart(opts: LineChartOptions): Figure {
  const o = LINE_CHART_OPTIONS.parse(opts);
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
      height: o.height,
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

export const HISTOGRAM_OPTIONS = declareOptions<HistogramOptions>("histogram", {
  series: req(listOf("{ values: number[], name, color? }[]", {
    values: req(numberList("")), name: { kind: "string", required: true, doc: "" }, color: { kind: "string", doc: "" },
  }, "the samples, one overlaid histogram each")),
  title: FIGURE_TITLE,
  xTitle: { kind: "string", required: true, doc: "x-axis title" },
  yTitle: { kind: "string", doc: "y-axis title (default 'density', or 'count' when density is false)" },
  bins: { kind: "integer", min: 1, default: 60, doc: "most bins (plotly's nbinsx)" },
  density: { kind: "boolean", default: true, doc: "normalise to a probability density" },
  height: { kind: "number", above: 0, default: 360, doc: "pixels" },
});

/** Overlaid histograms. */
export function histogram(opts: HistogramOptions): Figure {
  const o = HISTOGRAM_OPTIONS.parse(opts);
  return {
    data: o.series.map((s, i) => ({
      type: "histogram",
      x: s.values,
      name: s.name,
      opacity: 0.6,
      nbinsx: o.bins,
      histnorm: o.density === false ? "" : "probability density",
      marker: { color: s.color ?? palette.learned[i % palette.learned.length] },
    })),
    layout: {
      title: { text: o.title },
      height: o.height,
      barmode: "overlay",
      xaxis: { title: { text: o.xTitle } },
      yaxis: { title: { text: o.yTitle ?? (o.density === false ? "count" : "density") } },
      legend: { orientation: "h", y: -0.25 },
      margin: { t: 50, r: 20, b: 50, l: 70 },
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

export const BAR_CHART_OPTIONS = declareOptions<BarChartOptions>("barChart", {
  categories: req(stringList("one group of bars per category")),
  series: req(listOf("{ name, values: (number | null)[], color? }[]", {
    name: { kind: "string", required: true, doc: "" }, values: req(gappedNumbers("")), color: { kind: "string", doc: "" },
  }, "one bar per category and series; null leaves a category without a bar")),
  ...AXIS_TITLES,
  height: { kind: "number", above: 0, default: 380, doc: "pixels" },
});

/** Grouped bars: one group per category, one bar per series. */
export function barChart(opts: BarChartOptions): Figure {
  const o = BAR_CHART_OPTIONS.parse(opts);
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
      height: o.height,
      barmode: "group",
      xaxis: { title: { text: o.xTitle } },
      yaxis: { title: { text: o.yTitle }, zeroline: true },
      legend: { orientation: "h", y: -0.25 },
      margin: { t: 50, r: 20, b: 60, l: 70 },
    },
  };
}

export interface HeatmapPanel {
  title: string;
  z: Matrix;
  xLabels?: string[];
  yLabels?: string[];
}

export interface HeatmapsOptions {
  title: string;
  panels: HeatmapPanel[];
  height?: number;
  colorTitle?: string;
}

export const HEATMAPS_OPTIONS = declareOptions<HeatmapsOptions>("heatmaps", {
  title: FIGURE_TITLE,
  panels: req(listOf("{ title, z: number[][], xLabels?, yLabels? }[]", {
    title: { kind: "string", required: true, doc: "" }, z: req(grid("")), xLabels: stringList(""), yLabels: stringList(""),
  } satisfies Schema<HeatmapPanel>, "side by side, on one colour scale centred on 0; labels default to 1, 2, …")),
  height: { kind: "number", above: 0, default: 320, doc: "pixels" },
  colorTitle: { kind: "string", default: "", doc: "title of the colour bar" },
});

/** Heatmaps side by side with a shared diverging colour scale centred on 0 (blog E5). */
export function heatmaps(opts: HeatmapsOptions): Figure {
  const o = HEATMAPS_OPTIONS.parse(opts);
  const k = o.panels.length;
  if (k === 0) throw new RangeError("heatmaps needs at least one panel");
  let zmax = 0;
  for (const p of o.panels) for (const row of p.z) for (const v of row) zmax = Math.max(zmax, Math.abs(v));
  zmax = zmax || 1;
  const gap = 0.06;
  const width = (1 - gap * (k - 1)) / k;
  const layout: Layout = {
    title: { text: o.title },
    height: o.height,
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
      colorbar: { title: { text: o.colorTitle } },
      texttemplate: "%{z:.2f}",
      hovertemplate: "row %{y}, column %{x}: %{z:.3f}<extra></extra>",
    };
  });
  return { data, layout };
}
