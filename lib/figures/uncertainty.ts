// Spread over seeds and interval estimates: box-and-points strips, and
// forest plots of rates with their intervals.
import { declareOptions, type Schema } from "../options";
import { logTicks, palette, type Figure, type Layout, type Trace } from "./spec";
import { FIGURE_TITLE, listOf, numberList, objectOf, pair, req, stringList } from "./shapes";

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

export const SEED_STRIP_OPTIONS = declareOptions<SeedStripOptions>("seedStrip", {
  groups: req(listOf("{ name, values: number[], color?, labels?: string[] }[]", {
    name: { kind: "string", required: true, doc: "" }, values: req(numberList("")), color: { kind: "string", doc: "" }, labels: stringList(""),
  }, "one box per group (a configuration), one point per seed; labels are the points' hover text (default 'seed k')")),
  title: FIGURE_TITLE,
  yTitle: { kind: "string", required: true, doc: "y-axis title" },
  xTitle: { kind: "string", default: "", doc: "x-axis title" },
  threshold: objectOf("{ value, label }", {
    value: { kind: "number", required: true, doc: "" }, label: { kind: "string", required: true, doc: "" },
  }, "a dashed horizontal line, e.g. the 3° success threshold"),
  logY: { kind: "boolean", default: false, doc: "log y axis, labelled 1–2–5" },
  height: { kind: "number", above: 0, default: 420, doc: "pixels" },
});

/**
 * Distributions over seeds: a box (median, quartiles) with every run drawn
 * as a point beside it, so a rate such as "14/20 under 3°" can be read off
 * and a single bad seed is not hidden in a whisker.
 */
export function seedStrip(opts: SeedStripOptions): Figure {
  const o = SEED_STRIP_OPTIONS.parse(opts);
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
      height: o.height,
      showlegend: false,
      // Long configuration names are turned by plotly; automargin keeps them inside the figure.
      xaxis: { title: { text: o.xTitle }, automargin: true },
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

const INTERVAL_SCHEMA: Schema<Interval> = {
  value: { kind: "number", required: true, doc: "" },
  low: { kind: "number", required: true, doc: "" },
  high: { kind: "number", required: true, doc: "" },
  label: { kind: "string", doc: "" },
};

export const INTERVAL_CHART_OPTIONS = declareOptions<IntervalChartOptions>("intervalChart", {
  categories: req(stringList("one row per category, drawn top to bottom")),
  series: req(listOf("{ name, points: ({ value, low, high, label? } | null)[], color? }[]", {
    name: { kind: "string", required: true, doc: "" },
    points: req(listOf("", INTERVAL_SCHEMA, "", { nullable: true })),
    color: { kind: "string", doc: "" },
  }, "one marker per category and series with a whisker from low to high; null leaves a gap; label is the hover text")),
  title: FIGURE_TITLE,
  xTitle: { kind: "string", required: true, doc: "x-axis title" },
  xRange: pair("x-axis range (default: plotly's)"),
  percent: { kind: "boolean", default: false, doc: "show x as a percentage (the values are fractions)" },
  reference: { kind: "number", doc: "a dashed vertical line, e.g. 0 for differences" },
  height: { kind: "number", above: 0, doc: "pixels (default: grows with the categories and series)" },
});

/**
 * Estimates with intervals, one row per category (a forest plot): success
 * rates with their Wilson intervals, or differences of rates. Series share a
 * row and are offset a little so their whiskers do not overlap.
 */
export function intervalChart(opts: IntervalChartOptions): Figure {
  const o = INTERVAL_CHART_OPTIONS.parse(opts);
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
