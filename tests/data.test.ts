// Tests of lib/data.ts: the synthetic data x = A s + ε. References: sample
// statistics of large draws, X = A S recomputed, and the digests of the
// previous implementation (commit 60a420e).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { bitsHash } from "./helpers/bits";

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

test("generateData: shapes, determinism, priors, archetypes, noise", () => {
  const d = ica.generateData({ angles: [0, 90, 200], samples: 300, seed: 3 });
  assert.equal(d.X.length, 2);
  assert.equal(d.X[0]!.length, 300);
  assert.equal(d.S.length, 3);
  assert.deepEqual(d, ica.generateData({ angles: [0, 90, 200], samples: 300, seed: 3 }));
  assert.ok(d.S.flat().every((s) => s >= 0), "exponential sources are non-negative");
  // X = A S exactly without noise.
  const AS = ica.reconstruct(d.A, d.S);
  AS.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - d.X[i]![j]!) < 1e-12)));
  const lap = ica.generateData({ angles: [0, 90, 200], samples: 2000, prior: "laplace", seed: 3 });
  assert.ok(lap.S.flat().some((s) => s < 0));
  const arch = ica.generateData({ angles: [10, 100], b: 4, archetypes: true });
  assert.deepEqual(arch.S, [[4, 0], [0, 4]]);
  const noisy = ica.generateData({ A: d.A, samples: 4000, noise: 0.05, seed: 3 });
  const resid = ica.reconstruct(noisy.A, noisy.S).flatMap((row, i) => row.map((v, j) => noisy.X[i]![j]! - v));
  const sd = Math.sqrt(mean(resid.map((e) => e * e)));
  assert.ok(Math.abs(sd - 0.05) < 0.003, `noise sd ${sd}`);
});


test("generateData: invalid options raise errors that name the option and value", () => {
  assert.throws(() => ica.generateData({ angles: [0, Number.NaN] }), /angles\[1\] must be a finite number of degrees, got NaN/);
  assert.throws(() => ica.generateData({ angles: [0, 90], samples: 0 }), /samples must be an integer ≥ 1, got 0/);
  assert.throws(() => ica.generateData({ angles: [0, 90], b: -1 }), /b must be > 0, got -1/);
  assert.throws(() => ica.generateData({ angles: [0, 90], noise: -0.1 }), /noise must be ≥ 0, got -0.1/);
  assert.throws(() => ica.generateData({ angles: [0], A: [[1], [0]] }), /exactly one of angles, A and basis, got angles and A/);
  assert.throws(() => ica.generateData({ A: [[1, 2], [0]] }), /A must be rectangular/);
  assert.throws(() => ica.generateData({ angles: [0], prior: "gauss" as ica.Prior }), /prior must be one of 'exponential', 'laplace', 'uniform', got 'gauss'/);
});


test("generateData: column lengths, and a correlated pair with Pearson ρ and unchanged marginals", () => {
  const d = ica.generateData({ angles: [0, 90], lengths: [0.5, 2], samples: 10, seed: 1 });
  assert.deepEqual(ica.columnNorms(d.A).map((v) => Math.round(v * 1e12) / 1e12), [0.5, 2]);
  const base = ica.generateData({ angles: [30, 150, 270], samples: 20000, seed: 9 });
  const zero = ica.generateData({ angles: [30, 150, 270], samples: 20000, seed: 9, correlated: { pair: [0, 1], rho: 0 } });
  assert.deepEqual(zero.S, base.S, "rho = 0 must leave the sources as they were");
  for (const rho of [0.3, 0.8]) {
    const c = ica.generateData({ angles: [30, 150, 270], samples: 20000, seed: 9, correlated: { pair: [0, 1], rho } });
    const [s0, s1, s2] = c.S as [number[], number[], number[]];
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const corr = (a: number[], b: number[]) => {
      const ma = mean(a);
      const mb = mean(b);
      let sab = 0;
      let saa = 0;
      let sbb = 0;
      a.forEach((x, i) => {
        sab += (x - ma) * (b[i]! - mb);
        saa += (x - ma) ** 2;
        sbb += (b[i]! - mb) ** 2;
      });
      return sab / Math.sqrt(saa * sbb);
    };
    assert.ok(Math.abs(corr(s0, s1) - rho) < 0.03, `Pearson ${corr(s0, s1)} for rho ${rho}`);
    assert.ok(Math.abs(corr(s0, s2)) < 0.03);
    assert.ok(Math.abs(mean(s1) - 2) < 0.06, `mean of the copied source ${mean(s1)}`);
  }
  assert.throws(() => ica.generateData({ angles: [0, 90], correlated: { pair: [0, 2], rho: 0.5 } }), /correlated.pair\[1\] must be a source index in \[0, 1\], got 2/);
  assert.throws(() => ica.generateData({ angles: [0, 90], correlated: { pair: [0, 1], rho: 1.5 } }), /correlated.rho must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => ica.generateData({ angles: [0, 90], lengths: [1] }), /lengths must have one entry per angle \(2\), got 1/);
  assert.throws(() => ica.generateData({ angles: [0, 90], lengths: [1, 0] }), /lengths\[1\] must be a finite number > 0, got 0/);
});


