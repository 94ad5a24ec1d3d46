#!/usr/bin/env node
// Starts the tslab kernel from the repository root, whatever directory
// Jupyter launches it in. tslab compiles cells with rootDir = the current
// directory, so lib/ must sit below it: with the root as the working
// directory, notebooks import the library as "./lib/index".
//
// Left to itself, tslab type-checks and compiles all of lib/ with the
// TypeScript compiler in every new kernel, which takes about 5 s. Instead:
//
//  - type-checking cells: tslab's compiler is shown lib/'s declaration files
//    (.d.ts, made by scripts/lib-types.js and kept until lib/ changes) in place
//    of its sources, so a cell is still checked against the library's types;
//  - running cells: the library itself is loaded by Node through tsx's
//    require hook, which strips the types of each file as it is required.
//
// Both read lib/ when the kernel starts, so after editing lib/ restart the
// kernel, exactly as tslab's own module cache already asked.
//
// A failing cell is reported as Jupyter expects (scripts/kernel-errors.js):
// an error output and an execute_reply that carry the error's name and
// message, where tslab leaves both empty and prints the error to stderr.
//
// Node's own types (@types/node, 2 MB) are replaced in cells by the short
// scripts/kernel-node.d.ts unless ICA_KERNEL_NODE_TYPES=full: parsing them
// took over a second of every kernel's start.
"use strict";
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
process.chdir(ROOT);

const { libDeclarations } = require("./lib-types.js");
const types = libDeclarations(ROOT, (msg) => process.stderr.write(`${msg}\n`));

// TypeScript normalises paths to forward slashes.
const libDir = `${ROOT.split(path.sep).join("/")}/lib/`;
const ts = require("@tslab/typescript-for-tslab");
const { fileExists, readFile } = ts.sys;
/** For lib/<name>.d.ts, the declaration file made from lib/<name>.ts; null elsewhere. */
function declarationFor(file) {
  if (!file.startsWith(libDir)) return null;
  const rest = file.slice(libDir.length);
  return rest.endsWith(".d.ts") ? path.join(types, rest) : null;
}
const nodeTypes = `${ROOT.split(path.sep).join("/")}/node_modules/@types/node/`;
const slimNode = process.env.ICA_KERNEL_NODE_TYPES === "full" ? null : path.join(__dirname, "kernel-node.d.ts");
/** The file to read in place of `file`, or `file` itself. */
function substitute(file) {
  const decl = declarationFor(file);
  if (decl !== null) return decl;
  // @types/node's entry point (index.d.ts, or ts5.6/index.d.ts by typesVersions).
  if (slimNode !== null && file.startsWith(nodeTypes) && file.endsWith("/index.d.ts")) return slimNode;
  return file;
}
ts.sys.fileExists = (file) => {
  if (file.startsWith(libDir) && !file.endsWith(".d.ts") && /\.(ts|tsx|mts|cts)$/.test(file)) return false;
  return fileExists(substitute(file));
};
ts.sys.readFile = (file, encoding) => readFile(substitute(file), encoding);

// Compiled cells are kept (see scripts/kernel-cache.js): a cell met again
// after the same earlier cells, against the same lib/ and types, skips the
// compiler, and a kernel whose cells all hit never starts it.
if (process.env.ICA_KERNEL_CACHE !== "0") {
  const converter = require("../node_modules/tslab/dist/converter.js");
  const { cachedConverter, cacheContext } = require("./kernel-cache.js");
  const context = cacheContext(ROOT, [types, slimNode ?? "full node types", ts.version, process.version]);
  const create = converter.createConverter;
  converter.createConverter = (options) => cachedConverter(() => create(options), { root: ROOT, context, options, ts });
}

require("./kernel-errors.js").reportErrors(require("../node_modules/tslab/dist/executor.js"), require("../node_modules/tslab/dist/jupyter.js"));

require("tsx/cjs");
require("../node_modules/tslab/dist/main.js").main();
