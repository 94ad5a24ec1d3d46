// The notebook kernel's machinery, without Jupyter: the cache of compiled
// cells (scripts/kernel-cache.js) driven by a stand-in compiler that counts
// its calls, and lib/'s declarations (scripts/lib-types.js). The kernel run
// end to end is in notebooks.test.ts.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { cachedConverter } from "../scripts/kernel-cache.js";
import { libHash } from "../scripts/lib-types.js";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts = require("@tslab/typescript-for-tslab") as unknown;

interface Out { output?: string; declOutput?: string; diagnostics: unknown[]; sideOutputs?: unknown[] }
interface Converter { convert(prevDecl: string, src: string): Out; close(): void }

/** A stand-in for tslab's compiler that counts what it compiles; a cell containing "error" gets a diagnostic. */
function fakeCompiler() {
  const compiled: string[] = [];
  let made = 0;
  const make = () => {
    made++;
    return {
      convert(prevDecl: string, src: string): Out {
        compiled.push(src);
        const diagnostics = src.includes("error") ? [{ message: "a type error" }] : [];
        return { output: `compiled(${prevDecl}|${src})`, declOutput: "", diagnostics };
      },
      close() {},
    };
  };
  return { compiled, made: () => made, make };
}

/** A kernel's converter over the cache in `root`, as scripts/kernel.js makes it. */
function kernel(root: string, compiler: ReturnType<typeof fakeCompiler>, context = "context 1"): Converter {
  const make = cachedConverter as unknown as (m: () => unknown, o: object) => Converter;
  return make(compiler.make, { root, context, options: {}, ts });
}

const freshRoot = () => fs.mkdtempSync(path.join(os.tmpdir(), "ica-kernel-cache-"));

test("the kernel cache: a cell met again after the same declarations is not compiled, in this kernel or the next", () => {
  const root = freshRoot();
  const c = fakeCompiler();
  const k1 = kernel(root, c);
  const first = k1.convert("", 'import * as ica from "./lib/index";');
  const second = k1.convert("declare const ica: 1;", "const m = ica;");
  assert.deepEqual(c.compiled, ['import * as ica from "./lib/index";', "const m = ica;"]);
  const k2 = kernel(root, c);
  assert.deepEqual(k2.convert("", 'import * as ica from "./lib/index";'), first);
  assert.deepEqual(k2.convert("declare const ica: 1;", "const m = ica;"), second);
  assert.equal(c.compiled.length, 2, "the second kernel compiles nothing");
  assert.equal(c.made(), 1, "and never starts the compiler");
  // Other declarations before it, or another context (lib/, types, versions), make another entry.
  k2.convert("declare const ica: 2;", "const m = ica;");
  kernel(root, c, "context 2").convert("declare const ica: 1;", "const m = ica;");
  assert.equal(c.compiled.length, 4);
});

test("the kernel cache never keeps a cell with a type error: it is compiled, and reported, every time", () => {
  const root = freshRoot();
  const c = fakeCompiler();
  for (let run = 0; run < 2; run++) {
    const out = kernel(root, c).convert("", "const x: string = error;");
    assert.equal(out.diagnostics.length, 1);
  }
  assert.equal(c.compiled.length, 2);
});

test("the kernel cache compiles every time a cell that reads files outside lib/ and the packages", () => {
  const root = freshRoot();
  const c = fakeCompiler();
  const kept = [
    'import * as ica from "./lib/index";',
    'import { solveMap } from "./lib/inference/solve";',
    'import * as lib from "./lib";',
    'import * as math from "mathjs";\nimport * as fs from "fs";\nimport type { Rng } from "./lib/random";',
  ];
  // A local module, data, a module made by %%module, a file reference: the
  // compiler reads their current contents, which the key does not hold.
  const compiledEachTime = [
    'import { BUILD } from "./scripts/jupyter";',
    'import records from "./data/sweeps/manifest.json";',
    'import { helper } from "./helper";',
    'const m = await import("../elsewhere/module");',
    'import * as x from "/abs/path/module";',
    'import * as y from "./lib/../scripts/site";',
    '/// <reference path="./types.d.ts" />\nconst z = 1;',
  ];
  for (const src of [...kept, ...compiledEachTime]) kernel(root, c).convert("", src);
  for (const src of [...kept, ...compiledEachTime]) kernel(root, c).convert("", src);
  assert.deepEqual(c.compiled, [...kept, ...compiledEachTime, ...compiledEachTime]);
  // The same holds when the import is an earlier cell's, seen in the previous declarations.
  const prev = 'import { helper } from "./helper";\n';
  kernel(root, c).convert(prev, "const y = helper;");
  kernel(root, c).convert(prev, "const y = helper;");
  assert.equal(c.compiled.filter((s) => s === "const y = helper;").length, 2);
});

test("ICA_KERNEL_CACHE_DIR moves the kernel cache", () => {
  const root = freshRoot();
  const dir = path.join(root, "elsewhere");
  const c = fakeCompiler();
  const saved = process.env.ICA_KERNEL_CACHE_DIR;
  process.env.ICA_KERNEL_CACHE_DIR = dir;
  try {
    kernel(root, c).convert("", "const a = 1;");
  } finally {
    if (saved === undefined) delete process.env.ICA_KERNEL_CACHE_DIR;
    else process.env.ICA_KERNEL_CACHE_DIR = saved;
  }
  assert.ok(fs.readdirSync(dir).some((d) => !d.startsWith(".")), "the entry is in ICA_KERNEL_CACHE_DIR");
  assert.ok(!fs.existsSync(path.join(root, "build", "kernel-cache")) || fs.readdirSync(path.join(root, "build", "kernel-cache")).every((d) => d.startsWith(".")));
});

test("the name of lib/'s declarations changes with any .ts file under lib/, in its folders too", () => {
  // libHash names build/lib-types/<hash>/ and is in every cache key: a change
  // it misses would leave the kernel checking cells against stale types.
  const root = freshRoot();
  fs.cpSync(path.join(__dirname, "..", "lib"), path.join(root, "lib"), { recursive: true });
  const seen = new Set<string>();
  const changed = (what: string) => {
    const h = libHash(root);
    assert.ok(!seen.has(h), `the hash did not change after ${what}`);
    seen.add(h);
  };
  changed("nothing");
  assert.ok(seen.has(libHash(root)), "the same lib/ keeps its name");
  fs.appendFileSync(path.join(root, "lib", "stats.ts"), "\nexport const addedForTheTest = 1;\n");
  changed("a change to lib/stats.ts");
  const folder = path.join(root, "lib", "geometry");
  fs.mkdirSync(folder);
  fs.writeFileSync(path.join(folder, "turn.ts"), "export const turn: number = 1;\n");
  changed("a new lib/geometry/turn.ts");
  fs.writeFileSync(path.join(folder, "turn.ts"), "export const turn: string = 'a';\n");
  changed("a change to lib/geometry/turn.ts");
  fs.renameSync(path.join(folder, "turn.ts"), path.join(root, "lib", "turn.ts"));
  changed("moving it to lib/turn.ts");
});
