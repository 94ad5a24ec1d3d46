// Exact maximum likelihood for Lewicki & Sejnowski's model in two dimensions (issue #20, notebook E11):
//   normal.ts      log Φ and the bivariate orthant probability log Φ₂ in log space, with its partials
//   likelihood.ts  logLikelihood: the exact log P(x|A) and its gradient, by the split into column pairs
//   ladder.ts      approximationLadder: the zero of each of the rule's approximate gradients, step by step
//   newton.ts      damped Newton with a finite-difference Jacobian, and continuation from one field's zero to the next
export { logLikelihood, exactLogLikelihood, EXACT_LIKELIHOOD_OPTIONS, type ExactLikelihood, type ExactLikelihoodOptions, type Exact } from "./likelihood";
export { logBvn, logPhi, logPhiDensity, millsInverse, Phi, type LogBvn } from "./normal";
export { approximationLadder, ladderField, ladderSums, approximateFields, fieldOf, LADDER_OPTIONS, LADDER_FIELD_OPTIONS, RUNGS, type LadderOptions, type LadderRow, type LadderSums, type RungId } from "./ladder";
export { newtonZero, continueZero, type NewtonOptions, type NewtonResult } from "./newton";
