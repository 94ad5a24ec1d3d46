// Turns executed notebooks into the pages of the offline site: one article
// per notebook, a table of contents, and shared assets (one plotly bundle,
// a local MathJax, one stylesheet). Nothing on a page points off the disk.
import * as fs from "fs";
import * as path from "path";
import { marked } from "marked";
import { transformSync } from "esbuild";
import { ROOT } from "./jupyter";
import { BUNDLE_MARKER } from "../lib/display";
import { CLAIM_MIME, SUMMARY_MIME, claimsChecked, claimsInNotebook, type ClaimRecord, type ClaimTally } from "../lib/check";

/** Largest page allowed, in bytes, not counting the shared assets. */
export const PAGE_BUDGET = 3 * 1024 * 1024;

type Source = string | string[];
interface Output {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  name?: string;
  text?: Source;
  data?: Record<string, Source | object>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: "markdown" | "code" | "raw";
  source: Source;
  outputs?: Output[];
}
export interface NotebookJson {
  cells: Cell[];
  metadata: Record<string, unknown>;
}

export interface PageInfo {
  file: string;
  title: string;
  summary: string;
  /** The claims the page shows: how many, and how many failed. */
  claims: { checked: number; failed: number };
}

const join = (s: Source | object | undefined): string => (Array.isArray(s) ? s.join("") : typeof s === "string" ? s : "");

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Markdown to HTML with the TeX left intact for MathJax: math spans are
 * swapped for placeholders before marked runs (so that `_` and `*` inside
 * them are not read as emphasis) and put back, HTML-escaped, afterwards.
 */
export function renderMarkdown(md: string): string {
  const math: string[] = [];
  const keep = (m: string): string => {
    math.push(m);
    return `MATHPLACEHOLDER${math.length - 1}X`;
  };
  const protectedMd = md
    .replace(/\$\$[\s\S]+?\$\$/g, keep)
    .replace(/\\\[[\s\S]+?\\\]/g, keep)
    .replace(/\\\([\s\S]+?\\\)/g, keep)
    .replace(/(^|[^\\$])(\$[^$\n]+?\$)/g, (_m, pre: string, body: string) => pre + keep(body));
  const html = marked.parse(protectedMd, { async: false, gfm: true }) as string;
  return html.replace(/MATHPLACEHOLDER(\d+)X/g, (_m, i: string) => escapeHtml(math[Number(i)]!));
}

/** Title (the first level-1 heading) and a one-line summary of a notebook. */
export function describeNotebook(nb: NotebookJson, file: string): PageInfo {
  const firstMd = nb.cells.find((c) => c.cell_type === "markdown");
  const md = firstMd ? join(firstMd.source) : "";
  const title = /^#\s+(.+)$/m.exec(md)?.[1]?.trim() ?? path.basename(file, ".ipynb");
  const meta = (nb.metadata as { ica?: { summary?: string } }).ica;
  let summary = meta?.summary ?? "";
  if (!summary) {
    const para = md
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p.length > 0 && !p.startsWith("#"));
    const text = (para ?? "").replace(/\s+/g, " ");
    // One line: the paragraph's first sentence.
    summary = /^.+?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
  }
  const { claims } = claimsInNotebook(nb);
  return { file: path.basename(file, ".ipynb") + ".html", title, summary, claims: { checked: claims.length, failed: claims.filter((c) => !c.held).length } };
}

/** "12 claims checked, all held" or "12 claims checked, 2 failed". */
export function claimsLine(c: PageInfo["claims"]): string {
  if (c.checked === 0) return "no claims checked";
  return `${claimsChecked(c.checked)}, ${c.failed === 0 ? (c.checked === 1 ? "it held" : "all held") : `${c.failed} failed`}`;
}

/** A claim's badge, its words and what was measured. */
function claimBadge(r: ClaimRecord): string {
  const measured = r.measured ? `<span class="measured">measured: ${escapeHtml(r.measured)}</span>` : "";
  const error = r.error ? `<span class="measured">could not be tested: ${escapeHtml(r.error)}</span>` : "";
  return `<div class="claim ${r.held ? "held" : "failed"}"><span class="badge">${r.held ? "✓ held" : "✗ failed"}</span><span class="words">${escapeHtml(r.words)}</span>${measured}${error}</div>`;
}

