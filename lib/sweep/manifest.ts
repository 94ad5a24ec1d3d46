// The sweep folder's manifest: one entry per `npm run sweep` invocation that
// ran at least one run, newest last (E8 shows the last few). It is committed
// with the records, so a merge can leave conflict markers in it; such a file
// is kept aside under a new name, with a message, never silently replaced.
import * as path from "path";
import { exists, moveAside, readTextIfExists, writeAtomic } from "../io";
import { SWEEP_FORMAT } from "./record";

/** One `npm run sweep` invocation, as its manifest entry records it. */
export interface SweepInvocation {
  started: string;
  wallSeconds: number;
  configs: "all" | string[];
  seeds: [number, number];
  planned: number;
  skipped: number;
  ran: number;
  failed: number;
  interrupted: boolean;
  workers: number;
  cores: number;
  cpu: string;
  node: string;
  commit: string | null;
}

interface Manifest {
  format: number;
  note: string;
  invocations: SweepInvocation[];
}

const NOTE = "One entry per `npm run sweep` invocation that ran at least one run (newest last, up to 50).";
const KEEP = 50;

export const manifestPath = (dir: string): string => path.join(dir, "manifest.json");

/** The manifest's invocations; `problem` says why a manifest that is there could not be read. */
export function readManifest(dir: string): { invocations: SweepInvocation[]; problem: string | null } {
  const file = manifestPath(dir);
  const text = readTextIfExists(file);
  if (text === null) return { invocations: [], problem: null };
  try {
    const m = JSON.parse(text) as Partial<Manifest> | null;
    if (m === null || typeof m !== "object" || !Array.isArray(m.invocations)) throw new Error("no list of invocations");
    return { invocations: m.invocations, problem: null };
  } catch (e) {
    return { invocations: [], problem: `${file} is unreadable (${(e as Error).message})` };
  }
}

/**
 * If the manifest is there but unreadable, renames it to
 * `manifest.json.bad-<time>` (its log is kept for a person to merge) and
 * returns a message saying so; otherwise returns null.
 */
export function setAsideBadManifest(dir: string, now = new Date()): string | null {
  const { problem } = readManifest(dir);
  if (problem === null) return null;
  const kept = moveAside(manifestPath(dir), `.bad-${now.toISOString().replace(/[:.]/g, "-")}`);
  return `${problem}: kept it as ${kept} and started a new manifest`;
}

/** Adds `entry` to the manifest (keeping the newest 50); returns the set-aside message, if any. */
export function appendManifest(dir: string, entry: SweepInvocation): string | null {
  const moved = setAsideBadManifest(dir);
  const old = exists(manifestPath(dir)) ? readManifest(dir).invocations : [];
  const m: Manifest = { format: SWEEP_FORMAT, note: NOTE, invocations: [...old, entry].slice(-KEEP) };
  writeAtomic(manifestPath(dir), JSON.stringify(m, null, 2) + "\n");
  return moved;
}