test("generateData: active = k gives exactly k non-zero sources per point, uniformly chosen", () => {
  const n = 4;
  for (const k of [1, 2, 3, 4]) {
    const d = ica.generateData({ angles: [0, 60, 150, 250], samples: 4000, seed: 7, active: k });
    for (let j = 0; j < 4000; j++) assert.equal(d.S.filter((row) => row[j]! !== 0).length, k);
    for (let i = 0; i < n; i++) {
      const f = d.S[i]!.filter((v) => v !== 0).length / 4000;
      assert.ok(Math.abs(f - k / n) < 0.03, `k = ${k}, source ${i}: active ${f}`);
    }
  }
  const full = ica.generateData({ angles: [0, 60, 150, 250], samples: 50, seed: 7 });
  const one = ica.generateData({ angles: [0, 60, 150, 250], samples: 50, seed: 7, active: 4 });
  assert.deepEqual(one.S, full.S); // the subset stream does not shift the sources
  assert.throws(() => ica.generateData({ angles: [0, 60], active: 3 }), /active must be an integer in \[1, 2\] \(the number of sources\), got 3/);
});


test("generateData: b is the mean source (exponential mean, Laplace scale), the model's b", () => {
  const e = ica.generateData({ angles: [0, 90], samples: 40000, b: 3, seed: 5 });
  const l = ica.generateData({ angles: [0, 90], samples: 40000, b: 3, prior: "laplace", seed: 5 });
  assert.ok(Math.abs(mean(e.S[0]!) - 3) < 0.06, `exponential mean ${mean(e.S[0]!)}`);
  assert.ok(Math.abs(mean(l.S[0]!.map(Math.abs)) - 3) < 0.06, `Laplace mean |s| ${mean(l.S[0]!.map(Math.abs))}`);
  assert.ok(Math.abs(mean(l.S[0]!)) < 0.06, "the Laplace sources are centred");
  // The default is the one model's b = 2 (lib/model.ts).
  assert.deepEqual(ica.generateData({ angles: [0, 90], archetypes: true }).S, [[2, 0], [0, 2]]);
});

test("generateData: the same bits as before (b = 2 is the old rate 0.5; subsets by partialShuffle)", () => {
  const g = (o: ica.DataOptions) => ica.generateData(o);
  assert.equal(bitsHash(g({ angles: [30, 150, 270], samples: 300, seed: 0 })), "22173d2abd6408b6");
  assert.equal(bitsHash(g({ angles: [30, 150, 270], samples: 100, seed: 0, prior: "laplace" })), "10cc6543f545ccb9");
  assert.equal(bitsHash(g({ angles: [30, 150, 270], seed: 0, archetypes: true, noise: 0.1 })), "bc73f1d81126b9ea");
  assert.equal(bitsHash(g({ angles: [30, 150, 270, 10], samples: 100, seed: 0, active: 2 })), "1a18bf6124f1fbcc");
  assert.equal(bitsHash(g({ angles: [30, 150, 270], samples: 100, seed: 0, correlated: { pair: [0, 1], rho: 0.5 } })), "bd3e6f6aab1aebaf");
});

