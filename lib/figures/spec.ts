// Plotly figure specifications as plain objects. Builders return data only;
// lib/display.ts turns a spec into something a notebook or a page can show.
// This file: the spec's types, the colours every figure shares, and the
// axis helpers.
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

/** "#rrggbb" with an alpha, as rgba(); other colour strings are returned unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (!m) return color;
  return `rgba(${parseInt(m[1]!, 16)}, ${parseInt(m[2]!, 16)}, ${parseInt(m[3]!, 16)}, ${alpha})`;
}

/** A square axis around the origin, [−range, range], with a zero line. */
export function axis(title: string, range: number, extra: Layout = {}): Layout {
  return { title: { text: title }, range: [-range, range], zeroline: true, zerolinecolor: "#ccc", ...extra };
}

/** Tick labels for log axes. */
export const LOG_TICKS = [-3, -2, -1, 0, 1, 2, 3].flatMap((e) => [1, 2, 5].map((m) => Number((m * 10 ** e).toPrecision(1))));

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
