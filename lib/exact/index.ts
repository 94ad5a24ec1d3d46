// Exact maximum likelihood for Lewicki & Sejnowski's model in two dimensions (issue #20, notebook E11):
//   normal.ts      log Φ and the bivariate orthant probability log Φ₂ in log space, with its partials
//   likelihood.ts  logLikelihood: the exact log P(x|A) and its gradient; dispatches to
//   pairs.ts       the split into column pairs (closed form),
//   integrate.ts   one source integrated out where the split is near-singular,
//   rank1.ts       and the one-dimensional form for a basis of rank 1
//   lbfgs.ts, fit.ts  fitMaximumLikelihood by L-BFGS; profile.ts: the best lengths for given directions
//   fisher.ts      the Fisher information and the Cramér–Rao bound on the columns' angles
//   ladder.ts      approximationLadder: the zero of each of the rule's approximate gradients, step by step
//   newton.ts      damped Newton with a finite-difference Jacobian, and continuation from one field's zero to the next
export { logLikelihood, exactLogLikelihood, EXACT_LIKELIHOOD_OPTIONS, type ExactLikelihood, type ExactLikelihoodOptions, type Exact } from "./likelihood";
export { logBvn, logPhi, logPhiDensity, millsInverse, Phi, type LogBvn } from "./normal";
export { minimizeLbfgs, LBFGS_OPTIONS, type LbfgsOptions, type LbfgsResult, type LbfgsEntry, type Objective, type StopReason } from "./lbfgs";
export { fitMaximumLikelihood, FIT_OPTIONS, type FitOptions, type FitResult, type FitEntry } from "./fit";
export { profileLengths, type ProfiledLengths } from "./profile";
export { fisherInformation, angleBound, boundAngleErrorDeg, FISHER_OPTIONS, type FisherOptions, type FisherInformation, type AngleBound } from "./fisher";
export { approximationLadder, ladderField, ladderSums, approximateFields, fieldOf, LADDER_OPTIONS, LADDER_FIELD_OPTIONS, RUNGS, type LadderOptions, type LadderRow, type LadderSums, type RungId } from "./ladder";
export { newtonZero, continueZero, type NewtonOptions, type NewtonResult } from "./newton";
