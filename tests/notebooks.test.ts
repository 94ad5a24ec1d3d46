// The notebooks as a reader meets them: committed clean, executed from a
// fresh kernel, rerun cell by cell, published, and opened in a real browser
// with the network blocked.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import { BUILD, NotebookError, SetupError, executeNotebooks, findPython, listNotebooks } from "../scripts/jupyter";
import { PAGE_BUDGET } from "../scripts/site";
import { publish } from "../scripts/publish";
import { claimsInNotebook as claimsOf } from "../lib/check";
import { launchBrowser } from "./helpers/browser";
import { libDeclarations } from "../scripts/lib-types.js";

const SITE = path.join(BUILD, "test-site");

test("committed notebooks have no outputs and no execution counts", () => {
  const nbs = listNotebooks();
  assert.ok(nbs.length >= 2, `expected the E1 and E2 notebooks, found ${nbs.length}`);
  for (const file of nbs) {
    const nb = JSON.parse(fs.readFileSync(file, "utf8")) as { cells: { cell_type: string; outputs?: unknown[]; execution_count?: number | null }[]; metadata: { kernelspec?: { name?: string } } };
    assert.equal(nb.metadata.kernelspec?.name, "tslab", `${path.basename(file)} must use the tslab kernel`);
    nb.cells.forEach((c, i) => {
      if (c.cell_type !== "code") return;
      assert.deepEqual(c.outputs, [], `${path.basename(file)} cell ${i + 1} has outputs`);
      assert.equal(c.execution_count, null, `${path.basename(file)} cell ${i + 1} has an execution count`);
    });
  }
});

test("a missing Jupyter stops at once and names the install commands", () => {
  assert.throws(
    () => findPython(["no_such_jupyter_module"]),
    (e: unknown) =>
      e instanceof SetupError &&
      /no_such_jupyter_module/.test(e.message) &&
      /apt-get install jupyter-nbconvert/.test(e.message) &&
      /pip install nbconvert/.test(e.message),
  );
});

test("a failing cell is reported with the notebook, the cell number and the error", async () => {
  const dir = path.join(BUILD, "test-failing");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "broken.ipynb");
  const cell = (source: string) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source });
  fs.writeFileSync(
    file,
    JSON.stringify({
      cells: [
        { cell_type: "markdown", metadata: {}, source: "# Broken" },
        cell('import * as ica from "./lib/index";'),
        cell('ica.claim(1 > 2, "one exceeds two");'),
        cell("console.log('never reached');"),
      ],
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    }),
  );
  await assert.rejects(
    executeNotebooks([file], { outDir: path.join(dir, "out") }),
    (e: unknown) => {
      assert.ok(e instanceof NotebookError, String(e));
      assert.equal(e.detail.notebook, "broken.ipynb");
      assert.equal(e.detail.cell, 3);
      assert.match(e.message, /broken\.ipynb: cell 3 \(code cell 2\)/);
      assert.match(e.message, /Claim failed: one exceeds two/);
      return true;
    },
  );
});

test("a rerun reports a cell that fails only the second time, and writes out the first pass", async () => {
  const dir = path.join(BUILD, "test-rerun");
  fs.mkdirSync(dir, { recursive: true });
  const cell = (source: string) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source });
  const write = (name: string, cells: ReturnType<typeof cell>[]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, JSON.stringify({
      cells: [{ cell_type: "markdown", metadata: {}, source: "# Rerun" }, cell('import * as ica from "./lib/index";'), ...cells],
      metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
      nbformat: 4,
      nbformat_minor: 5,
    }));
    return file;
  };
  const counter = "const g = globalThis as unknown as { runs?: number };\ng.runs = (g.runs ?? 0) + 1;\nconsole.log(`pass ${g.runs}`);";
  const once = write("once.ipynb", [cell(counter), cell('ica.claim((globalThis as unknown as { runs: number }).runs < 2, "this cell runs only once");')]);
  await assert.rejects(
    executeNotebooks([once], { outDir: path.join(dir, "out"), rerun: true }),
    (e: unknown) => e instanceof NotebookError && e.detail.pass === 2 && /rerun pass 2/.test(e.message) && /runs only once/.test(e.message),
  );
  const twice = write("twice.ipynb", [cell(counter)]);
  const [done] = await executeNotebooks([twice], { outDir: path.join(dir, "out"), rerun: true });
  const text = fs.readFileSync(done!.output!, "utf8");
  assert.ok(text.includes("pass 1") && !text.includes("pass 2"), "the written notebook must carry the first pass's outputs");
});

