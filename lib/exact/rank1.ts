// A basis of rank 1 (every column on one line) has its own exact form.
import type { Mat } from "../matrix";
import type { Model } from "../model";
import { logPhi } from "./normal";
import { NEAR, norm, signedLogSum } from "./pairs";

/**
 * Rank 1: every column is ±β_k u. Then y = r u with r = Σ β_k s_k, whose
 * Laplace transform Π 1/(1 + b β_k t) splits into Σ_k C_k/(1 + b β_k t),
 * C_k = Π_{l≠k} 1/(1 − β_l/β_k): one-sided exponentials of scale b|β_k|,
 * each convolved with N(0, σ²) along u (an exponentially modified Gaussian),
 * times N(0, σ²) across u. A Laplace source counts as two, ±β_k. Where two
 * β's are within a relative NEAR of each other (a near-repeated root, where
 * the terms cancel) the answer is the column to integrate out instead.
 */
export function rank1Likelihood(A: Mat, cols: number[], X: Mat, model: Model): { total: number; perPoint: Float64Array } | { out: number; why: string } {
  const { sigma, b } = model;
  const i0 = cols[0]!;
  const len = norm(A, i0);
  const u0 = A.data[2 * i0]! / len, u1 = A.data[2 * i0 + 1]! / len;
  const betas: number[] = [];
  const owner: number[] = [];
  for (const k of cols) {
    const beta = A.data[2 * k]! * u0 + A.data[2 * k + 1]! * u1;
    betas.push(beta);
    owner.push(k);
    if (model.prior === "laplace") {
      betas.push(-beta);
      owner.push(k);
    }
  }
  for (let k = 0; k < betas.length; k++) {
    for (let l = k + 1; l < betas.length; l++) {
      if (Math.abs(1 - betas[l]! / betas[k]!) < NEAR) {
        const out = owner[k] === owner[l] ? owner[k]! : Math.abs(betas[k]!) < Math.abs(betas[l]!) ? owner[k]! : owner[l]!;
        return { out, why: `columns ${owner[k]} and ${owner[l]} are parallel with lengths within ${NEAR} of each other` };
      }
    }
  }
  const eval1 = (bs: number[]): Float64Array => {
    const C: number[] = [];
    const signC: number[] = [];
    for (let k = 0; k < bs.length; k++) {
      let lc = 0, sg = 1;
      for (let l = 0; l < bs.length; l++) {
        if (l === k) continue;
        const f = 1 - bs[l]! / bs[k]!;
        lc -= Math.log(Math.abs(f));
        if (f < 0) sg = -sg;
      }
      C.push(lc);
      signC.push(sg);
    }
    const out = new Float64Array(X.cols);
    const L = new Float64Array(bs.length);
    const S = new Int8Array(bs.length);
    for (let j = 0; j < X.cols; j++) {
      const x0 = X.data[2 * j]!, x1 = X.data[2 * j + 1]!;
      const along = x0 * u0 + x1 * u1;
      const across = -x0 * u1 + x1 * u0;
      for (let k = 0; k < bs.length; k++) {
        // Exp of rate λ = 1/(b|β|) on the side sign(β), convolved with N(0, σ²):
        // λ exp(λ²σ²/2 − λ z) Φ(z/σ − λσ), z the coordinate on that side.
        const lam = 1 / (b * Math.abs(bs[k]!));
        const z = bs[k]! > 0 ? along : -along;
        L[k] = C[k]! + Math.log(lam) + (lam * lam * sigma * sigma) / 2 - lam * z + logPhi(z / sigma - lam * sigma);
        S[k] = signC[k]! as 1 | -1;
      }
      const across2 = -(across * across) / (2 * sigma * sigma) - 0.5 * Math.log(2 * Math.PI * sigma * sigma);
      const sum = signedLogSum(L, S, bs.length);
      // Terms that cancel beyond e^12 (relative error ~1e-13·e^12 ≈ 2e-8) are refused rather than returned as noise.
      if (!Number.isFinite(sum.value) || sum.value < sum.max - 12) {
        throw new RangeError(`logLikelihood: for this rank-1 basis the one-dimensional split cancels beyond its precision at point ${j} (x = [${x0}, ${x1}], ${along.toPrecision(4)} along the columns' line)`);
      }
      out[j] = sum.value + across2;
    }
    return out;
  };
  const res = eval1(betas);
  let total = 0;
  for (const v of res) total += v;
  return { total, perPoint: res };
}
