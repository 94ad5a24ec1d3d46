// Tests of lib/learning/: the rule, the learner, the likelihood proxy and the
// diagnostics.
// References nobody here wrote: mathjs for inverses and products, finite
// differences for gradients, brute-force quadrature for the evidence.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import fc from "fast-check";
import * as math from "mathjs";
import * as ica from "../lib/index";
import { bitsHash } from "./helpers/bits";
import { fitTerms } from "../lib/learning/likelihood";
import { fromRows } from "../lib/matrix";

const data = ica.generateData({ angles: [30, 150, 270], samples: 300, b: 2, seed: 4 });
const maxAbs = (M: number[][]) => Math.max(...M.flat().map(Math.abs));
const sub = (P: number[][], Q: number[][]) => P.map((r, i) => r.map((v, j) => v - Q[i]![j]!));

/** A well-conditioned random n×n matrix and signed sources, from fast-check's integers. */
const completeCase = fc.record({
  n: fc.integer({ min: 2, max: 4 }),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
});

test("rule: complete case is the natural-gradient infomax update ΔW = (I + z ŝᵀ)W to first order", () => {
  fc.assert(
    fc.property(completeCase, ({ n, seed }) => {
      const rng = ica.createRng(seed);
      // Identity plus a modest perturbation keeps A invertible and well conditioned.
      const A = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === c ? 1 : 0) + 0.3 * rng.normal()));
      const X = Array.from({ length: n }, () => Array.from({ length: 20 }, () => rng.laplace(1)));
      const W = math.inv(A) as number[][];
      const S = math.multiply(W, X) as number[][]; // noiseless complete case: ŝ = W x exactly
      const b = 1.5;
      const t = ica.ruleTerms(A, S, { b, precondition: "none" });
      // Infomax with score z: ΔW = (I + ⟨z ŝᵀ⟩) W, with z computed by mathjs from sign().
      const Z = S.map((row) => row.map((v) => -Math.sign(v) / b));
      const zsT = math.divide(math.multiply(Z, math.transpose(S)), S[0]!.length) as number[][];
      const dW = math.multiply(math.add(math.identity(n), zsT), W) as unknown as math.Matrix;
      const eps = 1e-6;
      const Wnext = math.inv(math.add(A, math.multiply(eps, t.dA)) as number[][]) as number[][];
      const fd = math.divide(math.subtract(Wnext, W), eps) as number[][];
      const ref = (dW as unknown as { toArray?: () => number[][] }).toArray?.() ?? (dW as unknown as number[][]);
      const rel = maxAbs(sub(fd, ref)) / Math.max(1, maxAbs(ref));
      assert.ok(rel < 1e-4, `finite-difference W update differs from (I + zŝᵀ)W by ${rel}`);
      assert.ok(maxAbs(sub(t.zsT, zsT)) < 1e-12);
    }),
    { numRuns: 40, seed: 11 },
  );
});

test("rule: the AAᵀ factor is the only difference from the plain gradient of log P(x|A)", () => {
  // Complete, noiseless: log P(x|A) = log P(A⁻¹x) − log|det A| exactly.
  const A = [[1.0, 0.4], [-0.2, 0.9]];
  const rng = ica.createRng("grad");
  const X = [0, 1].map(() => Array.from({ length: 400 }, () => rng.laplace(1)));
  const Xmix = math.multiply(A, X) as number[][];
  const b = 1;
  const h = 1e-6;
  const grad = A.map((row, r) => row.map((_, c) => {
    const p = A.map((q) => q.slice());
    const mi = A.map((q) => q.slice());
    p[r]![c] += h;
    mi[r]![c] -= h;
    return (ica.completeLogLikelihood(p, Xmix, { b, prior: "laplace" }) - ica.completeLogLikelihood(mi, Xmix, { b, prior: "laplace" })) / (2 * h);
  }));
  const S = math.multiply(math.inv(A), Xmix) as number[][];
  const rule = ica.ruleTerms(A, S, { b }).dA;
  const natural = math.multiply(math.multiply(A, math.transpose(A)), grad) as number[][];
  assert.ok(maxAbs(sub(natural, rule)) < 1e-6, `AAᵀ∇ vs rule: ${maxAbs(sub(natural, rule))}`);
  const plain = ica.ruleTerms(A, S, { b, precondition: "inverse-AAT" }).dA;
  assert.ok(maxAbs(sub(plain, grad)) < 1e-6, `(AAᵀ)⁻¹·rule vs ∇: ${maxAbs(sub(plain, grad))}`);
  assert.ok(maxAbs(sub(rule, grad)) > 1e-2, "the two forms must differ for a non-orthogonal A");
});

