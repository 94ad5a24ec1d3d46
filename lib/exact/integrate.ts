// The exact likelihood where the pair split is near-singular: integrate one
// column's source out numerically,
//     P(x|A) = ∫ p(s) P(x − s a_k | A without a_k) ds,
// with the inner likelihood exact (it is well split once a_k is gone, or
// integrates out another column in turn). As a function of s the integrand
// changes on the scale σ/‖a_k‖ (the noise, seen along a_k) and e^{−s/b}, and
// far from the data much faster (its log falls by ~‖a_k‖‖x‖/σ² per unit s).
// A coarse scan finds where it matters; 10-point Gauss–Legendre panels cover
// that region, each halved until the rule on it agrees with the rule on its
// halves to TOL of the integral (tests/exact.test.ts: against a separate
// quadrature to 1e-9 in log P, far points included). The gradient follows
// under the integral: the inner scores for the other columns, −s ∇ₓ log P
// for a_k.
import { mat, type Mat } from "../matrix";
import type { Model } from "../model";
import { exactLogLikelihood, type Exact, type Want } from "./likelihood";
import { gaussLegendre } from "./normal";

const GL = gaussLegendre(10);
/** The coarse scan's step, in panels; a feature one panel wide is still seen (its top at most 4 panels from a scan point). */
const COARSE = 8;
/** Panels are kept where the coarse scan is within this many nats of the integrand's peak (e^−40 ≈ 4e-18). */
const KEEP = 40;
/** At most this many coarse points per side. */
const MAX_SCAN = 20000;
/** A panel is split while the rule on it and on its two halves differ by more than this fraction of the integral. */
const TOL = 1e-13;
/** At most this many halvings of a panel. */
const MAX_DEPTH = 50;

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
    const sideLogs = new Float64Array(sides.length);
    sides.forEach((side, si) => {
      const start = keptPanels(rest, x0, x1, side * a0, side * a1, width, logTop, model);
      const refined = refinePanels(rest, x0, x1, side * a0, side * a1, start, model, j);
      sideLogs[si] = refined.log;
      if (!inner) return;
      for (const panel of refined.panels) {
        const half = 0.5 * panel.w, mid = panel.lo + half;
        for (let q = 0; q < GL.x.length; q++) {
          const s = mid + half * GL.x[q]!;
          nodes.push({ s, side, logw: Math.log(half * GL.w[q]!) - s / b - Math.log(b) + logSide });
        }
      }
    });
    if (!inner) {
      // The value alone: the refinement's own sums.
      const value = logSumExp(sideLogs, 0, sides.length) - Math.log(b) + logSide;
      if (!Number.isFinite(value)) throw new RangeError(`logLikelihood: integrating out column ${k} gave no finite value at point ${j} (x = [${x0}, ${x1}])`);
      perPoint[j] = value;
      total += value;
      continue;
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

interface Panel { lo: number; w: number }

/**
 * The stretches of s ≥ 0 on which the integrand log p(s) + log P(x − s a |
 * rest) can matter: a coarse scan every COARSE·width, stopped where the
 * integrand has fallen KEEP nats below its peak past the peak (it is
 * log-concave in s: a log-concave density's linear image convolved with a
 * Gaussian, times the prior, so it only falls from there on), or where even
 * the density's upper bound has; the scan
 * intervals on either side of a scan point that came within KEEP of the peak
 * are kept, as panels to refine.
 */
function keptPanels(rest: Mat, x0: number, x1: number, a0: number, a1: number, width: number, logTop: number, model: Model): Panel[] {
  const step = COARSE * width;
  const b = model.b;
  const values: number[] = [];
  let peak = -Infinity, peakAt = -1;
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
    let fallen = false;
    for (let q = 0; q < batch; q++) {
      const v = r.perPoint[q]! - ((start + q) * step) / b;
      values.push(v);
      if (v > peak) { peak = v; peakAt = start + q; }
      if (start + q > peakAt && v < peak - KEEP) fallen = true;
    }
    if (fallen || !(peak > -Infinity) || logTop - ((start + batch) * step) / b < peak - KEEP) {
      ended = true; // (no finite value: the caller reports it)
      break;
    }
  }
  if (!ended) throw new RangeError(`logLikelihood: integrating a source out needed more than ${MAX_SCAN} scan points (σ/‖a‖ = ${width}, b = ${b})`);
  const keep = new Set<number>();
  values.forEach((v, i) => {
    if (v < peak - KEEP) return;
    if (i > 0) keep.add(i - 1);
    keep.add(i);
  });
  return [...keep].sort((u, v) => u - v).map((i) => ({ lo: i * step, w: step }));
}

