// The nested shapes that figure options hold (a chart's series, a drawing's
// matrix, an animation's frames), as Specs of lib/options.ts: a misspelled or
// ill-typed field inside them is an error naming its path (`series[2].color`)
// and the value, as a top-level option is. Numbers are checked for type only:
// a chart draws NaN as a gap (a curve with no value at some step), so the
// values a figure plots need not be finite.
import { checkFields, checkValue, show, type Spec } from "../options";

type Check = (name: string, v: unknown) => void;

/** The same spec, one the call must give. */
export function req(spec: Spec): Spec {
  return { ...spec, required: true };
}

function arrayCheck(what: string, each: Check): Check {
  return (name, v) => {
    if (!Array.isArray(v)) throw new TypeError(`${name} must be ${what}, got ${show(v)}`);
    v.forEach((x, i) => each(`${name}[${i}]`, x));
  };
}

const aNumber: Check = (name, v) => {
  if (typeof v !== "number") throw new TypeError(`${name} must be a number, got ${show(v)}`);
};
const aString: Check = (name, v) => {
  if (typeof v !== "string") throw new TypeError(`${name} must be a string, got ${show(v)}`);
};
const anObject: Check = (name, v) => {
  if (v === null || typeof v !== "object" || Array.isArray(v)) throw new TypeError(`${name} must be an object, got ${show(v)}`);
};
const numbersCheck = arrayCheck("an array of numbers", aNumber);

/** A number, NaN and ±∞ included (a diverging run is drawn as it went); `nullable` lets null through. */
export function anyNumber(doc: string, o: { nullable?: boolean } = {}): Spec {
  const check: Check = (name, v) => (o.nullable && v === null ? undefined : aNumber(name, v));
  return { kind: "custom", type: o.nullable ? "number | null" : "number", check, doc };
}

/** number[]: values to plot (NaN allowed, a gap). */
export function numberList(doc: string): Spec {
  return { kind: "custom", type: "number[]", check: numbersCheck, doc };
}

/** (number | null)[]: null leaves a gap. */
export function gappedNumbers(doc: string): Spec {
  const check = arrayCheck("an array of numbers or nulls", (name, v) => (v === null ? undefined : aNumber(name, v)));
  return { kind: "custom", type: "(number | null)[]", check, doc };
}

/** string[]: category names, labels, colours; `nonEmpty` for a list that is read cyclically. */
export function stringList(doc: string, o: { nonEmpty?: boolean } = {}): Spec {
  const strings = arrayCheck("an array of strings", aString);
  const check: Check = (name, v) => {
    strings(name, v);
    if (o.nonEmpty && (v as string[]).length === 0) throw new RangeError(`${name} must hold at least one string, got an empty array`);
  };
  return { kind: "custom", type: "string[]", check, doc };
}

/** number[][]: a matrix to draw (its rows need not be finite, a heatmap cell may be NaN). */
export function grid(doc: string): Spec {
  return { kind: "custom", type: "number[][]", check: arrayCheck("an array of arrays of numbers", numbersCheck), doc };
}

/** One colour, or one per item. */
export function colorSpec(doc: string, o: { default?: string } = {}): Spec {
  const check: Check = (name, v) => {
    if (typeof v === "string") return;
    if (!Array.isArray(v)) throw new TypeError(`${name} must be a colour string or an array of them, got ${show(v)}`);
    v.forEach((c, i) => aString(`${name}[${i}]`, c));
  };
  return { kind: "custom", type: "string | string[]", check, default: o.default, doc };
}

/** An array of plotly objects (traces, annotations), passed through as they are. */
export function plotlyObjects(type: string, doc: string): Spec {
  return { kind: "custom", type, check: arrayCheck("an array of objects", anObject), doc };
}

/** [low, high] of an axis. */
export function pair(doc: string): Spec {
  const check: Check = (name, v) => {
    if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${name} must be [number, number], got ${show(v)}`);
    v.forEach((x, i) => checkValue(`${name}[${i}]`, { kind: "number", doc: "" }, x));
  };
  return { kind: "custom", type: "[number, number]", check, doc };
}

/** Values of an enum, as an array. */
export function enumList(values: readonly string[], doc: string): Spec {
  const each: Spec = { kind: "enum", values, doc: "" };
  const type = `(${values.map((v) => `'${v}'`).join(" | ")})[]`;
  return { kind: "custom", type, check: arrayCheck("an array", (name, v) => checkValue(name, each, v)), doc };
}

/**
 * One nested object with its own fields. `open` lets fields the figure does
 * not read through (a learnBasis history entry, a ZoneMap carry more).
 */
export function objectOf(type: string, schema: Record<string, Spec>, doc: string, o: { open?: boolean } = {}): Spec {
  return { kind: "custom", type, check: (name, v) => checkFields(name, schema, v, o), doc };
}

/** An array of nested objects, each with its own fields; `nullable` lets null stand for a gap. */
export function listOf(type: string, schema: Record<string, Spec>, doc: string, o: { open?: boolean; nullable?: boolean } = {}): Spec {
  const each: Check = (name, v) => (o.nullable && v === null ? undefined : checkFields(name, schema, v, o));
  return { kind: "custom", type, check: arrayCheck("an array", each), doc };
}

/** A callback. */
export function callback(type: string, doc: string): Spec {
  const check: Check = (name, v) => {
    if (typeof v !== "function") throw new TypeError(`${name} must be a function ${type}, got ${show(v)}`);
  };
  return { kind: "custom", type, check, doc };
}

/** The title every figure must have. */
export const FIGURE_TITLE: Spec = { kind: "string", required: true, doc: "figure title" };

/** A figure title and both axis titles, all required (line and bar charts). */
export const AXIS_TITLES = {
  title: FIGURE_TITLE,
  xTitle: { kind: "string", required: true, doc: "x-axis title" },
  yTitle: { kind: "string", required: true, doc: "y-axis title" },
} as const satisfies Record<string, Spec>;
