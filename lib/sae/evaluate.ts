// A trained SAE applied to data: its code, its reconstruction, its loss and
// the loss's gradient (the same pass as training, lib/sae/pass.ts).
import type { Matrix } from "../linalg";
import { fromRows } from "../matrix";
import { checkValue } from "../options";
import { fromModel, toModel, zeros, type SAEModel } from "./model";
import { pass } from "./pass";

/** The SAE's code s = ReLU(W_enc (x − b_dec) + b_enc) for every column of X: n×p. */
export function encodeSAE(model: SAEModel, X: Matrix): Matrix {
  const { P, m, n } = fromModel(model);
  const { cols: p, data } = fromRows("X", X, { rows: m });
  const S: Matrix = Array.from({ length: n }, () => new Array<number>(p).fill(0));
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) {
      let u = P.be[i]!;
      for (let k = 0; k < m; k++) u += P.E[i * m + k]! * (data[j * m + k]! - P.bd[k]!);
      S[i]![j] = u > 0 ? u : 0;
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
 * l0 = mean active features, and the features no point activates.
 */
export function saeLoss(model: SAEModel, X: Matrix, lambda: number): { loss: number; mse: number; l1: number; l0: number; dead: number[] } {
  const { P, m, n } = fromModel(model);
  const { cols: p, data } = fromRows("X", X, { rows: m });
  checkLambda(lambda);
  const st = pass(P, data, m, n, p, lambda, null);
  return {
    loss: (st.sq + lambda * st.l1) / p, mse: st.sq / p, l1: st.l1 / p, l0: st.active / p,
    dead: [...st.fired.keys()].filter((i) => st.fired[i] === 0),
  };
}

/**
 * The gradient of the mean loss over X with respect to every parameter, as
 * trainSAE computes it (before the decoder projection): exposed so the tests
 * can check it against finite differences.
 */
export function saeGradient(model: SAEModel, X: Matrix, lambda: number): SAEModel {
  const { P, m, n } = fromModel(model);
  const { cols: p, data } = fromRows("X", X, { rows: m });
  checkLambda(lambda);
  const G = zeros(m, n);
  pass(P, data, m, n, p, lambda, G);
  return toModel(G, m, n);
}

function checkLambda(lambda: unknown): void {
  checkValue("lambda", { kind: "number", min: 0, doc: "" }, lambda);
}
