// Zeros of gradient fields near a start, for the approximation ladder
// (lib/exact/ladder.ts): damped Newton with a central-difference Jacobian, a
// rescaled start for fields whose columns settle at other lengths, and
// continuation from one field's zero to the next field's.
import { solveSmall } from "../linalg";
import type { Mat } from "../matrix";

export interface NewtonOptions {
  maxIterations: number;
  /** Stop when the largest |entry| of F is below this. */
  tolerance: number;
  /** Or when, stalled, the full Newton step turns no column by more than this (degrees). */
  stepToleranceDeg: number;
  /** Central-difference step of the Jacobian. */
  h: number;
  /** The size of a step d from A in degrees, for stepToleranceDeg; default the largest column turn or relative length change. */
  stepSize?: (A: Mat, d: Float64Array) => number;
}

export interface NewtonResult {
  A: Mat;
  residual: number;
  /** Where the residual stalled: the largest column turn (or relative length change, in degrees) of the full Newton step; else null. */
  stepDeg: number | null;
  converged: boolean;
  iterations: number;
  reason: string | null;
}

/** Largest |entry| of F at A, or Infinity where F throws or is not finite. */
export function residualAt(F: (A: Mat) => Float64Array, A: Mat): { f: Float64Array | null; res: number } {
  let f: Float64Array;
  try {
    f = F(A);
  } catch {
    return { f: null, res: Infinity };
  }
  let res = 0;
  for (const v of f) res = Number.isFinite(v) ? Math.max(res, Math.abs(v)) : Infinity;
  return { f: res < Infinity ? f : null, res };
}

/** The central-difference Jacobian of F at A (column-major d×d, d = A's entries), or null where F fails. */
function jacobian(F: (A: Mat) => Float64Array, A: Mat, h: number): Float64Array | null {
  const d = A.data.length;
  const J = new Float64Array(d * d);
  for (let q = 0; q < d; q++) {
    const plus = { rows: A.rows, cols: A.cols, data: A.data.slice() };
    const minus = { rows: A.rows, cols: A.cols, data: A.data.slice() };
    plus.data[q] += h;
    minus.data[q] -= h;
    const fp = residualAt(F, plus).f, fm = residualAt(F, minus).f;
    if (fp === null || fm === null) return null;
    for (let e = 0; e < d; e++) J[q * d + e] = (fp[e]! - fm[e]!) / (2 * h);
  }
  return J;
}

/** The largest turn or relative length change, in degrees (1 rad = 180/π°), that the step d makes to a column of A. */
function stepDegrees(A: Mat, d: Float64Array): number {
  let worst = 0;
  const m = A.rows;
  for (let i = 0; i < A.cols; i++) {
    let len = 0, step = 0;
    for (let q = 0; q < m; q++) {
      len += A.data[i * m + q]! ** 2;
      step += d[i * m + q]! ** 2;
    }
    worst = Math.max(worst, Math.sqrt(step / len));
  }
  return (worst * 180) / Math.PI;
}

/**
 * A zero of F near A0 by damped Newton: the step −J⁻¹F is halved until the
 * largest |entry| of F falls; the Jacobian is recomputed when a step gains
 * less than half, and once more before giving up. A mean of piecewise
 * gradients jumps by O(1/p) wherever a point's support changes, so its
 * residual can stall above any tolerance; there the zero is still located if
 * the full Newton step from the last iterate (fresh Jacobian) moves no column
 * by more than stepToleranceDeg. Never returns NaN: on failure it returns the
 * last iterate with converged false and the reason.
 */