test("rule: ruleTerms matches a mathjs reference, and pointContributions average to it", () => {
  const A = ica.basisFromAngles([10, 100, 250]).map((r) => r.map((v) => 0.7 * v));
  const S = ica.inferSources(A, data.X, { sigma: 0.5, b: 2 }).S;
  const Z = ica.priorScore(S, 2);
  const M = math.divide(math.multiply(Z, math.transpose(S)), S[0]!.length) as number[][];
  const ref = math.multiply(-1, math.multiply(A, math.add(M, math.identity(3)))) as unknown as { toArray(): number[][] };
  const t = ica.ruleTerms(A, S, { b: 2 });
  assert.ok(maxAbs(sub(t.dA, ref.toArray())) < 1e-12);
  const pre = ica.ruleTerms(A, S, { b: 2, precondition: "inverse-AAT" });
  const back = math.multiply(math.multiply(A, math.transpose(A)), pre.dA) as number[][];
  assert.ok(maxAbs(sub(back, t.dA)) < 1e-12);
  const few = S.map((r) => r.slice(0, 5));
  const parts = ica.pointContributions(A, few, { b: 2 });
  const avg = parts.full.reduce((acc, P) => acc.map((r, i) => r.map((v, j) => v + P[i]![j]! / 5)), A.map((r) => r.map(() => 0)));
  assert.ok(maxAbs(sub(avg, ica.ruleTerms(A, few, { b: 2 }).dA)) < 1e-12);
});

test("learnBasis: same seed, same run; another seed, another run", () => {
  const o = { sigma: 0.5, trueBasis: data.A, steps: 30, lr: 0.05, init: "random" as const };
  const a = ica.learnBasis(data.X, { ...o, seed: 3 });
  const b = ica.learnBasis(data.X, { ...o, seed: 3 });
  const c = ica.learnBasis(data.X, { ...o, seed: 4 });
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(a.A, b.A);
  assert.notDeepEqual(a.A, c.A);
  const mb = { ...o, seed: 3, batchSize: 64 };
  assert.deepEqual(ica.learnBasis(data.X, mb).A, ica.learnBasis(data.X, mb).A);
  assert.notDeepEqual(ica.learnBasis(data.X, mb).A, a.A);
});

test("learnBasis: a runaway run stops with a reason, keeps the best A, and returns no NaN", () => {
  const r = ica.learnBasis(data.X, { sigma: 0.5, init: "random", trueBasis: data.A, steps: 300, lr: 3, seed: 1 });
  assert.ok(r.diverged !== null, "lr = 3 from a random start must run away");
  assert.ok(r.diverged.step > 0 && r.diverged.step < 300);
  assert.match(r.diverged.reason, /column \d of A grew to length/);
  assert.equal(ica.runOutcome(r), "diverged");
  const all = [r.A, r.bestA, ...r.history.map((h) => h.A)].flat(2);
  assert.ok(all.every(Number.isFinite));
  assert.ok(r.history.every((h) => Number.isFinite(h.objective) && Number.isFinite(h.updateNorm)));
  const errs = r.history.map((h) => h.angleError!);
  assert.equal(r.bestScore, Math.min(...errs));
  assert.deepEqual(r.bestA, r.history.find((h) => h.step === r.bestStep)!.A);
});

