// Synthetic data for the toy problem x = A s + ε (blog E1; Lewicki & Sejnowski
// 2000, "Examples"). Columns of A are the true features; s is sparse.
import { createRng, type Rng } from "./random";
import { declareOptions, requirePositive } from "./options";
import { checkMatrix, type Matrix } from "./linalg";
import { MODEL_OPTIONS, type Prior } from "./model";
import { partialShuffle } from "./shuffle";

export type { Prior } from "./model";

export interface DataOptions {
  /** Directions of the true basis vectors in degrees; gives unit-norm columns. */
  angles?: number[];
  /** Lengths of the columns made from `angles` (blog verdict 2: features of unequal magnitude). Default all 1. */
  lengths?: number[];
  /** An explicit m×n basis; give this or `angles`, not both. */
  A?: Matrix;
  /** Number of data points p (columns of X). Default 500. */
  samples?: number;
  /** Source prior. 'exponential' is one-sided (non-negative s). Default 'exponential'. */
  prior?: Prior;
  /**
   * The prior's scale b, the model's b (lib/model.ts): the mean of the
   * exponential sources (rate 1/b), the scale of the Laplace ones, so both
   * have mean |s| = b. Default 2, as in the blog's E1. (Was `rate` = 1/b.)
   */
  b?: number;
  /** Standard deviation of the additive Gaussian noise ε. Default 0: noise-free data, as in E1–E8. */
  noise?: number;
  /** Seed of the generator. Default 0. */
  seed?: number | string;
  /**
   * Return the blog's "archetype" dataset instead: one point per source,
   * x_i = b·A_i, the mean activation of each feature alone. Noise still applies.
   */
  archetypes?: boolean;
  /**
   * Two sources that fire together (blog verdict 3, "fish" and "salmon"):
   * for each point, with probability rho source pair[1] takes source
   * pair[0]'s value, otherwise it is drawn independently. The marginals are
   * unchanged and the Pearson correlation of the pair is rho.
   */
  correlated?: { pair: [number, number]; rho: number };
  /**
   * Exactly this many sources active per point (blog "Comparison with
   * SAEs": one-hot, two-hot, three-hot points): a uniformly random subset of
   * that size keeps its draws, the others are 0. Default: every source drawn.
   */
  active?: number;
  /**
   * Each source is independently non-zero with this probability π in
   * (0, 1], and 0 otherwise. Default: every source drawn (π = 1 gives the
   * same sources). The coins come from their own stream, so the sources'
   * draws do not move.
   */
  activeProbability?: number;
  /**
   * Parent–child links between sources (issue 17, reason 3's hierarchical
   * correlation): a child is set to 0 on every point where any of its
   * parents is 0, so it is active only when its parents are. Links are
   * applied from the roots down, so a grandchild follows its grandparent
   * too. Needs sources that are sometimes 0 (activeProbability or active);
   * a source may not be its own parent, and the links may not form a cycle.
   */
  hierarchy?: { parent: number; child: number }[];
}

export const DATA_OPTIONS = declareOptions<DataOptions>("generateData", {
  angles: { kind: "custom", type: "number[]", doc: "directions of the true columns, degrees (unit length); or give A", check: () => undefined },
  lengths: { kind: "custom", type: "number[]", doc: "lengths of the columns made from angles (default all 1)", check: () => undefined },
  A: { kind: "matrix", doc: "an explicit m×n true basis; or give angles" },
  samples: { kind: "integer", min: 1, default: 500, doc: "number of points p" },
  prior: { ...MODEL_OPTIONS.schema.prior, doc: "source prior: 'exponential' (s ≥ 0) or 'laplace' (signed)" },
  b: { ...MODEL_OPTIONS.schema.b, doc: "mean |s|: the exponential's mean, the Laplace's scale (the model's b)" },
  noise: { kind: "number", min: 0, default: 0, doc: "standard deviation of the Gaussian noise ε (the data's σ)" },
  seed: { kind: "seed", default: 0, doc: "seed of the generator" },
  archetypes: { kind: "boolean", default: false, doc: "one point per source, x_i = b·A_i (the blog's archetypes)" },
  correlated: { kind: "custom", type: "{ pair: [i, j], rho }", doc: "source pair[1] copies pair[0] with probability rho", check: () => undefined },
  active: { kind: "integer", min: 1, doc: "exactly this many sources active per point (default: all)" },
  activeProbability: { kind: "number", above: 0, max: 1, doc: "each source independently non-zero with this probability π (default: all drawn)" },
  hierarchy: { kind: "custom", type: "{ parent, child }[]", doc: "a child source is 0 wherever its parent is (needs activeProbability or active)", check: () => undefined },
}, { rate: "b, the mean source (b = 1/rate)" });

