// Activation zones (blog "Comparison with SAEs", after the post's
// "Superposition: an actual image of latent spaces"): over a grid of 2-D
// points, which features a coder switches on. For a ReLU encoder each
// feature's zone is a half-plane, w_i·(x − b_dec) + b_enc,i > 0; for ICA's MAP
// inference the zones are cones with a dead region around the origin.
import { checkMatrix, type Matrix } from "./linalg";
import { declareOptions, show } from "./options";
import type { Coder } from "./coders";
import type { SAEModel } from "./sae";

export interface ZoneOptions {
  /** [min, max] of the first coordinate. */
  xRange: [number, number];
  /** [min, max] of the second coordinate. */
  yRange: [number, number];
  /** Grid points per axis. Default 121. */
  resolution?: number;
}

export interface Zone {
  /** Bit i set = feature i active. */
  mask: number;
  /** The active features, 0-based. */
  active: number[];
  /** Fraction of the grid in this zone. */
  share: number;
}

export interface ZoneMap {
  /** Grid coordinates along each axis. */
  x: number[];
  y: number[];
  /** mask[row][col] at (x[col], y[row]): the active set as a bitmask. */
  mask: number[][];
  /** Every active set that occurs, largest share first. */
  zones: Zone[];
  /** Number of features of the coder. */
  features: number;
}

export const ZONE_OPTIONS = declareOptions<ZoneOptions>("activationZones", {
  xRange: { kind: "custom", type: "[number, number]", check: checkRange, doc: "[min, max] of the first coordinate" },
  yRange: { kind: "custom", type: "[number, number]", check: checkRange, doc: "[min, max] of the second coordinate" },
  resolution: { kind: "integer", min: 2, max: 1001, default: 121, doc: "grid points per axis" },
});

function checkRange(name: string, r: unknown): void {
  if (!Array.isArray(r) || r.length !== 2 || !r.every((v) => typeof v === "number" && Number.isFinite(v)) || !(r[0] < r[1])) {
    throw new RangeError(`${name} must be [min, max] with finite min < max, got ${Array.isArray(r) ? JSON.stringify(r) : show(r)}`);
  }
}

/** The bitmask of active features of each column of the n×p code S. */
export function activeMasks(S: Matrix): number[] {
  const { rows: n, cols: p } = checkMatrix("S", S);
  if (n > 30) throw new RangeError(`activeMasks packs features into 31-bit masks; got ${n} features`);
  const out = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) if (S[i]![j]! !== 0) out[j] |= 1 << i;
  return out;
}

/** The active features of each grid point of a 2-D region under a coder. */
export function activationZones(coder: Coder, o: ZoneOptions): ZoneMap {
  const given = ZONE_OPTIONS.parse(o);
  if (given.xRange === undefined || given.yRange === undefined) {
    throw new TypeError(`activationZones needs xRange and yRange, got ${given.xRange === undefined ? "no xRange" : "no yRange"}`);
  }
  const [x0, x1] = given.xRange;
  const [y0, y1] = given.yRange;
  const res = given.resolution!;
  const { rows: m, cols: n } = checkMatrix("coder.basis", coder.basis);
  if (m !== 2) throw new RangeError(`activation zones are drawn in the plane: the coder must have 2-D inputs, got m = ${m}`);
  const x = Array.from({ length: res }, (_, c) => x0 + ((x1 - x0) * c) / (res - 1));
  const y = Array.from({ length: res }, (_, r) => y0 + ((y1 - y0) * r) / (res - 1));
  const grid: Matrix = [[], []];
  for (const yy of y) for (const xx of x) {
    grid[0]!.push(xx);
    grid[1]!.push(yy);
  }
  const masks = activeMasks(coder.encode(grid));
  const mask = y.map((_, r) => masks.slice(r * res, r * res + res));
  const counts = new Map<number, number>();
  for (const v of masks) counts.set(v, (counts.get(v) ?? 0) + 1);
  const zones = [...counts.entries()]
    .map(([v, c]) => ({ mask: v, active: Array.from({ length: n }, (_, i) => i).filter((i) => (v >> i) & 1), share: c / masks.length }))
    .sort((a, b) => b.share - a.share || a.mask - b.mask);
  return { x, y, mask, zones, features: n };
}

/**
 * The boundary line of each ReLU feature's zone, w_i·(x − b_dec) + b_enc,i = 0,
 * as { normal, offset } with normal·x = offset; the zone is normal·x > offset.
 */
export function reluBoundaries(model: SAEModel): { normal: number[]; offset: number }[] {
  const { rows: n, cols: m } = checkMatrix("model.Wenc", model.Wenc);
  if (!Array.isArray(model.bDec) || model.bDec.length !== m) throw new RangeError(`model.bDec must have ${m} entries, got ${String(model.bDec?.length)}`);
  if (!Array.isArray(model.bEnc) || model.bEnc.length !== n) throw new RangeError(`model.bEnc must have ${n} entries, got ${String(model.bEnc?.length)}`);
  return model.Wenc.map((w, i) => ({
    normal: w.slice(),
    offset: w.reduce((s, v, k) => s + v * model.bDec[k]!, 0) - model.bEnc[i]!,
  }));
}

/** A readable name of an active set: "none", "1", "1+3", … (1-based). */
export function zoneLabel(active: number[]): string {
  return active.length === 0 ? "none" : active.map((i) => i + 1).join("+");
}
