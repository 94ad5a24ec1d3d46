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
 * log ∫₀^∞∫₀^∞ of the integrand above: the inner integral numerically at each
 * outer node; the outer, log-concave in u, by panels laid geometrically around
 * its mode and around the "cliff" where the inner mode crosses v = 0.
 */
function logQuadrant(q: Quadrant): number {
  const g = (u: number): number => q.c + q.g * u - 0.5 * q.H * u * u + logHalfLine(q.vc0 + q.vc1 * u, q.P);
  const su = 1 / Math.sqrt(q.H);
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
  const scale = Math.min(su, slope > 0 ? 1 / slope : su) / 4;
  let end = mode + scale;
  while (g(end) - top > -60) end = mode + 2 * (end - mode);
  let start = mode;
  if (mode > 0) {
    start = Math.max(0, mode - scale);
    while (start > 0 && g(start) - top > -60) start = Math.max(0, mode - 2 * (mode - start));
  }
  const cuts = [start, end];
  geometricCuts(mode, scale, start, end, cuts);
  if (q.vc1 !== 0) geometricCuts(-q.vc0 / q.vc1, 1 / (Math.sqrt(q.P) * Math.abs(q.vc1)) / 4, start, end, cuts);
  cuts.sort((x, y) => x - y);
  return top + Math.log(panelSum(g, cuts, top));
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
  // ρ → −1: Φ₂ → Φ(h) + Φ(k) − 1 where positive; ρ → 1: Φ₂ → Φ(min(h, k)). The gap is
  // O(√(1 − |ρ|)) times a density, far below the tolerance at 1 − |ρ| = 1e-14 for these h, k.
  for (const [h, k] of [[1, 0.5], [3, -1], [2.5, 2.5], [0.2, 0.3]] as const) {
    const p = Math.exp(refLogPhi(h)) + Math.exp(refLogPhi(k)) - 1;
    check(bvn(h, k, -(1 - 1e-14)).value, Math.log(p), `ρ → −1, h = ${h}, k = ${k}`, 1e-9);
  }
  for (const [h, k] of [[1, 2], [-30, -29], [-3, 4], [0.5, 0.5]] as const) {
    if (h !== k) check(bvn(h, k, 1 - 1e-14).value, refLogPhi(Math.min(h, k)), `ρ → 1, h = ${h}, k = ${k}`, 1e-9);
  }
  t.diagnostic(`closed forms: worst relative error of log Φ₂ ${worst.toExponential(2)}`);
});

test("exact: logBvn matches a log-space product Gauss–Legendre integration of the bivariate density, deep tails and |ρ| → 1 included; its partials match central differences", (t) => {
  // h ≤ k over the grid, and k < h for a few: Φ₂ is symmetric, the code's paths are not.
  const hs = [-140, -37, -8, -2.5, 0.7, 9];
  const rhos = [-NEAR_ONE, -0.999, -0.9, -0.5, -0.1, 0.2, 0.6, 0.95, 0.9999, NEAR_ONE];
  const cases: [number, number, number][] = [];
  for (let a = 0; a < hs.length; a++) for (let c = a; c < hs.length; c++) for (const rho of rhos) cases.push([hs[a]!, hs[c]!, rho]);
  for (const rho of rhos) cases.push([0.7, -8, rho], [9, -140, rho], [-2.5, -37, rho]);
  let worst = 0, worstAt = "", worstD = 0, worstDAt = "", deepest = 0;
  const beyond: string[] = [];
  for (const [h, k, rho] of cases) {
    const ref = refLogBvn(h, k, rho);
    const got = bvn(h, k, rho).value;
    // log Φ₂ far below the brief's −1e4 (ρ → −1 in the deep tail reaches −2e12): reported, not tested.
    if (ref < -1e5) {
      if (!(Math.abs(got - ref) <= 1e-12 * Math.abs(ref))) beyond.push(`(${h}, ${k}, ${rho}): ${got} vs ${ref}`);
      continue;
    }
    deepest = Math.min(deepest, ref);
    // The error of log Φ₂ is Φ₂'s relative error; add the rounding of a log near −1e4.
    const err = Math.abs(got - ref) / (1e-12 + 1e-15 * Math.abs(ref));
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
  t.diagnostic(`log Φ₂ against the product rule: worst error ${(worst * 1e-12).toExponential(2)} in units of (1e-12 + 1e-15|log Φ₂|) → ${worst.toFixed(3)} at ${worstAt}; deepest log Φ₂ ${deepest.toFixed(0)}`);
  t.diagnostic(`partials against central differences: worst relative error ${worstD.toExponential(2)} (${worstDAt})`);
  t.diagnostic(`beyond log Φ₂ = −1e5 (not tested), off by more than 1e-12 relative: ${beyond.length === 0 ? "none" : beyond.join("; ")}`);
  assert.ok(deepest < -1e4, `the grid reaches log Φ₂ = ${deepest} only`);
  assert.ok(worst <= 1, `log Φ₂ off by more than 1e-12 + 1e-15|log Φ₂|: ${worstAt}`);
  assert.ok(worstD <= 1e-6, `a partial is off: ${worstDAt}`);
});