test("learnBasis: the paper rule from a perturbed truth first converges, then walks away", () => {
  // The E3 notebook's dataset: the minimum depends on the sample (see E3).
  const d = ica.generateData({ angles: [30, 150, 270], samples: 500, b: 2, seed: 1 });
  const r = ica.learnBasis(d.X, { sigma: 0.5, init: "perturbed-truth", trueBasis: d.A, steps: 400, lr: 0.02, seed: 1 });
  const errs = r.history.map((h) => h.angleError!);
  assert.ok(Math.min(...errs) < 2, `minimum error ${Math.min(...errs)}`);
  assert.ok(errs[errs.length - 1]! > 5 * Math.min(...errs), "the error must climb again");
});

test("learnBasis: equalizeNorms keeps every column at the mean length; presets apply and can be overridden", () => {
  const r = ica.learnBasis(data.X, { preset: "best-effort", trueBasis: data.A, steps: 20, lr: 0.05, seed: 2 });
  for (const h of r.history.slice(1)) {
    const len = h.A[0]!.map((_, i) => Math.hypot(h.A[0]![i]!, h.A[1]![i]!));
    assert.ok(Math.max(...len) - Math.min(...len) < 1e-12);
  }
  assert.equal(r.options.precondition, "inverse-AAT");
  assert.equal(r.options.init, "spread");
  const o = ica.learnBasis(data.X, { preset: "best-effort", equalizeNorms: false, steps: 1, trueBasis: data.A });
  assert.equal(o.options.equalizeNorms, false);
  assert.equal(ica.learnBasis(data.X, { preset: "paper", steps: 1, sources: 3 }).options.precondition, "none");
});

test("learnBasis: invalid options name the option and the value", () => {
  const X = data.X;
  const cases: [Record<string, unknown>, RegExp, unknown?][] = [
    [{ sigma: 0 }, /sigma must be > 0, got 0/],
    [{ b: -1 }, /b must be > 0, got -1/],
    [{ lr: Number.NaN }, /lr must be a finite number, got NaN/],
    [{ sources: 0 }, /sources must be an integer ≥ 1, got 0/],
    [{ steps: 1.5 }, /steps must be an integer, got 1.5/],
    [{ batchSize: 1000 }, /batchSize must be an integer in \[1, 300\], got 1000/],
    [{ init: "zeros" }, /init must be one of 'perturbed-truth', 'random', 'spread', 'data', got 'zeros'/],
    [{ init: "perturbed-truth" }, /init 'perturbed-truth' needs trueBasis/],
    [{ precondition: "AAT" }, /precondition must be one of 'none', 'inverse-AAT', got 'AAT'/],
    [{ schedule: "cosine" }, /schedule must be 'constant' or 'warmup-cosine', got cosine/],
    [{ preset: "fast" }, /preset must be one of 'paper', 'best-effort', got 'fast'/],
    [{ prior: "gauss" }, /prior must be one of 'exponential', 'laplace', got 'gauss'/],
    [{ learningRate: 0.1 }, /unknown option 'learningRate'/],
    [{ trueBasis: [[1, 0, 0]] }, /trueBasis must have 2 rows, got 1/],
    [{ init: [[1, 0], [0, 1]], sources: 3 }, /init must have 3 columns, got 2/],
    [{ sources: 2, trueBasis: data.A }, /sources \(2\) must be at least the number of true columns \(3\)/],
  ];
  for (const [opts, re] of cases) {
    assert.throws(() => ica.learnBasis(X, opts as ica.LearnOptions), re, JSON.stringify(opts));
  }
  assert.throws(() => ica.learnBasis([], {}), /X must be a non-empty number\[\]\[\]/);
  assert.throws(() => ica.learnBasis([[1, Number.NaN], [0, 1]], {}), /X\[0\]\[1\] must be a finite number, got NaN/);
});

