// The normal distribution in log space, for the exact likelihood: log Φ(x)
// to full relative precision for every x (deep tails included), and the
// bivariate orthant probability log Φ₂(h, k; ρ) = log P(Z₁ ≤ h, Z₂ ≤ k) with
// its three partial derivatives.
//
// log Φ₂ takes a closed form where a bound shows the neglected part is below
// 1e-17 of the answer, and otherwise integrates
//     Φ₂ = ∫_{−∞}^{h} φ(t) Φ((k − ρt)/√(1−ρ²)) dt
// whose integrand is log-concave: Gauss–Legendre panels are laid out from its
// mode, at the scale of its curvature, doubling outward until the integrand
// has fallen 60 nats below its peak. Tested to 1e-12 + 4e-15·|log Φ₂| against a
// log-space product quadrature (tests/exact.test.ts).

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);

/** log φ(x). */
export function logPhiDensity(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI;
}

/**
 * log(√π e^{z²} erfc(z)) for z ≥ 2, by the continued fraction
 * erfc(z) = e^{−z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), evaluated
 * backward from a depth that gives 1e-17 at that z.
 */
function logScaledErfcTail(z: number): number {
  const depth = Math.ceil(12 + 260 / (z * z));
  let t = z;
  for (let k = depth; k >= 1; k--) t = z + (k / 2) / t;
  return -Math.log(t);
}

/** erf(z) for 0 ≤ z ≤ 2 by the series of positive terms (2/√π) e^{−z²} Σ 2ⁿ z^{2n+1}/(2n+1)!!. */
function erfSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= (2 * z2) / (2 * n + 1);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-z2) * sum;
}

/**
 * log Φ(x) by the series and the continued fraction above: up to ~80 steps a
 * call. Kept as the reference the fast logPhi is fitted to and tested against.
 */
export function logPhiReference(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return -Infinity;
  const z = -x * SQRT1_2; // Φ(x) = ½ erfc(z)
  if (z >= 2) return Math.log(0.5) - z * z - LOG_SQRT_PI + logScaledErfcTail(z);
  if (z >= 0) return Math.log(0.5 * (1 - erfSeries(z)));
  // x > 0: Φ(x) = 1 − ½ erfc(−z).
  const w = -z;
  const q = w >= 2 ? 0.5 * Math.exp(-w * w - LOG_SQRT_PI + logScaledErfcTail(w)) : 0.5 * (1 - erfSeries(w));
  return Math.log1p(-q);
}

// The fast path: erfcx(z) = e^{z²} erfc(z) for z ≥ 0, a smooth function of
// y = 4/(4 + z) ∈ (0, 1]. On y ≥ 4/(4 + ERFCX_FAR) it is a piecewise
// Chebyshev series, ERFCX_PANELS equal panels in y of degree ERFCX_DEGREE,
// whose coefficients are computed once, at load, from the same series and
// continued fraction as logPhiReference (tests: ~1e-15 relative to them);
// beyond ERFCX_FAR the continued fraction itself is short (13 steps).
const ERFCX_FAR = 50;
const ERFCX_PANELS = 64;
const ERFCX_DEGREE = 11;
const Y_MIN = 4 / (4 + ERFCX_FAR);
const PANEL_WIDTH = (1 - Y_MIN) / ERFCX_PANELS;

/**
 * erfcx(z) for z ≥ 0 the slow way, for the fit: the series below z = 0.7
 * (where 1 − erf loses under one digit), above it the continued fraction
 * taken deep enough (40 + 4000/z² steps) that doubling the depth changes
 * nothing.
 */
export function erfcxReference(z: number): number {
  if (z < 0.7) return Math.exp(z * z) * (1 - erfSeries(z));
  const depth = Math.ceil(40 + 4000 / (z * z));
  let t = z;
  for (let k = depth; k >= 1; k--) t = z + (k / 2) / t;
  return 1 / (Math.sqrt(Math.PI) * t);
}

const ERFCX_COEFFS: Float64Array = (() => {
  const N = ERFCX_DEGREE + 1;
  const c = new Float64Array(ERFCX_PANELS * N);
  const f = new Float64Array(N);
  for (let p = 0; p < ERFCX_PANELS; p++) {
    const mid = Y_MIN + (p + 0.5) * PANEL_WIDTH;
    for (let i = 0; i < N; i++) {
      const y = mid + 0.5 * PANEL_WIDTH * Math.cos((Math.PI * (i + 0.5)) / N);
      f[i] = erfcxReference(4 / y - 4);
    }
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += f[i]! * Math.cos((Math.PI * j * (i + 0.5)) / N);
      c[p * N + j] = ((j === 0 ? 1 : 2) / N) * s;
    }
  }
  return c;
})();

