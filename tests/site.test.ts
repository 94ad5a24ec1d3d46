// The page renderer on its own: math survives markdown, the live plotly
// bundle is dropped, titles and summaries are found, the budget is enforced.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildSite, describeNotebook, renderMarkdown, renderPage, type NotebookJson } from "../scripts/site";
import { UsageError, parsePublishArgs } from "../scripts/publish";

test("renderMarkdown keeps TeX intact for MathJax", () => {
  const html = renderMarkdown("Inline $a_1 * b_2 < c$ and\n\n$$\\sum_i s_i^2 \\le 1$$\n\nwith a \\$5 price.");
  assert.match(html, /\$a_1 \* b_2 &lt; c\$/);
  assert.match(html, /\$\$\\sum_i s_i\^2 \\le 1\$\$/);
  assert.ok(!/<em>/.test(html), "underscores inside math must not become emphasis");
});

const nb = (cells: NotebookJson["cells"]): NotebookJson => ({ cells, metadata: {} });

test("describeNotebook takes the H1 as title and the first sentence as summary", () => {
  const info = describeNotebook(nb([{ cell_type: "markdown", source: "# E9 · Title\n\nFirst sentence here. Second one." }]), "/x/09-e9.ipynb");
  assert.deepEqual(info, { file: "09-e9.html", title: "E9 · Title", summary: "First sentence here.", claims: { checked: 0, failed: 0 } });
});

