// npm start: execute every notebook in a fresh kernel and publish site/
// (`npm start -- --site DIR` publishes to DIR instead: the bench and the tests
// build there, so the reader's site/ is left alone).
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { BUILD, ROOT, SetupError, NotebookError, executeNotebooks, findPython, listNotebooks, notebookWorkers } from "./jupyter";
import { buildSite } from "./site";

/**
 * With rerun (the tests), every notebook's cells also run a second time in
 * the same kernel before the site is built from the first pass's outputs.
 */
export async function publish(siteDir = path.join(ROOT, "site"), log: (s: string) => void = console.log, opts: { rerun?: boolean } = {}) {
  const t0 = Date.now();
  findPython(); // fail at once, with the install commands, if Jupyter is missing
  const notebooks = listNotebooks();
  if (notebooks.length === 0) throw new SetupError(`no notebooks in ${path.join(ROOT, "notebooks")}`);
  const outDir = path.join(BUILD, "executed");
  log(`Executing ${notebooks.length} notebooks, each in a fresh kernel, ${notebookWorkers(notebooks.length)} at a time…`);
  const events = await executeNotebooks(notebooks, {
    outDir,
    rerun: opts.rerun ?? false,
    env: { ICA_SITE_BUILD: "1", ICA_CLAIMS: "strict" },
    onEvent: (e) => {
      if (e.event === "done") log(`  ✓ ${e.notebook} (${e.seconds?.toFixed(1)} s)`);
    },
  });
  // Notebooks finish in any order; the site lists them in file-name order.
  const executed = events.filter((e) => e.event === "done").map((e) => e.output!).sort();
  const { pages, sizes } = buildSite(executed, siteDir);
  log(`Wrote ${pages.length + 1} pages to ${path.relative(process.cwd(), siteDir) || siteDir}/ in ${((Date.now() - t0) / 1000).toFixed(1)} s:`);
  for (const [file, bytes] of Object.entries(sizes)) log(`  ${file.padEnd(40)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB`);
  log(`Open ${path.join(siteDir, "index.html")} in a browser (works offline).`);
  return { pages, sizes };
}

export class UsageError extends Error {}

/** The command line: `--site DIR` (relative to the current directory; default the repository's site/). */
export function parsePublishArgs(argv: string[]): { siteDir: string } {
  let values: { site?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { site: { type: "string" } }, allowPositionals: false, strict: true }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\nusage: npm start [-- --site DIR]`);
  }
  if (values.site === undefined) return { siteDir: path.join(ROOT, "site") };
  if (values.site.trim() === "") throw new UsageError("--site needs a folder, got ''");
  const siteDir = path.resolve(values.site);
  // buildSite empties the folder first: only a new, empty or earlier site's folder may be given.
  let entries: string[] = [];
  try {
    entries = fs.readdirSync(siteDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOTDIR") throw new UsageError(`--site must name a folder, got the file '${values.site}'`);
    if (code !== "ENOENT") throw new UsageError(`--site '${values.site}' cannot be read (${code})`);
  }
  if (entries.length > 0 && !(entries.includes("index.html") && entries.includes("assets"))) {
    throw new UsageError(`--site '${values.site}' holds files that are not a site (no index.html and assets/); it would be emptied: give a new or empty folder`);
  }
  return { siteDir };
}

if (require.main === module) {
  Promise.resolve()
    .then(() => publish(parsePublishArgs(process.argv.slice(2)).siteDir))
    .catch((e: unknown) => {
      if (e instanceof SetupError || e instanceof NotebookError || e instanceof UsageError) console.error(`\n${e.message}`);
      else console.error(e);
      process.exit(1);
    });
}