test("generateData: a misspelled option, a wrong type and the retired rate are errors, not silent defaults", () => {
  // Issue 15: { sample: 3 } used to give 500 points, and archetypes: "no" counted as true.
  assert.throws(() => ica.generateData({ angles: [0, 90], sample: 3 } as never), /generateData: unknown option 'sample' \(did you mean 'samples'\?\)/);
  assert.throws(() => ica.generateData({ angles: [0, 90], archetypes: "no" } as never), /archetypes must be true or false, got 'no'/);
  assert.throws(() => ica.generateData({ angles: [0, 90], rate: 0.5 } as never), /option 'rate' was replaced by b, the mean source/);
  assert.throws(() => ica.generateData({ angles: [0, 90], samples: "500" } as never), /samples must be an integer, got '500'/);
  assert.throws(() => ica.generateData({ angles: [0, 90], active: 0 }), /active must be an integer ≥ 1, got 0/);
});

/** Whether source i is active (non-zero) on each point. */
const activeOf = (S: number[][], i: number) => S[i]!.map((v) => v !== 0);
const share = (b: boolean[]) => b.filter(Boolean).length / b.length;
/** Four binomial standard deviations of a rate q over m trials. */
const tol = (q: number, m: number) => 4 * Math.sqrt((q * (1 - q)) / m);

test("generateData: activeProbability π makes each source active with probability π, independently, without moving the draws", () => {
  const p = 20000, pi = 0.3;
  const full = ica.generateData({ angles: [30, 150, 270], samples: p, seed: 5 });
  const d = ica.generateData({ angles: [30, 150, 270], samples: p, seed: 5, activeProbability: pi });
  for (let i = 0; i < 3; i++) {
    const f = share(activeOf(d.S, i));
    assert.ok(Math.abs(f - pi) < tol(pi, p), `source ${i}: active on ${f} of points, π = ${pi}`);
    // Where a source is active it keeps the value it had without the option.
    d.S[i]!.forEach((v, j) => assert.ok(v === 0 || v === full.S[i]![j]!));
  }
  const both = share(activeOf(d.S, 0).map((a, j) => a && d.S[1]![j]! !== 0));
  assert.ok(Math.abs(both - pi * pi) < tol(pi * pi, p), `sources 0 and 1 both active on ${both}, π² = ${pi * pi}`);
  assert.deepEqual(ica.generateData({ angles: [30, 150, 270], samples: 50, seed: 5, activeProbability: 1 }), ica.generateData({ angles: [30, 150, 270], samples: 50, seed: 5 }));
});

test("generateData: hierarchy: a child is active only where its parents are, down a chain, with P(child | parent) = π", () => {
  const p = 20000, pi = 0.5;
  // The links are listed child-first on purpose: a zero must still pass down the chain 0 → 1 → 2.
  const hierarchy = [{ parent: 1, child: 2 }, { parent: 0, child: 1 }, { parent: 0, child: 3 }];
  const d = ica.generateData({ angles: [0, 60, 150, 250], samples: p, seed: 8, activeProbability: pi, hierarchy });
  const act = [0, 1, 2, 3].map((i) => activeOf(d.S, i));
  for (const { parent, child } of hierarchy) {
    act[child]!.forEach((a, j) => assert.ok(!a || act[parent]![j]!, `point ${j}: source ${child} active without its parent ${parent}`));
    const given = share(act[child]!.filter((_, j) => act[parent]![j]!));
    const m = act[parent]!.filter(Boolean).length;
    assert.ok(Math.abs(given - pi) < tol(pi, m), `P(${child} active | ${parent} active) = ${given}, expected π = ${pi}`);
  }
  const expected = [pi, pi ** 2, pi ** 3, pi ** 2];
  expected.forEach((q, i) => assert.ok(Math.abs(share(act[i]!) - q) < tol(q, p), `source ${i} active on ${share(act[i]!)}, expected ${q}`));
  // With exactly k of n active, the child is in the subset given its parent is with probability (k − 1)/(n − 1).
  const k = ica.generateData({ angles: [0, 60, 150, 250], samples: p, seed: 8, active: 2, hierarchy: [{ parent: 0, child: 1 }] });
  const [a0, a1] = [activeOf(k.S, 0), activeOf(k.S, 1)];
  a1.forEach((a, j) => assert.ok(!a || a0[j]!));
  const given = share(a1.filter((_, j) => a0[j]!));
  assert.ok(Math.abs(given - 1 / 3) < tol(1 / 3, a0.filter(Boolean).length), `P(1 | 0) with active = 2 of 4: ${given}, expected 1/3`);
});