/** A notebook file with a title cell and the given code cells, in the project's kernel. */
function writeNotebook(file: string, sources: string[]): string {
  const cell = (source: string) => ({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source });
  fs.writeFileSync(file, JSON.stringify({
    cells: [{ cell_type: "markdown", metadata: {}, source: "# Test" }, ...sources.map(cell)],
    metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  }));
  return file;
}

test("the kernel checks cells against lib/'s declarations, runs lib/ and Node's modules, and two runners share the notebooks", async () => {
  const dir = path.join(BUILD, "test-kernel");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, sources: string[]) => writeNotebook(path.join(dir, name), sources);
  const good = write("good.ipynb", [
    'import * as ica from "./lib/index";\nimport * as fs from "fs";\nimport { median } from "./lib/stats";',
    'const m: number = ica.median([3, 1, 2]);\nconsole.log(`median ${m} ${median([5])} ${fs.existsSync("lib/index.ts")} ${typeof performance.now()}`);',
  ]);
  const other = write("other.ipynb", ['import * as ica from "./lib/index";\nconsole.log(ica.formatRate(ica.rateBelow([1, 5], 3)));']);
  const events = await executeNotebooks([good, other], { outDir: path.join(dir, "out"), workers: 2 });
  assert.deepEqual(events.map((e) => e.notebook).sort(), ["good.ipynb", "other.ipynb"]);
  const text = fs.readFileSync(path.join(dir, "out", "good.ipynb"), "utf8");
  assert.ok(text.includes("median 2 5 true number"), "lib/, a lib/ module on its own, fs and performance all work in a cell");
  const typo = write("typo.ipynb", ['import * as ica from "./lib/index";', "const wrong: string = ica.median([1, 2]);"]);
  await assert.rejects(
    executeNotebooks([typo], { outDir: path.join(dir, "out") }),
    (e: unknown) => e instanceof NotebookError && e.detail.cell === 3 && /Type 'number' is not assignable to type 'string'/.test(e.message),
  );
});

test("the kernel keeps compiled cells: a second run compiles nothing new and hits every one; a type error is compiled and reported each time", async () => {
  const dir = path.join(BUILD, "test-kernel-cache");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // A cache of its own, empty, so that no earlier run's entries can answer for this one.
  const cache = path.join(dir, "cache");
  const env = { ICA_KERNEL_CACHE_DIR: cache };
  const entries = () => (fs.existsSync(cache) ? fs.readdirSync(cache).filter((d) => !d.startsWith(".")).flatMap((d) => fs.readdirSync(path.join(cache, d)).map((f) => path.join(cache, d, f))) : []);
  const run = (file: string) => executeNotebooks([file], { outDir: path.join(dir, "out"), env });
  const cell2 = "const xs: number[] = [4, 1, 3];\nconsole.log(`median ${ica.median(xs)}`);";
  const file = writeNotebook(path.join(dir, "cached.ipynb"), ['// first\nimport * as ica from "./lib/index";', cell2]);
  await run(file);
  const afterFirst = entries();
  assert.equal(afterFirst.length, 2, "the first run keeps both cells");
  const t = Date.now();
  await new Promise((r) => setTimeout(r, 50));
  await run(file);
  assert.equal(entries().length, 2, "the second run compiles nothing new");
  assert.equal(afterFirst.filter((f) => fs.statSync(f).mtimeMs >= t).length, 2, "and hits both of its cells");
  assert.ok(fs.readFileSync(path.join(dir, "out", "cached.ipynb"), "utf8").includes("median 3"));
  // Cell 1's comment is not in cell 2's key, rightly: cell 2 compiles to the
  // same output after it. What cell 1 declares is, and changes cell 2's entry.
  writeNotebook(file, ['// second\nimport * as ica from "./lib/index";', cell2]);
  await run(file);
  assert.equal(entries().length, 3, "a new comment in cell 1 makes a new entry for cell 1 only");
  writeNotebook(file, ['import * as ica from "./lib/index";\nconst extra = 1;', cell2]);
  await run(file);
  assert.equal(entries().length, 5, "a new declaration in cell 1 makes new entries for both cells");
  assert.ok(fs.readFileSync(path.join(dir, "out", "cached.ipynb"), "utf8").includes("median 3"));
  const typo = writeNotebook(path.join(dir, "typo.ipynb"), ['import * as ica from "./lib/index";', "const wrong: string = ica.median([1]);"]);
  for (let pass = 0; pass < 2; pass++) {
    await assert.rejects(run(typo), /Type 'number' is not assignable to type 'string'/);
  }
});

