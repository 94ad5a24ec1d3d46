// Synthetic data for the toy problem x = A s + ε (blog E1; Lewicki & Sejnowski
// 2000, "Examples"). Columns of A are the true features; s is sparse.
import { createRng, type Rng } from "./random";
import { checkFields, declareOptions, requirePositive } from "./options";
import { checkMatrix, type Matrix } from "./linalg";
import { DEFAULT_MODEL, MODEL_OPTIONS, type Prior } from "./model";
import { partialShuffle } from "./shuffle";
import { randomBasis } from "./bases";

export type { Prior } from "./model";

/**
 * The data's source prior: the model's priors (lib/model.ts) and 'uniform',
 * amplitudes U(0, 2b) with mean b. 'uniform' exists for data only, so a
 * model fitted to it is misspecified on purpose; the model's own options
 * (MODEL_OPTIONS) still accept only 'exponential' and 'laplace'.
 */
export type DataPrior = Prior | "uniform";

export interface DataOptions {
  /** Directions of the true basis vectors in degrees; gives unit-norm columns. */
  angles?: number[];
  /** Lengths of the columns made from `angles` (blog verdict 2: features of unequal magnitude). Default all 1. */
  lengths?: number[];
  /** An explicit m×n basis; give exactly one of `angles`, `A` and `basis`. */
  A?: Matrix;
  /**
   * A random m×n basis of unit columns, drawn by randomBasis from the
   * stream `${seed}/basis`; with `coherence` its largest |cos| between two
   * columns is exactly that value.
   */
  basis?: { m: number; n: number; coherence?: number };
  /** Number of data points p (columns of X). Default 500. */
  samples?: number;
  /**
   * Source prior. 'exponential' is one-sided (non-negative s), 'laplace'
   * signed, 'uniform' U(0, 2b) (data only: no model has this prior).
   * Default 'exponential'.
   */
  prior?: DataPrior;
  /**
   * The prior's scale b, the model's b (lib/model.ts): the mean of the
   * exponential sources (rate 1/b), the scale of the Laplace ones, half the
   * width of the uniform ones, so all have mean |s| = b. Default 2, as in
   * the blog's E1. (Was `rate` = 1/b.)
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

const BASIS_FIELDS = {
  m: { kind: "integer", min: 1, required: true, doc: "rows" },
  n: { kind: "integer", min: 1, required: true, doc: "columns (sources)" },
  coherence: { kind: "number", min: 0, max: 1, doc: "largest |cos| between two columns" },
} as const;

export const DATA_OPTIONS = declareOptions<DataOptions>("generateData", {
  angles: { kind: "custom", type: "number[]", doc: "directions of the true columns, degrees (unit length); or give A", check: () => undefined },
  lengths: { kind: "custom", type: "number[]", doc: "lengths of the columns made from angles (default all 1)", check: () => undefined },
  A: { kind: "matrix", doc: "an explicit m×n true basis; or give angles or basis" },
  basis: { kind: "custom", type: "{ m, n, coherence? }", doc: "a random m×n basis of unit columns (randomBasis, stream `${seed}/basis`)", check: (name, v) => checkFields(name, BASIS_FIELDS, v) },
  samples: { kind: "integer", min: 1, default: 500, doc: "number of points p" },
  prior: { kind: "enum", values: ["exponential", "laplace", "uniform"], default: DEFAULT_MODEL.prior, doc: "source prior: 'exponential' (s ≥ 0), 'laplace' (signed) or 'uniform' U(0, 2b) (data only)" },
  b: { ...MODEL_OPTIONS.schema.b, doc: "mean |s|: the exponential's mean, the Laplace's scale, half the uniform's width (the model's b)" },
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
  const p = o.archetypes ? n : o.samples!;
  const X: Matrix = Array.from({ length: m }, () => new Array<number>(p).fill(0));
  const product = productColumn(A, X);
  const S = o.archetypes ? archetypeSources(n, o.b!, product) : drawSources(o, n, pair, rng, order, product);
  // The noise comes after every source, from the same stream, point by point.
  const noise = o.noise!;
  if (noise > 0) for (let j = 0; j < p; j++) for (let r = 0; r < m; r++) X[r]![j] = X[r]![j]! + noise * rng.normal();
  return { X, S, A };
}

/** Writes column j of X = A S, given point j's sources `col`, of which only nz[0..k) are non-zero. */
type Product = (j: number, col: Float64Array, nz: Int32Array, k: number) => void;

/**
 * Column j of X = A·s, summing only the non-zero sources, in index order.
 * The sum starts at +0 and is never −0, and A is finite, so each skipped
 * term A·(±0) would have left it unchanged: the bits are the full product's.
 */
function productColumn(A: Matrix, X: Matrix): Product {
  return (j, col, nz, k) => {
    for (let r = 0; r < A.length; r++) {
      const row = A[r]!;
      let acc = 0;
      for (let q = 0; q < k; q++) acc += row[nz[q]!]! * col[nz[q]!]!;
      X[r]![j] = acc;
    }
  };
}

/** Copies point j's non-zero sources into S (whose entries start at 0) and writes column j of X. */
function emit(S: Matrix, j: number, col: Float64Array, nz: Int32Array, product: Product): void {
  let k = 0;
  for (let i = 0; i < col.length; i++) {
    if (col[i] !== 0) {
      nz[k++] = i;
      S[i]![j] = col[i]!;
    }
  }
  product(j, col, nz, k);
}

/** The true basis: from angles (and lengths), a copy of the explicit A, or a random basis. */
function basisOf(o: DataOptions): Matrix {
  const given = (["angles", "A", "basis"] as const).filter((k) => o[k] !== undefined);
  if (given.length > 1) throw new TypeError(`generateData takes exactly one of angles, A and basis, got ${given.join(" and ")}`);
  if (given.length === 0) throw new TypeError("generateData needs angles (degrees), an explicit basis A, or a random basis { m, n, coherence? }");
  if (o.lengths !== undefined && o.angles === undefined) {
    throw new TypeError(`lengths goes with angles; scale the columns of ${o.A !== undefined ? "an explicit A" : "the basis"} yourself`);
  }
  if (o.basis !== undefined) return randomBasis(o.basis.m, o.basis.n, { seed: `${String(o.seed)}/basis`, coherence: o.basis.coherence });
  return o.A !== undefined ? o.A.map((r) => r.slice()) : basisFromAngles(o.angles!, o.lengths);
}

/** The archetype set: point i is source i alone at its mean b. */
function archetypeSources(n: number, b: number, product: Product): Matrix {
  const S: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const col = new Float64Array(n);
  const nz = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    col.fill(0);
    col[j] = b;
    emit(S, j, col, nz, product);
  }
  return S;
}

