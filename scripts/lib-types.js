// Declaration files (.d.ts) of lib/, for the notebook kernel (scripts/kernel.js):
// tslab checks cells against them instead of compiling lib/ in every kernel.
//
// They are made with the TypeScript compiler into build/lib-types/<hash>/,
// where the hash covers every .ts file under lib/ (its folders included), the
// compiler's version and this file's format; a kernel started after lib/
// changes makes a new set (a few seconds), every other kernel reuses it. A set is written to a temporary
// directory and renamed into place, so kernels started together never read a
// half-written one.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const FORMAT = 2;

/** Every lib/ source, in its folders too (lib/inference/…), sorted by path. */
function libSources(root) {
  const lib = path.join(root, "lib");
  return fs
    .readdirSync(lib, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => f.split(path.sep).join("/"))
    .sort()
    .map((f) => path.join(lib, f));
}

/** The hash that names the declarations of the current lib/. */
function libHash(root) {
  // The compiler's version from its package file: loading the compiler just
  // to ask would cost a third of a second in every kernel.
  const { version } = JSON.parse(fs.readFileSync(require.resolve("typescript/package.json"), "utf8"));
  const h = crypto.createHash("sha256");
  h.update(`format ${FORMAT}\ntypescript ${version}\n`);
  const lib = path.join(root, "lib");
  for (const file of libSources(root)) {
    // The path below lib/, so that moving a file into a folder changes the hash.
    h.update(`${path.relative(lib, file).split(path.sep).join("/")}\n`);
    h.update(fs.readFileSync(file));
  }
  return h.digest("hex").slice(0, 16);
}

/**
 * The directory of lib/'s declaration files, made first if lib/ has changed
 * since the last time. `log` receives one line when they are (re)made and the
 * compiler's errors, if lib/ does not type-check (the declarations are still
 * written: `npm test` is where type errors stop the build).
 */
function libDeclarations(root, log = () => {}) {
  const base = path.join(root, "build", "lib-types");
  const hash = libHash(root);
  const dir = path.join(base, hash);
  if (fs.existsSync(path.join(dir, "index.d.ts"))) return dir;
  const t0 = Date.now();
  const ts = require("typescript");
  fs.mkdirSync(base, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(base, `${hash}.tmp-`));
  const options = {
    declaration: true,
    emitDeclarationOnly: true,
    outDir: tmp,
    rootDir: path.join(root, "lib"),
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    esModuleInterop: true,
    skipLibCheck: true,
    strict: true,
    types: ["node"],
  };
  const program = ts.createProgram(libSources(root), options);
  const result = program.emit();
  const errors = ts.getPreEmitDiagnostics(program).concat(result.diagnostics)
    .filter((d) => d.category === ts.DiagnosticCategory.Error);
  for (const d of errors.slice(0, 10)) {
    const where = d.file ? `${path.relative(root, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : "";
    log(`lib/ type error: ${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  }
  try {
    fs.renameSync(tmp, dir);
  } catch (e) {
    // Another kernel finished the same set first: use theirs.
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, "index.d.ts"))) throw e;
  }
  pruneOld(base, hash);
  log(`lib/ declarations made in ${((Date.now() - t0) / 1000).toFixed(1)} s (${path.relative(root, dir)})`);
  return dir;
}

/** Removes sets older than a week (a kernel still running on one keeps working until then). */
function pruneOld(base, keep) {
  const week = 7 * 24 * 3600 * 1000;
  for (const name of fs.readdirSync(base)) {
    if (name === keep) continue;
    const p = path.join(base, name);
    try {
      if (Date.now() - fs.statSync(p).mtimeMs > week) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      // gone already
    }
  }
}

module.exports = { libDeclarations, libHash };
