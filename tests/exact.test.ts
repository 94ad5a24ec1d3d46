// Tests of lib/exact (issue #20): log Φ, the bivariate orthant probability
// log Φ₂ and the exact likelihood log P(x|A) in two dimensions. Every
// reference is independent of the code under test and written here:
//   - log Φ: Gauss–Legendre integration of φ, and the Mills-ratio asymptotic series in the far tail;
//   - log Φ₂ and log P(x|A) for n = 2: a product Gauss–Legendre rule, in log space, for the integral
//     of exp(concave quadratic) over a quadrant (the bivariate density over {Z₁ ≤ h, Z₂ ≤ k}, or
//     prior × noise over the sources' orthants);
//   - brute-force Monte Carlo with the project's seeded generator;
//   - the evidence module's midpoint quadrature;
//   - the normalisation ∫ P(x|A) dx = 1 by the trapezoidal rule on the plane;
//   - central finite differences for the partials and the gradient.
// Each test reports its worst agreement as a diagnostic.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { logBvn, logLikelihood, logPhi, type LogBvn } from "../lib/exact/index";

type Prior = "exponential" | "laplace";

// ---------- Gauss–Legendre panels ----------

/** Nodes and weights of the N-point Gauss–Legendre rule on [−1, 1] (Newton on the three-term recurrence). */
function legendreRule(N: number): { x: number[]; w: number[] } {
  const x: number[] = [];
  const w: number[] = [];
  for (let i = 1; i <= N; i++) {
    let t = Math.cos((Math.PI * (4 * i - 1)) / (4 * N + 2));
    let d = 1;
    for (let it = 0; it < 50; it++) {
      let p = 1, q = 0;
      for (let k = 1; k <= N; k++) [p, q] = [((2 * k - 1) * t * p - (k - 1) * q) / k, p];
      d = (N * (q - t * p)) / (1 - t * t);
      const step = p / d;
      t -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    x.push(t);
    w.push(2 / ((1 - t * t) * d * d));
  }
  return { x, w };
}
const RULE = legendreRule(20);

/** Σ over the panels between consecutive cuts of ∫ exp(f − top). */
function panelSum(f: (t: number) => number, cuts: number[], top: number): number {
  let s = 0;
  for (let c = 0; c + 1 < cuts.length; c++) {
    const a = cuts[c]!, b = cuts[c + 1]!;
    if (!(b > a)) continue;
    const half = (b - a) / 2, mid = (a + b) / 2;
    let p = 0;
    for (let i = 0; i < RULE.x.length; i++) p += RULE.w[i]! * Math.exp(f(mid + half * RULE.x[i]!) - top);
    s += half * p;
  }
  return s;
}

/** Cuts at centre ± width·(2^j − 1), inside [lo, hi]. */
function geometricCuts(centre: number, width: number, lo: number, hi: number, into: number[]): void {
  for (let j = 0; j < 200; j++) {
    const d = width * (2 ** j - 1);
    if (centre + d > lo && centre + d < hi) into.push(centre + d);
    if (centre - d > lo && centre - d < hi) into.push(centre - d);
    if (centre - d <= lo && centre + d >= hi) break;
  }
}

// ---------- log Φ, independently ----------

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** log Φ(x) for x ≤ 0 by log φ(x) + log ∫₀^40 e^{xu − u²/2} du, 160 panels of 20 nodes. */
function logPhiByIntegral(x: number): number {
  const cuts = Array.from({ length: 161 }, (_, i) => i / 4);
  return -0.5 * x * x - LOG_SQRT_2PI + Math.log(panelSum((u) => x * u - 0.5 * u * u, cuts, 0));
}

/** log Φ(x) for x ≤ −10 by the Mills-ratio series Φ(x) = φ(x)/|x| Σ (−1)ᵏ(2k−1)!!/x^{2k}, cut at its smallest term. */
function logPhiBySeries(x: number): number {
  let term = 1, sum = 1;
  for (let k = 1; k < 200; k++) {
    const next = (-term * (2 * k - 1)) / (x * x);
    if (Math.abs(next) >= Math.abs(term) || Math.abs(next) < 1e-18) break;
    term = next;
    sum += term;
  }
  return -0.5 * x * x - LOG_SQRT_2PI - Math.log(-x) + Math.log(sum);
}

/** The reference log Φ(x) on the whole line (x > 0 through Φ(x) = 1 − Φ(−x)). */
function refLogPhi(x: number): number {
  if (x <= -10) return logPhiBySeries(x);
  if (x <= 0) return logPhiByIntegral(x);
  return Math.log1p(-Math.exp(refLogPhi(-x)));
}

// ---------- exp(concave quadratic) over a quadrant, in log space ----------

/**
 * The integrand over u, v ≥ 0, written as an outer Gaussian-type factor in u
 * times an inner Gaussian in v (the square completed, so that no large
 * terms cancel): exp(c + g u − ½ H u²) · exp(−½ P (v − vc0 − vc1 u)²).
 */
interface Quadrant { c: number; g: number; H: number; vc0: number; vc1: number; P: number }

/** log ∫₀^∞ exp(−½ P (v − vc)²) dv by panels from the mode, at the Gaussian's or the slope's scale. */
function logHalfLine(vc: number, P: number): number {
  const v0 = Math.max(0, vc);
  const f = (v: number): number => -0.5 * P * (v - vc) * (v - vc);
  const top = f(v0);
  const sd = 1 / Math.sqrt(P);
  const scale = vc >= 0 ? sd : Math.min(sd, 1 / (P * -vc));
  let end = v0 + scale;
  while (f(end) - top > -60) end = v0 + 2 * (end - v0);
  const cuts = [0, end];
  geometricCuts(v0, scale / 2, 0, end, cuts);
  cuts.sort((a, b) => a - b);
  return top + Math.log(panelSum(f, cuts, top));
}

/**
 * log ∫ e^{g(u)} du over u ≥ 0 for a concave g, by panels laid geometrically
 * around its mode (at a quarter of `su`, or of 1/|slope| when the mode is at
 * 0), out to where g has fallen by 60; `more` may add cuts (at kinks or
 * cliffs of g). `fine` divides the panel scale (to check the rule itself);
 * no panel is wider than `cap`.
 */
function logConcaveHalfLine(g: (u: number) => number, su: number, more?: (start: number, end: number, cuts: number[]) => void, fine = 1, cap = Infinity): number {
  // The mode: bracket, then golden section (g is concave).
  let hi = su;
  while (g(hi) > g(hi / 2)) hi *= 2;
  let a = 0, b = hi;
  const r = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 200 && b - a > 1e-13 * (1 + b); it++) {
    const c = b - r * (b - a), d = a + r * (b - a);
    if (g(c) >= g(d)) b = d;
    else a = c;
  }
  const mode = g(0) >= g(a) ? 0 : a;
  const top = g(mode);
  const eps = 1e-6 * su;
  const slope = mode === 0 ? Math.abs(g(eps) - g(0)) / eps : 0;
  const scale = Math.min(su, slope > 0 ? 1 / slope : su) / (4 * fine);
  let end = mode + scale;
  while (g(end) - top > -60) end = mode + 2 * (end - mode);
  let start = mode;
  if (mode > 0) {
    start = Math.max(0, mode - scale);
    while (start > 0 && g(start) - top > -60) start = Math.max(0, mode - 2 * (mode - start));
  }
  const cuts = [start, end];
  geometricCuts(mode, scale, start, end, cuts);
  more?.(start, end, cuts);
  cuts.sort((x, y) => x - y);
  const capped = cuts.flatMap((c, i) => {
    if (i === 0) return [c];
    const pieces = Math.max(1, Math.ceil((c - cuts[i - 1]!) / cap));
    return Array.from({ length: pieces }, (_, q) => cuts[i - 1]! + ((c - cuts[i - 1]!) * (q + 1)) / pieces);
  });
  return top + Math.log(panelSum(g, capped, top));
}

