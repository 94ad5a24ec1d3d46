// Tests of lib/exact/ladder.ts and lib/exact/newton.ts: the approximation
// ladder from the exact gradient of log P(x|A) to Lewicki & Sejnowski's rule.
// References: central finite differences of the Laplace evidence ℓ₁, the
// library's own laplaceLogEvidence (a separate implementation of the complete
// case), the KKT conditions, the rule's own update (lib/learning/rule.ts), the
// exact log-likelihood, and functions with known zeros.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { approximationLadder, fieldOf, ladderField, ladderSums, newtonZero } from "../lib/exact/index";
import { fromRows, type Mat } from "../lib/matrix";

type Prior = "exponential" | "laplace";
const model = (prior: Prior) => ({ prior, sigma: 0.1, b: 2 });
const A3 = ica.basisFromAngles([20, 135, 250], [1, 0.8, 1.3]);

/** Column-major 2×n entries as a Mat, and back. */
const asMat = (M: number[][]): Mat => fromRows("M", M);
const point = (X: Mat, j: number): Mat => ({ rows: 2, cols: 1, data: X.data.slice(2 * j, 2 * j + 2) });

for (const prior of ["exponential", "laplace"] as const) {
  test(`ladder (${prior}): G1 is the gradient of ℓ₁ within each point's support pattern (central differences), so the y-term is 0 and G2 = G1`, () => {
    const d = ica.generateData({ angles: [20, 135, 250], lengths: [1, 0.8, 1.3], samples: 120, noise: 0.1, b: 2, prior, seed: 3 });
    const A = asMat(A3), X = asMat(d.X), mdl = model(prior);
    const h = 1e-6;
    let checked = 0, worst = 0;
    for (let j = 0; j < X.cols; j++) {
      const x = point(X, j);
      const base = ladderSums(A, x, mdl);
      if (base.support[0] === 0) continue;
      const g = ladderField("laplace", A3, [[x.data[0]!], [x.data[1]!]], mdl).field;
      for (let q = 0; q < 6; q++) {
        const plus = { rows: 2, cols: 3, data: A.data.slice() }, minus = { rows: 2, cols: 3, data: A.data.slice() };
        plus.data[q] += h;
        minus.data[q] -= h;
        const sp = ladderSums(plus, x, mdl), sm = ladderSums(minus, x, mdl);
        if (sp.pattern[0] !== base.pattern[0] || sm.pattern[0] !== base.pattern[0]) continue;
        const fd = (sp.perPoint[0]! - sm.perPoint[0]!) / (2 * h);
        const an = g[q % 2]![q >> 1]!;
        worst = Math.max(worst, Math.abs(fd - an) / Math.max(1, Math.abs(an)));
        checked++;
      }
    }
    assert.ok(checked > 300, `only ${checked} entries checked`);
    assert.ok(worst < 1e-5, `largest relative gap between G1 and the finite differences of ℓ₁: ${worst}`);
  });
}

test("ladder: ℓ₁ with both sources of a complete basis active is laplaceLogEvidence's value", () => {
  const A = ica.basisFromAngles([20, 110], [1, 1.4]);
  const mdl = model("laplace");
  let compared = 0;
  for (const x of [[1.5, 2.0], [-0.7, 1.1], [2.2, -0.4], [0.3, 0.9]]) {
    const s = ladderSums(asMat(A), asMat([[x[0]!], [x[1]!]]), mdl);
    if (s.support[0] !== 2) continue;
    const ref = ica.laplaceLogEvidence(A, x, mdl).value;
    assert.ok(Math.abs(s.perPoint[0]! - ref) < 1e-10 * Math.abs(ref), `ℓ₁ ${s.perPoint[0]} against ${ref}`);
    compared++;
  }
  assert.ok(compared >= 3);
});

