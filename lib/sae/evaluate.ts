// A trained SAE applied to data: its code, its reconstruction, its loss and
// the loss's gradient (the same pass as training, lib/sae/pass.ts).
import type { Matrix } from "../linalg";
import { fromRows } from "../matrix";
import { checkValue } from "../options";
import { fromModel, toModel, zeros, type SAEModel } from "./model";
import { anyPass, objective, selectTopK, type VariantArgs } from "./variants";

/**
 * The SAE's code for every column of X: n×p. With u = W_enc (x − b_dec) +
 * b_enc, s = ReLU(u) for a ReLU model (no `activation`), the k largest
 * positive u_i for 'topk' (ties to the lowest index), u_i·H(u_i − θ_i) for
 * 'jumprelu'. The model's fields are checked; errors name the field and the value.
 */
export function encodeSAE(model: SAEModel, X: Matrix): Matrix {
  const { P, m, n, act } = fromModel(model);
  const { cols: p, data } = fromRows("X", X, { rows: m });
  const S: Matrix = Array.from({ length: n }, () => new Array<number>(p).fill(0));
  const u = new Float64Array(n);
  const keep = new Uint8Array(n);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) {
      let ui = P.be[i]!;
      for (let k = 0; k < m; k++) ui += P.E[i * m + k]! * (data[j * m + k]! - P.bd[k]!);
      u[i] = ui;
    }
    if (act.kind === "topk") selectTopK(u, act.k, keep);
    for (let i = 0; i < n; i++) {
      const on = act.kind === "relu" ? u[i]! > 0 : act.kind === "topk" ? keep[i] === 1 : u[i]! > Math.exp(P.lt![i]!); // θ as the pass computes it
      S[i]![j] = on ? u[i]! : 0;
    }
  }
  return S;
}

/** The SAE's reconstruction x′ = W_dec s + b_dec of every column of X: m×p. */
export function reconstructSAE(model: SAEModel, X: Matrix): Matrix {
  const S = encodeSAE(model, X);
  const m = model.Wdec.length;
  const n = model.Wdec[0]!.length;
  return Array.from({ length: m }, (_, k) =>
    X[0]!.map((_, j) => {
      let v = model.bDec[k]!;
      for (let i = 0; i < n; i++) v += model.Wdec[k]![i]! * S[i]![j]!;
      return v;
    }));
}

/**
 * The SAE loss on all of X, with its parts: mse = ⟨‖x − x′‖²⟩, l1 = ⟨‖s‖₁⟩,
 * l0 = mean active features, and the features no point activates. The loss
 * is the model's own objective: mse + λ·l1 (relu), mse (topk: λ is not
 * used), mse + λ·l0 (jumprelu).
 */
export function saeLoss(model: SAEModel, X: Matrix, lambda: number): { loss: number; mse: number; l1: number; l0: number; dead: number[] } {
  const { P, m, n, act } = fromModel(model);
  const { cols: p, data } = fromRows("X", X, { rows: m });
  checkLambda(lambda);
  if (act.kind === "relu") {
    // The ReLU loss as it always was computed (its bits are relied on).
    const st = anyPass(P, data, m, n, p, { act, lambda, bandwidth: 0 }, null);
    return { loss: (st.sq + lambda * st.l1) / p, mse: st.sq / p, l1: st.l1 / p, l0: st.active / p, dead: deadOf(st.fired) };
  }
  const v: VariantArgs = { act, lambda, bandwidth: 1 };
  const st = anyPass(P, data, m, n, p, v, null);
  return { loss: objective(st, v, p), mse: st.sq / p, l1: st.l1 / p, l0: st.active / p, dead: deadOf(st.fired) };
}

/**
 * The gradient of the mean loss over X with respect to every parameter, as
 * trainSAE computes it (before the decoder projection): exposed so the tests
 * can check it against finite differences. For a 'jumprelu' model, give the
 * kernel width `bandwidth`: `threshold` then holds the straight-through
 * pseudo-gradient ∂L/∂θ_i (lib/sae/variants.ts), not a threshold.
 */
export function saeGradient(model: SAEModel, X: Matrix, lambda: number, bandwidth?: number): SAEModel {
  const { P, m, n, act } = fromModel(model);
  const { cols: p, data } = fromRows("X", X, { rows: m });
  checkLambda(lambda);
  if (act.kind === "jumprelu") {
    if (bandwidth === undefined) throw new RangeError("saeGradient: bandwidth is required for a 'jumprelu' model (the threshold's pseudo-gradient depends on it), got none");
    checkValue("bandwidth", { kind: "number", above: 0, doc: "" }, bandwidth);
  } else if (bandwidth !== undefined) {
    throw new RangeError(`saeGradient: bandwidth applies only to a 'jumprelu' model, got bandwidth = ${bandwidth} with '${act.kind}'`);
  }
  const G = zeros(m, n, act.kind === "jumprelu");
  anyPass(P, data, m, n, p, { act, lambda, bandwidth: bandwidth ?? 0 }, G);
  const out = toModel(G, m, n);
  if (act.kind === "topk") Object.assign(out, { activation: "topk", k: act.k });
  if (act.kind === "jumprelu") {
    // G.lt holds ∂L/∂t_i = θ_i ∂L/∂θ_i.
    Object.assign(out, { activation: "jumprelu", threshold: Array.from(G.lt!, (g, i) => g / Math.exp(P.lt![i]!)) });
  }
  return out;
}

function deadOf(fired: Uint8Array): number[] {
  return [...fired.keys()].filter((i) => fired[i] === 0);
}

function checkLambda(lambda: unknown): void {
  checkValue("lambda", { kind: "number", min: 0, doc: "" }, lambda);
}