/**
 * log ∫₀^∞∫₀^∞ of the integrand above: the inner integral numerically at each
 * outer node; the outer, log-concave in u, by panels around its mode and
 * around the "cliff" where the inner mode crosses v = 0.
 */
function logQuadrant(q: Quadrant): number {
  const g = (u: number): number => q.c + q.g * u - 0.5 * q.H * u * u + logHalfLine(q.vc0 + q.vc1 * u, q.P);
  return logConcaveHalfLine(g, 1 / Math.sqrt(q.H), (start, end, cuts) => {
    if (q.vc1 !== 0) geometricCuts(-q.vc0 / q.vc1, 1 / (Math.sqrt(q.P) * Math.abs(q.vc1)) / 4, start, end, cuts);
  });
}

/**
 * log Φ₂(h, k; ρ) as the bivariate density's integral over {x ≤ h, y ≤ k}:
 * x = h − u with density φ(x), and y = k − v given x normal with mean ρx and
 * variance 1 − ρ².
 */
function refLogBvn(h: number, k: number, rho: number): number {
  const r2 = (1 - rho) * (1 + rho);
  return logQuadrant({
    c: -0.5 * h * h - 2 * LOG_SQRT_2PI - 0.5 * Math.log(r2), g: h, H: 1,
    vc0: k - rho * h, vc1: rho, P: 1 / r2,
  });
}

/**
 * log P(x|A) for a 2×2 A by the quadrant integral over each orthant of the
 * sources: prior × N(x; A s, σ²I) is exp(c + gᵀs − ½ sᵀHs), H = AᵀA/σ²,
 * with the square completed in s₂.
 */
function refLogLikelihood2(A: number[][], x: number[], sigma: number, b: number, prior: Prior): number {
  const signs = prior === "laplace" ? [[1, 1], [1, -1], [-1, 1], [-1, -1]] : [[1, 1]];
  const logPriorConst = prior === "laplace" ? -2 * Math.log(2 * b) : -2 * Math.log(b);
  const s2 = sigma * sigma;
  const terms = signs.map(([e1, e2]) => {
    const a0 = e1! * A[0]![0]!, a1 = e1! * A[1]![0]!, c0 = e2! * A[0]![1]!, c1 = e2! * A[1]![1]!;
    const g1 = (a0 * x[0]! + a1 * x[1]!) / s2 - 1 / b, g2 = (c0 * x[0]! + c1 * x[1]!) / s2 - 1 / b;
    const H11 = (a0 * a0 + a1 * a1) / s2, H12 = (a0 * c0 + a1 * c1) / s2, H22 = (c0 * c0 + c1 * c1) / s2;
    return logQuadrant({
      c: -(x[0]! ** 2 + x[1]! ** 2) / (2 * s2) - Math.log(2 * Math.PI * s2) + logPriorConst + (g2 * g2) / (2 * H22),
      g: g1 - (H12 * g2) / H22, H: H11 - (H12 * H12) / H22,
      vc0: g2 / H22, vc1: -H12 / H22, P: H22,
    });
  });
  const mx = Math.max(...terms);
  return mx + Math.log(terms.reduce((s, t) => s + Math.exp(t - mx), 0));
}

/** Five-point central difference of f at t with step d (error O(d⁴)). */
function central(f: (t: number) => number, t: number, d: number): number {
  return (8 * (f(t + d) - f(t - d)) - (f(t + 2 * d) - f(t - 2 * d))) / (12 * d);
}

// ---------- 1. log Φ ----------

test("exact: logPhi matches Gauss–Legendre integration of φ and the Mills-ratio series from −38 to 38 to 1e-13", (t) => {
  let worstNeg = 0, worstPos = 0, worstSelf = 0;
  for (let i = 0; i <= 1520; i++) {
    const x = -38 + i * 0.05 + 0.0123 * Math.sin(i); // off the grid's round numbers
    if (x > 38) break;
    if (x <= 0) {
      const ref = refLogPhi(x);
      worstNeg = Math.max(worstNeg, Math.abs(logPhi(x) - ref) / Math.abs(ref));
    } else {
      // log Φ(x) ≈ −Φ(−x): compare log(−log Φ(x)) with the reference's log(−log1p(−Φ(−x))), relative
      // to its size, while Φ(−x) is a normal double (above 1e-300; the last 0.5 is in the subnormals).
      const tail = refLogPhi(-x);
      if (tail > Math.log(1e-300)) {
        const ref = Math.log(-Math.log1p(-Math.exp(tail)));
        worstPos = Math.max(worstPos, Math.abs(Math.log(-logPhi(x)) - ref) / Math.max(1, Math.abs(ref)));
      } else {
        assert.ok(Math.abs(logPhi(x)) < 1e-300, `logPhi(${x}) = ${logPhi(x)}, expected below 1e-300 in size`);
      }
      // Φ(x) + Φ(−x) = 1, with both taken from logPhi.
      worstSelf = Math.max(worstSelf, Math.abs(Math.exp(logPhi(x)) + Math.exp(logPhi(-x)) - 1));
    }
  }
  // The two references agree where both apply.
  let refSelf = 0;
  for (let x = -14; x <= -10; x += 0.25) refSelf = Math.max(refSelf, Math.abs(logPhiBySeries(x) - logPhiByIntegral(x)) / -logPhiByIntegral(x));
  t.diagnostic(`logPhi worst relative error: x ≤ 0 ${worstNeg.toExponential(2)}, x > 0 (log of the tail) ${worstPos.toExponential(2)}; |Φ(x)+Φ(−x)−1| ≤ ${worstSelf.toExponential(2)}; series vs integral on [−14, −10] ${refSelf.toExponential(2)}`);
  assert.ok(refSelf < 1e-14, `the two references disagree by ${refSelf}`);
  assert.ok(worstNeg <= 1e-13, `logPhi relative error ${worstNeg} for x ≤ 0`);
  assert.ok(worstPos <= 1e-13, `logPhi relative error ${worstPos} (log of the tail) for x > 0`);
  assert.ok(worstSelf <= 4e-16, `Φ(x) + Φ(−x) − 1 = ${worstSelf}`);
  assert.equal(logPhi(-Infinity), -Infinity);
  assert.equal(logPhi(Infinity), 0);
});

