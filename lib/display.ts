// Showing figures from a tslab notebook. One HTML output per figure, a <div>
// plus a <script> that calls Plotly.newPlot, because text/html with scripts is
// the one output kind that classic Notebook, JupyterLab, VS Code and
// nbconvert all keep and run (the plotly MIME type is dropped by nbconvert).
//
// Where does Plotly itself come from?
// - Live in Jupyter: the first show() of a kernel session (or setupNotebook())
//   emits the plotly.js bundle as a script output; later figures reuse it.
// - In the published site (ICA_SITE_BUILD=1 in the kernel's environment): no
//   bundle is emitted; every page loads one shared assets/plotly.min.js.
// Figures drawn before Plotly arrives wait in a queue that the bundle flushes.
import * as path from "path";
import * as tslab from "tslab";
import { readFirst } from "./io";
import { inKernel } from "./kernel";
import { declareOptions } from "./options";
import type { Figure } from "./figures";

let counter = 0;
let bundleSent = false;

/** Marker attribute of the bundle output, so the site builder can drop it. */
export const BUNDLE_MARKER = "data-ica-plotly-bundle";

function siteBuild(): boolean {
  return process.env.ICA_SITE_BUILD === "1";
}

/** Escapes a JSON string for safe inclusion inside a <script> element. */
function scriptSafe(json: string): string {
  return json.replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export interface FigureHtmlOptions {
  id?: string;
}

export const FIGURE_HTML_OPTIONS = declareOptions<FigureHtmlOptions>("figureHtml", {
  id: { kind: "string", doc: "the div's id (default: ica-fig-N when building the site, else unique per kernel session)" },
});

/** HTML (a div and a script) that draws `fig` once Plotly is on the page. */
export function figureHtml(fig: Figure, options: FigureHtmlOptions = {}): string {
  const opts = FIGURE_HTML_OPTIONS.parse(options);
  counter += 1;
  // A published page comes from one kernel run, so a counter makes ids (and
  // the HTML) reproducible. Live, a restarted kernel counts from 1 again while
  // the old outputs are still on the page, so the time is added.
  const id = opts.id ?? (siteBuild() ? `ica-fig-${counter}` : `ica-fig-${Date.now().toString(36)}-${counter}`);
  const height = typeof fig.layout.height === "number" ? fig.layout.height : 450;
  // Six significant digits are far below what a screen shows, and keep
  // pages small (an animation repeats every point in every frame).
  const round = (_k: string, v: unknown): unknown =>
    typeof v === "number" && Number.isFinite(v) && !Number.isInteger(v) ? Number(v.toPrecision(6)) : v;
  const spec = scriptSafe(
    JSON.stringify({
      data: fig.data,
      layout: { autosize: true, ...fig.layout },
      frames: fig.frames ?? null,
      config: { responsive: true, displaylogo: false, ...(fig.config ?? {}) },
    }, round),
  );
  return `<div id="${id}" class="ica-plot" style="width:100%;min-height:${height}px"></div>
<script>(function () {
  var fig = ${spec};
  function draw() {
    var el = document.getElementById(${JSON.stringify(id)});
    if (!el) return;
    Plotly.newPlot(el, fig.data, fig.layout, fig.config).then(function () {
      if (fig.frames) return Plotly.addFrames(el, fig.frames);
    });
  }
  if (window.Plotly) draw();
  else (window.__icaPlotQueue = window.__icaPlotQueue || []).push(draw);
})();</script>`;
}

function plotlySource(): string {
  // npm start leaves a minified copy (4 MB instead of 10) in build/; else the package's own.
  const minified = path.resolve(__dirname, "..", "build", "plotly.min.js");
  let full: string | null = null;
  try {
    full = require.resolve("plotly.js-dist/plotly.js");
  } catch {
    // not installed: readFirst says what to run
  }
  return readFirst([minified, full], "plotly.js", "run `npm run setup` (it installs plotly.js-dist), or `npm start` (it writes build/plotly.min.js)");
}

/** HTML that defines window.Plotly and draws any figures waiting for it. */
export function plotlyBundleHtml(): string {
  const flush = "<script>(window.__icaPlotQueue || []).splice(0).forEach(function (f) { f(); });</script>";
  if (siteBuild()) return `<script ${BUNDLE_MARKER}="external"></script>${flush}`;
  return `<script ${BUNDLE_MARKER}="inline">${plotlySource().replace(/<\/script/gi, "<\\/script")}</script>${flush}`;
}


/**
 * Loads plotly.js into the notebook page. Run it in the first cell; run it
 * again after reloading the page in the browser.
 */
export function setupNotebook(): void {
  if (!inKernel()) return;
  tslab.display.html(plotlyBundleHtml());
  bundleSent = true;
}

/**
 * Displays a figure in the notebook. Outside a kernel (plain node, tests) it
 * does nothing; figureHtml() gives the HTML there.
 */
export function show(fig: Figure): void {
  if (!inKernel()) return;
  if (!bundleSent) setupNotebook();
  tslab.display.html(figureHtml(fig));
}

/** HTML table of rows (the first row is the header). */
export function tableHtml(rows: (string | number)[][], caption?: string): string {
  const esc = (v: string | number): string =>
    (typeof v === "number" ? formatNumber(v) : v).replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const [head, ...body] = rows;
  const html = `<table class="ica-table">${caption ? `<caption>${esc(caption)}</caption>` : ""}<thead><tr>${(head ?? [])
    .map((h) => `<th>${esc(h)}</th>`)
    .join("")}</tr></thead><tbody>${body
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
  return html;
}

/** Displays a table of rows (the first row is the header) in the notebook. */
export function showTable(rows: (string | number)[][], caption?: string): void {
  if (inKernel()) tslab.display.html(tableHtml(rows, caption));
}

/** Compact number formatting for tables and messages. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

