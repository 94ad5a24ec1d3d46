// Tests of lib/exact/lbfgs.ts, fit.ts and fisher.ts. References: known
// minimisers (Rosenbrock's (1, …, 1), a quadratic's Q⁻¹b solved by mathjs,
// a barrier's closed form), central finite differences of the exact
// likelihood's value and gradient, learnBasis's own start, and a hand-made
// information matrix whose bound is known in closed form.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as math from "mathjs";
import * as ica from "../lib/index";
import { createRng } from "../lib/random";
import { fromRows, mat } from "../lib/matrix";
import { symmetricEigenvalues } from "../lib/linalg";
import { minimizeLbfgs } from "../lib/exact/lbfgs";
import { fitMaximumLikelihood } from "../lib/exact/fit";
import { angleBound, boundAngleErrorDeg, fisherInformation } from "../lib/exact/fisher";
import { exactLogLikelihood, logLikelihood } from "../lib/exact/likelihood";

const rosenbrock = (x: Float64Array, g: Float64Array): number => {
  let f = 0;
  g.fill(0);
  for (let i = 0; i + 1 < x.length; i++) {
    const a = x[i + 1]! - x[i]! * x[i]!, b = 1 - x[i]!;
    f += 100 * a * a + b * b;
    g[i] += -400 * x[i]! * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return f;
};

test("minimizeLbfgs: Rosenbrock in 2 and 10 dimensions reaches (1, …, 1)", () => {
  for (const n of [2, 10]) {
    const x0 = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? -1.2 : 1));
    const r = minimizeLbfgs(rosenbrock, x0, { gradientTolerance: 1e-10 });
    assert.ok(r.converged, `n = ${n}: ${r.reason}`);
    for (const v of r.x) assert.ok(Math.abs(v - 1) < 1e-6, `n = ${n}: x = ${Array.from(r.x)}`);
    // The history is the path: values never rise (every accepted step has sufficient decrease).
    for (let k = 1; k < r.history.length; k++) assert.ok(r.history[k]!.value <= r.history[k - 1]!.value);
  }
});

test("minimizeLbfgs: a random convex quadratic reaches Q⁻¹b (mathjs's solve)", () => {
  const rng = createRng("lbfgs-quadratic");
  const n = 8;
  const M = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
  const Q = math.add(math.multiply(math.transpose(M), M), math.identity(n)) as unknown as math.Matrix;
  const Qa = (Q as unknown as { toArray(): number[][] }).toArray();
  const b = Array.from({ length: n }, () => rng.normal());
  const want = (math.lusolve(Qa, b) as number[][]).map((r) => r[0]!);
  const f = (x: Float64Array, g: Float64Array): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      let qx = 0;
      for (let j = 0; j < n; j++) qx += Qa[i]![j]! * x[j]!;
      g[i] = qx - b[i]!;
      v += 0.5 * x[i]! * qx - b[i]! * x[i]!;
    }
    return v;
  };
  // Near the optimum f changes by less than its rounding (the decrease is
  // ½gᵀQ⁻¹g), so the run ends 'stalled' with ‖g‖ ~ 1e-9, x good to ~1e-10.
  const r = minimizeLbfgs(f, new Float64Array(n), { gradientTolerance: 1e-10 });
  assert.ok(r.converged, r.reason);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(r.x[i]! - want[i]!) < 1e-8, `x[${i}] = ${r.x[i]} against ${want[i]}`);
});

