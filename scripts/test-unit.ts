// npm run test:unit: the library's tests alone, for the edit-test loop. Every
// tests/*.test.ts except the suites that execute notebooks, publish the site,
// drive a browser, time the bench or run the scripts' commands (`npm test`
// runs them with the rest). A new test file is a unit test
// unless it is named in SLOW. Arguments are passed on to Node's test runner,
// e.g. `npm run test:unit -- --test-name-pattern=median`.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const TESTS = path.join(ROOT, "tests");

/**
 * Suites that are not the library's unit tests: Jupyter, the site, the live
 * notebook server, the bench, and the scripts' commands run as child
 * processes (the sweep's CLI and worker pool, the kernel's compile cache).
 */
export const SLOW = ["notebooks", "reader", "site", "live", "bench", "sweep-cli", "sweep-pool", "kernel", "execute"];

/**
 * The unit test files, largest first: the runner starts files in this order,
 * one per core, and the largest files (sweep's, which runs the CLI) take the
 * longest, so starting them first lets the others fill in beside them.
 */
export function unitTestFiles(dir: string = TESTS): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts") && !SLOW.includes(f.slice(0, -".test.ts".length)))
    .map((f) => ({ file: path.join(dir, f), size: fs.statSync(path.join(dir, f)).size }))
    .sort((a, b) => b.size - a.size || a.file.localeCompare(b.file))
    .map((f) => f.file);
}

if (require.main === module) {
  const tsx = path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
  // One file per core: the files are independent (each writes only below its own temporary folders).
  const concurrency = Math.max(2, os.availableParallelism());
  const r = spawnSync(process.execPath, [tsx, "--test", `--test-concurrency=${concurrency}`, ...process.argv.slice(2), ...unitTestFiles()], {
    cwd: ROOT,
    stdio: "inherit",
  });
  process.exit(r.status ?? 1);
}