test("generateData: activeProbability and hierarchy keep their bits, and leave every older option's as it was", () => {
  // The older options' digests are in "the same bits as before" above; these pin the new ones.
  const g = (o: ica.DataOptions) => bitsHash(ica.generateData(o));
  assert.equal(g({ angles: [30, 150, 270], samples: 100, seed: 0, activeProbability: 0.4 }), "0636de93772e29ae");
  assert.equal(g({ angles: [30, 150, 270], samples: 100, seed: 0, activeProbability: 0.4, hierarchy: [{ parent: 0, child: 1 }], noise: 0.1 }), "21a45109949fcf04");
});

test("generateData: activeProbability and hierarchy errors name the option and the value", () => {
  const base = { angles: [0, 60, 120], activeProbability: 0.5 };
  const link = (parent: number, child: number) => ({ parent, child });
  assert.throws(() => ica.generateData({ angles: [0, 60], activeProbability: 0 }), /activeProbability must be > 0 and ≤ 1, got 0/);
  assert.throws(() => ica.generateData({ angles: [0, 60], activeProbability: 1.2 }), /activeProbability must be > 0 and ≤ 1, got 1.2/);
  assert.throws(() => ica.generateData({ ...base, active: 2 }), /activeProbability \(0.5\) cannot be combined with archetypes, correlated or active/);
  assert.throws(() => ica.generateData({ ...base, correlated: { pair: [0, 1], rho: 0.5 } }), /activeProbability \(0.5\) cannot be combined/);
  assert.throws(() => ica.generateData({ angles: [0, 60, 120], hierarchy: [link(0, 1)] }), /hierarchy needs sources that are sometimes 0: give activeProbability or active/);
  assert.throws(() => ica.generateData({ ...base, hierarchy: [link(0, 3)] }), /hierarchy\[0\].child must be a source index in \[0, 2\], got 3/);
  assert.throws(() => ica.generateData({ ...base, hierarchy: [link(0, 1), link(-1, 2)] }), /hierarchy\[1\].parent must be a source index in \[0, 2\], got -1/);
  assert.throws(() => ica.generateData({ ...base, hierarchy: [link(1, 1)] }), /hierarchy\[0\]: source 1 cannot be its own parent/);
  assert.throws(() => ica.generateData({ ...base, hierarchy: [link(0, 1), link(1, 2), link(2, 0)] }), /hierarchy has a cycle: 0 → 1 → 2 → 0 \(parent → child\)/);
  assert.throws(() => ica.generateData({ ...base, hierarchy: link(0, 1) as never }), /hierarchy must be an array of \{ parent, child \}, got \{"parent":0,"child":1\}/);
  assert.throws(() => ica.generateData({ ...base, hierarchy: [{ parent: 0, kid: 1 }] as never }), /hierarchy\[0\] must be \{ parent, child \}, got \{"parent":0,"kid":1\}/);
});

/** X = A S summed over every source in index order, zeros included: the product generateData skips zeros in. */
function fullProduct(A: number[][], S: number[][]): number[][] {
  return A.map((row) => S[0]!.map((_, j) => {
    let acc = 0;
    for (let i = 0; i < row.length; i++) acc += row[i]! * S[i]![j]!;
    return acc;
  }));
}

test("generateData: basis { m, n, coherence } draws randomBasis from `${seed}/basis`; X = A S to the bit; exactly k active", () => {
  const basis = { m: 16, n: 64, coherence: 0.4 };
  const d = ica.generateData({ basis, samples: 3000, active: 3, seed: 6 });
  assert.deepEqual(d.A, ica.randomBasis(16, 64, { seed: "6/basis", coherence: 0.4 }));
  assert.equal(d.X.length, 16);
  assert.equal(d.S.length, 64);
  // Skipping the zero sources must give the bits of the full sum.
  const full = fullProduct(d.A, d.S);
  full.forEach((row, r) => row.forEach((v, j) => assert.ok(Object.is(v, d.X[r]![j]!), `X[${r}][${j}]`)));
  for (let j = 0; j < 3000; j++) assert.equal(d.S.filter((row) => row[j]! !== 0).length, 3, `point ${j}`);
  assert.ok(d.S.flat().every((v) => v >= 0));
  assert.deepEqual(d, ica.generateData({ basis, samples: 3000, active: 3, seed: 6 }));
  // Noise is added to the same product.
  const noisy = ica.generateData({ basis: { m: 16, n: 64 }, samples: 500, activeProbability: 0.1, noise: 0.1, seed: 2 });
  const resid = fullProduct(noisy.A, noisy.S).flatMap((row, r) => row.map((v, j) => noisy.X[r]![j]! - v));
  const sd = Math.sqrt(mean(resid.map((e) => e * e)));
  assert.ok(Math.abs(sd - 0.1) < 4 * 0.1 / Math.sqrt(2 * resid.length), `noise sd ${sd}`);
});