export function newtonZero(F: (A: Mat) => Float64Array, A0: Mat, o: NewtonOptions): NewtonResult {
  let A: Mat = { rows: A0.rows, cols: A0.cols, data: A0.data.slice() };
  let { f, res } = residualAt(F, A);
  if (f === null) return { A, residual: res, stepDeg: null, converged: false, iterations: 0, reason: "the field is not finite at the start" };
  let J: Float64Array | null = null;
  let fresh = false;
  let it = 0;
  for (; it < o.maxIterations; it++) {
    if (res <= o.tolerance) return { A, residual: res, stepDeg: null, converged: true, iterations: it, reason: null };
    if (J === null) {
      J = jacobian(F, A, o.h);
      fresh = true;
      if (J === null) return { A, residual: res, stepDeg: null, converged: false, iterations: it, reason: "the field is not finite within one Jacobian step" };
    }
    const d = solveSmall(J, f!.map((v) => -v), A.data.length);
    if (d === null) return { A, residual: res, stepDeg: null, converged: false, iterations: it, reason: "singular Jacobian" };
    let accepted = false;
    for (let t = 1; t > 1e-4 && !accepted; t /= 2) {
      const B = { rows: A.rows, cols: A.cols, data: A.data.map((v, e) => v + t * d[e]!) };
      const next = residualAt(F, B);
      if (next.res < res) {
        if (next.res > 0.5 * res) J = null;
        A = B;
        f = next.f;
        res = next.res;
        accepted = true;
      }
    }
    if (!accepted && fresh) {
      const stepDeg = (o.stepSize ?? stepDegrees)(A, d);
      const located = stepDeg <= o.stepToleranceDeg;
      return { A, residual: res, stepDeg, converged: located, iterations: it, reason: located ? null : `no damped step lowers the residual ${res.toExponential(2)}, and the Newton step turns a column by ${stepDeg.toFixed(4)}°` };
    }
    if (!accepted) J = null;
    fresh = accepted ? false : fresh;
  }
  const ok = res <= o.tolerance;
  return { A, residual: res, stepDeg: null, converged: ok, iterations: it, reason: ok ? null : `residual ${res.toExponential(2)} above tolerance after ${o.maxIterations} iterations` };
}

/** c·A. */
export function scaledMat(A: Mat, c: number): Mat {
  return { rows: A.rows, cols: A.cols, data: A.data.map((v) => v * c) };
}

/**
 * The scale c at which the field at c·A has no net radial part, Σ_i a_iᵀG_i = 0,
 * to 0.1% (bracketed on log c from c = 1, then bisected); 1 if there is no
 * sign change in [1e-3, 1e3] or the field fails there.
 */
export function radialScale(F: (A: Mat) => Float64Array, A: Mat): number {
  const phi = (c: number): number => {
    const B = scaledMat(A, c);
    const { f } = residualAt(F, B);
    if (f === null) return Number.NaN;
    let v = 0;
    for (let e = 0; e < f.length; e++) v += B.data[e]! * f[e]!;
    return v;
  };
  const p1 = phi(1);
  if (!Number.isFinite(p1) || p1 === 0) return 1;
  const dir = p1 > 0 ? 1.5 : 1 / 1.5;
  let lo = 1, hi = 1;
  for (let k = 0; ; k++) {
    hi = lo * dir;
    const ph = phi(hi);
    if (!Number.isFinite(ph) || hi > 1e3 || hi < 1e-3) return 1;
    if (Math.sign(ph) !== Math.sign(p1)) break;
    lo = hi;
  }
  while (Math.abs(Math.log(hi / lo)) > 1e-3) {
    const mid = Math.sqrt(lo * hi);
    const pm = phi(mid);
    if (!Number.isFinite(pm)) return 1;
    if (Math.sign(pm) === Math.sign(p1)) lo = mid;
    else hi = mid;
  }
  return Math.sqrt(lo * hi);
}

/**
 * A with each column rescaled so that the field has no radial part on any
 * column (a_iᵀG_i = 0), directions kept: Newton on the n scales. A start for
 * the full Newton when the field's columns settle at unequal lengths; A
 * itself if that Newton fails.
 */
