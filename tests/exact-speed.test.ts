// The fast paths of lib/exact/normal.ts against the slow evaluators they
// replace: erfcx (Chebyshev panels fitted at load) against the series and a
// continued fraction taken twice as deep as the fit's, log Φ against the
// slow logPhiReference, and logPhiPair / logBvnFrom against logPhi / logBvn.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { erfcx, erfcxReference, logBvn, logBvnFrom, logPhi, logPhiPair, logPhiReference, type LogBvn } from "../lib/exact/normal";

/** erfcx(z), z ≥ 1, by the continued fraction at twice the depth erfcxReference uses (independent of the fit). */
function erfcxDeep(z: number): number {
  let t = z;
  for (let k = Math.ceil(80 + 8000 / (z * z)); k >= 1; k--) t = z + (k / 2) / t;
  return 1 / (Math.sqrt(Math.PI) * t);
}

test("erfcx: the fitted panels agree with the slow evaluators to 1e-14 relative on [0, 200]", () => {
  let worst = 0, at = 0;
  for (let i = 0; i <= 40000; i++) {
    const z = 200 * (i / 40000) ** 3;
    const ref = z >= 1 ? erfcxDeep(z) : erfcxReference(z);
    const d = Math.abs(erfcx(z) - ref) / ref;
    if (d > worst) { worst = d; at = z; }
  }
  assert.ok(worst < 1e-14, `worst relative error ${worst} at z = ${at}`);
  // The deep fraction and the fit's reference agree where both apply.
  for (const z of [1, 1.5, 2, 3.7, 10]) assert.ok(Math.abs(erfcxReference(z) - erfcxDeep(z)) <= 1e-15 * erfcxDeep(z), `z = ${z}`);
});

test("log Φ: the fast form against logPhiReference on [−60, 37], and the edges", () => {
  let worst = 0, at = 0;
  for (let i = 0; i <= 20000; i++) {
    const x = -60 + 97 * (i / 20000); // above 37, log Φ is below 1e-300 (denormal)
    const ref = logPhiReference(x);
    if (ref === 0) continue; // Φ(x) = 1 in doubles (x ≥ 38.5): both give 0, checked below
    const d = Math.abs(logPhi(x) - ref) / Math.abs(ref);
    if (d > worst) { worst = d; at = x; }
  }
  // The reference forms 1 − erf below z = 2, which costs it up to ~2e-13 near x = ±2.8.
  assert.ok(worst < 5e-13, `worst relative difference ${worst} at x = ${at}`);
  assert.ok(logPhi(39) === 0, `log Φ(39) = ${logPhi(39)}`); // −0 from log1p(−0)
  assert.equal(logPhi(Infinity), 0);
  assert.equal(logPhi(-Infinity), -Infinity);
  assert.ok(Number.isNaN(logPhi(NaN)));
  assert.ok(Math.abs(logPhi(-1e5) - logPhiReference(-1e5)) <= 1e-15 * 5e9);
});

test("logPhiPair gives log Φ(x) and log Φ(−x); logBvnFrom equals logBvn", () => {
  const pp = { lower: 0, upper: 0 };
  for (const x of [-40, -7.3, -2, -0.3, 0, 0.3, 2, 7.3, 40]) {
    logPhiPair(x, pp);
    assert.ok(Math.abs(pp.lower - logPhi(x)) <= 2e-15 * Math.abs(logPhi(x)), `lower at ${x}`);
    assert.ok(Math.abs(pp.upper - logPhi(-x)) <= 2e-15 * Math.abs(logPhi(-x)), `upper at ${x}`);
  }
  const a: LogBvn = { value: 0, dh: 0, dk: 0, drho: 0 }, b: LogBvn = { value: 0, dh: 0, dk: 0, drho: 0 };
  for (const [h, k, rho] of [[1, -2, 0.5], [-6, -7, -0.95], [3, 4, 0.99], [-30, 2, 0.2]] as const) {
    logBvn(h, k, rho, a);
    logBvnFrom(h, k, rho, logPhi(h), logPhi(-h), logPhi(k), logPhi(-k), b);
    assert.deepEqual(b, a);
  }
});
