// The TopK and JumpReLU SAEs' forward and backward pass over a batch. The
// ReLU SAE keeps its own generated pass (pass.ts), untouched, so models and
// sweep records trained with it keep their bits. With x̄ = x − b_dec and
// u = W_enc x̄ + b_enc, as in pass.ts:
//
// TopK (Gao et al. 2024, "Scaling and evaluating sparse autoencoders"; their
// openai/sparse_autoencoder, model.py `TopK` and train.py `FastAutoencoder`):
//     s = ReLU(TopK_k(u)): the k largest pre-activations are kept, and of
//     those only the positive ones (so min(k, #positive) features fire);
//     L = ⟨‖x − x′‖²⟩, no sparsity penalty: k sets the sparsity.
// The gradient flows through the kept features only, exactly as for an active
// ReLU feature. Ties are broken towards the lowest index, so a run does not
// depend on how a sort orders equal values. Their auxiliary loss AuxK (dead
// latents reconstruct the residual) is left out; `resample` revives dead
// features instead.
//
// JumpReLU (Rajamanoharan et al. 2024, "Jumping Ahead: Improving
// Reconstruction Fidelity with JumpReLU Sparse Autoencoders", section 3 and
// appendix J):
//     s_i = u_i · H(u_i − θ_i),  θ_i = exp(t_i) (their log-threshold),
//     L = ⟨‖x − x′‖²⟩ + λ ⟨Σ_i H(u_i − θ_i)⟩   (λ weights L0, not ‖s‖₁).
// ∂s_i/∂u_i = H(u_i − θ_i) (no estimator for u). θ gets the straight-through
// pseudo-derivatives with the rectangle kernel K(z) = 1 for |z| < ½ of width
// ε (`bandwidth`):
//     ∂s_i/∂θ_i  := −(θ_i/ε) K((u_i − θ_i)/ε),
//     ∂H/∂θ_i    := −(1/ε) K((u_i − θ_i)/ε),   and ∂H/∂u_i := 0,
// as their pseudo-code and SAELens's `JumpReLU` and `Step` (sae_lens/saes/
// jumprelu_sae.py) do; then ∂L/∂t_i = θ_i ∂L/∂θ_i. The log-threshold is the
// paper's choice (SAELens has since moved to θ itself, clipped at 0): under
// Adam it moves θ by a fixed fraction per step, whatever θ's scale.
//
// The kernel width is a length in the units of the pre-activations, so a
// default only means something relative to the data's scale. trainSAE
// defaults to ε = 0.05·ρ and θ₀ = 0.01·ρ, ρ the data's rms coordinate: the
// values SAELens's JumpReLU training config carries (0.05 and 0.01; its
// versions differ), read as fractions of a unit-scale coordinate. The
// paper's 0.001 goes with its own normalisation of the activations, which
// we have not matched, so it is not compared here. Only points within ε/2 of
// θ_i move θ_i, and our batches hold 256 points of a 2-D distribution. In
// one illustration (E6's regular data, seed 1, λ = 1), ε = θ₀ = 0.001·ρ left
// the thresholds below 0.31 and the mean L0 at 1.97; 0.05·ρ and 0.01·ρ
// raised every threshold to about 1 and L0 to 1.26, at a lower loss (1.94 vs
// 2.03).
import type { Act, BatchStats, Params } from "./model";
import { pass } from "./pass";

/** What a variant's pass needs beyond the parameters: the activation, the L0 weight λ and the kernel width ε (JumpReLU). */
export interface VariantArgs { act: Act; lambda: number; bandwidth: number }

/**
 * The TopK or JumpReLU pass over q points of X (column-major m×q): returns
 * Σ‖x − x′‖², Σ‖s‖₁, the active (point, feature) pairs and which features
 * fired; adds the gradient of the batch-mean loss into G if given (for
 * JumpReLU, the log-thresholds' pseudo-gradient into G.lt).
 */
