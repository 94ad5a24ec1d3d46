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
  assert.throws(() => ica.generateData({ angles: [0], A: [[1], [0]] }), /either angles or A/);
  assert.throws(() => ica.generateData({ A: [[1, 2], [0]] }), /A must be rectangular/);
  assert.throws(() => ica.generateData({ angles: [0], prior: "gauss" as ica.Prior }), /prior must be one of 'exponential', 'laplace', got 'gauss'/);
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