/**
 * p draws of the n sources from the prior (mean |s| = b), coupled and
 * thinned as asked. The coupling and the subsets have their own streams, so
 * they never shift the sources' draws: every rho sees the same sources.
 */
function drawSources(o: DataOptions, n: number, pair: Pair | null, rng: Rng, links: Link[] | null, product: Product): Matrix {
  const p = o.samples!;
  const rate = 1 / o.b!;
  const b = o.b!;
  const draw = o.prior === "exponential" ? () => rng.exponential(rate) : o.prior === "laplace" ? () => rng.laplace(b) : () => 2 * b * openUniform(rng);
  const picker = o.active !== undefined ? createRng(`${String(o.seed)}/active`) : null;
  const coin = pair ? createRng(`${String(o.seed)}/correlated`) : null;
  const pi = o.activeProbability;
  const activity = pi !== undefined ? createRng(`${String(o.seed)}/activeProbability`) : null;
  const order = Array.from({ length: n }, (_, i) => i);
  const S: Matrix = Array.from({ length: n }, () => new Array<number>(p).fill(0));
  // Point j's sources are made in col, then copied into S where non-zero.
  const col = new Float64Array(n);
  const nz = new Int32Array(n);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) col[i] = draw();
    if (pair && coin!.uniform() < pair.rho) col[pair.j] = col[pair.i]!;
    if (picker) {
      // The first `active` entries of order become a uniform subset.
      partialShuffle(order, o.active!, picker);
      for (let k = o.active!; k < n; k++) col[order[k]!] = 0;
    }
    if (activity) {
      // n coins on every point, whatever they decide, so point j's coins do not depend on earlier points.
      for (let i = 0; i < n; i++) if (!(activity.uniform() < pi!)) col[i] = 0;
    }
    if (links) for (const { parent, child } of links) if (col[parent] === 0) col[child] = 0;
    emit(S, j, col, nz, product);
  }
  return S;
}

/** Uniform on (0, 1): a uniform amplitude is never exactly 0, so an active source stays active. */
function openUniform(rng: Rng): number {
  let u = rng.uniform();
  while (u === 0) u = rng.uniform();
  return u;
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
