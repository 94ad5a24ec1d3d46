// Tests of the TopK and JumpReLU SAEs (lib/sae/variants.ts). References
// nobody here wrote: a brute-force sort for TopK's support, central finite
// differences of the loss for the true gradients, and the JumpReLU paper's
// threshold pseudo-gradient written out again below, from the formula.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { randomModel } from "./helpers/sae-model";

const E6 = (seed: number) => ica.generateData({ angles: [30, 150, 270], samples: 1000, seed });

/** u = W_enc (x − b_dec) + b_enc for every point: u[j][i]. */
function preActivations(model: ica.SAEModel, X: number[][]): number[][] {
  return X[0]!.map((_, j) => model.Wenc.map((row, i) => row.reduce((acc, w, k) => acc + w * (X[k]![j]! - model.bDec[k]!), model.bEnc[i]!)));
}

/** Central differences of saeLoss in every parameter cell, against saeGradient. */
function checkGradient(model: ica.SAEModel, X: number[][], lambda: number, G: ica.SAEModel): number {
  const h = 1e-6;
  let checked = 0;
  for (const key of ["Wenc", "bEnc", "Wdec", "bDec"] as const) {
    const rows = key === "Wenc" || key === "Wdec";
    const P = model[key] as (number | number[])[];
    for (let r = 0; r < P.length; r++) {
      const cols = rows ? (P[r] as number[]).length : 1;
      for (let c = 0; c < cols; c++) {
        const bump = (d: number): number => {
          const copy = structuredClone(model);
          if (rows) (copy[key] as number[][])[r]![c]! += d;
          else (copy[key] as number[])[r]! += d;
          return ica.saeLoss(copy, X, lambda).loss;
        };
        const numeric = (bump(h) - bump(-h)) / (2 * h);
        const analytic = rows ? (G[key] as number[][])[r]![c]! : (G[key] as number[])[r]!;
        assert.ok(Math.abs(numeric - analytic) < 1e-5 * Math.max(1, Math.abs(numeric)), `${key}[${r},${c}]: numeric ${numeric}, analytic ${analytic}`);
        checked++;
      }
    }
  }
  return checked;
}

test("sae-variants: TopK keeps exactly the min(k, #positive) largest pre-activations (brute-force sort), ties to the lowest index", () => {
  const base = randomModel(3, 6, "topk-support");
  const X = ica.generateData({ A: [[1, 0, 0, 0.6], [0, 1, 0, 0.6], [0, 0, 1, 0.5]], samples: 200, seed: 4 }).X;
  const U = preActivations(base, X);
  for (const k of [1, 2, 4, 6]) {
    const S = ica.encodeSAE({ ...base, activation: "topk", k }, X);
    let fewer = 0;
    U.forEach((u, j) => {
      const order = u.map((v, i) => [v, i] as const).filter(([v]) => v > 0).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
      const kept = new Set(order.slice(0, k).map(([, i]) => i));
      if (kept.size < k) fewer++;
      u.forEach((v, i) => assert.equal(S[i]![j], kept.has(i) ? v : 0, `k = ${k}, point ${j}, feature ${i}`));
    });
    if (k === 6) assert.ok(fewer > 0, "some point has fewer than k positive pre-activations");
  }
  // Two identical features: the pre-activations tie exactly, and the lower index wins.
  const twin: ica.SAEModel = { Wenc: [[1, 0], [1, 0], [0, 1]], bEnc: [0, 0, 0], Wdec: [[1, 1, 0], [0, 0, 1]], bDec: [0, 0], activation: "topk", k: 1 };
  assert.deepEqual(ica.encodeSAE(twin, [[2, 0.5], [1, 3]]), [[2, 0], [0, 0], [0, 3]]);
});