// ---------- 2. log Φ₂ ----------

const bvn = (h: number, k: number, rho: number): LogBvn => logBvn(h, k, rho, { value: 0, dh: 0, dk: 0, drho: 0 });
const NEAR_ONE = 1 - 1e-8;

test("exact: logBvn takes its closed forms (ρ = 0, h = k = 0, ρ → ±1)", (t) => {
  let worst = 0;
  const check = (got: number, want: number, what: string, tol: number): void => {
    const err = Math.abs(got - want) / Math.max(1, Math.abs(want));
    worst = Math.max(worst, err);
    assert.ok(err <= tol, `${what}: log Φ₂ = ${got}, expected ${want} (relative ${err}, tolerance ${tol})`);
  };
  const hs = [-140, -37, -8, -2.5, -0.3, 0, 0.7, 3, 9];
  for (const h of hs) for (const k of hs) check(bvn(h, k, 0).value, refLogPhi(h) + refLogPhi(k), `ρ = 0, h = ${h}, k = ${k}`, 1e-13);
  for (const rho of [-NEAR_ONE, -0.999, -0.9, -0.5, -0.1, 0.2, 0.6, 0.95, 0.9999, NEAR_ONE]) {
    check(bvn(0, 0, rho).value, Math.log(0.25 + Math.asin(rho) / (2 * Math.PI)), `h = k = 0, ρ = ${rho}`, 1e-12);
  }
  // ρ → −1: Φ₂ → Φ(h) + Φ(k) − 1 where positive; ρ → 1: Φ₂ → Φ(min(h, k)). The gap closes as
  // 1 − |ρ| → 0; at 1e-14 it is below the tolerance for these h, k.
  for (const [h, k] of [[1, 0.5], [3, -1], [2.5, 2.5], [0.2, 0.3]] as const) {
    const p = Math.exp(refLogPhi(h)) + Math.exp(refLogPhi(k)) - 1;
    check(bvn(h, k, -(1 - 1e-14)).value, Math.log(p), `ρ → −1, h = ${h}, k = ${k}`, 1e-11);
  }
  for (const [h, k] of [[1, 2], [-30, -29], [-3, 4], [0.5, 0.6]] as const) {
    check(bvn(h, k, 1 - 1e-14).value, refLogPhi(Math.min(h, k)), `ρ → 1, h = ${h}, k = ${k}`, 1e-11);
  }
  t.diagnostic(`closed forms: worst relative error of log Φ₂ ${worst.toExponential(2)}`);
});

test("exact: logBvn matches a log-space product Gauss–Legendre integration of the bivariate density, deep tails and |ρ| → 1 included; its partials match central differences", (t) => {
  // h ≤ k over the grid, and k < h for a few: Φ₂ is symmetric, the code's paths are not.
  const hs = [-140, -37, -8, -2.5, 0.7, 9];
  const rhos = [-NEAR_ONE, -0.999, -0.9, -0.3, 0.6, 0.95, 0.9999, NEAR_ONE];
  const cases: [number, number, number][] = [];
  for (let a = 0; a < hs.length; a++) for (let c = a; c < hs.length; c++) for (const rho of rhos) cases.push([hs[a]!, hs[c]!, rho]);
  for (const rho of rhos) cases.push([0.7, -8, rho], [9, -140, rho], [-2.5, -37, rho]);
  let worst = 0, worstAt = "", worstD = 0, worstDAt = "", deepest = 0;
  for (const [h, k, rho] of cases) {
    const ref = refLogBvn(h, k, rho);
    const got = bvn(h, k, rho).value;
    // log Φ₂ below −1e5 (ρ → −1 in the deep tail reaches −2e12): the next test.
    if (ref < -1e5) continue;
    deepest = Math.min(deepest, ref);
    // The error of log Φ₂ is Φ₂'s relative error; add the rounding of a log near −1e4.
    const err = Math.abs(got - ref) / (1e-12 + 4e-15 * Math.abs(ref));
    if (err > worst) { worst = err; worstAt = `h = ${h}, k = ${k}, ρ = ${rho}: ${got} vs ${ref}`; }
  }
  // Partials: central differences of the value, steps scaled to each argument's room.
  for (const h of [-37, -8, -0.3, 3]) {
    for (const k of [-8, -2.5, 0.7]) {
      for (const rho of [-0.999, -0.5, 0.2, 0.95, 0.9999]) {
        const got = bvn(h, k, rho);
        // Steps that move the value by 1e-6 of its size (drho reaches 5e8 near ρ = −1, where log Φ₂ ≈ −4e5).
        const step = (room: number, slope: number): number => Math.min(room, (1e-6 * Math.max(1, Math.abs(got.value))) / Math.max(1, Math.abs(slope)));
        const dh = central((u) => bvn(u, k, rho).value, h, step(1e-3, got.dh));
        const dk = central((u) => bvn(h, u, rho).value, k, step(1e-3, got.dk));
        const dr = central((u) => bvn(h, k, u).value, rho, step((1 - Math.abs(rho)) / 20, got.drho));
        for (const [name, a, b] of [["dh", got.dh, dh], ["dk", got.dk, dk], ["drho", got.drho, dr]] as const) {
          const err = Math.abs(a - b) / Math.max(1, Math.abs(b));
          if (err > worstD) { worstD = err; worstDAt = `${name} at h = ${h}, k = ${k}, ρ = ${rho}: ${a} vs ${b}`; }
        }
      }
    }
  }
  t.diagnostic(`log Φ₂ against the product rule: worst error ${worst.toFixed(3)} in units of (1e-12 + 4e-15|log Φ₂|), at ${worstAt}; deepest log Φ₂ ${deepest.toFixed(0)}`);
  t.diagnostic(`partials against central differences: worst relative error ${worstD.toExponential(2)} (${worstDAt})`);
  assert.ok(deepest < -1e4, `the grid reaches log Φ₂ = ${deepest} only`);
  assert.ok(worst <= 1, `log Φ₂ off by more than 1e-12 + 4e-15|log Φ₂|: ${worstAt}`);
  assert.ok(worstD <= 1e-6, `a partial is off: ${worstDAt}`);
});

