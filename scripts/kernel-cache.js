// A disk cache of tslab's compiled cells, for the notebook kernel
// (scripts/kernel.js). tslab type-checks and compiles each cell with the
// TypeScript compiler: about a tenth of a second a cell, plus two thirds of a
// second to start the compiler in every kernel. When the site is rebuilt,
// most cells are the same as last time, so their compiled form is kept.
//
// A cell's entry is keyed by everything its compilation reads: the cell, the
// declarations of the cells before it (tslab's "previous declarations"), the
// compiler options, and a context hash of lib/'s declarations, the types of
// Node and of the packages (package-lock.json), the versions of tslab and its
// compiler, and Node's version (tslab picks its output's ECMAScript target by
// it). Nothing else of the earlier cells reaches the compiler: a comment or a
// statement of cell 1 that declares nothing leaves cell 2's key alone, and
// rightly, since cell 2 compiles to the same output after it.
//
// The key cannot cover files the cell (or an earlier cell, through the
// previous declarations) imports from outside lib/ and the packages: a local
// module, a JSON file, a triple-slash reference, or a module made in memory by
// tslab's %%module magic. Such cells are compiled every time (cacheable()).
//
// Only clean compilations are kept: a cell with a type error is compiled, and
// reported, every time. ICA_KERNEL_CACHE=0 turns the cache off;
// ICA_KERNEL_CACHE_DIR moves it (the tests use a fresh one); deleting
// build/kernel-cache/ empties it. Entries unused for two weeks go.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const FORMAT = 1;
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;

function sha(text) {
  return crypto.createHash("sha256").update(text).digest("hex");
}

/** The part of the key shared by every cell of a kernel. */
function cacheContext(root, extra) {
  const read = (f) => {
    try {
      return fs.readFileSync(path.join(root, f));
    } catch {
      return "";
    }
  };
  const h = crypto.createHash("sha256");
  h.update(`format ${FORMAT}\n`);
  for (const e of extra) h.update(`${String(e)}\n`);
  h.update(read("package-lock.json"));
  h.update(read("node_modules/tslab/package.json"));
  h.update(read("scripts/kernel-node.d.ts"));
  return h.digest("hex");
}

/** The cache's folder: ICA_KERNEL_CACHE_DIR (relative to the root) or build/kernel-cache. */
function cacheDir(root, env = process.env) {
  const d = env.ICA_KERNEL_CACHE_DIR;
  return d ? path.resolve(root, d) : path.join(root, "build", "kernel-cache");
}

/** An import of lib/ by the path the notebooks use ("./lib/index", "./lib/inference/solve", "./lib"). */
const LIB_IMPORT = /^\.\/lib(\/[A-Za-z0-9_-]+)*(\.js)?$/;

/**
 * Whether a cell's compilation depends only on what the key holds: every
 * module it, or an earlier cell, imports is either lib/ (its declarations are
 * in the context) or a package or Node module (package-lock.json and the Node
 * types are). A relative import elsewhere, a JSON file, an absolute path or a
 * triple-slash file reference is read by the compiler but not by the key.
 */
function cacheable(ts, prevDecl, src) {
  for (const text of [prevDecl, src]) {
    const info = ts.preProcessFile(text, true, true);
    if (info.referencedFiles.length > 0) return false;
    for (const { fileName } of info.importedFiles) {
      const local = fileName.startsWith(".") || path.isAbsolute(fileName) || fileName.startsWith("/");
      if (local && !LIB_IMPORT.test(fileName)) return false;
    }
  }
  return true;
}

/**
 * A stand-in for tslab's converter: convert() answers from the cache when it
 * can and otherwise from the real converter, made by `make` on first need
 * (so a kernel whose cells all hit never pays for it). `ts` is the compiler
 * tslab uses (for its import scanner).
 */
function cachedConverter(make, { root, context, options, ts, dir = cacheDir(root) }) {
  let real = null;
  const get = () => (real ??= make());
  prune(dir);
  return {
    convert(prevDecl, src) {
      if (!cacheable(ts, prevDecl, src)) return get().convert(prevDecl, src);
      const key = sha(JSON.stringify([context, options ?? {}, prevDecl, src]));
      const file = path.join(dir, key.slice(0, 2), `${key}.json`);
      try {
        const hit = JSON.parse(fs.readFileSync(file, "utf8"));
        const now = new Date();
        fs.utimesSync(file, now, now);
        return hit;
      } catch {
        // not kept yet (or unreadable): compile
      }
      const out = get().convert(prevDecl, src);
      if (out.diagnostics.length === 0 && !out.sideOutputs) {
        try {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          const tmp = `${file}.${process.pid}.tmp`;
          fs.writeFileSync(tmp, JSON.stringify(out));
          fs.renameSync(tmp, file);
        } catch {
          // a read-only or full disk only costs the next run its speed
        }
      }
      return out;
    },
    inspect: (...a) => get().inspect(...a),
    complete: (...a) => get().complete(...a),
    addModule: (...a) => get().addModule(...a),
    close: () => real?.close(),
  };
}

/** Removes entries unused for two weeks (at most once a day, by a marker file). */
function prune(dir) {
  const marker = path.join(dir, ".pruned");
  try {
    if (Date.now() - fs.statSync(marker).mtimeMs < 24 * 3600 * 1000) return;
  } catch {
    // never pruned
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
    for (const sub of fs.readdirSync(dir)) {
      const p = path.join(dir, sub);
      if (!fs.statSync(p).isDirectory()) continue;
      for (const f of fs.readdirSync(p)) {
        const q = path.join(p, f);
        if (Date.now() - fs.statSync(q).mtimeMs > MAX_AGE_MS) fs.rmSync(q, { force: true });
      }
    }
    fs.writeFileSync(marker, "");
  } catch {
    // pruning is best effort
  }
}

module.exports = { cachedConverter, cacheContext, cacheDir, cacheable };
