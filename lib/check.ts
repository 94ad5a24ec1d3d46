// Claims made in a notebook's prose are backed by calls to claim(). Each one
// shows a line under its cell: held or failed, the claim in words (worded by
// the notebook from the values it tests) and what was measured.
//
// Two modes:
//  - strict: a failing claim throws a ClaimError that carries its words and
//    measured values, which stops the notebook (npm start, npm test, CI and
//    `npm run execute -- --strict` run this way);
//  - report: a failing claim is shown and kept, and the notebook goes on; the
//    claimSummary() cell at the end lists what held and what failed. This is
//    the default in a reader's kernel, where parameters are meant to change.
//
// The mode comes from, in order: a claimMode("strict" | "report") call, the
// environment variable ICA_CLAIMS, and otherwise "report" inside a Jupyter
// kernel and "strict" outside one (scripts and tests).

import { displayWriter } from "./kernel";

export class ClaimError extends Error {
  override name = "ClaimError";
  constructor(readonly record: ClaimRecord) {
    super(`Claim failed: ${record.words}${record.measured ? ` (measured: ${record.measured})` : ""}${record.error ? ` (could not be tested: ${record.error})` : ""}`);
  }
}

export type ClaimMode = "strict" | "report";
const MODES: readonly ClaimMode[] = ["strict", "report"];

/** What one claim() call found. */
export interface ClaimRecord {
  held: boolean;
  words: string;
  /** The measured values, formatted ("best = 1.23, step = 40"); "" when none were given. */
  measured: string;
  /** Set when the claim's test itself threw: the error's name and message. */
  error?: string;
}

/** The claims of a run: how many were checked, held and failed, and the failures. */
export interface ClaimTally {
  mode: ClaimMode;
  checked: number;
  held: number;
  failed: ClaimRecord[];
}

/** Vendor MIME type of the machine-readable part of a claim's and a summary's output. */
export const CLAIM_MIME = "application/vnd.ica-vs-sae.claim+json";
export const SUMMARY_MIME = "application/vnd.ica-vs-sae.claims+json";

let chosen: ClaimMode | null = null;

/**
 * Sets the claim mode when given one, and returns the mode in force. A
 * mode set here wins over ICA_CLAIMS until the kernel restarts or
 * claimMode(null) clears it.
 */
export function claimMode(mode?: ClaimMode | null): ClaimMode {
  if (mode === null) chosen = null;
  else if (mode !== undefined) {
    if (!MODES.includes(mode)) throw new Error(`claimMode: mode must be "strict" or "report", got ${JSON.stringify(mode)}`);
    chosen = mode;
  }
  if (chosen !== null) return chosen;
  const raw = process.env.ICA_CLAIMS;
  const env = raw?.trim().toLowerCase();
  if (env !== undefined && env !== "") {
    if (!MODES.includes(env as ClaimMode)) throw new Error(`ICA_CLAIMS must be "strict" or "report", got ${JSON.stringify(raw)}`);
    return env as ClaimMode;
  }
  return displayWriter() !== null ? "report" : "strict";
}

/** One measured value in a few characters: numbers to 4 significant digits, long lists cut. */
export function formatValue(v: unknown, depth = 0): string {
  if (typeof v === "number") {
    if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
    if (!Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    if (a >= 1e5 || a < 1e-3) return v === 0 ? "0" : v.toExponential(2);
    return Number(v.toPrecision(4)).toString();
  }
  if (v === null || v === undefined) return String(v);
  if (typeof v === "string") return depth === 0 ? v : JSON.stringify(v);
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (depth > 2) return "…";
  if (Array.isArray(v) || ArrayBuffer.isView(v) || v instanceof Set) {
    const items = v instanceof Set ? [...v] : Array.isArray(v) ? v : Array.from(v as unknown as ArrayLike<number>);
    const shown = items.slice(0, 8).map((x) => formatValue(x, depth + 1));
    return `[${shown.join(", ")}${items.length > 8 ? `, … (${items.length} in all)` : ""}]`;
  }
  if (typeof v === "object") {
    const o = v instanceof Map ? Object.fromEntries(v) as Record<string, unknown> : v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 2 && typeof o.re === "number" && typeof o.im === "number") {
      return o.im === 0 ? formatValue(o.re) : `${formatValue(o.re)}${o.im < 0 ? "−" : "+"}${formatValue(Math.abs(o.im))}i`;
    }
    const shown = keys.slice(0, 12).map((k) => `${k}: ${formatValue(o[k], depth + 1)}`);
    return `{${shown.join(", ")}${keys.length > 12 ? `, … (${keys.length} keys)` : ""}}`;
  }
  return String(v);
}