test("lib/'s declarations for the kernel are made once per version of lib/, and again when it changes", () => {
  const root = path.join(BUILD, "test-libtypes");
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  fs.cpSync(path.join(__dirname, "..", "lib"), path.join(root, "lib"), { recursive: true });
  const lines: string[] = [];
  const first = libDeclarations(root, (s) => lines.push(s));
  assert.ok(fs.existsSync(path.join(first, "index.d.ts")) && fs.existsSync(path.join(first, "inference", "index.d.ts")));
  assert.match(fs.readFileSync(path.join(first, "stats.d.ts"), "utf8"), /export declare function median\(values: number\[\]\): number;/);
  assert.equal(lines.length, 1, "made once, with one line of log");
  assert.equal(libDeclarations(root, (s) => lines.push(s)), first, "the same lib/ reuses its declarations");
  assert.equal(lines.length, 1);
  fs.appendFileSync(path.join(root, "lib", "stats.ts"), "\nexport const addedForTheTest = 1;\n");
  const second = libDeclarations(root, (s) => lines.push(s));
  assert.notEqual(second, first);
  assert.match(fs.readFileSync(path.join(second, "stats.d.ts"), "utf8"), /addedForTheTest/);
  fs.appendFileSync(path.join(root, "lib", "stats.ts"), "\nexport const broken: number = 'text';\n");
  libDeclarations(root, (s) => lines.push(s));
  assert.ok(lines.some((l) => /lib\/ type error: lib\/stats\.ts:\d+: Type 'string' is not assignable to type 'number'/.test(l)), lines.join("\n"));
});

let published: Awaited<ReturnType<typeof publish>> | undefined;

