// The command lines of `npm run sweep` and `npm run bench`, read with
// node:util parseArgs. parseArgs runs in its lenient mode and hands back
// tokens, so that each mistake is reported in our words, naming the option
// and the value (its strict mode's messages name neither our usage nor the
// valid options); the scripts then exit with code 2.
import { parseArgs } from "node:util";

/** A mistake on the command line: the script prints it and exits with 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export interface CliOption {
  type: "string" | "boolean";
  short?: string;
}

/**
 * Reads `argv` against `options`. A string option needs a value (`--x v` or
 * `--x=v`; a following `--y` is not taken as its value), a boolean option
 * takes none, and an unknown option or a stray argument is an error, with
 * `unknown(rawName)` as the message for an unknown one. Returns the strings
 * given for each option, in order; booleans given map to ["true"].
 */
export function parseCli<K extends string>(
  argv: readonly string[], options: Record<K, CliOption>, unknown: (raw: string) => string,
): Partial<Record<K, string[]>> {
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, tokens: true, allowPositionals: true });
  const out: Partial<Record<K, string[]>> = {};
  for (const t of tokens) {
    if (t.kind === "positional") throw new UsageError(`unexpected argument '${t.value}'; options start with --`);
    if (t.kind === "option-terminator") throw new UsageError(unknown("--"));
    if (!Object.prototype.hasOwnProperty.call(options, t.name)) throw new UsageError(unknown(t.rawName));
    const name = t.name as K;
    let value: string;
    if (options[name].type === "boolean") {
      if (t.value !== undefined) throw new UsageError(`${t.rawName} takes no value, got '${t.value}'`);
      value = "true";
    } else {
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith("--"))) throw new UsageError(`${t.rawName} needs a value`);
      value = t.value;
    }
    (out[name] ??= []).push(value);
  }
  return out;
}

/** The last value given for `name`, or undefined. */
export const last = (values: readonly string[] | undefined): string | undefined => values?.[values.length - 1];

/** An integer option in [min, max], or a UsageError naming the option and the value. */
export function intOption(name: string, v: string, min: number, max: number): number {
  const n = /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be an integer in [${min}, ${max}], got '${v}'`);
  return n;
}