test("fixed-point bias: off-diagonal terms at the rescaled truth have the sign explaining-away predicts", () => {
  const expo = ica.fixedPointBias(data.A, data.X, { sigma: 0.5, b: 2 });
  const mean = expo.meanAbsS.reduce((a, v) => a + v, 0) / 3;
  assert.ok(Math.abs(mean - 2) < 1e-6);
  for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) if (i !== k) assert.ok(expo.bias[i]![k]! < -0.1);
  const lapData = ica.generateData({ angles: [30, 150, 270], samples: 300, b: 2, seed: 4, prior: "laplace" });
  const lap = ica.fixedPointBias(lapData.A, lapData.X, { sigma: 0.5, b: 2, prior: "laplace" });
  for (let i = 0; i < 3; i++) for (let k = 0; k < 3; k++) if (i !== k) assert.ok(Math.abs(lap.bias[i]![k]!) > 0.1);
});

test("learnBasis without trueBasis keeps the A with the lowest likelihood proxy, profiled over the scale of A", () => {
  const r = ica.learnBasis(data.X, { sigma: 0.5, sources: 3, steps: 40, lr: 0.05, seed: 5, bestBy: "likelihood" });
  assert.ok(r.history.every((h) => h.angleError === null));
  assert.equal(r.options.bestBy, "likelihood");
  assert.equal(r.options.bestEvery, 10);
  // Reference: the certified MAP objective (inferSources) plus ½ log det of
  // c²AAᵀ by mathjs, minimised over log c on a coarse then a fine grid.
  const proxy = (A: number[][], logc: number) => {
    const c = Math.exp(logc);
    const Ac = A.map((row) => row.map((v) => c * v));
    const obj = ica.inferSources(Ac, data.X, { sigma: 0.5, b: 2 }).objective;
    const AAt = math.multiply(Ac, math.transpose(Ac)) as number[][];
    return obj.reduce((s, v) => s + v, 0) / obj.length + 0.5 * Math.log(math.det(AAt));
  };
  const gridMin = (A: number[][]) => {
    let best = { x: 0, f: Infinity };
    for (let x = -3; x <= 3; x += 0.05) { const f = proxy(A, x); if (f < best.f) best = { x, f }; }
    const x0 = best.x;
    for (let x = x0 - 0.05; x <= x0 + 0.05; x += 0.001) { const f = proxy(A, x); if (f < best.f) best = { x, f }; }
    return best.f;
  };
  const checked = r.history.filter((h) => h.step % 10 === 0);
  const scores = checked.map((h) => gridMin(h.A));
  const k = scores.indexOf(Math.min(...scores));
  assert.equal(r.bestStep, checked[k]!.step);
  assert.ok(Math.abs(r.bestScore - scores[k]!) < 1e-4, `${r.bestScore} vs ${scores[k]}`);
  // Scale-free: the same proxy for 0.3·A and 3·A.
  const A = r.history[20]!.A;
  const at = (c: number) => ica.profiledLikelihood(A.map((row) => row.map((v) => c * v)), data.X, { sigma: 0.5, b: 2 });
  assert.ok(Math.abs(at(0.3).value - at(3).value) < 1e-5 && Math.abs(at(0.3).scale / at(3).scale - 10) < 0.05);
  assert.throws(() => ica.profiledLikelihood([[1, 2], [2, 4]], [[1], [1]]), /A must have rank m/);
  const AAt = math.multiply(A, math.transpose(A)) as number[][];
  assert.ok(Math.abs(ica.halfLogDetAAt(A) - 0.5 * Math.log(math.det(AAt))) < 1e-12);
  assert.equal(ica.halfLogDetAAt([[1, 2], [2, 4]]), -Infinity);
  // 'diverged' and 'dead feature' need no truth; telling converged from not does.
  const alive = { ...r, diverged: null, history: r.history.map((h) => ({ ...h, deadFeatures: 0 })) };
  assert.throws(() => ica.runOutcome(alive), /runOutcome needs a run with trueBasis/);
});