test("sae-variants: the TopK gradient matches finite differences of the loss, away from ties", () => {
  const model: ica.SAEModel = { ...randomModel(2, 5, "topk-grad"), activation: "topk", k: 2 };
  const X = ica.generateData({ angles: [30, 150, 270], samples: 30, seed: 5 }).X;
  // Away from ties: every point's kept and dropped pre-activations (and 0) are more than 1e-3 apart.
  for (const u of preActivations(model, X)) {
    const sorted = [...u, 0].sort((a, b) => b - a);
    const kth = Math.max(0, sorted[1]!);
    assert.ok(sorted.every((v) => v === kth || Math.abs(v - kth) > 1e-3) && Math.abs(sorted[2]! - sorted[1]!) > 1e-3);
  }
  const G = ica.saeGradient(model, X, 0.3);
  assert.equal(checkGradient(model, X, 0.3, G), 2 * 5 + 5 + 2 * 5 + 2);
  assert.equal(ica.saeLoss(model, X, 0.3).loss, ica.saeLoss(model, X, 0).loss, "TopK's loss has no λ term");
});

test("sae-variants: the JumpReLU gradient matches finite differences away from the thresholds; θ's pseudo-gradient matches the paper's formula", () => {
  const threshold = [0.3, 0.05, 0.8, 0.5, 0.2];
  const model: ica.SAEModel = { ...randomModel(2, 5, "jump-grad"), activation: "jumprelu", threshold };
  const X = ica.generateData({ angles: [30, 150, 270], samples: 40, seed: 6 }).X;
  const lambda = 0.4;
  const U = preActivations(model, X);
  for (const u of U) u.forEach((v, i) => assert.ok(Math.abs(v - threshold[i]!) > 1e-3, "away from the thresholds"));
  const eps = 0.6;
  const G = ica.saeGradient(model, X, lambda, eps);
  assert.equal(checkGradient(model, X, lambda, G), 2 * 5 + 5 + 2 * 5 + 2);
  // Rajamanoharan et al. 2024, eq. 11–12 with K the rectangle on (−½, ½):
  // ∂L/∂θ_i = (1/p) Σ_j [ (∂L_j/∂s_i)(−θ_i/ε) + λ(−1/ε) ] K((u_ij − θ_i)/ε),
  // with ∂L_j/∂s_i = 2 W_dec,iᵀ (x′_j − x_j).
  const R = ica.reconstructSAE(model, X);
  const p = X[0]!.length;
  let inWindow = 0;
  threshold.forEach((t, i) => {
    let sum = 0;
    for (let j = 0; j < p; j++) {
      if (Math.abs((U[j]![i]! - t) / eps) >= 0.5) continue;
      inWindow++;
      const dLds = 2 * model.Wdec.reduce((acc, row, k) => acc + row[i]! * (R[k]![j]! - X[k]![j]!), 0);
      sum += dLds * (-t / eps) + lambda * (-1 / eps);
    }
    assert.ok(Math.abs(G.threshold![i]! - sum / p) < 1e-12 * Math.max(1, Math.abs(sum / p)), `θ_${i}: ${G.threshold![i]} vs ${sum / p}`);
  });
  assert.ok(inWindow >= 10, `only ${inWindow} (point, feature) pairs in the kernel's window`);
  // The loss: MSE + λ·L0, with L0 counted by brute force.
  const l0 = U.reduce((acc, u) => acc + u.filter((v, i) => v > threshold[i]!).length, 0) / p;
  const L = ica.saeLoss(model, X, lambda);
  assert.ok(Math.abs(L.l0 - l0) < 1e-15 && Math.abs(L.loss - (L.mse + lambda * l0)) < 1e-12);
});

