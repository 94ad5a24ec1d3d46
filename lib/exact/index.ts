// Exact maximum likelihood for Lewicki & Sejnowski's model in two dimensions (issue #20, notebook E11):
//   normal.ts      log Φ and the bivariate orthant probability log Φ₂ in log space, with its partials
//   likelihood.ts  logLikelihood: the exact log P(x|A) and its gradient, by the split into column pairs
export { logLikelihood, exactLogLikelihood, EXACT_LIKELIHOOD_OPTIONS, type ExactLikelihood, type ExactLikelihoodOptions, type Exact } from "./likelihood";
export { logBvn, logPhi, logPhiDensity, millsInverse, Phi, type LogBvn } from "./normal";
export { minimizeLbfgs, LBFGS_OPTIONS, type LbfgsOptions, type LbfgsResult, type LbfgsEntry, type Objective, type StopReason } from "./lbfgs";
export { fitMaximumLikelihood, FIT_OPTIONS, type FitOptions, type FitResult, type FitEntry } from "./fit";
export { profileLengths, type ProfiledLengths } from "./profile";
export { fisherInformation, angleBound, boundAngleErrorDeg, FISHER_OPTIONS, type FisherOptions, type FisherInformation, type AngleBound } from "./fisher";
