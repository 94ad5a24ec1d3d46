// Success rates over seeds. A rate from 20 runs is uncertain by ±10–20
// points; the notebooks report it with a Wilson score interval (Wilson 1927),
// which stays inside [0, 1] and behaves at 0/n and n/n, unlike p ± z·√(p(1−p)/n).
import { declareOptions, show } from "./options";

export interface Rate {
  successes: number;
  trials: number;
  /** successes / trials. */
  rate: number;
  low: number;
  high: number;
}

/** Wilson score interval for `successes` out of `trials`; z = 1.96 is the 95% interval. */
export function wilsonInterval(successes: number, trials: number, z = 1.959963984540054): Rate {
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be an integer ≥ 1, got ${show(trials)}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`successes must be an integer in [0, ${trials}], got ${show(successes)}`);
  }
  if (typeof z !== "number" || !Number.isFinite(z) || z <= 0) throw new RangeError(`z must be a finite number > 0, got ${show(z)}`);
  const p = successes / trials;
  const z2 = z * z;
  const denom = 1 + z2 / trials;
  const centre = (p + z2 / (2 * trials)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  return {
    successes,
    trials,
    rate: p,
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === trials ? 1 : Math.min(1, centre + half),
  };
}

/** The Wilson rate of `values` below `threshold` (e.g. best angle errors under 3°). */
export function rateBelow(values: number[], threshold: number): Rate {
  if (!Array.isArray(values) || values.length === 0) throw new RangeError(`values must be a non-empty array, got ${show(values)}`);
  values.forEach((v, i) => {
    if (typeof v !== "number" || Number.isNaN(v)) throw new RangeError(`values[${i}] must be a number, got ${show(v)}`);
  });
  return wilsonInterval(values.filter((v) => v < threshold).length, values.length);
}

/** "7/20 (35%, 95% CI 18–57%)". */
export function formatRate(r: Rate): string {
  const pct = (v: number) => `${Math.round(100 * v)}%`;
  return `${r.successes}/${r.trials} (${pct(r.rate)}, 95% CI ${pct(r.low)}–${pct(r.high)})`;
}

/** The mean of a non-empty list. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("mean of an empty list");
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const s = [...values].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/**
 * "median (min–max)" of a few values, for tables over a handful of seeds;
 * a single value is printed alone.
 */
export function formatSpread(values: number[], digits = 2): string {
  if (!Array.isArray(values) || values.length === 0) throw new RangeError("formatSpread needs at least one value");
  const f = (v: number) => v.toFixed(digits);
  if (values.length === 1) return f(values[0]!);
  return `${f(median(values))} (${f(Math.min(...values))}–${f(Math.max(...values))})`;
}

export const INTERPOLATE_OPTIONS = declareOptions<{ logY?: boolean }>("interpolate", {
  logY: { kind: "boolean", default: false, doc: "interpolate linearly in log y (every y must be > 0)" },
});

/**
 * The value at x of the piecewise-linear curve through points (sorted by x
 * here), linear in log y when logY; null outside the curve's x range.
 */
export function interpolate(points: { x: number; y: number }[], x: number, opts: { logY?: boolean } = {}): number | null {
  const o = INTERPOLATE_OPTIONS.parse(opts);
  if (!Array.isArray(points) || points.length < 2) throw new RangeError("interpolate needs at least two points");
  const pts = [...points].sort((a, b) => a.x - b.x);
  pts.forEach((p, i) => {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y) || (o.logY && !(p.y > 0))) {
      throw new RangeError(`points[${i}] must have finite x and y${o.logY ? " > 0" : ""}, got (${p.x}, ${p.y})`);
    }
  });
  if (x < pts[0]!.x || x > pts.at(-1)!.x) return null;
  const f = (y: number) => (o.logY ? Math.log(y) : y);
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1]!;
    const b = pts[i]!;
    if (x > b.x) continue;
    const t = b.x === a.x ? 0 : (x - a.x) / (b.x - a.x);
    const v = f(a.y) + t * (f(b.y) - f(a.y));
    return o.logY ? Math.exp(v) : v;
  }
  return null;
}

export interface PairedDifference {
  /** rate(a) − rate(b). */
  difference: number;
  low: number;
  high: number;
  /** Pairs where only a succeeds, and where only b does (the discordant pairs that carry the difference). */
  onlyA: number;
  onlyB: number;
  trials: number;
}

/**
 * The difference of two success rates measured on the same trials (here: the
 * same seeds, hence the same data), with Newcombe's interval for paired
 * proportions (Statistics in Medicine 17, 1998, 2635–2650, method 10). It
 * combines the two Wilson intervals and corrects for the correlation φ of the
 * pairs, so a difference carried by a few discordant seeds is not mistaken
 * for noise, as an interval for independent samples would.
 */
export function pairedRateDifference(a: readonly boolean[], b: readonly boolean[], z = 1.959963984540054): PairedDifference {
  if (!Array.isArray(a) || !Array.isArray(b) || a.length === 0 || a.length !== b.length) {
    throw new RangeError(`a and b must be non-empty lists of the same length, got ${Array.isArray(a) ? a.length : show(a)} and ${Array.isArray(b) ? b.length : show(b)}`);
  }
  [a, b].forEach((list, k) => list.forEach((v, i) => {
    if (typeof v !== "boolean") throw new RangeError(`${k === 0 ? "a" : "b"}[${i}] must be a boolean, got ${show(v)}`);
  }));
  const n = a.length;
  let both = 0, onlyA = 0, onlyB = 0;
  for (let i = 0; i < n; i++) {
    if (a[i] && b[i]) both++;
    else if (a[i]) onlyA++;
    else if (b[i]) onlyB++;
  }
  const neither = n - both - onlyA - onlyB;
  const ra = wilsonInterval(both + onlyA, n, z);
  const rb = wilsonInterval(both + onlyB, n, z);
  const denom = Math.sqrt((both + onlyA) * (onlyB + neither) * (both + onlyB) * (onlyA + neither));
  let num = both * neither - onlyA * onlyB;
  if (num > 0) num = Math.max(num - n / 2, 0);
  const phi = denom === 0 ? 0 : num / denom;
  const d = ra.rate - rb.rate;
  const la = ra.rate - ra.low, ua = ra.high - ra.rate;
  const lb = rb.rate - rb.low, ub = rb.high - rb.rate;
  const down = Math.sqrt(Math.max(0, la * la - 2 * phi * la * ub + ub * ub));
  const up = Math.sqrt(Math.max(0, ua * ua - 2 * phi * ua * lb + lb * lb));
  return { difference: d, low: Math.max(-1, d - down), high: Math.min(1, d + up), onlyA, onlyB, trials: n };
}

/** The q-quantile (0 ≤ q ≤ 1) of a non-empty list, interpolating linearly between order statistics (R's type 7). */
export function quantile(values: readonly number[], q: number): number {
  if (!Array.isArray(values) || values.length === 0) throw new RangeError("quantile of an empty list");
  if (typeof q !== "number" || !(q >= 0 && q <= 1)) throw new RangeError(`q must be a number in [0, 1], got ${show(q)}`);
  values.forEach((v, i) => {
    if (typeof v !== "number" || Number.isNaN(v)) throw new RangeError(`values[${i}] must be a number, got ${show(v)}`);
  });
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]!) - s[lo]!);
}