test("ruleJacobian predicts how the update changes; eigenvalues match known spectra", () => {
  const A = ica.basisFromAngles([25, 140, 265]).map((r) => r.map((v) => 0.6 * v));
  const o = { sigma: 0.5, b: 2 };
  const J = ica.ruleJacobian(A, data.X, o);
  const F = (B: number[][]) => ica.ruleTerms(B, ica.inferSources(B, data.X, o).S, o).dA.flat();
  const rng = ica.createRng("jac");
  const dir = A.map((r) => r.map(() => rng.normal()));
  const eps = 1e-5;
  const moved = F(A.map((r, i) => r.map((v, k) => v + eps * dir[i]![k]!)));
  const base = F(A);
  const predicted = (math.multiply(J, dir.flat()) as number[]);
  const err = Math.max(...moved.map((v, k) => Math.abs((v - base[k]!) / eps - predicted[k]!)));
  assert.ok(err < 1e-3 * Math.max(1, ...predicted.map(Math.abs)), `J·δ mismatch ${err}`);
  const rot = ica.eigenvalues([[0, -1], [1, 0]]);
  assert.ok(rot.every((v) => Math.abs(v.re) < 1e-12 && Math.abs(Math.abs(v.im) - 1) < 1e-12));
  assert.deepEqual(ica.eigenvalues([[3, 1], [0, 2]]).map((v) => Math.round(v.re * 1e9) / 1e9), [3, 2]);
  assert.throws(() => ica.eigenvalues([[1, 2, 3]]), /M must be square, got 1×3/);
});

test("learnBasis tracks no best A when nothing would use it (no trueBasis, keepBest false), and the run is the same", () => {
  const plain = ica.learnBasis(data.X, { sigma: 0.5, sources: 3, steps: 40, lr: 0.05, seed: 5 });
  assert.equal(plain.options.bestBy, "none");
  assert.deepEqual(plain.bestA, plain.A);
  assert.equal(plain.bestStep, 40);
  assert.ok(Number.isNaN(plain.bestScore));
  const tracked = ica.learnBasis(data.X, { sigma: 0.5, sources: 3, steps: 40, lr: 0.05, seed: 5, bestBy: "likelihood" });
  assert.deepEqual(tracked.A, plain.A, "tracking the best A must not change the run");
  assert.deepEqual(tracked.history.map((h) => h.A), plain.history.map((h) => h.A));
  assert.equal(ica.learnBasis(data.X, { sources: 3, steps: 5, keepBest: true }).options.bestBy, "likelihood");
  assert.throws(() => ica.learnBasis(data.X, { sources: 3, steps: 5, keepBest: true, bestBy: "none" }), /keepBest needs a bestBy to pick the best A by/);
});