/** "a = 1.2, b = [1, 2]": the measured values of a claim. */
export function formatMeasured(detail: object | undefined): string {
  if (detail === undefined) return "";
  return Object.entries(detail).map(([k, v]) => `${k} = ${formatValue(v)}`).join(", ");
}

// The claims checked in this kernel, one list per cell. The project's kernel
// (scripts/kernel-errors.js) publishes the cell being run as
// globalThis.__icaCell = { key, count }, where the key is the cell's id when
// the front end sends one (JupyterLab, VS Code) and its source otherwise
// (classic Notebook, nbclient), and keeps in globalThis.__icaRuns the latest
// run of every key. A rerun cell's claims replace its earlier ones, and a
// cell rerun without reaching a claim (a loop over nothing, an error first)
// drops them. Without the kernel's cell (another kernel, or no kernel) every
// call is an entry of its own.
interface CellClaims {
  run: number | null;
  records: ClaimRecord[];
}
const byCell = new Map<unknown, CellClaims>();
type KernelGlobals = { __icaCell?: { key: string; count: number }; __icaRuns?: Map<string, number> };

function record(r: ClaimRecord): void {
  const cell = (globalThis as KernelGlobals).__icaCell;
  const key: unknown = cell ? cell.key : Symbol("claim");
  const run = cell ? cell.count : null;
  const entry = byCell.get(key);
  if (entry !== undefined && entry.run === run) entry.records.push(r);
  else {
    // The first claim of a new run of this cell: its earlier run's claims go.
    byCell.delete(key);
    byCell.set(key, { run, records: [r] });
  }
}

/** The claims that count now: the last run of every cell, in the order the cells last ran. */
export function claimRecords(): ClaimRecord[] {
  const runs = (globalThis as KernelGlobals).__icaRuns;
  return [...byCell.entries()]
    .filter(([key, c]) => runs === undefined || typeof key !== "string" || !runs.has(key) || runs.get(key) === c.run)
    .flatMap(([, c]) => c.records);
}

/** Forgets every claim checked so far (a test, or a reader starting over without restarting the kernel). */
export function resetClaims(): void {
  byCell.clear();
}

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The HTML line of one claim: a badge, the words and the measured values. */
export function claimHtml(r: ClaimRecord): string {
  const colour = r.held ? "#1e6b34" : "#a12727";
  const badge = `<span class="ica-claim-badge" style="display:inline-block;min-width:3.6em;text-align:center;font:600 11px/1.6 sans-serif;color:#fff;background:${colour};border-radius:3px;padding:0 .4em;margin-right:.5em">${r.held ? "✓ held" : "✗ failed"}</span>`;
  const measured = r.measured ? ` <span class="ica-claim-measured" style="color:#5d6b78">· measured: ${esc(r.measured)}</span>` : "";
  const error = r.error ? ` <span class="ica-claim-measured" style="color:#a12727">· could not be tested: ${esc(r.error)}</span>` : "";
  return `<div class="ica-claim ${r.held ? "ica-claim-held" : "ica-claim-failed"}" style="font:12.5px/1.5 sans-serif;margin:.15em 0">${badge}<span class="ica-claim-words">${esc(r.words)}</span>${measured}${error}</div>`;
}

/** The plain-text line of one claim. */
export function claimText(r: ClaimRecord): string {
  return `${r.held ? "✓ held" : "✗ FAILED"}: ${r.words}${r.measured ? ` · measured: ${r.measured}` : ""}${r.error ? ` · could not be tested: ${r.error}` : ""}`;
}

/**
 * Backs a sentence of the prose. `ok` is the test, or a function that
 * computes it (if that function throws, the claim fails and says why, rather
 * than stopping the notebook in report mode). `words` says what is claimed,
 * built from the values tested (so that it stays true when a reader changes
 * them); `measured` holds what was measured, as an object or a function
 * that returns one. In a kernel a line shows the outcome under the cell. In
 * strict mode a failing claim throws a ClaimError; in report mode it is kept
 * for claimSummary() and the notebook goes on. (It returns nothing, so that
 * tslab prints nothing when a claim ends a cell; claimTally() has the counts.)
 */