test("every notebook executes from a fresh kernel, survives a rerun of all its cells, and the site publishes within budget", async () => {
  // One execution serves both checks: each notebook runs top to bottom in a
  // fresh kernel, then every cell again in the same kernel (a reader
  // rerunning cells); the site is built from the first pass.
  published = await publish(SITE, () => {}, { rerun: true });
  const files = listNotebooks().map((f) => path.basename(f, ".ipynb") + ".html");
  assert.deepEqual(published.pages.map((p) => p.file), files);
  for (const [file, bytes] of Object.entries(published.sizes)) {
    assert.ok(bytes <= PAGE_BUDGET, `${file} is ${bytes} bytes`);
    assert.ok(fs.existsSync(path.join(SITE, file)));
  }
  for (const asset of ["assets/plotly.min.js", "assets/mathjax/tex-svg-full.js", "assets/style.css"]) {
    assert.ok(fs.existsSync(path.join(SITE, asset)), `${asset} missing`);
  }
  for (const p of published.pages) {
    const html = fs.readFileSync(path.join(SITE, p.file), "utf8");
    assert.ok(!/In \[\s*\d*\s*\]:/.test(html), `${p.file} shows In [ ]: prompts`);
    assert.ok(!/data-ica-plotly-bundle/.test(html), `${p.file} inlines a plotly bundle`);
    assert.ok(!/(src|href)="(https?:)?\/\//.test(html), `${p.file} references the network`);
    assert.ok(p.title.length > 0 && p.summary.length > 0, `${p.file} lacks a title or summary`);
    // Every claim is on the page as a badge, and the header counts them.
    assert.ok(p.claims.checked > 0 && p.claims.failed === 0, `${p.file}: ${JSON.stringify(p.claims)}`);
    assert.equal(html.match(/<div class="claim held">/g)?.length ?? 0, p.claims.checked, `${p.file}: one badge per claim`);
    assert.ok(html.includes(`<a href="#claims">${p.claims.checked} claims checked, all held</a>`), `${p.file}: the header counts its claims`);
    assert.ok(html.includes(`<div class="claim-summary held" id="claims">${p.claims.checked} claims checked, all held.</div>`), `${p.file}: the summary at the end agrees`);
    const executed = JSON.parse(fs.readFileSync(path.join(BUILD, "executed", p.file.replace(/\.html$/, ".ipynb")), "utf8")) as Parameters<typeof claimsOf>[0];
    assert.equal(claimsOf(executed).summary?.mode, "strict", `${p.file}: the build ran its claims in strict mode`);
  }
});

test("the published site works offline in Chromium: figures, math, links, no errors", async () => {
  assert.ok(published, "the site was not published (see the previous test)");
  const { browser, close } = await launchBrowser();
  try {
    for (const file of ["index.html", ...published.pages.map((p) => p.file)]) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
      const errors: string[] = [];
      const offsite: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(e.message));
      await page.route("**/*", (route) => {
        const url = route.request().url();
        if (url.startsWith("file:")) return route.continue();
        offsite.push(url);
        return route.abort();
      });
      await page.goto(pathToFileURL(path.join(SITE, file)).href, { waitUntil: "load" });
      const html = fs.readFileSync(path.join(SITE, file), "utf8");
      const plots = await page.locator(".ica-plot").count();
      if (file !== "index.html") assert.ok(plots > 0, `${file} has no figures`);
      await page.waitForFunction(
        () => Array.from(document.querySelectorAll(".ica-plot")).every((el) => el.querySelector("svg.main-svg")),
        undefined,
        { timeout: 30000 },
      );
      const hasTex = /\$[^$]+\$|\\\(/.test(html.replace(/<script[\s\S]*?<\/script>/g, ""));
      if (hasTex) {
        await page.waitForFunction(() => (window as unknown as { MathJax?: { startup?: { promise?: Promise<unknown> } } }).MathJax?.startup?.promise !== undefined, undefined, { timeout: 30000 });
        await page.evaluate(() => (window as unknown as { MathJax: { startup: { promise: Promise<unknown> } } }).MathJax.startup.promise);
        const typeset = await page.locator("mjx-container").count();
        assert.ok(typeset > 0, `${file}: no math was typeset`);
        assert.equal(await page.locator("mjx-merror").count(), 0, `${file}: MathJax reported TeX errors`);
      }
      // Animations carry a slider and a play button, and playing advances the step.
      if (/"frames":\[\{/.test(html)) {
        const anim = page.locator(".ica-plot", { has: page.locator(".slider-container") }).first();
        assert.ok((await anim.count()) > 0, `${file}: an animation has no slider`);
        await anim.scrollIntoViewIfNeeded();
        const current = anim.locator(".slider-group > text.slider-label").first();
        const before = await current.textContent();
        await anim.locator(".updatemenu-button", { hasText: "Play" }).click();
        await page.waitForFunction(
          ([el, b]) => (el as Element).textContent !== b,
          [await current.elementHandle(), before] as const,
          { timeout: 10000 },
        );
      }
      const links = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href") ?? ""));
      for (const href of links) {
        if (href.startsWith("#")) continue;
        assert.ok(!/^[a-z]+:/i.test(href), `${file}: external link ${href}`);
        assert.ok(fs.existsSync(path.join(SITE, href.split("#")[0]!)), `${file}: broken link ${href}`);
      }
      // Long code lines wrap: no code block is wider than the column.
      const clipped = await page.$$eval("pre.code", (pres) => pres.filter((p) => p.scrollWidth > p.clientWidth + 1).map((p) => (p.textContent ?? "").slice(0, 60)));
      assert.deepEqual(clipped, [], `${file}: code cut off at the column's edge`);
      assert.deepEqual(errors, [], `${file}: console errors`);
      assert.deepEqual(offsite, [], `${file}: tried to fetch from the network`);
      await page.close();
    }
  } finally {
    await close();
  }
});