/** log Σ exp(v[i]) over i in [from, to). */
function logSumExp(v: Float64Array, from: number, to: number): number {
  let max = -Infinity;
  for (let i = from; i < to; i++) max = Math.max(max, v[i]!);
  if (!(max > -Infinity)) return max;
  let sum = 0;
  for (let i = from; i < to; i++) sum += Math.exp(v[i]! - max);
  return max + Math.log(sum);
}

/**
 * Halve the panels until the 10-point rule on each agrees with the rule on
 * its two halves within TOL of the integral's running total; returns the
 * halves of the accepted panels and log ∫ of the integrand over them (without
 * its constant factors 1/b and the Laplace prior's ½).
 */
function refinePanels(rest: Mat, x0: number, x1: number, a0: number, a1: number, panels: Panel[], model: Model, j: number): { panels: Panel[]; log: number } {
  const N = GL.x.length;
  const done: Panel[] = [];
  const doneLogs: number[] = [];
  let todo = panels;
  for (let depth = 0; todo.length > 0; depth++) {
    if (depth > MAX_DEPTH) throw new RangeError(`logLikelihood: integrating a source out did not settle after ${MAX_DEPTH} halvings at point ${j} (x = [${x0}, ${x1}])`);
    // Per panel: the rule on the whole (nodes 0…N−1), then on each half.
    const Y = mat(2, todo.length * 3 * N);
    const logw = new Float64Array(todo.length * 3 * N);
    todo.forEach((pn, i) => {
      for (let part = 0; part < 3; part++) {
        const half = part === 0 ? pn.w / 2 : pn.w / 4;
        const mid = part === 0 ? pn.lo + half : pn.lo + (part - 1) * (pn.w / 2) + half;
        for (let q = 0; q < N; q++) {
          const s = mid + half * GL.x[q]!, at = (3 * i + part) * N + q;
          Y.data[2 * at] = x0 - s * a0;
          Y.data[2 * at + 1] = x1 - s * a1;
          logw[at] = Math.log(half * GL.w[q]!) - s / model.b;
        }
      }
    });
    const r = exactLogLikelihood(rest, Y, model, false);
    for (let q = 0; q < logw.length; q++) logw[q] = logw[q]! + r.perPoint[q]!;
    const whole = todo.map((_, i) => logSumExp(logw, 3 * i * N, (3 * i + 1) * N));
    const halves = todo.map((_, i) => logSumExp(logw, (3 * i + 1) * N, (3 * i + 3) * N));
    const total = logSumExp(Float64Array.from([...doneLogs, ...halves]), 0, doneLogs.length + halves.length);
    const next: Panel[] = [];
    todo.forEach((pn, i) => {
      const parts = [{ lo: pn.lo, w: pn.w / 2 }, { lo: pn.lo + pn.w / 2, w: pn.w / 2 }];
      const err = Math.abs(Math.exp(whole[i]! - total) - Math.exp(halves[i]! - total));
      // Nothing finite anywhere: no panel can be judged (the caller reports the point).
      if (err <= TOL || !(total > -Infinity) || !(halves[i]! > -Infinity)) {
        done.push(...parts);
        doneLogs.push(halves[i]!);
      } else {
        next.push(...parts);
      }
    });
    todo = next;
  }
  return { panels: done, log: logSumExp(Float64Array.from(doneLogs), 0, doneLogs.length) };
}