export function variantPass(P: Params, X: Float64Array, m: number, n: number, q: number, v: VariantArgs, G: Params | null): BatchStats {
  if (v.act.kind === "relu") throw new Error("variantPass is for 'topk' and 'jumprelu'; the ReLU SAE has pass.ts");
  const theta = v.act.kind === "jumprelu" ? Float64Array.from(P.lt!, Math.exp) : null;
  const u = new Float64Array(n);
  const keep = new Uint8Array(n);
  const fired = new Uint8Array(n);
  const xc = new Float64Array(m);
  const r = new Float64Array(m);
  const pt = { u, keep, xc, r, theta }; // the backward pass's view of the current point
  const k0 = v.act.kind === "topk" ? v.act.k : 0;
  let sq = 0;
  let l1 = 0;
  let active = 0;
  for (let j = 0; j < q; j++) {
    const o = j * m;
    for (let k = 0; k < m; k++) {
      xc[k] = X[o + k]! - P.bd[k]!;
      r[k] = P.bd[k]! - X[o + k]!;
    }
    for (let i = 0; i < n; i++) {
      let ui = P.be[i]!;
      for (let k = 0; k < m; k++) ui += P.E[i * m + k]! * xc[k]!;
      u[i] = ui;
    }
    if (theta === null) selectTopK(u, k0, keep);
    else for (let i = 0; i < n; i++) keep[i] = u[i]! > theta[i]! ? 1 : 0;
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      fired[i] = 1;
      active++;
      l1 += u[i]!; // positive: TopK keeps only u_i > 0, JumpReLU only u_i > θ_i > 0
      for (let k = 0; k < m; k++) r[k] += P.D[i * m + k]! * u[i]!;
    }
    for (let k = 0; k < m; k++) sq += r[k]! * r[k]!;
    if (G !== null) backward(P, G, m, n, q, pt, v);
  }
  return { sq, l1, active, fired };
}

/** The pass of any activation: the ReLU SAE's own (pass.ts, its bits unchanged) or variantPass. */
export function anyPass(P: Params, X: Float64Array, m: number, n: number, q: number, v: VariantArgs, G: Params | null): BatchStats {
  return v.act.kind === "relu" ? pass(P, X, m, n, q, v.lambda, G) : variantPass(P, X, m, n, q, v, G);
}

/** The batch-mean objective of the activation: MSE + λ·ℓ₁ (ReLU), MSE (TopK), MSE + λ·L0 (JumpReLU). */
export function objective(st: BatchStats, v: VariantArgs, q: number): number {
  const k = v.act.kind;
  return k === "relu" ? st.sq / q + v.lambda * (st.l1 / q) : k === "topk" ? st.sq / q : st.sq / q + v.lambda * (st.active / q);
}

/** keep[i] = 1 for the k largest positive u_i; among equal values the lowest index wins. */
export function selectTopK(u: Float64Array, k: number, keep: Uint8Array): void {
  keep.fill(0);
  for (let c = 0; c < k; c++) {
    let best = -1;
    for (let i = 0; i < u.length; i++) {
      if (!keep[i] && u[i]! > 0 && (best < 0 || u[i]! > u[best]!)) best = i;
    }
    if (best < 0) return;
    keep[best] = 1;
  }
}

/** One point's contribution to the gradient of the batch-mean loss (the residual r is overwritten with 2r/q). */
function backward(
  P: Params, G: Params, m: number, n: number, q: number,
  pt: { u: Float64Array; keep: Uint8Array; xc: Float64Array; r: Float64Array; theta: Float64Array | null }, v: VariantArgs,
): void {
  const { u, keep, xc, r, theta } = pt;
  const w = 2 / q;
  for (let k = 0; k < m; k++) {
    r[k] = w * r[k]!;
    G.bd[k] += r[k]!;
  }
  for (let i = 0; i < n; i++) {
    const inWindow = theta !== null && Math.abs((u[i]! - theta[i]!) / v.bandwidth) < 0.5;
    if (!keep[i] && !inWindow) continue;
    let gs = 0; // ∂L/∂s_i
    for (let k = 0; k < m; k++) gs += P.D[i * m + k]! * r[k]!;
    if (inWindow) {
      const gTheta = -(theta![i]! / v.bandwidth) * gs - v.lambda / q / v.bandwidth;
      G.lt![i] += theta![i]! * gTheta;
    }
    if (!keep[i]) continue;
    const si = u[i]!;
    for (let k = 0; k < m; k++) {
      G.D[i * m + k] += r[k]! * si;
      G.E[i * m + k] += gs * xc[k]!;
      G.bd[k] -= gs * P.E[i * m + k]!;
    }
    G.be[i] += gs;
  }
}