test("learnBasis: runs give the same bits as the implementation before lib/learning/ (digests stored from main)", () => {
  // Digests of learnBasis results made by lib/learning.ts at commit 60a420e,
  // before the split, the Mat body and solveMap: the same seed must give the
  // same numbers, every option path included (batches, presets, the
  // likelihood pick, Laplace, 'exact' and 'fista' inference, a divergence).
  const d = ica.generateData({ angles: [30, 150, 270], samples: 300, seed: 0 });
  const runs: [ica.LearnOptions, string][] = [
    [{ sigma: 0.5, b: 2, trueBasis: d.A, seed: 0, steps: 60 }, "07312df524205dce"],
    [{ sigma: 0.5, b: 2, trueBasis: d.A, seed: 0, steps: 60, batchSize: 50 }, "02e778c36914ebd0"],
    [{ preset: "best-effort", trueBasis: d.A, seed: 0, steps: 80, bestBy: "likelihood", bestEvery: 20 }, "11b971a0ff8d2f39"],
    [{ preset: "best-effort", sigma: 0.1, b: 2, seed: 0, steps: 50 }, "ee0a69336c392801"],
    [{ preset: "best-effort", sigma: 0.1, seed: 0, steps: 40, sources: 6, keepBest: false }, "7a0aa26ee6ca8d55"],
    [{ sigma: 0.3, b: 1, prior: "laplace", trueBasis: d.A, seed: 0, steps: 40, init: "perturbed-truth" }, "78733593407dc867"],
    [{ sigma: 0.5, b: 2, trueBasis: d.A, seed: 0, steps: 30, inference: "exact" }, "bf68ba38684d1365"],
    [{ sigma: 0.5, b: 2, trueBasis: d.A, seed: 0, steps: 10, inference: "fista" }, "dab5576b4ee0871d"],
    [{ sigma: 0.5, b: 2, trueBasis: d.A, seed: 0, steps: 300, lr: 3, init: "random" }, "ba9c06b20ddd5865"],
  ];
  for (const [o, want] of runs) {
    const r = ica.learnBasis(d.X, o);
    const got = bitsHash({ A: r.A, bestA: r.bestA, s: r.bestStep, sc: r.bestScore, hist: r.history, dv: r.diverged, o: r.options });
    assert.equal(got, want, JSON.stringify({ ...o, trueBasis: undefined }));
  }
  const d4 = ica.generateData({ angles: [0, 60, 150, 250], samples: 300, seed: 0, noise: 0.05 });
  const r4 = ica.learnBasis(d4.X, { preset: "best-effort", sigma: 0.1, trueBasis: d4.A, seed: 0, steps: 50, batchSize: 100 });
  assert.equal(bitsHash({ A: r4.A, hist: r4.history }), "3de0402fa791e2e7");
  assert.equal(bitsHash(ica.learnBasis(d.X, { sigma: 0.5, b: 2, seed: 0, steps: 30, sources: 8 }).history), "1ee349217c6a6099");
  // The diagnostics and the rule, from the same commit.
  assert.equal(bitsHash(ica.profiledLikelihood(d.A, d.X, { sigma: 0.3, b: 2 })), "1586a88a9ca3bc5f");
  assert.equal(bitsHash(ica.profiledLikelihood(d.A, d.X, { sigma: 0.3, b: 2, prior: "laplace" })), "39ee4eaa663ca255");
  // The fields from before the radial/tangential split (and turnDeg, issue 18) keep their bits.
  const { radial: _radial, tangential: _tangential, turnDeg: _turnDeg, ...bias } = ica.fixedPointBias(d4.A, d4.X, { sigma: 0.5, b: 2, precondition: "inverse-AAT" });
  assert.equal(bitsHash(bias), "b46a9b377c1ed577");
  assert.equal(bitsHash(ica.ruleJacobian(d.A.map((r) => r.map((v) => v * 1.3)), d.X, { sigma: 0.5, b: 2 })), "9f1e5a65d7b1f2bf");
  assert.equal(bitsHash([
    ica.ruleTerms(d.A, d.S, { b: 2 }), ica.ruleTerms(d.A, d.S, { b: 1, precondition: "inverse-AAT" }),
    ica.pointContributions(d.A, d.S.map((r) => r.slice(0, 5)), { b: 2 }), ica.priorScore(d.S, 2),
  ]), "b22c0995a513865c");
});

test("learnBasis: data with more rows than columns (a transposed X) is an error that suggests the transpose", () => {
  // Defect 5 of issue 15: a 1000×2 matrix used to run and return a 1000×3 basis.
  const Xt = data.X[0]!.map((_, j) => data.X.map((row) => row[j]!));
  assert.throws(() => ica.learnBasis(Xt, { steps: 1 }), /X is 300×2: more rows \(dimensions\) than columns \(points\); pass the transpose/);
  assert.equal(ica.learnBasis(data.X, { steps: 1 }).A.length, 2);
});

test("learnBasis: a misspelled option, a wrong type and the retired nonNegative are errors that name them", () => {
  assert.throws(() => ica.learnBasis(data.X, { sigm: 0.1 } as never), /learnBasis: unknown option 'sigm' \(did you mean 'sigma'\?\)/);
  assert.throws(() => ica.learnBasis(data.X, { keepBest: "no" } as never), /keepBest must be true or false, got 'no'/);
  assert.throws(() => ica.learnBasis(data.X, { equalizeNorms: "false" } as never), /equalizeNorms must be true or false, got 'false'/);
  assert.throws(() => ica.learnBasis(data.X, { nonNegative: true } as never), /option 'nonNegative' was replaced by prior: 'exponential'/);
  assert.throws(() => ica.learnBasis(data.X, { preset: "paper", steps: "3" } as never), /steps must be an integer, got '3'/);
  // A preset's values are checked like the caller's, and undefined means "not given" (the preset's value stays).
  assert.equal(ica.learnBasis(data.X, { preset: "best-effort", sigma: undefined, steps: 1 }).options.sigma, 0.1);
});

