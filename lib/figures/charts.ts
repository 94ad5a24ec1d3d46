// Generic charts: lines with bands, histograms, grouped bars and heatmaps.
import type { Matrix } from "../linalg";
import { logTicks, LOG_TICKS, palette, withAlpha, type Figure, type Layout, type Trace } from "./spec";

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