test("generateData: with basis, activeProbability π, correlated and hierarchy work in any dimension", () => {
  const p = 4000, n = 40, pi = 0.1;
  const d = ica.generateData({ basis: { m: 10, n }, samples: p, activeProbability: pi, seed: 3 });
  const on = d.S.flat().filter((v) => v !== 0).length;
  assert.ok(Math.abs(on / (n * p) - pi) < tol(pi, n * p), `active share ${on / (n * p)}, π = ${pi}`);
  const h = ica.generateData({ basis: { m: 10, n }, samples: p, activeProbability: 0.5, hierarchy: [{ parent: 7, child: 30 }], seed: 3 });
  h.S[30]!.forEach((v, j) => assert.ok(v === 0 || h.S[7]![j]! !== 0, `point ${j}: child active without its parent`));
  const c = ica.generateData({ basis: { m: 10, n }, samples: p, correlated: { pair: [2, 33], rho: 1 }, seed: 3 });
  assert.deepEqual(c.S[33], c.S[2]);
  assert.deepEqual(ica.generateData({ basis: { m: 10, n }, archetypes: true, b: 3, seed: 3 }).X, c.A.map((row) => row.map((a) => a * 3)));
});

test("generateData: prior 'uniform' draws U(0, 2b): mean b within 4 standard errors, every amplitude in (0, 2b); the model has no such prior", () => {
  const b = 1.5, p = 20000;
  const d = ica.generateData({ angles: [0, 90], samples: p, prior: "uniform", b, seed: 2 });
  const s = d.S.flat();
  assert.ok(s.every((v) => v > 0 && v < 2 * b), "every amplitude in (0, 2b)");
  // U(0, 2b) has sd 2b/√12.
  assert.ok(Math.abs(mean(s) - b) < (4 * 2 * b) / Math.sqrt(12 * s.length), `mean ${mean(s)}, b = ${b}`);
  const k = ica.generateData({ basis: { m: 8, n: 32 }, samples: 2000, prior: "uniform", active: 4, seed: 2 });
  const on = k.S.flat().filter((v) => v !== 0);
  assert.equal(on.length, 4 * 2000);
  assert.ok(on.every((v) => v > 0 && v < 4), "active amplitudes in (0, 2b) with the default b = 2");
  assert.throws(() => ica.MODEL_OPTIONS.parse({ prior: "uniform" }), /prior must be one of 'exponential', 'laplace', got 'uniform'/);
});

test("generateData: basis errors name the option and the value", () => {
  assert.throws(() => ica.generateData({ angles: [0, 90], basis: { m: 2, n: 2 } }), /exactly one of angles, A and basis, got angles and basis/);
  assert.throws(() => ica.generateData({} as ica.DataOptions), /needs angles \(degrees\), an explicit basis A, or a random basis/);
  assert.throws(() => ica.generateData({ basis: { m: 0, n: 3 } }), /basis.m must be an integer ≥ 1, got 0/);
  assert.throws(() => ica.generateData({ basis: { m: 2 } as never }), /basis.n is required/);
  assert.throws(() => ica.generateData({ basis: { m: 2, n: 3, coherance: 0.5 } as never }), /basis: unknown field 'coherance'/);
  assert.throws(() => ica.generateData({ basis: { m: 2, n: 3, coherence: 1.5 } }), /basis.coherence must be ≥ 0 and ≤ 1, got 1.5/);
  assert.throws(() => ica.generateData({ basis: { m: 2, n: 3, coherence: 0.4 } }), /coherence must be at least the Welch bound .* = 0.5 for m = 2, n = 3, got 0.4/);
  assert.throws(() => ica.generateData({ basis: { m: 2, n: 3 }, lengths: [1, 1, 1] }), /lengths goes with angles; scale the columns of the basis yourself/);
  assert.throws(() => ica.generateData({ basis: { m: 4, n: 6 }, active: 7 }), /active must be an integer in \[1, 6\] \(the number of sources\), got 7/);
});
