// Tests of lib/evidence.ts: the marginal likelihood log P(x|A) three ways.
// References: brute-force quadrature, and the digests of the previous
// implementation (commit 60a420e).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { bitsHash } from "./helpers/bits";

const data = ica.generateData({ angles: [30, 150, 270], samples: 300, b: 2, seed: 4 });

test("evidence: the Laplace approximation matches quadrature away from the kinks, and not at them", () => {
  const A = ica.basisFromAngles([20, 110]);
  const o = { sigma: 0.05, b: 2, prior: "laplace" as const };
  const inside = [1.5, 2.0];
  const la = ica.laplaceLogEvidence(A, inside, o);
  assert.ok(la.sHat.every((v) => Math.abs(v) > 0.5));
  assert.ok(Math.abs(la.value - ica.quadratureLogEvidence(A, inside, o)) < 1e-3);
  const kink = [0.1, 0.05];
  const lk = ica.laplaceLogEvidence(A, kink, { sigma: 0.5, b: 2, prior: "laplace" });
  assert.ok(lk.sHat.every((v) => v === 0));
  assert.ok(lk.value - ica.quadratureLogEvidence(A, kink, { sigma: 0.5, b: 2, prior: "laplace" }) > 0.2);
  assert.equal(ica.laplaceLogEvidence(data.A, [1, 1], o).value, Infinity);
  assert.throws(() => ica.quadratureLogEvidence(data.A, [1, 1], o), /needs n ≤ min\(m, 2\)/);
});

test("evidence: with the exponential prior (the one model's default) the approximation matches quadrature inside the orthant", () => {
  const A = ica.basisFromAngles([20, 110]);
  const inside = [1.5, 2.0];
  const la = ica.laplaceLogEvidence(A, inside, { sigma: 0.05 });
  assert.ok(la.sHat.every((v) => v > 0.5));
  assert.ok(Math.abs(la.value - ica.quadratureLogEvidence(A, inside, { sigma: 0.05 })) < 1e-3);
  // The two priors differ by log 2 per source inside the orthant (the Laplace density is half the exponential's there).
  const lap = ica.laplaceLogEvidence(A, inside, { sigma: 0.05, prior: "laplace" });
  assert.ok(Math.abs(la.value - lap.value - 2 * Math.log(2)) < 1e-9);
});

test("evidence: the same bits as before the one model (explicit priors)", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 300, seed: 0 });
  const sq = [[1, 0.3], [0.2, 1]];
  const x = [0.4, 0.7];
  assert.equal(bitsHash([
    ica.laplaceLogEvidence(sq, x, { sigma: 0.3, b: 2, prior: "laplace" }),
    ica.quadratureLogEvidence(sq, x, { sigma: 0.3, b: 2, prior: "laplace", points: 61 }),
    ica.completeLogLikelihood(sq, d.X.map((r) => r.slice(0, 20)).slice(0, 2), { b: 2, prior: "laplace" }),
  ]), "5c1f5fb3f19b973a");
  assert.equal(bitsHash([
    ica.laplaceLogEvidence(sq, x, { sigma: 0.3, b: 2, prior: "exponential" }),
    ica.completeLogLikelihood(sq, [[1, 2], [3, 4]], { b: 2, prior: "exponential" }),
  ]), "d89169c826e0d08a");
});

test("evidence: options are declared; a misspelling and the retired nonNegative are named", () => {
  const A = ica.basisFromAngles([20, 110]);
  assert.throws(() => ica.laplaceLogEvidence(A, [1, 1], { sigm: 0.1 } as never), /laplaceLogEvidence: unknown option 'sigm' \(did you mean 'sigma'\?\)/);
  assert.throws(() => ica.laplaceLogEvidence(A, [1, 1], { nonNegative: false } as never), /option 'nonNegative' was replaced by prior/);
  assert.throws(() => ica.quadratureLogEvidence(A, [1, 1], { points: 0 }), /points must be an integer ≥ 1, got 0/);
  assert.throws(() => ica.completeLogLikelihood(A, [[1], [1]], { b: -1 }), /b must be > 0, got -1/);
  assert.throws(() => ica.laplaceLogEvidence(A, [1, 1], { prior: "gauss" } as never), /prior must be one of 'exponential', 'laplace', got 'gauss'/);
});