/** e^{z²} erfc(z) for z ≥ 0 (tested to 1e-14 relative against the slow evaluators). */
export function erfcx(z: number): number {
  if (z > ERFCX_FAR) {
    let t = z;
    for (let k = 12; k >= 1; k--) t = z + (k / 2) / t;
    return 1 / (Math.sqrt(Math.PI) * t);
  }
  const y = 4 / (4 + z);
  let p = Math.floor((y - Y_MIN) / PANEL_WIDTH);
  if (p >= ERFCX_PANELS) p = ERFCX_PANELS - 1;
  else if (p < 0) p = 0;
  const u = (2 * (y - Y_MIN)) / PANEL_WIDTH - (2 * p + 1);
  const base = p * (ERFCX_DEGREE + 1);
  // Clenshaw.
  let b1 = 0, b2 = 0;
  const u2 = 2 * u;
  for (let j = ERFCX_DEGREE; j >= 1; j--) {
    const b0 = u2 * b1 - b2 + ERFCX_COEFFS[base + j]!;
    b2 = b1;
    b1 = b0;
  }
  return u * b1 - b2 + ERFCX_COEFFS[base]!;
}

const LOG_HALF = Math.log(0.5);

/** log Φ(x) on the whole line (tested to 1e-13 relative against Gauss–Legendre integration of φ and the Mills series). */
export function logPhi(x: number): number {
  const z = -x * SQRT1_2; // Φ(x) = ½ erfc(z)
  if (z >= 0) return z === Infinity ? -Infinity : LOG_HALF - z * z + Math.log(erfcx(z));
  if (z < 0) return z === -Infinity ? 0 : Math.log1p(-0.5 * Math.exp(-z * z) * erfcx(-z));
  return NaN;
}

/** e^a Φ(u) without forming log Φ(u): one erfcx and one exp. */
function expTimesPhi(a: number, u: number): number {
  const z = -u * SQRT1_2;
  if (z >= 0) return z === Infinity ? 0 : 0.5 * Math.exp(a - z * z) * erfcx(z);
  return z === -Infinity ? Math.exp(a) : Math.exp(a) * (1 - 0.5 * Math.exp(-z * z) * erfcx(-z));
}

/** Φ(x). */
export function Phi(x: number): number {
  return Math.exp(logPhi(x));
}

/** φ(u)/Φ(u), the inverse Mills ratio (≈ −u for u → −∞). */
export function millsInverse(u: number): number {
  return millsPair(u).M;
}

/**
 * M(u) = φ(u)/Φ(u) and u + M(u). Below u = −5 both come from the continued
 * fraction 1/R(z) = z + 1/(z + 2/(z + 3/…)), z = −u, whose tail K is u + M:
 * computing M as exp(log φ − log Φ) and then adding u cancels every digit
 * when |u| ~ 10⁵ (a near-parallel pair's orthant far in the tail).
 */
export function millsPair(u: number): { M: number; uPlusM: number } {
  if (u < -5) {
    const z = -u;
    let t = z;
    for (let k = 60; k >= 2; k--) t = z + k / t;
    const K = 1 / t;
    return { M: z + K, uPlusM: K };
  }
  const M = Math.exp(logPhiDensity(u) - logPhi(u));
  return { M, uPlusM: u + M };
}

