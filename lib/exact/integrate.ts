// The exact likelihood where the pair split is near-singular: integrate one
// column's source out numerically,
//     P(x|A) = ∫ p(s) P(x − s a_k | A without a_k) ds,
// with the inner likelihood exact (it is well split once a_k is gone, or
// integrates out another column in turn). As a function of s the integrand
// changes on the scale σ/‖a_k‖ (the noise, seen along a_k) and e^{−s/b}; a
// coarse scan finds where it matters, and 10-point Gauss–Legendre panels one
// such scale wide cover that region (tested against the split where both
// apply: within 5e-6 in log P at the threshold, tests/exact.test.ts). The gradient follows under the integral: the inner scores for the
// other columns, −s ∇ₓ log P for a_k.
import { mat, type Mat } from "../matrix";
import type { Model } from "../model";
import { exactLogLikelihood, type Exact, type Want } from "./likelihood";
import { gaussLegendre } from "./normal";

const GL = gaussLegendre(10);
/** The coarse scan's step, in panels; a feature one panel wide is still seen (its top at most 4 panels from a scan point). */
const COARSE = 8;
/** Panels are kept where the coarse scan is within this many nats of the integrand's peak. */
const KEEP = 70;
/** At most this many coarse points per side. */
const MAX_SCAN = 20000;

/**
 * log P(x_j|A) for every column of X with column k's source integrated out,
 * and what `want` asks for.
 */
export function integrateOut(A: Mat, k: number, X: Mat, model: Model, want: Want): Exact {
  const n = A.cols, p = X.cols;
  const rest = mat(2, n, Float64Array.from(A.data));
  rest.data[2 * k] = 0;
  rest.data[2 * k + 1] = 0;
  const a0 = A.data[2 * k]!, a1 = A.data[2 * k + 1]!;
  const len = Math.hypot(a0, a1);
  const { sigma, b } = model;
  const inner = want.gradient || want.scores || want.dx;
  const width = Math.min(sigma / len, b);
  // The density P(y|·) is at most 1/(2πσ²): beyond s the integrand is below
  // e^{−s/b}/(2πσ² b), which bounds the tail.
  const logTop = -Math.log(2 * Math.PI * sigma * sigma);
  const sides = model.prior === "laplace" ? [1, -1] : [1];
  const logSide = model.prior === "laplace" ? Math.log(0.5) : 0;
  const perPoint = new Float64Array(p);
  const grad = want.gradient ? new Float64Array(2 * n) : null;
  const sc = want.scores ? new Float64Array(p * 2 * n) : null;
  const dx = want.dx ? new Float64Array(2 * p) : null;
  let total = 0;
  for (let j = 0; j < p; j++) {
    const x0 = X.data[2 * j]!, x1 = X.data[2 * j + 1]!;
    const nodes: { s: number; side: number; logw: number }[] = [];
    for (const side of sides) {
      for (const panel of keptPanels(rest, x0, x1, side * a0, side * a1, width, logTop, model)) {
        const half = 0.5 * width, mid = panel + half;
        for (let q = 0; q < GL.x.length; q++) {
          const s = mid + half * GL.x[q]!;
          nodes.push({ s, side, logw: Math.log(half * GL.w[q]!) - s / b - Math.log(b) + logSide });
        }
      }
    }
    const Y = mat(2, nodes.length);
    nodes.forEach((v, q) => {
      Y.data[2 * q] = x0 - v.side * v.s * a0;
      Y.data[2 * q + 1] = x1 - v.side * v.s * a1;
    });
    const r = exactLogLikelihood(rest, Y, model, false, inner, inner);
    let max = -Infinity;
    const lw = nodes.map((v, q) => v.logw + r.perPoint[q]!);
    for (const v of lw) max = Math.max(max, v);
    let sum = 0;
    for (const v of lw) sum += Math.exp(v - max);
    const value = max + Math.log(sum);
    if (!Number.isFinite(value)) throw new RangeError(`logLikelihood: integrating out column ${k} gave no finite value at point ${j} (x = [${x0}, ${x1}])`);
    perPoint[j] = value;
    total += value;
    if (!inner) continue;
    const g = new Float64Array(2 * n);
    let gx0 = 0, gx1 = 0;
    for (let q = 0; q < nodes.length; q++) {
      const w = Math.exp(lw[q]! - value);
      if (w === 0) continue;
      for (let c = 0; c < 2 * n; c++) g[c] += w * r.scores![q * 2 * n + c]!;
      const d0 = r.dx![2 * q]!, d1 = r.dx![2 * q + 1]!;
      gx0 += w * d0;
      gx1 += w * d1;
      // Column k: ∂/∂a_k of log P(x − side·s·a_k | ·) = −side·s ∇ₓ log P; replaces the zero-column score.
      g[2 * k] += w * (-nodes[q]!.side * nodes[q]!.s * d0) - w * r.scores![q * 2 * n + 2 * k]!;
      g[2 * k + 1] += w * (-nodes[q]!.side * nodes[q]!.s * d1) - w * r.scores![q * 2 * n + 2 * k + 1]!;
    }
    if (grad) for (let c = 0; c < 2 * n; c++) grad[c] += g[c]!;
    if (sc) sc.set(g, j * 2 * n);
    if (dx) { dx[2 * j] = gx0; dx[2 * j + 1] = gx1; }
  }
  return { total, perPoint, grad, scores: sc, dx, method: "integrated" };
}

/**
 * The left ends of the panels (each `width` wide, from s = 0) on which the
 * integrand log p(s) + log P(x − s a | rest) can matter: a coarse scan every
 * COARSE panels, stopped where even the density's upper bound has fallen
 * KEEP nats below the peak seen; panels within COARSE of a scan point that
 * came within KEEP of the peak are kept.
 */
function keptPanels(rest: Mat, x0: number, x1: number, a0: number, a1: number, width: number, logTop: number, model: Model): number[] {
  const step = COARSE * width;
  const b = model.b;
  const values: number[] = [];
  let peak = -Infinity;
  const batch = 64;
  let ended = false;
  for (let start = 0; start < MAX_SCAN; start += batch) {
    const Y = mat(2, batch);
    for (let q = 0; q < batch; q++) {
      const s = (start + q) * step;
      Y.data[2 * q] = x0 - s * a0;
      Y.data[2 * q + 1] = x1 - s * a1;
    }
    const r = exactLogLikelihood(rest, Y, model, false);
    for (let q = 0; q < batch; q++) {
      const v = r.perPoint[q]! - ((start + q) * step) / b;
      values.push(v);
      peak = Math.max(peak, v);
    }
    if (!(peak > -Infinity) || logTop - ((start + batch) * step) / b < peak - KEEP) {
      ended = true; // (no finite value: the caller reports it)
      break;
    }
  }
  if (!ended) throw new RangeError(`logLikelihood: integrating a source out needed more than ${MAX_SCAN} scan points (σ/‖a‖ = ${width}, b = ${b})`);
  const keep = new Set<number>();
  values.forEach((v, i) => {
    if (v < peak - KEEP) return;
    for (let c = Math.max(0, (i - 1) * COARSE); c < (i + 1) * COARSE; c++) keep.add(c);
  });
  return [...keep].sort((u, v) => u - v).map((c) => c * width);
}