test("sae-variants: TopK (k = 2) and JumpReLU train on E6's regular data: the loss falls, the models are finite, the same seed gives the same bits", () => {
  const d = E6(1);
  for (const o of [{ activation: "topk", k: 2 }, { activation: "jumprelu" }] as ica.SAEOptions[]) {
    const a = ica.trainSAE(d.X, { ...o, seed: 3, steps: 1000 });
    const b = ica.trainSAE(d.X, { ...o, seed: 3, steps: 1000 });
    const c = ica.trainSAE(d.X, { ...o, seed: 4, steps: 1000 });
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.model, c.model);
    assert.equal(a.diverged, null);
    const first = a.history[0]!.loss;
    const last = a.history.at(-1)!.loss;
    assert.ok(last < 0.05 * first, `${o.activation}: loss ${first} → ${last}`);
    const m = a.model;
    for (const v of [...m.Wenc.flat(), ...m.bEnc, ...m.Wdec.flat(), ...m.bDec, ...(m.threshold ?? [])]) assert.ok(Number.isFinite(v));
    assert.equal(m.activation, o.activation);
    // The last history entry is the model's own loss on all of X.
    const L = ica.saeLoss(m, d.X, a.options.lambda);
    assert.ok(Math.abs(L.loss - last) < 1e-12 * last, `${o.activation}: ${L.loss} vs ${last}`);
  }
  const topk = ica.trainSAE(d.X, { activation: "topk", k: 2, seed: 3, steps: 200 });
  const S = ica.encodeSAE(topk.model, d.X);
  assert.ok(d.X[0]!.every((_, j) => S.filter((row) => row[j]! > 0).length <= 2));
  const jump = ica.trainSAE(d.X, { activation: "jumprelu", seed: 3, steps: 1000, lambda: 1 });
  assert.ok(jump.model.threshold!.every((t) => t > 20 * jump.options.initThreshold!), `λ = 1 raises every threshold: ${jump.model.threshold}`);
});

test("sae-variants: the options a run used: ReLU's keys unchanged, TopK's λ is 0, JumpReLU's defaults scale with the data", () => {
  const d = E6(2);
  const relu = ica.trainSAE(d.X, { steps: 0 }).options;
  assert.deepEqual(Object.keys(relu), ["features", "lambda", "steps", "lr", "schedule", "batchSize", "seed", "init", "decoderBias", "beta1", "beta2", "eps", "deadWindow", "resample", "historyEvery"]);
  const topk = ica.trainSAE(d.X, { steps: 0, activation: "topk", k: 2 }).options;
  assert.equal(topk.lambda, 0);
  assert.deepEqual([topk.activation, topk.k], ["topk", 2]);
  const rms = Math.sqrt(d.X.flat().reduce((a, v) => a + v * v, 0) / d.X.flat().length);
  const jump = ica.trainSAE(d.X, { steps: 0, activation: "jumprelu" }).options;
  assert.ok(Math.abs(jump.bandwidth! - 0.05 * rms) < 1e-12 && Math.abs(jump.initThreshold! - 0.01 * rms) < 1e-12, JSON.stringify(jump));
  const scaled = ica.trainSAE(d.X.map((r) => r.map((v) => 10 * v)), { steps: 0, activation: "jumprelu" }).options;
  assert.ok(Math.abs(scaled.bandwidth! / jump.bandwidth! - 10) < 1e-12);
  const given = ica.trainSAE(d.X, { steps: 0, activation: "jumprelu", bandwidth: 0.2, initThreshold: 0.1 }).model;
  assert.deepEqual(given.threshold!.map((t) => +t.toFixed(12)), [0.1, 0.1, 0.1]);
});

test("sae-variants: a dead TopK or JumpReLU feature is resampled, and its decoder column finds the feature the dead run missed", () => {
  // As in sae.test.ts: feature 3 starts at 225°, away from every point of the first quadrant.
  const d = ica.generateData({ angles: [0, 45, 90], samples: 300, seed: 1 });
  const base = { activation: "topk" as const, k: 2, seed: 1, steps: 600, init: ica.basisFromAngles([0, 90, 225]), features: 3, decoderBias: false, deadWindow: 100 };
  const dead = ica.trainSAE(d.X, base);
  assert.deepEqual(dead.dead, [2]);
  const revived = ica.trainSAE(d.X, { ...base, resample: [300] });
  assert.deepEqual(revived.resampled, [{ step: 300, features: [2] }]);
  assert.equal(revived.history.find((h) => h.step === 350)!.deadFeatures, 0, "it fires after the resampling");
  const err = (r: ica.SAEResult) => ica.basisError(r.basis, d.A).meanAngleDeg;
  assert.ok(err(revived) < err(dead) - 20, `error ${err(dead)} → ${err(revived)}`);
  // JumpReLU: the resampled feature (its threshold restarted at initThreshold) stays alive to the end.
  const jump = { ...base, activation: "jumprelu" as const, k: undefined };
  const jDead = ica.trainSAE(d.X, jump);
  const jRevived = ica.trainSAE(d.X, { ...jump, resample: [300] });
  assert.deepEqual([jDead.dead, jRevived.resampled, jRevived.dead], [[2], [{ step: 300, features: [2] }], []]);
  assert.ok(err(jRevived) < err(jDead) - 20, `error ${err(jDead)} → ${err(jRevived)}`);
});

