// The sparse autoencoder (SAE) of the interpretability literature, as a
// baseline on the same data as the ICA rule (blog "Comparison with SAEs";
// Bricken et al. 2023, "Towards Monosemanticity", for the training details):
//     s  = ReLU(W_enc (x − b_dec) + b_enc)
//     x′ = W_dec s + b_dec
//     L  = ⟨‖x − x′‖²⟩ + λ ⟨‖s‖₁⟩
// with unit-length decoder columns, trained by Adam on minibatches. Encoder
// and decoder are learned jointly, unlike ICA, which solves for ŝ first.
// `activation` swaps the ReLU for TopK (Gao et al. 2024) or JumpReLU
// (Rajamanoharan et al. 2024), each with its own loss (variants.ts).
//
// Files: options.ts (trainSAE's declared options), model.ts (the parameters),
// pass.ts (the ReLU forward and backward pass, written once), variants.ts
// (the TopK and JumpReLU passes), train.ts (Adam),
// resample.ts (dead features), median.ts (b_dec's start), evaluate.ts (a
// trained model applied to data).
export { SAE_OPTIONS, type ResolvedSAEOptions, type SAEOptions } from "./options";
export { ACTIVATIONS, type Activation, type SAEModel } from "./model";
export { geometricMedian } from "./median";
export { trainSAE, type SAEHistoryEntry, type SAEResult } from "./train";
export { encodeSAE, reconstructSAE, saeGradient, saeLoss } from "./evaluate";