export interface Dataset {
  /** m×p data, one column per point. */
  X: Matrix;
  /** n×p sources that generated X. */
  S: Matrix;
  /** m×n true basis. */
  A: Matrix;
}

/** 2×n basis whose column i points at angles[i] degrees, with length lengths[i] (default 1). */
export function basisFromAngles(angles: number[], lengths?: number[]): Matrix {
  if (!Array.isArray(angles) || angles.length === 0) {
    throw new TypeError(`angles must be a non-empty array of degrees, got ${String(angles)}`);
  }
  angles.forEach((a, i) => {
    if (typeof a !== "number" || !Number.isFinite(a)) {
      throw new RangeError(`angles[${i}] must be a finite number of degrees, got ${String(a)}`);
    }
  });
  const len = lengths ?? angles.map(() => 1);
  if (!Array.isArray(len) || len.length !== angles.length) {
    throw new RangeError(`lengths must have one entry per angle (${angles.length}), got ${Array.isArray(len) ? len.length : String(len)}`);
  }
  len.forEach((l, i) => requirePositive(`lengths[${i}]`, l));
  const rad = angles.map((a) => (a * Math.PI) / 180);
  return [rad.map((t, i) => len[i]! * Math.cos(t)), rad.map((t, i) => len[i]! * Math.sin(t))];
}

/** Draws a dataset from x = A s + ε; see DataOptions for the defaults. */
export function generateData(opts: DataOptions): Dataset {
  const o = DATA_OPTIONS.parse(opts);
  const A = basisOf(o);
  const { rows: m, cols: n } = checkMatrix("A", A);
  const pair = checkCorrelated(o.correlated, n);
  if (pair && o.archetypes) throw new TypeError("correlated has no meaning for the archetype set");
  const active = o.active;
  if (active !== undefined) {
    if (active > n) throw new RangeError(`active must be an integer in [1, ${n}] (the number of sources), got ${active}`);
    if (o.archetypes || pair) throw new TypeError("active cannot be combined with archetypes or correlated");
  }
  checkActivity(o, pair !== null);
  const order = hierarchyOrder(o.hierarchy, n);
  const rng = createRng(o.seed!);
  const S = o.archetypes ? archetypeSources(n, o.b!) : drawSources(o, n, pair, rng, order);
  const p = S[0]!.length;
  const noise = o.noise!;
  const X: Matrix = Array.from({ length: m }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    for (let r = 0; r < m; r++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += A[r]![i]! * S[i]![j]!;
      X[r]![j] = noise > 0 ? acc + noise * rng.normal() : acc;
    }
  }
  return { X, S, A };
}

/** The true basis: from angles (and lengths), or a copy of the explicit A. */
function basisOf(o: DataOptions): Matrix {
  if (o.angles !== undefined && o.A !== undefined) throw new TypeError("generateData takes either angles or A, not both");
  if (o.angles === undefined && o.A === undefined) throw new TypeError("generateData needs angles (degrees) or an explicit basis A");
  if (o.lengths !== undefined && o.angles === undefined) {
    throw new TypeError("lengths goes with angles; scale the columns of an explicit A yourself");
  }
  return o.A !== undefined ? o.A.map((r) => r.slice()) : basisFromAngles(o.angles!, o.lengths);
}

/** The archetype set: point i is source i alone at its mean b. */
function archetypeSources(n: number, b: number): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? b : 0)));
}

/**
 * p draws of the n sources from the prior (mean |s| = b), coupled and
 * thinned as asked. The coupling and the subsets have their own streams, so
 * they never shift the sources' draws: every rho sees the same sources.
 */
function drawSources(o: DataOptions, n: number, pair: Pair | null, rng: Rng, links: Link[] | null): Matrix {
  const p = o.samples!;
  const rate = 1 / o.b!;
  const exponential = o.prior === "exponential";
  const picker = o.active !== undefined ? createRng(`${String(o.seed)}/active`) : null;
  const coin = pair ? createRng(`${String(o.seed)}/correlated`) : null;
  const pi = o.activeProbability;
  const activity = pi !== undefined ? createRng(`${String(o.seed)}/activeProbability`) : null;
  const order = Array.from({ length: n }, (_, i) => i);
  const S: Matrix = Array.from({ length: n }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) S[i]![j] = exponential ? rng.exponential(rate) : rng.laplace(o.b!);
    if (pair && coin!.uniform() < pair.rho) S[pair.j]![j] = S[pair.i]![j]!;
    if (picker) {
      // The first `active` entries of order become a uniform subset.
      partialShuffle(order, o.active!, picker);
      for (let k = o.active!; k < n; k++) S[order[k]!]![j] = 0;
    }
    if (activity) {
      // n coins on every point, whatever they decide, so point j's coins do not depend on earlier points.
      for (let i = 0; i < n; i++) if (!(activity.uniform() < pi!)) S[i]![j] = 0;
    }
    if (links) for (const { parent, child } of links) if (S[parent]![j] === 0) S[child]![j] = 0;
  }
  return S;
}