test("exact: logBvn stays finite and accurate as ρ → −1 far in the tail (log Φ₂ from −1e5 to −2e12), where a near-parallel pair's term needs it", (t) => {
  let worst = 0, worstAt = "";
  for (const e of [1e-4, 5e-7, 1e-8]) {
    for (const h of [-140, -30, -8, -1, 1, 3]) {
      for (const k of [-30, -10, -2.5, 0, 2]) {
        const ref = refLogBvn(h, k, -(1 - e));
        if (ref > -1e5) continue;
        const got = bvn(h, k, -(1 - e)).value;
        const err = Math.abs(got - ref) / Math.abs(ref);
        if (!(err <= worst)) { worst = err; worstAt = `h = ${h}, k = ${k}, ρ = −(1 − ${e}): ${got} vs ${ref}`; }
      }
    }
  }
  t.diagnostic(`ρ → −1, log Φ₂ below −1e5: worst relative error ${worst} (${worstAt})`);
  assert.ok(worst <= 1e-12, `logBvn off: ${worstAt}`);
});

// ---------- 3. Monte Carlo ----------

/** Brute force: log of the mean of N(x; A s, σ²I) over N draws of s from the prior, and the estimate's standard error (in log). */
function monteCarlo(A: number[][], xs: number[][], sigma: number, b: number, prior: Prior, N: number, seed: number): { value: number; se: number }[] {
  const rng = ica.createRng(seed);
  const n = A[0]!.length;
  const sum = new Float64Array(xs.length), sq = new Float64Array(xs.length);
  const inv = 1 / (2 * sigma * sigma);
  for (let d = 0; d < N; d++) {
    let y0 = 0, y1 = 0;
    for (let i = 0; i < n; i++) {
      const s = prior === "laplace" ? rng.laplace(b) : rng.exponential(1 / b);
      y0 += A[0]![i]! * s;
      y1 += A[1]![i]! * s;
    }
    for (let q = 0; q < xs.length; q++) {
      const w = Math.exp(-((xs[q]![0]! - y0) ** 2 + (xs[q]![1]! - y1) ** 2) * inv);
      sum[q] += w;
      sq[q] += w * w;
    }
  }
  return xs.map((_, q) => {
    const mean = sum[q]! / N;
    const sd = Math.sqrt(Math.max(0, sq[q]! / N - mean * mean));
    return { value: Math.log(mean) - Math.log(2 * Math.PI * sigma * sigma), se: sd / (mean * Math.sqrt(N)) };
  });
}

test("exact: logLikelihood agrees with brute-force Monte Carlo (4 million draws) within 4 standard errors", (t) => {
  const rng = ica.createRng(2020);
  const angles8 = Array.from({ length: 8 }, () => 360 * rng.uniform());
  const lengths8 = Array.from({ length: 8 }, () => 0.5 + rng.uniform());
  const tilt = (1e-3 * 180) / Math.PI; // 1e-3 rad in degrees
  const bases: [string, number[][]][] = [
    ["n = 1", ica.basisFromAngles([40], [1.3])],
    ["n = 2", ica.basisFromAngles([30, 120], [1, 0.8])],
    ["n = 3 regular", ica.basisFromAngles([30, 150, 270])],
    ["n = 4 irregular", ica.basisFromAngles([0, 60, 150, 250], [1, 1.5, 0.7, 1.2])],
    ["n = 8 random", ica.basisFromAngles(angles8, lengths8)],
    ["1e-3 rad apart", ica.basisFromAngles([40, 40 + tilt, 160], [1, 1.2, 0.9])],
    ["duplicated column", ica.basisFromAngles([40, 40, 160], [1, 1, 0.9])],
    ["rank 1", ica.basisFromAngles([40, 40, 220], [1, 0.6, 1.4])],
  ];
  const sigma = 0.4, b = 1, N = 250_000;
  let worst = 0, worstAt = "", worstSe = 0, draws = 0;
  const methods = new Set<string>();
  for (const [name, A] of bases) {
    for (const prior of ["exponential", "laplace"] as const) {
      // Points drawn from the model itself (x near the data); of twelve, the three most likely, where
      // Monte Carlo's relative error is smallest (the choice does not touch the draws that test them).
      const pool = Array.from({ length: 12 }, () => {
        const s = A[0]!.map(() => (prior === "laplace" ? rng.laplace(b) : rng.exponential(1 / b)));
        return [0, 1].map((r) => A[r]!.reduce((acc, a, i) => acc + a * s[i]!, 0) + sigma * rng.normal());
      });
      const lp = logLikelihood(A, [pool.map((x) => x[0]!), pool.map((x) => x[1]!)], { prior, sigma, b, gradient: false }).perPoint;
      const xs = pool.map((x, q) => ({ x, l: lp[q]! })).sort((u, v) => v.l - u.l).slice(0, 3).map((e) => e.x);
      const mc = monteCarlo(A, xs, sigma, b, prior, N, 7 + draws);
      draws += N;
      const exact = logLikelihood(A, [xs.map((x) => x[0]!), xs.map((x) => x[1]!)], { prior, sigma, b, gradient: false });
      methods.add(`${name}: ${exact.method}`);
      mc.forEach((m, q) => {
        const z = Math.abs(exact.perPoint[q]! - m.value) / m.se;
        worstSe = Math.max(worstSe, m.se);
        if (z > worst) { worst = z; worstAt = `${name}, ${prior}, x = (${xs[q]!.map((v) => v.toFixed(3)).join(", ")}): exact ${exact.perPoint[q]}, MC ${m.value} ± ${m.se}`; }
      });
    }
  }
  t.diagnostic(`${draws} draws, 48 points; worst |exact − MC| = ${worst.toFixed(2)} standard errors (${worstAt}); largest standard error ${worstSe.toExponential(2)} in log P`);
  t.diagnostic(`methods: ${[...methods].join("; ")}`);
  assert.ok(worst < 4, `exact and Monte Carlo differ by ${worst} standard errors: ${worstAt}`);
});