test("sae-variants: bad options and bad models name the option or field and the value", () => {
  const d = E6(1);
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ activation: "gelu" }, /activation must be one of 'relu', 'topk', 'jumprelu', got 'gelu'/],
    [{ activation: "topk" }, /k is required with activation 'topk'/],
    [{ activation: "topk", k: 4 }, /k must be an integer in \[1, 3\], got 4/],
    [{ activation: "topk", k: 0 }, /k must be an integer ≥ 1, got 0/],
    [{ activation: "topk", k: 1.5 }, /k must be an integer, got 1.5/],
    [{ activation: "topk", k: 2, lambda: 0.1 }, /lambda is not used with activation 'topk'.*got lambda = 0.1/],
    [{ k: 2 }, /k applies only with activation 'topk', got k = 2 with activation 'relu'/],
    [{ activation: "topk", k: 2, bandwidth: 0.1 }, /bandwidth applies only with activation 'jumprelu', got bandwidth = 0.1 with activation 'topk'/],
    [{ initThreshold: 0.1 }, /initThreshold applies only with activation 'jumprelu'/],
    [{ activation: "jumprelu", bandwidth: 0 }, /bandwidth must be > 0, got 0/],
    [{ activation: "jumprelu", initThreshold: -1 }, /initThreshold must be > 0, got -1/],
  ];
  for (const [opts, re] of cases) assert.throws(() => ica.trainSAE(d.X, opts as ica.SAEOptions), re, JSON.stringify(opts));
  const m = randomModel(2, 3, "bad");
  const models: [Partial<ica.SAEModel> & Record<string, unknown>, RegExp][] = [
    [{ activation: "tanh" as ica.Activation }, /model.activation must be 'relu', 'topk' or 'jumprelu', got 'tanh'/],
    [{ activation: "topk" }, /model.k must be an integer in \[1, 3\] for a 'topk' model, got undefined/],
    [{ activation: "topk", k: 5 }, /model.k must be an integer in \[1, 3\] for a 'topk' model, got 5/],
    [{ k: 1 }, /model.k is only used with model.activation 'topk', got k = 1 with 'relu'/],
    [{ activation: "jumprelu" }, /model.threshold must be an array of 3 numbers, got undefined/],
    [{ activation: "jumprelu", threshold: [1, 1] }, /model.threshold must be an array of 3 numbers, got length 2/],
    [{ activation: "jumprelu", threshold: [1, 0, 1] }, /model.threshold\[1\] must be > 0, got 0/],
    [{ activation: "topk", k: 1, threshold: [1, 1, 1] }, /model.threshold is only used with model.activation 'jumprelu'/],
  ];
  for (const [extra, re] of models) assert.throws(() => ica.encodeSAE({ ...m, ...extra }, d.X), re, JSON.stringify(extra));
  const jm = { ...m, activation: "jumprelu" as const, threshold: [1, 1, 1] };
  assert.throws(() => ica.saeGradient(jm, d.X, 0.1), /saeGradient: bandwidth is required for a 'jumprelu' model/);
  assert.throws(() => ica.saeGradient(m, d.X, 0.1, 0.1), /saeGradient: bandwidth applies only to a 'jumprelu' model, got bandwidth = 0.1 with 'relu'/);
  assert.throws(() => ica.saeGradient(jm, d.X, 0.1, -1), /bandwidth must be > 0, got -1/);
});
