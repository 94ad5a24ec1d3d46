// Options declared once. Each public function that takes an options object
// declares every option here: its kind, range, default and one line of doc.
// From that one declaration come the validation (unknown names, wrong types
// and out-of-range values are rejected with the name and the value), the
// defaults, and the README's option tables (tests/options.test.ts checks them).
//
// Why not a library: zod 3.25 (CommonJS, so it would load in a tslab cell) took
// 21–44 ms to require (5 runs, Node 20, this project's 2-core machine), and its
// messages drop the value and the function ("Expected boolean, received
// string", "Number must be greater than 0"); a reader who typed
// `nonNegative: "false"` needs both. This module has no dependency.
import { checkMatrix, type Matrix } from "./linalg";

/**
 * One option: its kind, range, default and doc. `required: true` marks an
 * option the call must give (the figure's data, its title); such an option has
 * no default, and the README shows "required" in its default column.
 */
export type Spec = ({ required?: boolean } & (
  | { kind: "number"; min?: number; max?: number; above?: number; below?: number; default?: number; doc: string }
  | { kind: "integer"; min?: number; max?: number; default?: number; doc: string }
  | { kind: "boolean"; default?: boolean; doc: string }
  | { kind: "enum"; values: readonly string[]; default?: string; doc: string }
  | { kind: "string"; default?: string; doc: string }
  | { kind: "seed"; default?: number | string; doc: string }
  | { kind: "matrix"; doc: string }
  | { kind: "numbers"; min?: number; doc: string }
  | { kind: "custom"; type: string; check: (name: string, v: unknown) => void; default?: unknown; doc: string }
));

/** One Spec per option of T: the compiler keeps the declaration and the interface in step. */
export type Schema<T> = { readonly [K in keyof Required<T>]: Spec };

export interface Declaration<T> {
  /** The function the options belong to, as errors and the README name it. */
  readonly fn: string;
  readonly schema: Schema<T>;
  /**
   * Checks `opts` against the declaration and returns a copy with every
   * declared default filled in. Options without a declared default stay
   * undefined (their default depends on the data, and the function says so).
   */
  parse(opts: unknown): T;
}

/**
 * `renamed` maps an option that no longer exists to what replaced it, so an
 * old call gets a pointer rather than a bare "unknown option".
 */
export function declareOptions<T>(fn: string, schema: Schema<T>, renamed: Record<string, string> = {}): Declaration<T> {
  for (const [key, spec] of Object.entries(schema as Record<string, Spec>)) {
    if (spec.required && "default" in spec && spec.default !== undefined) {
      throw new TypeError(`${fn}: option '${key}' is required, so it cannot have a default (got ${JSON.stringify(spec.default)})`);
    }
  }
  return {
    fn,
    schema,
    parse(opts: unknown): T {
      return parseOptions(fn, schema as Record<string, Spec>, opts, renamed) as T;
    },
  };
}

function parseOptions(fn: string, schema: Record<string, Spec>, opts: unknown, renamed: Record<string, string>): Record<string, unknown> {
  if (opts === undefined) opts = {};
  if (opts === null || typeof opts !== "object" || Array.isArray(opts)) {
    throw new TypeError(`${fn}: options must be an object, got ${show(opts)}`);
  }
  const given = opts as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(schema, key)) {
      if (Object.prototype.hasOwnProperty.call(renamed, key)) {
        throw new RangeError(`${fn}: option '${key}' was replaced by ${renamed[key]}`);
      }
      throw unknownName(`${fn}: unknown option`, key, schema, "options");
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(schema)) {
    const v = given[key];
    if (v === undefined) {
      if (spec.required) throw new TypeError(`${fn}: option '${key}' is required`);
      if ("default" in spec && spec.default !== undefined) out[key] = spec.default;
      continue;
    }
    checkValue(key, spec, v);
    out[key] = v;
  }
  return out;
}

function unknownName(what: string, key: string, schema: Record<string, Spec>, plural: string): RangeError {
  const near = closest(key, Object.keys(schema));
  return new RangeError(`${what} '${key}'${near ? ` (did you mean '${near}'?)` : ""}; valid ${plural} are ${Object.keys(schema).join(", ")}`);
}

/**
 * Checks a nested object (a series of a chart, a panel) against its own
 * schema as parse checks an options object: unknown fields, missing required
 * ones and ill-typed values are errors naming the path (`series[2].name`) and
 * the value. `open` lets other fields through, for objects made by other
 * functions that carry more than the checker reads (a learnBasis history entry).
 * Nothing is filled in: the caller reads the object as given.
 */
export function checkFields(name: string, schema: Record<string, Spec>, v: unknown, o: { open?: boolean } = {}): void {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new TypeError(`${name} must be an object, got ${show(v)}`);
  const given = v as Record<string, unknown>;
  if (!o.open) {
    for (const key of Object.keys(given)) {
      if (!Object.prototype.hasOwnProperty.call(schema, key)) throw unknownName(`${name}: unknown field`, key, schema, "fields");
    }
  }
  for (const [key, spec] of Object.entries(schema)) {
    const x = given[key];
    if (x === undefined) {
      if (spec.required) throw new TypeError(`${name}.${key} is required`);
    } else checkValue(`${name}.${key}`, spec, x);
  }
}