test("renderPage drops the live plotly bundle, keeps figures, and has no prompts", () => {
  const page = nb([
    { cell_type: "markdown", source: "# T" },
    {
      cell_type: "code",
      source: "ica.show(fig)",
      outputs: [
        { output_type: "display_data", data: { "text/html": '<script data-ica-plotly-bundle="inline">var Plotly={}</script><script>(window.__icaPlotQueue || []).splice(0)</script>' } },
        { output_type: "display_data", data: { "text/html": '<div class="ica-plot"></div>' } },
        { output_type: "stream", name: "stdout", text: "a < b\n" },
      ],
    },
  ]);
  const pages = [describeNotebook(page, "t.ipynb")];
  const html = renderPage(page, pages, 0);
  assert.ok(!html.includes("data-ica-plotly-bundle") && !html.includes("var Plotly={}"));
  assert.ok(html.includes('<div class="ica-plot"></div>'));
  assert.ok(html.includes("a &lt; b"));
  assert.ok(!/In \[/.test(html));
  assert.ok(html.includes('src="assets/plotly.min.js"') && html.includes('src="assets/mathjax/tex-svg-full.js"'));
});

test("buildSite refuses a page over the 3 MB budget", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ica-site-"));
  const big = path.join(dir, "big.ipynb");
  const huge = "x".repeat(3.2 * 1024 * 1024);
  fs.writeFileSync(big, JSON.stringify(nb([
    { cell_type: "markdown", source: "# Big" },
    { cell_type: "code", source: "", outputs: [{ output_type: "display_data", data: { "text/html": `<p>${huge}</p>` } }] },
  ])));
  assert.throws(() => buildSite([big], path.join(dir, "site")), /big\.html is 3\.\d+ MB, over the 3 MB page budget/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("npm start -- --site DIR: the default is site/; a folder that holds anything but a site is refused, never emptied", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ica-publish-"));
  const root = path.resolve(__dirname, "..");
  assert.deepEqual(parsePublishArgs([]), { siteDir: path.join(root, "site") });
  assert.deepEqual(parsePublishArgs(["--site", path.join(dir, "new")]), { siteDir: path.join(dir, "new") });
  assert.deepEqual(parsePublishArgs(["--site", dir]), { siteDir: dir }, "an empty folder");
  fs.mkdirSync(path.join(dir, "old", "assets"), { recursive: true });
  fs.writeFileSync(path.join(dir, "old", "index.html"), "");
  assert.deepEqual(parsePublishArgs(["--site", path.join(dir, "old")]), { siteDir: path.join(dir, "old") }, "an earlier site");
  fs.writeFileSync(path.join(dir, "notes.txt"), "draft");
  assert.throws(() => parsePublishArgs(["--site", dir]), (e: unknown) => e instanceof UsageError && /holds files that are not a site/.test(e.message));
  assert.throws(() => parsePublishArgs(["--site", path.join(root, "lib")]), /--site '.*lib' holds files that are not a site/);
  assert.throws(() => parsePublishArgs(["--site", path.join(dir, "notes.txt")]), /--site must name a folder, got the file/);
  assert.throws(() => parsePublishArgs(["--site", ""]), /--site needs a folder, got ''/);
  assert.throws(() => parsePublishArgs(["--sites", "x"]), /Unknown option '--sites'/);
  assert.equal(fs.readFileSync(path.join(dir, "notes.txt"), "utf8"), "draft");
  fs.rmSync(dir, { recursive: true, force: true });
});

test("claims: each is a badge with its words and measured values, the header counts them, the summary closes the page", () => {
  const record = (held: boolean, words: string, measured: string) => ({ output_type: "display_data" as const, data: { "application/vnd.ica-vs-sae.claim+json": { held, words, measured }, "text/html": "<div>live line</div>" } });
  const page = (claims: ReturnType<typeof record>[]) => nb([
    { cell_type: "markdown", source: "# T" },
    { cell_type: "code", source: "ica.claim(…)", outputs: claims },
    { cell_type: "code", source: "ica.claimSummary();", outputs: [{ output_type: "display_data", data: { "application/vnd.ica-vs-sae.claims+json": { mode: "strict", checked: claims.length, held: claims.filter((c) => c.data["application/vnd.ica-vs-sae.claim+json"].held).length, failed: claims.map((c) => c.data["application/vnd.ica-vs-sae.claim+json"]).filter((r) => !r.held) } } }] },
  ]);
  const good = page([record(true, "best error below 2°", "best = 0.43, step = 57"), record(true, "a < b", "")]);
  const pages = [describeNotebook(good, "t.ipynb")];
  assert.deepEqual(pages[0]!.claims, { checked: 2, failed: 0 });
  const html = renderPage(good, pages, 0);
  assert.match(html, /<p class="claims-header held"><a href="#claims">2 claims checked, all held<\/a>/);
  assert.equal(html.match(/<div class="claim held">/g)?.length, 2);
  assert.ok(html.includes('<span class="badge">✓ held</span><span class="words">best error below 2°</span><span class="measured">measured: best = 0.43, step = 57</span>'));
  assert.ok(html.includes('<span class="words">a &lt; b</span></div>'), "words are escaped; no measured part when none was given");
  assert.ok(!html.includes("live line"), "the badge replaces the kernel's own line");
  assert.match(html, /<div class="claim-summary held" id="claims">2 claims checked, all held\.<\/div>/);
  const bad = page([record(true, "one", "x = 1"), record(false, "two", "y = 2")]);
  const badPages = [describeNotebook(bad, "t.ipynb")];
  const badHtml = renderPage(bad, badPages, 0);
  assert.match(badHtml, /<p class="claims-header failed"><a href="#claims">2 claims checked, 1 failed<\/a>\./);
  assert.match(badHtml, /<div class="claim-summary failed" id="claims">2 claims checked, 1 failed\.<div class="claim failed"><span class="badge">✗ failed<\/span><span class="words">two<\/span>/);
  // No summary cell: the header links nowhere; no claims: no header.
  const noSummary = nb([good.cells[0]!, good.cells[1]!]);
  assert.match(renderPage(noSummary, [describeNotebook(noSummary, "t.ipynb")], 0), /<p class="claims-header held"><b>2 claims checked, all held<\/b>/);
  const none = nb([{ cell_type: "markdown", source: "# T" }]);
  assert.ok(!renderPage(none, [describeNotebook(none, "t.ipynb")], 0).includes("claims-header"));
});