// ---------- 4. The evidence module's quadrature ----------

test("exact: logLikelihood agrees with quadratureLogEvidence (n ≤ 2) and with the log-space product rule", (t) => {
  const cases: [string, number[][], number[]][] = [
    ["n = 2", ica.basisFromAngles([30, 120], [1, 0.8]), [0.6, 0.9]],
    ["n = 1", ica.basisFromAngles([40], [1.3]), [0.8, 0.5]],
  ];
  const sigma = 0.3, b = 2;
  // The midpoint rule's error (its step from P to 2P points) sets the tolerance: 1e-4 in log P at
  // these grids; the product rule, exact to ~1e-14, is the sharp reference for n = 2.
  let worstQ = 0, worstRich = 0, worstRef = 0, worstStep = 0;
  const lines: string[] = [];
  for (const [name, A, x] of cases) {
    for (const prior of ["exponential", "laplace"] as const) {
      const o = { prior, sigma, b };
      const exact = logLikelihood(A, [[x[0]!], [x[1]!]], { ...o, gradient: false }).value;
      const P = A[0]!.length === 1 ? 4001 : 401;
      const coarse = ica.quadratureLogEvidence(A, x, { ...o, points: P });
      const fine = ica.quadratureLogEvidence(A, x, { ...o, points: 2 * P });
      // The midpoint rule's error falls like 1/points²: Richardson's extrapolation removes its leading term.
      const rich = fine + (fine - coarse) / 3;
      worstStep = Math.max(worstStep, Math.abs(fine - coarse));
      worstQ = Math.max(worstQ, Math.abs(exact - fine));
      worstRich = Math.max(worstRich, Math.abs(exact - rich));
      if (A[0]!.length === 2) worstRef = Math.max(worstRef, Math.abs(exact - refLogLikelihood2(A, x, sigma, b, prior)));
      lines.push(`${name} ${prior}: exact ${exact.toFixed(10)}, midpoint ${fine.toFixed(10)} (${2 * P} points; ${(fine - coarse).toExponential(1)} from ${P})`);
      assert.ok(Math.abs(exact - fine) <= Math.abs(fine - coarse), `${name}, ${prior}: exact ${exact} is farther from the midpoint rule (${fine}) than its own doubling step (${fine - coarse})`);
    }
  }
  t.diagnostic(lines.join("; "));
  t.diagnostic(`worst |exact − midpoint| ${worstQ.toExponential(2)} (its doubling step up to ${worstStep.toExponential(2)}); after Richardson ${worstRich.toExponential(2)}; against the product rule (n = 2) ${worstRef.toExponential(2)}`);
  assert.ok(worstStep <= 1e-4 && worstQ <= 1e-4, `the midpoint rule's doubling step (${worstStep}) or its distance from exact (${worstQ}) is above 1e-4`);
  assert.ok(worstRef <= 1e-12, `exact and the product rule differ by ${worstRef}`);
});

type Inner = (A12: number[][], y: number[], sigma: number, b: number, prior: Prior) => number;

/** The n = 2 likelihood in closed form (the library's; checked against the product rule above to 1e-12). */
const closedForm2: Inner = (A12, y, sigma, b, prior) => logLikelihood(A12, [[y[0]!], [y[1]!]], { prior, sigma, b, gradient: false }).value;

/**
 * log P(x|A) for a 2×3 A with the third source integrated numerically over an
 * n = 2 likelihood: ∫ p(s) P(x − a₃s | [a₁ a₂]) ds. The integrand is
 * log-concave in s (a log-concave density's linear image convolved with a
 * Gaussian, times the prior), so logConcaveHalfLine applies on each half-line;
 * a Laplace source is half on each side. `fine` refines the panels.
 */
/** The widest panel of refLogLikelihood3, in units of σ/‖a₃‖: the integrand bends on that scale wherever x − a₃s crosses an edge of the pair's cone, far from its mode too. */
const CAP = 8;

function refLogLikelihood3(A: number[][], x: number[], sigma: number, b: number, prior: Prior, inner: Inner, fine = 1): number {
  const A12 = [[A[0]![0]!, A[0]![1]!], [A[1]![0]!, A[1]![1]!]];
  const a0 = A[0]![2]!, a1 = A[1]![2]!;
  const su = Math.min(sigma / Math.hypot(a0, a1), b);
  const half = (e: number): number => logConcaveHalfLine(
    (s) => -Math.log(b) - s / b + inner(A12, [x[0]! - e * a0 * s, x[1]! - e * a1 * s], sigma, b, prior), su, undefined, fine, (CAP * su) / fine);
  if (prior === "exponential") return half(1);
  const p = half(1), m = half(-1), top = Math.max(p, m);
  return top + Math.log(0.5 * Math.exp(p - top) + 0.5 * Math.exp(m - top));
}