test("ladder: G3 equals G1 on points with two active columns (KKT) and drops the residual orthogonal to the column on points with one", () => {
  const mdl = model("exponential");
  // One source per point and little noise (the model keeps σ = 0.1), so that many points use one column alone.
  const d = ica.generateData({ angles: [20, 135, 250], lengths: [1, 0.8, 1.3], samples: 800, noise: 0.01, b: 2, seed: 5, active: 1 });
  const S = ica.inferSources(A3, d.X, mdl).S;
  let two = 0, one = 0;
  for (let j = 0; j < 800; j++) {
    const x = [[d.X[0]![j]!], [d.X[1]![j]!]];
    const g1 = ladderField("laplace", A3, x, mdl).field, g3 = ladderField("w-active", A3, x, mdl).field;
    const active = [0, 1, 2].filter((i) => S[i]![j] !== 0);
    // The expected G1 − G3: r⊥ ŝᵀ/σ² where one column a is active (r⊥ = r − a aᵀr/|a|²), 0 where two are.
    const r = [0, 1].map((q) => d.X[q]![j]! - [0, 1, 2].reduce((t, i) => t + A3[q]![i]! * S[i]![j]!, 0));
    let rPerp = [0, 0];
    if (active.length === 1) {
      const i = active[0]!, a = [A3[0]![i]!, A3[1]![i]!];
      const c = (a[0]! * r[0]! + a[1]! * r[1]!) / (a[0]! ** 2 + a[1]! ** 2);
      rPerp = [r[0]! - c * a[0]!, r[1]! - c * a[1]!];
      one++;
    } else if (active.length === 2) two++;
    for (let q = 0; q < 2; q++) {
      for (let i = 0; i < 3; i++) {
        const expected = (rPerp[q]! * S[i]![j]!) / 0.01;
        assert.ok(Math.abs(g1[q]![i]! - g3[q]![i]! - expected) < 1e-8 * Math.max(1, Math.abs(g1[q]![i]!)), `point ${j}, entry (${q}, ${i})`);
      }
    }
  }
  assert.ok(one > 50 && two > 50, `${one} points with one active column, ${two} with two`);
});

test("ladder: G4 is the mean of the rule's own update −A(zŝᵀ + I) on the same data, for both priors", () => {
  for (const prior of ["exponential", "laplace"] as const) {
    const mdl = model(prior);
    const d = ica.generateData({ angles: [20, 135, 250], lengths: [1, 0.8, 1.3], samples: 500, noise: 0.1, b: 2, prior, seed: 6 });
    const A = ica.basisFromAngles([24, 131, 247], [0.5, 0.4, 0.6]);
    const S = ica.inferSources(A, d.X, mdl).S;
    const ref = ica.ruleTerms(A, S, mdl).dA;
    const g4 = ladderField("rule", A, d.X, mdl).field;
    for (let q = 0; q < 2; q++) for (let i = 0; i < 3; i++) assert.ok(Math.abs(g4[q]![i]! - ref[q]![i]!) < 1e-12, `${prior} (${q}, ${i}): ${g4[q]![i]} against ${ref[q]![i]}`);
  }
});

test("newton: finds a known zero below tolerance, and reports a field without one as not converged, never NaN", () => {
  const target = Float64Array.of(1, 2, -1, 0.5);
  const F = (A: Mat) => A.data.map((v, e) => Math.sinh(v - target[e]!) + 0.3 * (v - target[e]!) ** 3);
  const r = newtonZero(F, { rows: 2, cols: 2, data: Float64Array.of(0.2, 1.5, -0.3, 1.1) }, { maxIterations: 40, tolerance: 1e-10, stepToleranceDeg: 0.05, h: 1e-4 });
  assert.ok(r.converged && r.residual <= 1e-10);
  r.A.data.forEach((v, e) => assert.ok(Math.abs(v - target[e]!) < 1e-9));
  const none = newtonZero((A) => A.data.map((v) => v * v + 1), { rows: 2, cols: 1, data: Float64Array.of(0.5, -0.2) }, { maxIterations: 20, tolerance: 1e-8, stepToleranceDeg: 0.05, h: 1e-4 });
  assert.equal(none.converged, false);
  assert.ok(Number.isFinite(none.residual) && none.A.data.every(Number.isFinite) && typeof none.reason === "string");
});