interface Link { parent: number; child: number }

/** activeProbability and hierarchy go with drawn sources only, and hierarchy needs sources that are sometimes 0. */
function checkActivity(o: DataOptions, correlated: boolean): void {
  const pi = o.activeProbability;
  if (pi !== undefined && (o.archetypes || correlated || o.active !== undefined)) {
    throw new TypeError(`activeProbability (${pi}) cannot be combined with archetypes, correlated or active`);
  }
  if (o.hierarchy === undefined) return;
  if (o.archetypes || correlated) throw new TypeError("hierarchy cannot be combined with archetypes or correlated");
  if (pi === undefined && o.active === undefined) {
    throw new TypeError("hierarchy needs sources that are sometimes 0: give activeProbability or active (the prior's draws are almost never exactly 0)");
  }
}

/**
 * The links of `hierarchy`, checked, sorted by the depth of the child (its
 * longest chain of ancestors): every link into a source then comes after
 * every link into its parents, so a zero passes down a whole chain in one
 * pass. Null without a hierarchy.
 */
function hierarchyOrder(h: DataOptions["hierarchy"], n: number): Link[] | null {
  if (h === undefined) return null;
  if (!Array.isArray(h)) throw new TypeError(`hierarchy must be an array of { parent, child }, got ${JSON.stringify(h)}`);
  const parents: number[][] = Array.from({ length: n }, () => []);
  h.forEach((l, k) => {
    if (l === null || typeof l !== "object" || Object.keys(l).some((key) => key !== "parent" && key !== "child")) {
      throw new TypeError(`hierarchy[${k}] must be { parent, child }, got ${JSON.stringify(l)}`);
    }
    for (const key of ["parent", "child"] as const) {
      const v = l[key];
      if (!Number.isInteger(v) || v < 0 || v >= n) {
        throw new RangeError(`hierarchy[${k}].${key} must be a source index in [0, ${n - 1}], got ${String(v)}`);
      }
    }
    if (l.parent === l.child) throw new RangeError(`hierarchy[${k}]: source ${l.child} cannot be its own parent`);
    parents[l.child]!.push(l.parent);
  });
  const depth = new Array<number>(n).fill(-1);
  const visiting = new Array<boolean>(n).fill(false);
  const visit = (i: number, path: number[]): number => {
    if (depth[i]! >= 0) return depth[i]!;
    // path runs from a child up through its parents; reversed, it reads parent → child.
    if (visiting[i]) throw new RangeError(`hierarchy has a cycle: ${[...path.slice(path.indexOf(i)), i].reverse().join(" → ")} (parent → child)`);
    visiting[i] = true;
    const d = Math.max(-1, ...parents[i]!.map((q) => visit(q, [...path, i]))) + 1;
    visiting[i] = false;
    return (depth[i] = d);
  };
  for (let i = 0; i < n; i++) visit(i, []);
  return h.map((l) => ({ parent: l.parent, child: l.child })).sort((a, b) => depth[a.child]! - depth[b.child]!);
}

interface Pair { i: number; j: number; rho: number }

function checkCorrelated(c: DataOptions["correlated"], n: number): Pair | null {
  if (c === undefined) return null;
  if (c === null || typeof c !== "object" || !Array.isArray(c.pair) || c.pair.length !== 2) {
    throw new TypeError(`correlated must be { pair: [i, j], rho }, got ${JSON.stringify(c)}`);
  }
  const [i, j] = c.pair;
  for (const [k, v] of [["pair[0]", i], ["pair[1]", j]] as const) {
    if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= n) {
      throw new RangeError(`correlated.${k} must be a source index in [0, ${n - 1}], got ${String(v)}`);
    }
  }
  if (i === j) throw new RangeError(`correlated.pair must name two different sources, got [${i}, ${j}]`);
  if (typeof c.rho !== "number" || !(c.rho >= 0 && c.rho <= 1)) {
    throw new RangeError(`correlated.rho must be a number in [0, 1], got ${String(c.rho)}`);
  }
  return { i: i!, j: j!, rho: c.rho };
}