test("learnBasis: one model: the defaults are DEFAULT_MODEL's, and the 'paper' preset keeps the σ = 0.5 of E3–E5", () => {
  const plain = ica.learnBasis(data.X, { steps: 1 }).options;
  assert.deepEqual([plain.prior, plain.sigma, plain.b], ["exponential", 0.1, 2]);
  const paper = ica.learnBasis(data.X, { preset: "paper", steps: 1 }).options;
  assert.deepEqual([paper.prior, paper.sigma, paper.b], ["exponential", 0.5, 2]);
  // The 'paper' run is the run the old default (σ = 0.5) gave: same digest as an explicit σ.
  const a = ica.learnBasis(data.X, { preset: "paper", steps: 5, seed: 1 });
  const b = ica.learnBasis(data.X, { sigma: 0.5, steps: 5, seed: 1 });
  assert.deepEqual(a.history, b.history);
});

test("best-effort recipe: each part switches off alone; keepBest and bestBy choose what comes back", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 200, seed: 2 });
  const full = ica.learnBasis(d.X, { preset: "best-effort", trueBasis: d.A, steps: 40 });
  assert.deepEqual(
    [full.options.init, full.options.precondition, full.options.schedule, full.options.equalizeNorms, full.options.keepBest, full.options.sigma],
    ["spread", "inverse-AAT", "warmup-cosine", true, true, 0.1],
  );
  assert.deepEqual(full.learned, full.bestA);
  const parts: [Record<string, unknown>, (o: ica.ResolvedOptions) => unknown, unknown][] = [
    [{ init: "random" }, (o) => o.init, "random"],
    [{ precondition: "none" }, (o) => o.precondition, "none"],
    [{ schedule: "constant" }, (o) => o.schedule, "constant"],
    [{ equalizeNorms: false }, (o) => o.equalizeNorms, false],
    [{ keepBest: false }, (o) => o.keepBest, false],
  ];
  for (const [off, read, want] of parts) {
    const r = ica.learnBasis(d.X, { preset: "best-effort", trueBasis: d.A, steps: 2, ...off });
    assert.equal(read(r.options), want);
    // Only the switched part differs from the full recipe.
    const diff = Object.keys(r.options).filter((k) => JSON.stringify((r.options as unknown as Record<string, unknown>)[k]) !== JSON.stringify((full.options as unknown as Record<string, unknown>)[k]) && k !== "steps");
    assert.equal(diff.length, 1, `switching ${JSON.stringify(off)} changed ${diff}`);
  }
  const last = ica.learnBasis(d.X, { preset: "best-effort", trueBasis: d.A, steps: 40, keepBest: false });
  assert.deepEqual(last.learned, last.A);
  const byLik = ica.learnBasis(d.X, { preset: "best-effort", trueBasis: d.A, steps: 40, bestBy: "likelihood" });
  const entry = byLik.history.find((h) => h.step === byLik.bestStep)!;
  assert.ok(entry.angleError! >= full.bestScore, "the oracle choice must be at least as good in angle");
  assert.notEqual(byLik.bestScore, entry.angleError, "the likelihood choice scores by the likelihood proxy");
  assert.throws(() => ica.learnBasis(d.X, { sources: 3, bestBy: "angle" }), /bestBy 'angle' needs trueBasis/);
  assert.throws(() => ica.learnBasis(d.X, { sources: 3, bestBy: "closest" as never }), /bestBy must be one of 'angle', 'likelihood', 'none', got 'closest'/);
  assert.throws(() => ica.learnBasis(d.X, { sources: 3, keepBest: 1 as never }), /keepBest must be true or false, got 1/);
});