test("exact: n = 3 at the sweeps' σ = 0.1, b = 2 (the split, three tips near one line, a source integrated out, far points) against a source integrated numerically, to 1e-9", (t) => {
  // The reference integrates the third source over the n = 2 closed form (itself checked against the
  // product rule in the test above); on one point the inner likelihood is the product rule too, fully independent.
  const sigma = 0.1, b = 2;
  const deg = (rad: number) => (rad * 180) / Math.PI;
  // The third column is the one the reference integrates out: here the one that makes the split near-singular.
  const tipsNear = (d: number): number[][] => [[1, 0, 0.5], [0, 1, 0.5 + d]];
  const cases: [string, number[][]][] = [
    ["regular", ica.basisFromAngles([30, 150, 270])],
    ["uneven, unequal lengths", ica.basisFromAngles([25, 130, 255], [1.2, 0.8, 1])],
    ["tips 3e-3 off one line", tipsNear(3e-3)],
    ["tips 3e-5 off one line", tipsNear(3e-5)],
    ["a pair 5e-4 rad from parallel", ica.basisFromAngles([40, 200, 40 + deg(5e-4)], [1, 0.8, 1.3])],
  ];
  const rng = ica.createRng(33);
  let worst = 0, worstAt = "", worstRule = 0, worstIndependent = 0, points = 0;
  const methods: string[] = [];
  for (const [name, A] of cases) {
    for (const prior of ["exponential", "laplace"] as const) {
      // Three points drawn from the model, two far outside the data and the origin.
      const xs = [0, 1, 2].map(() => {
        const s = A[0]!.map(() => (prior === "laplace" ? rng.laplace(b) : rng.exponential(1 / b)));
        return [0, 1].map((r) => A[r]!.reduce((acc, a, i) => acc + a * s[i]!, 0) + sigma * rng.normal());
      });
      const sum = [0, 1].map((r) => A[r]!.reduce((acc, a) => acc + a, 0));
      xs.push([-4 * sum[0]! - 1, -4 * sum[1]! + 0.5], [3 * sum[1]!, -3 * sum[0]!], [0, 0]);
      const exact = logLikelihood(A, [xs.map((x) => x[0]!), xs.map((x) => x[1]!)], { prior, sigma, b, gradient: false });
      methods.push(`${name} ${prior}: ${exact.method}`);
      xs.forEach((x, q) => {
        const ref = refLogLikelihood3(A, x, sigma, b, prior, closedForm2);
        if (q === 0) worstRule = Math.max(worstRule, Math.abs(ref - refLogLikelihood3(A, x, sigma, b, prior, closedForm2, 2)));
        // Fully independent on one point (the product rule inside; ~6 s, so exponential only).
        if (q === 0 && name === "regular" && prior === "exponential") worstIndependent = Math.abs(ref - refLogLikelihood3(A, x, sigma, b, prior, refLogLikelihood2));
        const err = Math.abs(exact.perPoint[q]! - ref);
        points++;
        if (!(err <= worst)) { worst = err; worstAt = `${name}, ${prior}, x = (${x.map((v) => v.toFixed(3)).join(", ")}): exact ${exact.perPoint[q]}, reference ${ref}`; }
      });
    }
  }
  t.diagnostic(`${points} points: worst |exact − reference| ${worst.toExponential(2)} (${worstAt}); the reference with panels halved moves by ${worstRule.toExponential(2)}, and with the product rule inside by ${worstIndependent.toExponential(2)}`);
  t.diagnostic(`methods: ${methods.join("; ")}`);
  assert.ok(methods.some((m) => m.endsWith("pairs")) && methods.some((m) => m.endsWith("integrated")), `both paths must be exercised: ${methods.join("; ")}`);
  assert.ok(worstRule <= 1e-11 && worstIndependent <= 1e-10, `the reference is not settled: ${worstRule} (panels halved), ${worstIndependent} (product rule inside)`);
  assert.ok(worst <= 1e-9, `exact and the reference differ: ${worstAt}`);
});

// ---------- 5. Normalisation ----------

/**
 * ∫ P(x|A) dx by the trapezoidal rule with step h = σ on a square [−R, R]².
 * P is the model's density convolved with N(0, σ²I), so its Fourier
 * transform is bounded by e^{−σ²|ω|²/2}: the rule's aliasing error is at
 * most 4e^{−2π²σ²/h²} ≈ 1e-8. R is set so that the mass outside is below
 * 1e-9 by a Chernoff bound on Σ|a_k||s_k| (|s_k| ~ Exp(b) for both priors),
 * plus 8σ for the noise.
 */
function planeIntegral(A: number[][], sigma: number, b: number, prior: Prior): { total: number; points: number } {
  const c = A[0]!.map((_, k) => b * Math.hypot(A[0]![k]!, A[1]![k]!));
  const lam = 0.7 / Math.max(...c);
  const logMgf = c.reduce((s, ck) => s - Math.log(1 - lam * ck), 0);
  const R = (logMgf + Math.log(1e9)) / lam + 8 * sigma;
  const h = sigma;
  const grid: number[] = [];
  for (let v = -R + 0.37 * h; v < R; v += h) grid.push(v);
  const X0: number[] = [], X1: number[] = [];
  for (const u of grid) for (const v of grid) { X0.push(u); X1.push(v); }
  const lp = logLikelihood(A, [X0, X1], { prior, sigma, b, gradient: false }).perPoint;
  return { total: h * h * lp.reduce((s, l) => s + Math.exp(l), 0), points: X0.length };
}

test("exact: the density integrates to 1 over the plane within 1e-6 (trapezoidal rule)", (t) => {
  // What sets the grid's size is σ/(b·|a|), the only scale in the problem: here 0.67 to 2.5 (the
  // sweeps' σ = 0.1, b = 2 is 0.05: a grid of 4 million points, too slow for this file).
  const tilt = (1e-3 * 180) / Math.PI;
  const cases: [string, number[][], number, number, Prior][] = [
    ["n = 3", ica.basisFromAngles([30, 150, 270], [1, 1.4, 0.8]), 0.3, 0.2, "exponential"],
    ["n = 3", ica.basisFromAngles([30, 150, 270], [1, 1.4, 0.8]), 0.3, 0.15, "laplace"],
    ["n = 4", ica.basisFromAngles([0, 60, 150, 250], [1, 1.5, 0.7, 1.2]), 0.3, 0.2, "exponential"],
    ["n = 4", ica.basisFromAngles([0, 60, 150, 250], [1, 1.5, 0.7, 1.2]), 0.3, 0.15, "laplace"],
    ["n = 3, a pair 2e-3 rad from parallel (the split)", ica.basisFromAngles([40, 40 + 2 * tilt, 200], [1, 1.3, 0.8]), 0.3, 0.2, "exponential"],
    // (the pair left after one column is integrated out is at 90°, where log Φ₂ is cheap: ρ = 0)
    ["n = 3, a pair 5e-4 rad from parallel (a source integrated out)", ica.basisFromAngles([40, 40 + 0.5 * tilt, 130], [1, 1.3, 0.8]), 0.3, 0.2, "exponential"],
  ];
  let worst = 0;
  const lines: string[] = [];
  for (const [name, A, sigma, b, prior] of cases) {
    const method = logLikelihood(A, [[0], [0]], { prior, sigma, b, gradient: false }).method;
    assert.equal(method, /integrated out/.test(name) ? "integrated" : "pairs", `${name}: the path taken`);
    const { total, points } = planeIntegral(A, sigma, b, prior);
    worst = Math.max(worst, Math.abs(total - 1));
    lines.push(`${name} ${prior} σ = ${sigma} b = ${b}: ${(total - 1).toExponential(2)} (${points} points)`);
    assert.ok(Math.abs(total - 1) <= 1e-6, `${name}, ${prior}, σ = ${sigma}: ∫P = ${total}`);
  }
  t.diagnostic(`∫ P(x|A) dx − 1: ${lines.join("; ")}`);
});

