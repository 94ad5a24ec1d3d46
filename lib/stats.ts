// Success rates over seeds. A rate from 20 runs is uncertain by ±10–20
// points; the notebooks report it with a Wilson score interval (Wilson 1927),
// which stays inside [0, 1] and behaves at 0/n and n/n, unlike p ± z·√(p(1−p)/n).

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
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be an integer ≥ 1, got ${String(trials)}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > trials) {
    throw new RangeError(`successes must be an integer in [0, ${trials}], got ${String(successes)}`);
  }
  if (typeof z !== "number" || !Number.isFinite(z) || z <= 0) throw new RangeError(`z must be a finite number > 0, got ${String(z)}`);
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
  if (!Array.isArray(values) || values.length === 0) throw new RangeError(`values must be a non-empty array, got ${String(values)}`);
  values.forEach((v, i) => {
    if (typeof v !== "number" || Number.isNaN(v)) throw new RangeError(`values[${i}] must be a number, got ${String(v)}`);
  });
  return wilsonInterval(values.filter((v) => v < threshold).length, values.length);
}

/** "7/20 (35%, 95% CI 18–57%)". */
export function formatRate(r: Rate): string {
  const pct = (v: number) => `${Math.round(100 * v)}%`;
  return `${r.successes}/${r.trials} (${pct(r.rate)}, 95% CI ${pct(r.low)}–${pct(r.high)})`;
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

/**
 * The value at x of the piecewise-linear curve through points (sorted by x
 * here), linear in log y when logY; null outside the curve's x range.
 */
export function interpolate(points: { x: number; y: number }[], x: number, o: { logY?: boolean } = {}): number | null {
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