export function columnScaled(F: (A: Mat) => Float64Array, A: Mat, o: NewtonOptions): Mat {
  const n = A.cols;
  const at = (c: Mat): Mat => ({ rows: 2, cols: n, data: A.data.map((v, e) => v * c.data[e >> 1]!) });
  const radial = (c: Mat): Float64Array => {
    const B = at(c);
    const f = F(B);
    return Float64Array.from({ length: n }, (_, i) => (B.data[2 * i]! * f[2 * i]! + B.data[2 * i + 1]! * f[2 * i + 1]!) / Math.hypot(B.data[2 * i]!, B.data[2 * i + 1]!));
  };
  const r = newtonZero(radial, { rows: 1, cols: n, data: new Float64Array(n).fill(1) }, o);
  return r.A.data.every((c) => c > 0 && Number.isFinite(c)) ? at(r.A) : A;
}


/**
 * The zero of F(1, ·) on the branch that starts at a zero A0 of F(0, ·):
 * Newton on F(t, ·) for t rising from 0 to 1, each from the last zero, the
 * increment halved (down to 1/64) where Newton fails. Returns t = 1 and the
 * zero when the branch is followed to the end; otherwise t < 1 marks where it
 * was lost (it folds or leaves the region where the field is finite), with
 * the failed Newton iterate there, not a zero: its `converged` is false.
 */
export function continueZero(F: (t: number, A: Mat) => Float64Array, A0: Mat, o: NewtonOptions): NewtonResult & { t: number } {
  let t = 0, dt = 0.25, A = A0, iterations = 0;
  let last: NewtonResult | null = null;
  while (t < 1) {
    const next = Math.min(1, t + dt);
    const r = newtonZero((B) => F(next, B), A, o);
    iterations += r.iterations;
    if (r.converged) {
      t = next;
      A = r.A;
      last = r;
      dt = Math.min(0.25, dt * 2);
    } else if (dt > 1 / 64) {
      dt /= 2;
    } else {
      return { ...r, iterations, t, reason: `the zero's branch is lost near t = ${next.toFixed(3)} of the continuation from the previous rung (${r.reason})` };
    }
  }
  return { ...last!, iterations, t: 1 };
}

/**
 * The zero of F with every column held at one common length c (the recipe's
 * equalizeNorms): unknowns the directions θ_i and log c; equations the
 * tangential part of each column's field and the sum of the radial parts.
 * Started at A's directions and mean length. Returns the basis and the result.
 */
export function equalNormZero(F: (A: Mat) => Float64Array, A: Mat, o: NewtonOptions): NewtonResult {
  const n = A.cols;
  const basis = (q: Mat): Mat => {
    const c = Math.exp(q.data[n]!);
    const data = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      data[2 * i] = c * Math.cos(q.data[i]!);
      data[2 * i + 1] = c * Math.sin(q.data[i]!);
    }
    return { rows: 2, cols: n, data };
  };
  const G = (q: Mat): Float64Array => {
    const f = F(basis(q));
    const out = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      const ct = Math.cos(q.data[i]!), st = Math.sin(q.data[i]!);
      out[i] = -st * f[2 * i]! + ct * f[2 * i + 1]!;
      out[n] += ct * f[2 * i]! + st * f[2 * i + 1]!;
    }
    return out;
  };
  const q0 = new Float64Array(n + 1);
  let logLen = 0;
  for (let i = 0; i < n; i++) {
    q0[i] = Math.atan2(A.data[2 * i + 1]!, A.data[2 * i]!);
    logLen += Math.log(Math.hypot(A.data[2 * i]!, A.data[2 * i + 1]!)) / n;
  }
  q0[n] = logLen;
  // A step in θ is a turn in radians, one in log c a relative length change.
  const stepSize = (_q: Mat, d: Float64Array): number => (Math.max(...Array.from(d, Math.abs)) * 180) / Math.PI;
  const r = newtonZero(G, { rows: 1, cols: n + 1, data: q0 }, { ...o, stepSize });
  return { ...r, A: basis(r.A) };
}