// ---------- 6. The gradient ----------

test("exact: the gradient matches central differences of the value (n = 2 to 6, both priors, a source integrated out)", (t) => {
  const rng = ica.createRng(66);
  const bases: [string, number[][]][] = [
    ["n = 2", ica.basisFromAngles([30, 120], [1, 0.8])],
    ["n = 3", ica.basisFromAngles([30, 150, 270])],
    ["n = 4", ica.basisFromAngles([0, 60, 150, 250], [1, 1.5, 0.7, 1.2])],
    ["n = 5", ica.basisFromAngles([10, 80, 130, 200, 300], [1.1, 0.6, 1, 1.4, 0.9])],
    ["n = 6", ica.basisFromAngles([0, 50, 100, 170, 235, 290], [1, 1.2, 0.8, 1.1, 0.9, 1.3])],
  ];
  const sigma = 0.3, b = 1, d = 1e-3; // the value carries ~1e-12 of rounding: smaller steps see it
  const X = [Array.from({ length: 3 }, () => 1.5 * rng.normal()), Array.from({ length: 3 }, () => 1.5 * rng.normal())];
  let worst = 0, worstAt = "";
  for (const [name, A] of bases) {
    for (const prior of ["exponential", "laplace"] as const) {
      const o = { prior, sigma, b };
      const res = logLikelihood(A, X, { ...o, gradient: true });
      const scale = Math.max(...res.gradient!.flat().map(Math.abs));
      for (let r = 0; r < 2; r++) {
        for (let c = 0; c < A[0]!.length; c++) {
          const f = (v: number): number => {
            const B = A.map((row) => row.slice());
            B[r]![c] = v;
            return logLikelihood(B, X, { ...o, gradient: false }).value;
          };
          const err = Math.abs(res.gradient![r]![c]! - central(f, A[r]![c]!, d)) / scale;
          if (err > worst) { worst = err; worstAt = `${name} ${prior} A[${r}][${c}]: ${res.gradient![r]![c]} vs ${central(f, A[r]![c]!, d)}`; }
        }
      }
    }
  }
  // A duplicated column: one source is integrated out. A direction that moves both copies alike keeps
  // the basis singular, so the difference quotient stays on that path. And the two copies' gradients
  // are equal (swapping them leaves P unchanged), though one comes from the inner scores and the
  // other from −s∇ₓ log P under the integral.
  let worstTurned = 0, worstCopies = 0;
  const A = ica.basisFromAngles([40, 40, 160], [1, 1, 0.9]);
  for (const prior of ["exponential", "laplace"] as const) {
    const o = { prior, sigma, b };
    const res = logLikelihood(A, X, { ...o, gradient: true });
    assert.equal(res.method, "integrated");
    const dir = [[0.3, 0.3, -0.5], [-0.7, -0.7, 0.2]];
    const along = dir.reduce((s, row, r) => s + row.reduce((u, v, c) => u + v * res.gradient![r]![c]!, 0), 0);
    const f = (e: number): number => logLikelihood(A.map((row, r) => row.map((v, c) => v + e * dir[r]![c]!)), X, { ...o, gradient: false }).value;
    const fd = central(f, 0, 1e-3);
    worstTurned = Math.max(worstTurned, Math.abs(along - fd) / Math.abs(fd));
    const g = res.gradient!;
    const size = Math.max(...g.flat().map(Math.abs));
    worstCopies = Math.max(worstCopies, Math.abs(g[0]![0]! - g[0]![1]!) / size, Math.abs(g[1]![0]! - g[1]![1]!) / size);
  }
  t.diagnostic(`gradient: worst |analytic − central difference| / max|gradient| = ${worst.toExponential(2)} (${worstAt}); integrated out, along a direction that keeps the duplicate: ${worstTurned.toExponential(2)} relative; the two copies' gradients differ by ${worstCopies.toExponential(2)} of the largest entry`);
  assert.ok(worst <= 1e-7, `gradient off: ${worstAt}`);
  assert.ok(worstTurned <= 1e-6, `integrated-path gradient off by ${worstTurned} relative`);
  assert.ok(worstCopies <= 1e-7, `the duplicated column's two copies have gradients that differ by ${worstCopies} of the largest entry (they are equal by symmetry)`);
});

// ---------- 7. Edge cases ----------

test("exact: a zero column changes nothing; a column 1e-3 long, far points, σ = 0.01 and σ = 5 match the product rule", (t) => {
  const X = [[0.5, -0.8, 1.2, 3], [1.1, 0.3, 1, -2]];
  let worstZero = 0;
  for (const prior of ["exponential", "laplace"] as const) {
    const o = { prior, sigma: 0.2, b: 1, gradient: false };
    const withZero = logLikelihood([[1, 0, -0.2, 0.5], [0.1, 0, 1, -0.9]], X, o).perPoint;
    const without = logLikelihood([[1, -0.2, 0.5], [0.1, 1, -0.9]], X, o).perPoint;
    withZero.forEach((v, j) => (worstZero = Math.max(worstZero, Math.abs(v - without[j]!))));
  }
  assert.ok(worstZero <= 1e-14, `a zero column changes log P by ${worstZero}`);
  // n = 2 against the product rule: columns in the upper half-plane; points far outside the support
  // ((−5, −5), radius 50 all round), a column 1e-3 as long as the other, σ = 0.01 and σ = 5.
  const up = ica.basisFromAngles([30, 120], [1, 0.8]);
  const far: number[][] = [[-5, -5], ...[0, 60, 135, 200, 270, 330].map((d) => [50 * Math.cos((d * Math.PI) / 180), 50 * Math.sin((d * Math.PI) / 180)])];
  const cases: [string, number[][], number[][], number, number][] = [
    ["far points", up, far, 0.1, 2],
    ["far points, σ = 0.3", up, far, 0.3, 1],
    ["σ = 0.01", up, [[0.6, 0.9], [-0.2, 0.4], [1, 0], [-1, -1]], 0.01, 2],
    ["σ = 5", up, [[0.6, 0.9], [-3, 4], [10, -7]], 5, 2],
    ["a column 1e-3 long", ica.basisFromAngles([30, 120], [1, 1e-3]), [[0.6, 0.9], [0.8, 0.5], [-1, 2], [3, -3]], 0.1, 2],
  ];
  let worst = 0, worstAt = "", lowest = 0;
  for (const [name, A, xs, sigma, b] of cases) {
    for (const prior of ["exponential", "laplace"] as const) {
      const got = logLikelihood(A, [xs.map((x) => x[0]!), xs.map((x) => x[1]!)], { prior, sigma, b, gradient: false }).perPoint;
      xs.forEach((x, j) => {
        const ref = refLogLikelihood2(A, x, sigma, b, prior);
        lowest = Math.min(lowest, ref);
        const err = Math.abs(got[j]! - ref) / Math.max(1, Math.abs(ref));
        if (!(err <= worst)) { worst = err; worstAt = `${name}, ${prior}, x = (${x.map((v) => v.toFixed(2))}): ${got[j]} vs ${ref}`; }
      });
    }
  }
  t.diagnostic(`zero column: ${worstZero.toExponential(2)}; n = 2 against the product rule: worst relative error ${worst.toExponential(2)} (${worstAt}); lowest log P ${lowest.toFixed(0)}`);
  assert.ok(worst <= 1e-11, `logLikelihood off: ${worstAt}`);
});