export function claim(ok: boolean | (() => boolean), words: string, measured?: object | (() => object)): void {
  if (typeof words !== "string" || words.trim() === "") throw new Error(`claim: words must say what is claimed, got ${JSON.stringify(words)}`);
  if (typeof ok !== "boolean" && typeof ok !== "function") throw new Error(`claim: ok must be a boolean or a function returning one, got ${typeof ok} (${String(ok)}) for "${words}"`);
  const mode = claimMode();
  let held = false;
  let error: string | undefined;
  try {
    const value = typeof ok === "function" ? ok() : ok;
    if (typeof value !== "boolean") throw new Error(`the test returned ${typeof value} (${String(value)}), not a boolean`);
    held = value;
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  let shown = "";
  try {
    shown = formatMeasured(typeof measured === "function" ? measured() : measured);
  } catch (e) {
    shown = `(could not be measured: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)})`;
  }
  const r: ClaimRecord = { held, words, measured: shown, ...(error !== undefined ? { error } : {}) };
  record(r);
  const w = displayWriter();
  if (w !== null) w({ data: { "text/html": claimHtml(r), "text/plain": claimText(r), [CLAIM_MIME]: r }, metadata: {}, transient: {} });
  if (!held && mode === "strict") throw new ClaimError(r);
}

/** An executed notebook's outputs, as far as claims go. */
export interface ExecutedNotebook {
  cells: { outputs?: { data?: Record<string, unknown> }[] }[];
}

/**
 * The claims an executed notebook shows, in order (each claim's output
 * carries its record under CLAIM_MIME), and its summary's tally (under
 * SUMMARY_MIME), or null when it has no claimSummary() output.
 */
export function claimsInNotebook(nb: ExecutedNotebook): { claims: ClaimRecord[]; summary: ClaimTally | null } {
  const claims: ClaimRecord[] = [];
  let summary: ClaimTally | null = null;
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      const c = o.data?.[CLAIM_MIME];
      if (c !== undefined) claims.push(c as ClaimRecord);
      const t = o.data?.[SUMMARY_MIME];
      if (t !== undefined) summary = t as ClaimTally;
    }
  }
  return { claims, summary };
}

/** The tally of the claims that count now (see claimRecords). */
export function claimTally(): ClaimTally {
  const all = claimRecords();
  const failed = all.filter((r) => !r.held);
  return { mode: claimMode(), checked: all.length, held: all.length - failed.length, failed };
}

/** "1 claim checked", "12 claims checked". */
export function claimsChecked(n: number): string {
  return `${n} claim${n === 1 ? "" : "s"} checked`;
}

/** The summary's text. */
export function summaryText(t: ClaimTally): string {
  if (t.checked === 0) return "No claims were checked.";
  if (t.failed.length === 0) return `${claimsChecked(t.checked)}, ${t.checked === 1 ? "it" : "all"} held.`;
  return [
    `${claimsChecked(t.checked)}: ${t.held} held, ${t.failed.length} failed with the parameters now in use (every claim held with the published ones):`,
    ...t.failed.map((r) => `  ${claimText(r)}`),
  ].join("\n");
}

function summaryHtml(t: ClaimTally): string {
  const all = t.failed.length === 0;
  const head = t.checked === 0 ? "No claims were checked." : all ? `✓ ${esc(summaryText(t))}` : `${claimsChecked(t.checked)}: ${t.held} held, <b>${t.failed.length} failed</b>.`;
  const more = all ? "" : `<div style="margin:.3em 0">These failed with the parameters now in use; every claim held with the published ones:</div>${t.failed.map(claimHtml).join("")}`;
  return `<div class="ica-claim-summary" style="font:13px/1.5 sans-serif;border-left:3px solid ${all ? "#1e6b34" : "#a12727"};padding:.3em .8em;margin:.4em 0">${head}${more}</div>`;
}

/**
 * Shows how many claims held and which failed (the last cell of every
 * notebook). claimTally() returns the same counts.
 */
export function claimSummary(): void {
  const t = claimTally();
  const w = displayWriter();
  if (w !== null) w({ data: { "text/html": summaryHtml(t), "text/plain": summaryText(t), [SUMMARY_MIME]: t }, metadata: {}, transient: {} });
  else console.log(summaryText(t));
}