test("ladder: G0's zero is a stationary point of the exact likelihood, at least as likely as the truth; AAᵀ·G3 has G3's zero", () => {
  const mdl = model("exponential");
  const truth = ica.basisFromAngles([30, 150, 270]);
  const d = ica.generateData({ angles: [30, 150, 270], samples: 3000, noise: 0.1, b: 2, seed: 7 });

  const X = asMat(d.X);
  const g0 = newtonZero((A) => fieldOf("exact", A, X, mdl), asMat(truth), { maxIterations: 30, tolerance: 1e-7, stepToleranceDeg: 0.05, h: 1e-2 });
  assert.ok(g0.converged, g0.reason ?? "");
  const At: number[][] = [[0, 1, 2].map((i) => g0.A.data[2 * i]!), [0, 1, 2].map((i) => g0.A.data[2 * i + 1]!)];
  const at = ica.logLikelihood(At, d.X, mdl) as { value: number; gradient: number[][] };
  // The gradient at the zero by central differences of the value (not the gradient Newton stopped on).
  for (let r = 0; r < 2; r++) for (let c = 0; c < 3; c++) {
    const f = (e: number) => { const B = At.map((row) => row.slice()); B[r]![c]! += e; return (ica.logLikelihood(B, d.X, { ...mdl, gradient: false }) as { value: number }).value; };
    const fd = (f(1e-4) - f(-1e-4)) / 2e-4;
    assert.ok(Math.abs(fd) < 1e-6, `central difference at G0's zero, A[${r}][${c}]: ${fd}`);
  }
  assert.ok(at.value >= (ica.logLikelihood(truth, d.X, { ...mdl, gradient: false }) as { value: number }).value);
  // Both from the truth: the mean of piecewise gradients stalls at a residual of O(1/p), where the
  // zero is located to the Newton step (stepToleranceDeg).
  const no = { maxIterations: 40, tolerance: 1e-6, stepToleranceDeg: 0.05, h: 1e-2 };
  const z3 = newtonZero((A) => fieldOf("w-active", A, X, mdl), asMat(truth), no);
  const z4 = newtonZero((A) => fieldOf("aat", A, X, mdl), asMat(truth), no);
  assert.ok(z3.converged && z4.converged, `${z3.reason} / ${z4.reason}`);
  for (let i = 0; i < 3; i++) {
    const turn = Math.atan2(z3.A.data[2 * i]! * z4.A.data[2 * i + 1]! - z3.A.data[2 * i + 1]! * z4.A.data[2 * i]!, z3.A.data[2 * i]! * z4.A.data[2 * i]! + z3.A.data[2 * i + 1]! * z4.A.data[2 * i + 1]!);
    assert.ok(Math.abs((turn * 180) / Math.PI) < 0.05, `column ${i} turns by ${(turn * 180) / Math.PI}° between the zeros`);
  }
});

test("ladder: with equalNorms every row converges, and the rule's common length is its own", () => {
  const d = ica.generateData({ angles: [25, 130, 255], samples: 1500, noise: 0.1, b: 2, seed: 8 });
  const rows = approximationLadder(d.X, d.A, { equalNorms: true, stepToleranceDeg: 0.1 });
  assert.deepEqual(rows.map((r) => r.id), ["exact", "laplace", "no-y", "w-active", "aat", "z-term", "volume-term", "rule"]);
  for (const r of rows) {
    assert.ok(r.converged, `${r.id}: ${r.reason}`);
  }
  // The rule's common length is its own (E4's rescaling), well below the truth's.
  assert.ok(rows[7]!.lengths[0]! < 0.5 && rows[0]!.lengths[0]! > 0.9);
});

test("ladder: bad options and arguments are named", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 20, seed: 1 });
  assert.throws(() => approximationLadder(d.X, d.A, { maxIterations: 0 }), /maxIterations/);
  assert.throws(() => approximationLadder(d.X, d.A, { tolerance: -1 }), /tolerance/);
  assert.throws(() => approximationLadder(d.X, d.A, { jacobianStep: 0 }), /jacobianStep/);
  assert.throws(() => approximationLadder(d.X, d.A, { equalNorms: "yes" as never }), /equalNorms/);
  assert.throws(() => approximationLadder(d.X, d.A, { prior: "gaussian" as never }), /prior/);
  assert.throws(() => approximationLadder(d.X, d.A, { tolerence: 1 } as never), /tolerence/);
  assert.throws(() => approximationLadder(d.X, [[1, 0, 0]]), /trueBasis/);
  assert.throws(() => ladderField("bogus" as never, d.A, d.X), /rung/);
});