/** Throws an error naming `name` and the value when `v` does not fit `spec`. */
export function checkValue(name: string, spec: Spec, v: unknown): void {
  switch (spec.kind) {
    case "number":
      if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${name} must be a finite number, got ${show(v)}`);
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max) ||
          (spec.above !== undefined && v <= spec.above) || (spec.below !== undefined && v >= spec.below)) {
        throw new RangeError(`${name} must be ${range(spec)}, got ${v}`);
      }
      return;
    case "integer":
      if (typeof v !== "number" || !Number.isInteger(v)) throw new TypeError(`${name} must be an integer, got ${show(v)}`);
      if ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max)) {
        throw new RangeError(`${name} must be an integer ${range(spec)}, got ${v}`);
      }
      return;
    case "boolean":
      if (typeof v !== "boolean") throw new TypeError(`${name} must be true or false, got ${show(v)}`);
      return;
    case "enum":
      if (typeof v !== "string" || !spec.values.includes(v)) {
        throw new RangeError(`${name} must be one of ${spec.values.map((s) => `'${s}'`).join(", ")}, got ${show(v)}`);
      }
      return;
    case "string":
      if (typeof v !== "string") throw new TypeError(`${name} must be a string, got ${show(v)}`);
      return;
    case "seed":
      requireSeed(v, name);
      return;
    case "matrix":
      checkMatrix(name, v);
      return;
    case "numbers":
      if (!Array.isArray(v)) throw new TypeError(`${name} must be an array of numbers, got ${show(v)}`);
      v.forEach((x, i) => checkValue(`${name}[${i}]`, { kind: "number", min: spec.min, doc: "" }, x));
      return;
    case "custom":
      spec.check(name, v);
      return;
  }
}

function range(spec: { min?: number; max?: number; above?: number; below?: number }): string {
  const lo = spec.above !== undefined ? `> ${spec.above}` : spec.min !== undefined ? `≥ ${spec.min}` : "";
  const hi = spec.below !== undefined ? `< ${spec.below}` : spec.max !== undefined ? `≤ ${spec.max}` : "";
  return lo && hi ? `${lo} and ${hi}` : lo || hi || "finite";
}

/** A value as an error message shows it: strings quoted, so "false" is not false. */
export function show(v: unknown): string {
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return "null";
  if (typeof v === "object") return "an object";
  if (typeof v === "function") return "a function";
  return String(v);
}

/** The declared name nearest to a misspelling (edit distance ≤ 2), if any. */
function closest(key: string, names: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const name of names) {
    const d = editDistance(key.toLowerCase(), name.toLowerCase());
    if (d < bestD) [best, bestD] = [name, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** True for a value made by declareOptions (the README generator finds them among lib's exports). */
export function isDeclaration(v: unknown): v is Declaration<unknown> {
  return typeof v === "object" && v !== null && typeof (v as Declaration<unknown>).fn === "string" &&
    typeof (v as Declaration<unknown>).parse === "function" && typeof (v as Declaration<unknown>).schema === "object";
}

/** The README's table of a declaration: option, type, default, meaning. */
export function optionsTable<T>(d: Declaration<T>): string {
  const rows = Object.entries(d.schema as Record<string, Spec>).map(([key, spec]) => {
    return `| \`${key}\` | ${typeText(spec)} | ${defaultText(spec)} | ${spec.doc.replace(/\|/g, "\\|")} |`;
  });
  return ["| option | type | default | meaning |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

function typeText(spec: Spec): string {
  switch (spec.kind) {
    case "number": {
      const r = range(spec);
      return r === "finite" ? "number" : `number ${r}`;
    }
    case "integer": {
      const r = range(spec);
      return r === "finite" ? "integer" : `integer ${r}`;
    }
    case "enum":
      return spec.values.map((v) => `\`'${v}'\``).join(" \\| ");
    case "seed":
      return "number \\| string";
    case "matrix":
      return "number[][]";
    case "numbers":
      return "number[]";
    case "custom":
      return spec.type.replace(/\|/g, "\\|");
    default:
      return spec.kind;
  }
}

function defaultText(spec: Spec): string {
  if (spec.required) return "required";
  if (!("default" in spec) || spec.default === undefined) return "—";
  const v = spec.default;
  return typeof v === "string" ? `\`'${v}'\`` : `\`${JSON.stringify(v)}\``;
}

// The scalar checks that functions without an options object still call.

export function requirePositive(name: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a finite number > 0, got ${show(value)}`);
  }
}

/** An integer in [min, max], or an error naming the parameter and the value. */
export function requireInt(name: string, v: unknown, min: number, max = Infinity): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    const r = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name} must be an integer ${r}, got ${show(v)}`);
  }
  return v;
}

export function requireSeed(seed: unknown, name = "seed"): void {
  if (typeof seed !== "number" && typeof seed !== "string") {
    throw new TypeError(`${name} must be a number or a string, got ${show(seed)}`);
  }
  if (typeof seed === "number" && !Number.isFinite(seed)) {
    throw new RangeError(`${name} must be finite, got ${seed}`);
  }
}

export type { Matrix };
