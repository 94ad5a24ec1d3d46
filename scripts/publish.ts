// npm start: execute every notebook in a fresh kernel and publish site/.
import * as path from "path";
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
    env: { ICA_SITE_BUILD: "1" },
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

if (require.main === module) {
  publish().catch((e: unknown) => {
    if (e instanceof SetupError || e instanceof NotebookError) console.error(`\n${e.message}`);
    else console.error(e);
    process.exit(1);
  });
}
