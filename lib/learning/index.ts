// The ICA learner of Lewicki & Sejnowski (2000), by concept:
//   options.ts      presets, the option declaration and its resolution
//   rule.ts         eq. 5: ruleTerms, pointContributions, priorScore, (AAᵀ)⁻¹
//   learner.ts      learnBasis, split into its steps
//   likelihood.ts   the MAP objective's terms and the likelihood proxy
//   diagnostics.ts  fixedPointBias, columnParts, turnRates, turnSpeeds, ruleJacobian, reconstructionGradient, runOutcome
//   stability.ts    the rule's Jacobian along c·A_true, split into turning and stretching; the rest length
export {
  LEARN_OPTIONS, PRESETS,
  type BestBy, type LearnOptions, type Precondition, type Preset, type ResolvedOptions,
} from "./options";
export { CONTRIBUTION_OPTIONS, pointContributions, priorScore, RULE_OPTIONS, ruleTerms, type RuleOptions, type RuleTerms } from "./rule";
export { learnBasis, type HistoryEntry, type LearnResult } from "./learner";
export { LIKELIHOOD_OPTIONS, profiledLikelihood } from "./likelihood";
export {
  BIAS_OPTIONS, columnParts, fixedPointBias, JACOBIAN_OPTIONS, reconstructionGradient, ruleJacobian, runOutcome, turnRates, turnSpeeds,
  type BiasOptions, type ColumnParts, type FixedPointBias, type JacobianOptions, type Outcome,
} from "./diagnostics";
export { predictTurns, radialUpdate, RAY_OPTIONS, rayStability, raySummary, REST_OPTIONS, restLength, signChange, splitJacobian, turnedRay, turnOffsets, turnResponse, type TurnRun, type TurnResponseOptions, type Eigenvalue, type RayOptions, type RaySummary, type SplitJacobian } from "./stability";
// The initialisation lives in lib/init.ts (the SAE shares it); re-exported
// here so that `import { unitDirections } from "./learning"` keeps working.
export { initialBasis, INIT_OPTIONS, unitDirections, type InitKind, type InitOptions } from "../init";