test("minimizeLbfgs: stops at maxIterations unconverged, cuts back from NaN beyond a wall, names bad options", () => {
  const x0 = Float64Array.from([-1.2, 1]);
  const short = minimizeLbfgs(rosenbrock, x0, { maxIterations: 3 });
  assert.equal(short.converged, false);
  assert.equal(short.reason, "max-iterations");
  assert.equal(short.iterations, 3);
  assert.deepEqual(short.history.map((h) => h.iteration), [0, 1, 2, 3]);
  // f = Σ −log(1 − x_i) − 2x_i: minimum at x_i = 1/2, NaN for x_i > 1. From
  // x = −3 the left side is nearly flat, so the secant steps overshoot the wall.
  const barrier = (x: Float64Array, g: Float64Array): number => {
    let v = 0;
    for (let i = 0; i < x.length; i++) {
      v += -Math.log(1 - x[i]!) - 2 * x[i]!;
      g[i] = 1 / (1 - x[i]!) - 2;
    }
    return v;
  };
  const r = minimizeLbfgs(barrier, [-3, -6, -2]);
  assert.ok(r.converged, r.reason);
  assert.ok(r.nonFinite > 0, "no trial step hit the wall; the test does not test the cut-back");
  for (const v of r.x) assert.ok(Math.abs(v - 0.5) < 1e-6, `x = ${Array.from(r.x)}`);
  assert.ok(r.history.every((h) => Number.isFinite(h.value)));
  assert.throws(() => minimizeLbfgs(rosenbrock, x0, { memory: 0 }), /memory must be an integer ≥ 1, got 0/);
  assert.throws(() => minimizeLbfgs(rosenbrock, x0, { maxIteration: 3 } as never), /unknown option 'maxIteration'/);
  assert.throws(() => minimizeLbfgs(rosenbrock, x0, { c1: 0.5, c2: 0.4 }), /c2 must exceed c1/);
  assert.throws(() => minimizeLbfgs(() => NaN, x0), /not finite at x0/);
});

// Data from the model itself: exponential sources of mean b, noise σ.
const sigma = 0.1, b = 2;
const data = ica.generateData({ angles: [30, 150, 270], samples: 2000, noise: sigma, b, seed: 1 });