test("exact: near-parallel columns: the integrated value meets the split's at the threshold, and 1e-6 rad apart meets the duplicate", (t) => {
  const X = [[0.5, -0.8, 1.2, 0, -3, 2.5], [1.1, 0.3, 1, 0.5, -2, 4]];
  const deg = (rad: number) => (rad * 180) / Math.PI;
  let worstEdge = 0, worstDup = 0, worstAt = "";
  for (const prior of ["exponential", "laplace"] as const) {
    for (const [sigma, b] of [[0.3, 1], [0.1, 2]] as const) {
      const o = { prior, sigma, b, gradient: false };
      const at = (sep: number) => logLikelihood(ica.basisFromAngles([40, 40 + deg(sep), 160], [1, 1.2, 0.9]), X, o);
      const inside = at(0.9e-3), edge = at(1.1e-3), further = at(2.1e-3);
      assert.equal(inside.method, "integrated");
      assert.equal(edge.method, "pairs");
      // Linear extrapolation of the split's values from 2.1e-3 and 1.1e-3 to 0.9e-3; what is left is
      // the curvature's (0.2e-3)²-sized term.
      inside.perPoint.forEach((v, j) => {
        const predicted = edge.perPoint[j]! - (0.2 / 1.0) * (further.perPoint[j]! - edge.perPoint[j]!);
        const err = Math.abs(v - predicted);
        if (!(err <= worstEdge)) { worstEdge = err; worstAt = `${prior} σ = ${sigma} x = (${X[0]![j]}, ${X[1]![j]}): ${v} vs ${predicted}`; }
      });
      const dup = logLikelihood(ica.basisFromAngles([40, 40, 160], [1, 1, 0.9]), X, o);
      const near = logLikelihood(ica.basisFromAngles([40, 40 + deg(1e-6), 160], [1, 1, 0.9]), X, o);
      near.perPoint.forEach((v, j) => (worstDup = Math.max(worstDup, Math.abs(v - dup.perPoint[j]!))));
    }
  }
  t.diagnostic(`at the threshold: the integrated value against the split's extrapolation, worst ${worstEdge.toExponential(2)} (${worstAt}); 1e-6 rad apart against the duplicate: ${worstDup.toExponential(2)}`);
  assert.ok(worstEdge <= 1e-4, `the two paths disagree at the threshold: ${worstAt}`);
  assert.ok(worstDup <= 1e-5, `1e-6 rad apart and the duplicate differ by ${worstDup}`);
});

// ---------- 8. Bad input ----------

test("exact: bad input is refused with errors that name the parameter and the value", () => {
  const A = ica.basisFromAngles([30, 150, 270]);
  const X = [[0.5, 1], [0.2, -0.3]];
  assert.throws(() => logLikelihood([[1, 0], [0, 1], [1, 1]], X), /A has 3 rows \(m = 3\)/);
  assert.throws(() => logLikelihood(A, [[1], [2], [3]]), /X must have 2 rows, got 3/);
  assert.throws(() => logLikelihood([[1, NaN], [0, 1]], X), /A\[0\]\[1\] must be a finite number, got NaN/);
  assert.throws(() => logLikelihood(A, [[0.5, 1], [NaN, 0]]), /X\[1\]\[0\] must be a finite number, got NaN/);
  assert.throws(() => logLikelihood([[0, 0], [0, 0]], X), /A is zero/);
  assert.throws(() => logLikelihood(A, X, { sigm: 0.1 } as never), /logLikelihood: unknown option 'sigm' \(did you mean 'sigma'\?\)/);
  assert.throws(() => logLikelihood(A, X, { sigma: -1 }), /sigma must be > 0, got -1/);
  assert.throws(() => logLikelihood(A, X, { prior: "gauss" } as never), /prior must be one of 'exponential', 'laplace', got 'gauss'/);
  assert.throws(() => logLikelihood(ica.basisFromAngles([40, 220]), X), /rank 1.*pass gradient: false/);
  assert.equal(logLikelihood(ica.basisFromAngles([40, 220]), X, { gradient: false }).method, "rank-1");
});

test("exact: the gradient at a zero column is −b·∇ₓ log P(x | A without it), as central differences say", (t) => {
  // With a_k = 0, s_k is independent of x: ∂P/∂a_k = −E[s_k] ∇ₓP(x | A without column k), and E[s_k] is
  // b (exponential) or 0 (Laplace). The reference: central differences of the value in a_k.
  const X = [[0.5, -0.8, 1.2], [1.1, 0.3, 1]];
  const A = [[1, 0, -0.2, 0.5], [0.1, 0, 1, -0.9]];
  let worst = 0, worstAt = "";
  for (const prior of ["exponential", "laplace"] as const) {
    const o = { prior, sigma: 0.3, b: 1 };
    const g = logLikelihood(A, X, { ...o, gradient: true }).gradient!;
    for (const r of [0, 1]) {
      const f = (v: number): number => logLikelihood(A.map((row, q) => row.map((w, c) => (q === r && c === 1 ? v : w))), X, { ...o, gradient: false }).value;
      const fd = central(f, 0, 1e-3);
      const err = Math.abs(g[r]![1]! - fd);
      if (!(err <= worst)) { worst = err; worstAt = `${prior}, A[${r}][1]: ${g[r]![1]} vs ${fd}`; }
    }
  }
  t.diagnostic(`zero column's gradient: worst |analytic − central difference| ${worst.toExponential(2)} (${worstAt})`);
  assert.ok(worst <= 1e-6, `the gradient at a zero column is off: ${worstAt}`);
});