test("a trueBasis only tracks the error; keepBest without one keeps the likelihood-best A", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 200, seed: 2 });
  const blind = ica.learnBasis(d.X, { preset: "best-effort", steps: 30, keepBest: false });
  const tracked = ica.learnBasis(d.X, { preset: "best-effort", steps: 30, keepBest: false, trueBasis: d.A });
  assert.deepEqual(tracked.A, blind.A, "a trueBasis must not change the run");
  assert.deepEqual(blind.learned, blind.A);
  const kept = ica.learnBasis(d.X, { preset: "best-effort", steps: 30 });
  assert.equal(kept.options.bestBy, "likelihood");
  assert.deepEqual(kept.learned, kept.bestA);
  assert.throws(() => ica.learnBasis(d.X, { sources: 3, bestEvery: 0 }), /bestEvery must be an integer ≥ 1, got 0/);
});

test("learnBasis: an unknown name is an error even when its value is undefined", () => {
  assert.throws(() => ica.learnBasis(data.X, { stepz: undefined } as never), /learnBasis: unknown option 'stepz' \(did you mean 'steps'\?\)/);
});

test("fixedPointBias: rotationDeg is the turn of each column under the update, checked by a finite step", () => {
  const d = ica.generateData({ angles: [0, 60, 150, 250], samples: 2000, seed: 7 });
  const f = ica.fixedPointBias(d.A, d.X, { sigma: 0.1, b: 2, precondition: "inverse-AAT" });
  const A = d.A.map((r) => r.map((v) => v * f.scale));
  const eps = 1e-6;
  f.rotationDeg.forEach((rate, i) => {
    const before = Math.atan2(A[1]![i]!, A[0]![i]!);
    const after = Math.atan2(A[1]![i]! + eps * f.dA[1]![i]!, A[0]![i]! + eps * f.dA[0]![i]!);
    const fd = ((after - before) / eps) * (180 / Math.PI);
    assert.ok(Math.abs(fd - rate) < 1e-4 * (1 + Math.abs(rate)), `column ${i}: ${rate} vs ${fd}`);
  });
  // The irregular basis is not a fixed point: some column turns fast.
  assert.ok(Math.max(...f.rotationDeg.map(Math.abs)) > 5);
});

test("fitTerms: the 2-D loop gives the general loop's bits (a zero third coordinate adds nothing), and both match a plain sum", () => {
  const rng = ica.createRng("fitTerms");
  for (let trial = 0; trial < 50; trial++) {
    const n = 2 + rng.int(7), p = 1 + rng.int(40);
    const A = [0, 1].map(() => Array.from({ length: n }, () => rng.normal()));
    const X = [0, 1].map(() => Array.from({ length: p }, () => 3 * rng.normal()));
    // Sparse sources, signed, with exact zeros (the loops skip them).
    const S = Array.from({ length: n }, () => Array.from({ length: p }, () => (rng.uniform() < 0.5 ? 0 : rng.normal())));
    const two = fitTerms(fromRows("A", A), fromRows("X", X), fromRows("S", S));
    const three = fitTerms(fromRows("A", [...A, new Array(n).fill(0)]), fromRows("X", [...X, new Array(p).fill(0)]), fromRows("S", S));
    assert.equal(two.sq, three.sq);
    assert.equal(two.l1, three.l1);
    assert.deepEqual([...two.used], [...three.used]);
    let sq = 0, l1 = 0;
    const used = new Array<number>(n).fill(0);
    for (let j = 0; j < p; j++) {
      for (let r = 0; r < 2; r++) sq += (X[r]![j]! - A[r]!.reduce((t, a, i) => t + a * S[i]![j]!, 0)) ** 2;
      for (let i = 0; i < n; i++) { l1 += Math.abs(S[i]![j]!); if (S[i]![j]! !== 0) used[i] = 1; }
    }
    assert.ok(Math.abs(two.sq - sq) <= 1e-10 * (1 + sq) && Math.abs(two.l1 - l1) <= 1e-12 * (1 + l1), `trial ${trial}`);
    assert.deepEqual([...two.used], used);
  }
});