// Gauss–Legendre nodes on [−1, 1], by Newton's method on P_N.
export function gaussLegendre(N: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(N);
  const w = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let t = Math.cos((Math.PI * (i + 0.75)) / (N + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = t;
      for (let k = 2; k <= N; k++) {
        const p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (N * (t * p1 - p0)) / (t * t - 1);
      const dt = p1 / dp;
      t -= dt;
      if (Math.abs(dt) < 1e-16) break;
    }
    x[i] = t;
    w[i] = 2 / ((1 - t * t) * dp * dp);
  }
  return { x, w };
}

const GL = gaussLegendre(10);

/** How far (in nats) below its peak the integrand is followed. */
const DROP = 60;
/** The closed forms are used when the bound on what they neglect is below e^−40 ≈ 4e-18 of the answer. */
const NEGLIGIBLE = -40;

export interface LogBvn {
  /** log Φ₂(h, k; ρ). */
  value: number;
  /** ∂ log Φ₂/∂h, ∂ log Φ₂/∂k, ∂ log Φ₂/∂ρ. */
  dh: number;
  dk: number;
  drho: number;
}

/**
 * log P(Z₁ ≤ h, Z₂ ≤ k) for standard normals with correlation ρ, |ρ| < 1,
 * and its partial derivatives (∂/∂h = φ(h)Φ((k−ρh)/r)/Φ₂, ∂/∂ρ = φ₂/Φ₂).
 */
export function logBvn(h: number, k: number, rho: number, out: LogBvn): LogBvn {
  logPhiPair(h, PH);
  logPhiPair(k, PK);
  return logBvnFrom(h, k, rho, PH.lower, PH.upper, PK.lower, PK.upper, out);
}

/** log Φ(x) and log Φ(−x), from one erfcx. */
export interface LogPhiPair {
  /** log Φ(x). */
  lower: number;
  /** log Φ(−x). */
  upper: number;
}

const PH: LogPhiPair = { lower: 0, upper: 0 };
const PK: LogPhiPair = { lower: 0, upper: 0 };
const PU: LogPhiPair = { lower: 0, upper: 0 };

/** out.lower = log Φ(x), out.upper = log Φ(−x), with one erfcx evaluation (the same values as logPhi(±x)). */
export function logPhiPair(x: number, out: LogPhiPair): LogPhiPair {
  const z = -x * SQRT1_2;
  if (!(Math.abs(z) < Infinity)) {
    out.lower = logPhi(x);
    out.upper = logPhi(-x);
    return out;
  }
  const w = Math.abs(z);
  const small = LOG_HALF - w * w + Math.log(erfcx(w)); // log ½erfc(|z|)
  const large = Math.log1p(-Math.exp(small));
  if (z >= 0) {
    out.lower = small;
    out.upper = z === 0 ? small : large;
  } else {
    out.lower = large;
    out.upper = small;
  }
  return out;
}

/**
 * logBvn given log Φ(±h) and log Φ(±k) (from logPhiPair), for callers that
 * have them already.
 */
export function logBvnFrom(h: number, k: number, rho: number, lh: number, lnh: number, lk: number, lnk: number, out: LogBvn): LogBvn {
  const r2 = (1 - rho) * (1 + rho);
  const r = Math.sqrt(r2);
  // u = (k − ρh)/r enters ∂/∂h, and −u = (ρh − k)/r the bound on Φ(h) − Φ₂; v likewise for k.
  logPhiPair((k - rho * h) / r, PU);
  const lu = PU.lower, lnu = PU.upper;
  logPhiPair((h - rho * k) / r, PU);
  const lv = PU.lower, lnv = PU.upper;
  const value = logBvnValue(h, k, rho, r, lh, lnh, lk, lnk, lnu, lnv);
  out.value = value;
  out.dh = Math.exp(logPhiDensity(h) + lu - value);
  out.dk = Math.exp(logPhiDensity(k) + lv - value);
  out.drho = Math.exp(-LOG_2PI - Math.log(r) - (h * h - 2 * rho * h * k + k * k) / (2 * r2) - value);
  return out;
}

function logBvnValue(h: number, k: number, rho: number, r: number, lh: number, lnh: number, lk: number, lnk: number, lnu: number, lnv: number): number {
  // Independent to within rounding: Φ₂ − Φ(h)Φ(k) ≈ ρ φ(h)φ(k), which is
  // below 1e-15 of Φ(h)Φ(k) here (φ/Φ ≤ 1 + max(0, −x)); pairs at 90° give
  // ρ ~ 1e-17 rather than 0.
  if (Math.abs(rho) * (1 + Math.max(0, -h)) * (1 + Math.max(0, -k)) < 5e-16) return lh + lk;
  // Φ₂ = Φ(k) − P(Z₁ > h, Z₂ ≤ k), and P(Z₁ > h, Z₂ ≤ k) ≤ Φ(−h); for ρ ≥ 0
  // it is also ≤ Φ(k)·Φ((ρk − h)/r), since E[Z₁ | Z₂ = z] = ρz ≤ ρk there.
  let boundK = lnh - lk;
  if (rho > 0) boundK = Math.min(boundK, lnv);
  if (boundK < NEGLIGIBLE) return lk;
  let boundH = lnk - lh;
  if (rho > 0) boundH = Math.min(boundH, lnu);
  if (boundH < NEGLIGIBLE) return lh;
  // Φ₂ = 1 − Φ(−h) − Φ(−k) + P(Z₁ > h, Z₂ > k); the last term is at most
  // min(Φ(−h), Φ(−k)), and at most Φ(−h)Φ(−k) for ρ ≤ 0 (Slepian).
  const both = rho <= 0 ? lnh + lnk : Math.min(lnh, lnk);
  const qh = Math.exp(lnh);
  const qk = Math.exp(lnk);
  if (qh + qk < 0.5 && both < NEGLIGIBLE + Math.log(1 - qh - qk)) return Math.log1p(-(qh + qk));
  return integrate(h, k, rho, r);
}

/** log ∫_{−∞}^{h} φ(t) Φ((k − ρt)/r) dt by Gauss–Legendre panels around the integrand's mode. */
function integrate(h: number, k: number, rho: number, r: number): number {
  const f = (t: number): number => logPhiDensity(t) + logPhi((k - rho * t) / r);
  // f'(t) = −t − (ρ/r) M(u), f''(t) = −1 − (ρ/r)² M(u)(u + M(u)), u = (k − ρt)/r.
  const d1 = (t: number): number => -t - (rho / r) * millsInverse((k - rho * t) / r);
  const d2 = (t: number): number => {
    const { M, uPlusM } = millsPair((k - rho * t) / r);
    return -1 - (rho / r) * (rho / r) * M * uPlusM;
  };
  // The mode: f is concave, so f' decreases; find its zero on (−∞, h].
  let mode: number;
  if (d1(h) >= 0) {
    mode = h;
  } else {
    let hi = h;
    let lo = Math.min(h - 1, -1);
    while (d1(lo) < 0) lo = h - 2 * (h - lo);
    let t = 0.5 * (lo + hi);
    for (let it = 0; it < 200; it++) {
      // f'(t) and f''(t) from one inverse Mills ratio.
      const { M, uPlusM } = millsPair((k - rho * t) / r);
      const g = -t - (rho / r) * M;
      if (g > 0) lo = t;
      else hi = t;
      const newton = t - g / (-1 - (rho / r) * (rho / r) * M * uPlusM);
      const next = newton > lo && newton < hi ? newton : 0.5 * (lo + hi);
      if (Math.abs(next - t) <= 1e-13 * (1 + Math.abs(t)) || hi - lo <= 1e-13 * (1 + Math.abs(t))) {
        t = next;
        break;
      }
      t = next;
    }
    mode = t;
  }
  const peak = f(mode);
  let scale = 1 / Math.sqrt(-d2(mode));
  if (mode === h) scale = Math.min(scale, 1 / Math.max(d1(h), 1e-300));
  if (!(scale > 0) || !Number.isFinite(scale)) scale = mode === h ? 1 / Math.max(Math.abs(d1(h)), 1e-300) : 1;
  // The range: outward from the mode, doubling, until f is DROP below the peak.
  let lo = mode;
  for (let j = 0; j < 200 && f(lo) - peak > -DROP; j++) lo = mode - scale * (2 ** (j + 1) - 1);
  let hi = mode;
  for (let j = 0; j < 200 && hi < h && f(hi) - peak > -DROP; j++) hi = Math.min(h, mode + scale * (2 ** (j + 1) - 1));
  // Breakpoints: two geometric grids, one around the mode (where φ·Φ bends at
  // the scale of its curvature) and one around the cliff t_c = k/ρ, where the
  // conditional Φ((k − ρt)/r) turns from 0 to 1 over a width r/|ρ| that is
  // tiny when |ρ| → 1; each panel is then smooth at its own width.
  const cuts: number[] = [lo, hi];
  const grid = (centre: number, width: number): void => {
    if (!(width > 0) || !Number.isFinite(centre)) return;
    for (let j = 0; j < 1100; j++) {
      const d = width * (2 ** j - 1);
      if (d > hi - lo) break;
      if (centre + d > lo && centre + d < hi) cuts.push(centre + d);
      if (j > 0 && centre - d > lo && centre - d < hi) cuts.push(centre - d);
    }
  };
  grid(mode, scale);
  grid(k / rho, r / Math.abs(rho));
  cuts.sort((a, b) => a - b);
  let sum = 0;
  for (let c = 0; c + 1 < cuts.length; c++) {
    const a = cuts[c]!;
    const b = cuts[c + 1]!;
    if (!(b > a)) continue;
    const half = 0.5 * (b - a);
    const mid = 0.5 * (a + b);
    let s = 0;
    for (let i = 0; i < GL.x.length; i++) {
      const t = mid + half * GL.x[i]!;
      s += GL.w[i]! * expTimesPhi(logPhiDensity(t) - peak, (k - rho * t) / r);
    }
    sum += half * s;
  }
  return peak + Math.log(sum);
}