test("fitMaximumLikelihood: from the recipe's start, the MLE beats the truth on its own sample, with a zero gradient, near the truth", () => {
  const fit = fitMaximumLikelihood(data.X, { sources: 3, sigma, b, trueBasis: data.A });
  assert.ok(fit.converged, fit.reason);
  assert.ok(fit.value >= fit.trueValue! - 1e-9, `ML ${fit.value} against the truth's ${fit.trueValue}`);
  assert.ok(fit.angleError! < 3, `angle error ${fit.angleError}°`);
  // The gradient at the answer by central differences of the value (not the fit's own gradient).
  const h = 1e-5;
  for (let r = 0; r < 2; r++) {
    for (let c = 0; c < 3; c++) {
      const at = (d: number): number => {
        const A = fit.A.map((row) => row.slice());
        A[r]![c]! += d;
        return logLikelihood(A, data.X, { sigma, b, gradient: false }).value;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      assert.ok(Math.abs(fd) < 1e-6, `∂/∂a[${r}][${c}] = ${fd}`);
    }
  }
  // From the truth: the same optimum.
  const fromTruth = fitMaximumLikelihood(data.X, { init: data.A, sigma, b, trueBasis: data.A });
  assert.ok(fromTruth.converged, fromTruth.reason);
  const agree = ica.basisError(fromTruth.A, fit.A);
  assert.ok(agree.maxAngleDeg < 1e-3, `the two optima differ by ${agree.maxAngleDeg}°`);
  // Same seed, same numbers: a second, shorter run retraces the first one's path bit for bit.
  const again = fitMaximumLikelihood(data.X, { sources: 3, sigma, b, trueBasis: data.A, maxIterations: 3 });
  assert.equal(again.converged, false);
  assert.equal(again.reason, "max-iterations");
  assert.deepEqual(again.history, fit.history.slice(0, 4));
});

test("fitMaximumLikelihood: the start is learnBasis's start for the same init, scale and seed; bad options are named", () => {
  const small = ica.generateData({ angles: [0, 60, 150, 250], samples: 200, noise: sigma, b, seed: 2 });
  const cases = [
    { init: "spread" as const, seed: 7, initScale: 1 },
    { init: "data" as const, seed: 3, initScale: 0.5 },
    { init: "random" as const, seed: "x", initScale: 2 },
    { init: "perturbed-truth" as const, seed: 5, initScale: 1, perturbDeg: 20 },
  ];
  for (const c of cases) {
    const learned = ica.learnBasis(small.X, { preset: "best-effort", steps: 0, sources: 4, trueBasis: small.A, ...c });
    const fit = fitMaximumLikelihood(small.X, { sources: 4, trueBasis: small.A, maxIterations: 0, ...c });
    assert.deepEqual(fit.start, learned.history[0]!.A, `init ${c.init}`);
    assert.equal(fit.reason, "max-iterations");
  }
  assert.throws(() => fitMaximumLikelihood(small.X, { init: "spread" }), /'sources'.*required/);
  assert.throws(() => fitMaximumLikelihood(small.X, { sources: 4, sigma: -1 }), /sigma must be > 0, got -1/);
  assert.throws(() => fitMaximumLikelihood(small.X, { sources: 4, init: "spred" as never }), /init must be one of .*got 'spred'/);
  assert.throws(() => fitMaximumLikelihood(small.X, { sources: 4, maxIterations: 1.5 }), /maxIterations must be an integer/);
  assert.throws(() => fitMaximumLikelihood(small.X, { sources: 4, tolerance: 1 } as never), /unknown option 'tolerance'/);
  assert.throws(() => fitMaximumLikelihood(small.X, { sources: 4, init: "perturbed-truth" }), /needs trueBasis/);
  const three = [small.X[0]!, small.X[1]!, small.X[0]!];
  assert.throws(() => fitMaximumLikelihood(three, { sources: 4 }), /X has 3 rows.*E11/);
  // A start where the likelihood is undefined (every column parallel: no gradient) is an error, not a NaN.
  // Starts of rank 1 (two parallel columns; 'spread' with two columns puts them 180° apart) are
  // turned apart, column i by 4e-3·(i + 1) rad, reported, and the fit goes on from there.
  for (const opts of [{ init: [[1, 2], [0, 0]], maxIterations: 5 }, { sources: 2, maxIterations: 5 }]) {
    const r = fitMaximumLikelihood(small.X, opts);
    assert.equal(r.startTurned, true);
    assert.ok(Number.isFinite(r.value));
  }
});

test("fitMaximumLikelihood: Laplace sources (signed): converged, above the truth's likelihood, near the truth up to sign", () => {
  const L = ica.generateData({ angles: [30, 100, 160], samples: 600, noise: sigma, b, prior: "laplace", seed: 2 });
  const fit = fitMaximumLikelihood(L.X, { sources: 3, prior: "laplace", sigma, b, trueBasis: L.A });
  assert.ok(fit.converged, fit.reason);
  assert.ok(fit.value >= fit.trueValue! - 1e-9, `ML ${fit.value} against the truth's ${fit.trueValue}`);
  assert.ok(fit.angleError! < 3, `angle error ${fit.angleError}°`);
  assert.equal(fit.angleError, ica.basisError(fit.A, L.A, { ignoreSign: true }).meanAngleDeg);
});

test("fisherInformation: the information equality E[score scoreᵀ] = −E[∇² log P] within 4 SE; SPD; the bound shrinks with σ", () => {
  const A = ica.basisFromAngles([30, 150, 270], [1, 0.8, 1.2]);
  const model = { sigma: 0.2, b };
  const samples = 2000;
  const F = fisherInformation(A, model, { samples, seed: 3 });
  assert.equal(F.samples, samples);
  // The same sample, redrawn, and each point's Hessian by central differences of its exact score.
  const X = fromRows("X", ica.generateData({ A, samples, b, noise: model.sigma, seed: 3 }).X);
  const Am = fromRows("A", A);
  const d = 6, h = 1e-5;
  const full = { prior: "exponential" as const, ...model };
  const s0 = exactLogLikelihood(Am, X, full, false, true).scores!;
  const D = new Float64Array(samples * d * d);
  for (let k = 0; k < d; k++) {
    const shifted = (e: number): Float64Array => {
      const data = Am.data.slice();
      data[k] += e;
      return exactLogLikelihood(mat(2, 3, data), X, full, false, true).scores!;
    };
    const up = shifted(h), down = shifted(-h);
    for (let j = 0; j < samples; j++) {
      for (let a = 0; a < d; a++) {
        const hess = (up[j * d + a]! - down[j * d + a]!) / (2 * h);
        D[j * d * d + a * d + k] = s0[j * d + a]! * s0[j * d + k]! + hess;
      }
    }
  }
  let checked = 0;
  for (let a = 0; a < d; a++) {
    for (let k = 0; k < d; k++) {
      let sum = 0, sq = 0;
      for (let j = 0; j < samples; j++) {
        const v = D[j * d * d + a * d + k]!;
        sum += v;
        sq += v * v;
      }
      const mean = sum / samples;
      const se = Math.sqrt((sq / samples - mean * mean) / (samples - 1));
      assert.ok(Math.abs(mean) <= 4 * se, `[${a}][${k}]: J + H = ${mean}, SE ${se}`);
      // Not vacuous: the diagonal of J stands well clear of the SE of the difference.
      if (a === k) assert.ok(F.information[a]![a]! > 5 * se, `J[${a}][${a}] = ${F.information[a]![a]} against SE ${se}`);
      checked++;
    }
  }
  assert.equal(checked, 36);
  // The information is the mean of s sᵀ over those scores: recomputed here.
  for (let a = 0; a < d; a++) {
    let s = 0;
    for (let j = 0; j < samples; j++) s += s0[j * d + a]! * s0[j * d + 1]!;
    assert.ok(Math.abs(s / samples - F.information[a]![1]!) <= 1e-12 * Math.abs(F.information[a]![1]!) + 1e-15);
    assert.equal(F.information[a]![1], F.information[1]![a]);
  }
  const eig = symmetricEigenvalues(F.information.flat(), d);
  assert.ok(Math.min(...eig) > 0, `eigenvalues ${eig}`);
  // Less noise, more information about each direction (common draws: the same seed).
  const noisy = angleBound(A, fisherInformation(A, { sigma: 0.6, b }, { samples, seed: 3 }).information);
  const clean = angleBound(A, F.information);
  for (let i = 0; i < 3; i++) assert.ok(clean.variance[i]! < noisy.variance[i]!, `column ${i}: ${clean.variance[i]} at σ = 0.2, ${noisy.variance[i]} at σ = 0.6`);
  assert.throws(() => fisherInformation(A, model, { samples: 1 }), /samples must be an integer ≥ 2, got 1/);
  assert.throws(() => fisherInformation(A, { sigma: 0 }), /sigma must be > 0, got 0/);
});

test("angleBound: on a hand-made information c·I the bound is 1/(c‖a_i‖²); the expected error is sqrt(2v/(πp)) in degrees", () => {
  const A = [[2, 0], [0, 0.5]];
  const c = 4;
  const J = Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => (i === j ? c : 0)));
  const bound = angleBound(A, J);
  assert.ok(Math.abs(bound.variance[0]! - 1 / (c * 4)) < 1e-15);
  assert.ok(Math.abs(bound.variance[1]! - 1 / (c * 0.25)) < 1e-15);
  const p = 100;
  const want = ((Math.sqrt((2 * bound.variance[0]!) / (Math.PI * p)) + Math.sqrt((2 * bound.variance[1]!) / (Math.PI * p))) / 2) * (180 / Math.PI);
  assert.ok(Math.abs(boundAngleErrorDeg(bound, p) - want) < 1e-12);
  // A correlated J: the bound is gᵀJ⁻¹g, checked against mathjs's inverse.
  const M = [[3, 1, 0.5, 0], [1, 2, 0, 0.3], [0.5, 0, 4, 1], [0, 0.3, 1, 1.5]];
  const inv = math.inv(M) as number[][];
  const g = [0, 0.5, 0, 0];
  const v0 = g.reduce((s, gi, i) => s + gi * g.reduce((t, gj, j) => t + inv[i]![j]! * gj, 0), 0);
  assert.ok(Math.abs(angleBound(A, M).variance[0]! - v0) < 1e-14);
  assert.throws(() => angleBound(A, [[1, 0, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]), /not positive definite/);
  assert.throws(() => boundAngleErrorDeg(bound, 0), /p must be a finite number > 0, got 0/);
});