/** The notebook's closing summary (its claimSummary() cell). */
function summaryBlock(t: ClaimTally): string {
  const line = claimsLine({ checked: t.checked, failed: t.failed.length });
  return `<div class="claim-summary ${t.failed.length === 0 ? "held" : "failed"}" id="claims">${escapeHtml(line[0]!.toUpperCase() + line.slice(1))}.${t.failed.map(claimBadge).join("")}</div>`;
}

/** display.ts's bundle output (marked with its BUNDLE_MARKER) and the queue flush that follows it. */
const BUNDLE_OUTPUT = new RegExp(`<script ${BUNDLE_MARKER.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[^>]*>[\\s\\S]*?<\\/script>(<script>\\(window\\.__icaPlotQueue[\\s\\S]*?<\\/script>)?`, "g");

/** Drops the plotly bundle a notebook emitted for live use; pages share one. */
function stripBundle(html: string): string {
  return html.replace(BUNDLE_OUTPUT, "");
}

function renderOutput(o: Output): string {
  if (o.output_type === "stream") {
    const text = join(o.text);
    if (text.trim() === "") return "";
    return `<pre class="out ${o.name === "stderr" ? "stderr" : "stdout"}">${escapeHtml(text)}</pre>`;
  }
  if (o.output_type === "error") {
    return `<pre class="out stderr">${escapeHtml(`${o.ename}: ${o.evalue}`)}</pre>`;
  }
  const d = o.data ?? {};
  if (d[CLAIM_MIME] !== undefined) return claimBadge(d[CLAIM_MIME] as unknown as ClaimRecord);
  if (d[SUMMARY_MIME] !== undefined) return summaryBlock(d[SUMMARY_MIME] as unknown as ClaimTally);
  if (d["text/html"] !== undefined) {
    const html = stripBundle(join(d["text/html"]));
    return html.trim() === "" ? "" : `<div class="out html">${html}</div>`;
  }
  if (d["image/svg+xml"] !== undefined) return `<div class="out">${join(d["image/svg+xml"])}</div>`;
  if (d["image/png"] !== undefined) return `<div class="out"><img alt="figure" src="data:image/png;base64,${join(d["image/png"]).trim()}"></div>`;
  if (d["text/markdown"] !== undefined) return `<div class="out md">${renderMarkdown(join(d["text/markdown"]))}</div>`;
  if (d["text/latex"] !== undefined) return `<div class="out">${escapeHtml(join(d["text/latex"]))}</div>`;
  if (d["text/plain"] !== undefined) return `<pre class="out result">${escapeHtml(join(d["text/plain"]))}</pre>`;
  return "";
}

function nav(pages: PageInfo[], i: number): string {
  const prev = i > 0 ? pages[i - 1] : undefined;
  const next = i < pages.length - 1 ? pages[i + 1] : undefined;
  return `<nav class="pager">
  <span class="prev">${prev ? `<a rel="prev" href="${prev.file}">← ${escapeHtml(prev.title)}</a>` : ""}</span>
  <span class="home"><a href="index.html">Contents</a></span>
  <span class="next">${next ? `<a rel="next" href="${next.file}">${escapeHtml(next.title)} →</a>` : ""}</span>
</nav>`;
}

function head(title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="assets/style.css">
<script>
window.MathJax = {
  tex: { inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], displayMath: [["$$", "$$"], ["\\\\[", "\\\\]"]], processEscapes: true },
  svg: { fontCache: "global" },
  options: { enableMenu: false }
};
</script>
<script src="assets/plotly.min.js"></script>
<script defer src="assets/mathjax/tex-svg-full.js"></script>
</head>`;
}

/** The page's first line: how many claims were checked and whether they held, linked to the summary if the page has one. */
function claimsHeader(nb: NotebookJson, info: PageInfo): string {
  if (info.claims.checked === 0) return "";
  const hasSummary = claimsInNotebook(nb).summary !== null;
  const line = escapeHtml(claimsLine(info.claims));
  const held = info.claims.failed === 0;
  const more = held ? " when this page was built. Each claim in the text is checked by a cell; its badge, under the cell, shows what was measured." : ".";
  return `<p class="claims-header ${held ? "held" : "failed"}">${hasSummary ? `<a href="#claims">${line}</a>` : `<b>${line}</b>`}${more}</p>`;
}

/** One article page for an executed notebook. */
export function renderPage(nb: NotebookJson, pages: PageInfo[], i: number): string {
  const info = pages[i]!;
  const body: string[] = [];
  for (const cell of nb.cells) {
    const src = join(cell.source);
    if (cell.cell_type === "markdown") {
      body.push(`<section class="md">${renderMarkdown(src)}</section>`);
    } else if (cell.cell_type === "code") {
      if (src.trim() !== "") body.push(`<pre class="code"><code>${escapeHtml(src)}</code></pre>`);
      const outs = (cell.outputs ?? []).map(renderOutput).join("\n");
      if (outs.trim() !== "") body.push(`<div class="outputs">${outs}</div>`);
    }
  }
  return `${head(`${info.title} · ICA vs SAEs`)}
<body>
${nav(pages, i)}
<article>
${claimsHeader(nb, info)}
${body.join("\n")}
</article>
${nav(pages, i)}
<footer>Generated from <code>notebooks/${escapeHtml(info.file.replace(/\.html$/, ".ipynb"))}</code> by <code>npm start</code>.</footer>
</body>
</html>
`;
}

/** The table of contents. */
export function renderIndex(pages: PageInfo[]): string {
  const items = pages
    .map(
      (p) => `<li><a href="${p.file}">${escapeHtml(p.title)}</a> <span class="claims-count ${p.claims.failed === 0 ? "held" : "failed"}">${escapeHtml(claimsLine(p.claims))}</span><p>${renderMarkdown(p.summary).replace(/^<p>|<\/p>\s*$/g, "")}</p></li>`,
    )
    .join("\n");
  return `${head("ICA vs SAEs: notebooks")}
<body>
<article>
<h1>ICA vs SAEs</h1>
<p>Executed notebooks that reproduce, test and extend the blog post “ICA vs SAEs”, which asks whether Lewicki &amp; Sejnowski's overcomplete ICA can find features the way sparse autoencoders do. Each page was run top to bottom from a fresh kernel. Its findings are stated as claims, ${pages.reduce((t, p) => t + p.claims.checked, 0)} in all, each checked by a cell that would have stopped the build had it failed, and each shown with a badge giving what it measured. Rates come from 20 or more seeds with their intervals; a number from one run is presented as an illustration, not a finding.</p>
<ol class="toc">
${items}
</ol>
</article>
<footer>Built by <code>npm start</code>. Works offline: open this file from disk.</footer>
</body>
</html>
`;
}

const STYLE = `
:root { --fg: #1d2329; --muted: #5d6b78; --rule: #e3e7eb; --accent: #1f5fa8; }
body { margin: 0; color: var(--fg); font: 17px/1.6 Georgia, "DejaVu Serif", serif; background: #fff; }
article { max-width: 860px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1, h2, h3 { font-family: "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; line-height: 1.25; }
h1 { font-size: 2rem; margin-top: 1.2rem; }
a { color: var(--accent); }
pre.code { font: 12.5px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; color: #4a5560; background: #f7f8fa;
  border-left: 3px solid var(--rule); padding: .5rem .8rem; margin: .6rem 0;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.claim { font: 13px/1.5 "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; margin: .2rem 0; }
.claim .badge, .claims-count { display: inline-block; font: 600 11px/1.6 "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: #fff; border-radius: 3px; vertical-align: .1em;
  padding: 0 .45em; margin-right: .5em; white-space: nowrap; }
.claim.held .badge, .claims-count.held { background: #1e6b34; } .claim.failed .badge, .claims-count.failed { background: #a12727; }
.claim .measured { color: var(--muted); margin-left: .5em; font-size: 12px; }
.claim .measured::before { content: "· "; }
.claim-summary, .claims-header { font: 14px/1.5 "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; border-left: 3px solid #1e6b34;
  padding: .3rem .8rem; margin: .6rem 0; background: #f3f8f4; }
.claim-summary.failed, .claims-header.failed { border-left-color: #a12727; background: #fbf1f1; }
.claims-header a { font-weight: 600; color: #1e6b34; } .claims-header.failed a { color: #a12727; }
pre.out { font: 12.5px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #fff; border-left: 3px solid #cfe0f3;
  padding: .3rem .8rem; margin: .3rem 0 1rem; white-space: pre-wrap; }
pre.stderr { border-left-color: #e5b3b3; color: #8a2a2a; }
.outputs { margin-bottom: 1rem; }
.ica-plot { margin: .5rem 0 1rem; }
table.ica-table { border-collapse: collapse; margin: .5rem 0 1rem; font: 14px/1.4 "Helvetica Neue", Arial, sans-serif; }
table.ica-table th, table.ica-table td { border-bottom: 1px solid var(--rule); padding: .25rem .7rem; text-align: right; }
table.ica-table th:first-child, table.ica-table td:first-child { text-align: left; }
table.ica-table caption { caption-side: top; text-align: left; color: var(--muted); padding-bottom: .3rem; }
nav.pager { display: flex; justify-content: space-between; max-width: 860px; margin: 0 auto; padding: .7rem 1.5rem;
  font: 14px "Helvetica Neue", Arial, sans-serif; border-bottom: 1px solid var(--rule); }
nav.pager:last-of-type { border-bottom: 0; border-top: 1px solid var(--rule); }
nav.pager span { flex: 1; } nav.pager .home { text-align: center; } nav.pager .next { text-align: right; }
footer { max-width: 860px; margin: 0 auto; padding: 1rem 1.5rem 2rem; color: var(--muted); font-size: 13px; }
ol.toc li { margin-bottom: .9rem; } ol.toc li a { font-weight: bold; } ol.toc li p { margin: .2rem 0; color: var(--muted); }
blockquote { color: var(--muted); border-left: 3px solid var(--rule); margin-left: 0; padding-left: 1rem; }
mjx-container[display="true"] { overflow-x: auto; overflow-y: hidden; }
`;

/** Writes site/assets: the minified plotly bundle, MathJax and the stylesheet. */
export function writeAssets(siteDir: string): void {
  const assets = path.join(siteDir, "assets");
  fs.mkdirSync(path.join(assets, "mathjax"), { recursive: true });
  const plotlySrc = path.join(ROOT, "node_modules", "plotly.js-dist", "plotly.js");
  const cache = path.join(ROOT, "build", "plotly.min.js");
  // Minifying 10 MB takes a few seconds; reuse it while plotly is unchanged.
  const stale = !fs.existsSync(cache) || fs.statSync(cache).mtimeMs < fs.statSync(plotlySrc).mtimeMs;
  if (stale) {
    const out = transformSync(fs.readFileSync(plotlySrc, "utf8"), { minify: true, loader: "js", legalComments: "inline" });
    fs.mkdirSync(path.dirname(cache), { recursive: true });
    fs.writeFileSync(cache, out.code);
  }
  fs.copyFileSync(cache, path.join(assets, "plotly.min.js"));
  fs.copyFileSync(
    path.join(ROOT, "node_modules", "mathjax", "es5", "tex-svg-full.js"),
    path.join(assets, "mathjax", "tex-svg-full.js"),
  );
  fs.writeFileSync(path.join(assets, "style.css"), STYLE.trimStart());
}

/** Renders every executed notebook into siteDir; returns the pages and their sizes. */
export function buildSite(executed: string[], siteDir: string): { pages: PageInfo[]; sizes: Record<string, number> } {
  fs.rmSync(siteDir, { recursive: true, force: true });
  fs.mkdirSync(siteDir, { recursive: true });
  writeAssets(siteDir);
  const nbs = executed.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as NotebookJson);
  const pages = nbs.map((nb, i) => describeNotebook(nb, executed[i]!));
  const sizes: Record<string, number> = {};
  nbs.forEach((nb, i) => {
    const html = renderPage(nb, pages, i);
    const file = pages[i]!.file;
    sizes[file] = Buffer.byteLength(html);
    if (sizes[file]! > PAGE_BUDGET) {
      throw new Error(
        `${file} is ${(sizes[file]! / 1048576).toFixed(2)} MB, over the ${PAGE_BUDGET / 1048576} MB page budget: fewer animation frames or points`,
      );
    }
    fs.writeFileSync(path.join(siteDir, file), html);
  });
  const index = renderIndex(pages);
  sizes["index.html"] = Buffer.byteLength(index);
  fs.writeFileSync(path.join(siteDir, "index.html"), index);
  return { pages, sizes };
}
