// The public API of ica-vs-sae. Notebooks import from here:
//   import * as ica from "../lib";
export { createRng, type Rng } from "./random";
export { DEFAULT_MODEL, MODEL_OPTIONS, model, type Model } from "./model";
export { optionsTable, type Declaration } from "./options";
export { basisFromAngles, generateData, type DataOptions, type DataPrior, type Dataset, type Prior } from "./data";
export { randomBasis, welchBound, type RandomBasisOptions } from "./bases";
export {
  inferSources,
  kktResidual,
  lassoObjective,
  INFER_OPTIONS,
  CERTIFICATE_OPTIONS,
  OBJECTIVE_OPTIONS,
  type InferenceMethod,
  type InferenceOptions,
  type InferenceResult,
  type InferenceDiagnostics,
  type InferenceTrace,
  type Divergence,
} from "./inference";
export {
  angularFraction,
  basisError,
  columnRoles,
  hungarian,
  BASIS_ERROR_OPTIONS,
  type BasisError,
  type BasisErrorOptions,
  type ColumnRole,
} from "./metrics";
export { column, columnNorms, eigenvalues, halfLogDetAAt, reconstruct, type Matrix } from "./linalg";
export {
  animation,
  arrow,
  barChart,
  contributionArrows,
  basisArrows,
  extent,
  heatmaps,
  histogram,
  intervalChart,
  learningAnimation,
  lineChart,
  logTicks,
  palette,
  phaseDiagram,
  pointsTrace,
  scatterWithBasis,
  seedStrip,
  zoneColor,
  withAlpha,
  zoneFigure,
  type ZoneFigureOptions,
  sourceColors,
  type AnimationFrame,
  type AnimationOptions,
  type BarChartOptions,
  type BasisDrawing,
  type ContributionArrowsOptions,
  type Figure,
  type HeatmapPanel,
  type HeatmapsOptions,
  type HistogramOptions,
  type Interval,
  type IntervalChartOptions,
  type LearningAnimationOptions,
  type LearningCurve,
  type LineChartOptions,
  type PhaseDiagramOptions,
  type PointsTraceOptions,
  type ScatterBasisOptions,
  type SeedStripOptions,
  type Series,
  type Trace,
  toyModelFigure,
  type ToyModelFigureOptions,
} from "./figures";
export { figureHtml, formatNumber, plotlyBundleHtml, setupNotebook, show, showTable, tableHtml, type FigureHtmlOptions } from "./display";
export { claim, claimMode, claimSummary, claimTally, claimRecords, claimsInNotebook, resetClaims, formatMeasured, formatValue, ClaimError, CLAIM_MIME, SUMMARY_MIME } from "./check";
export type { ClaimMode, ClaimRecord, ClaimTally, ExecutedNotebook } from "./check";
export { initialBasis, type InitKind, type InitOptions } from "./init";
export {
  columnParts,
  fixedPointBias,
  learnBasis,
  pointContributions,
  reconstructionGradient,
  priorScore,
  PRESETS,
  profiledLikelihood,
  ruleJacobian,
  ruleTerms,
  runOutcome,
  turnRates,
  turnSpeeds,
  type BiasOptions,
  type ColumnParts,
  type FixedPointBias,
  type HistoryEntry,
  type JacobianOptions,
  type LearnOptions,
  type LearnResult,
  type Outcome,
  type Precondition,
  type Preset,
  type BestBy,
  type ResolvedOptions,
  type RuleOptions,
  type RuleTerms,
} from "./learning";
export { predictTurns, radialUpdate, RAY_OPTIONS, rayStability, raySummary, REST_OPTIONS, restLength, signChange, splitJacobian, turnedRay, turnOffsets, turnResponse, type TurnRun, type TurnResponseOptions, type RayOptions, type RaySummary, type SplitJacobian } from "./learning";
export { learningRate, type Schedule } from "./schedule";
export {
  logLikelihood, logBvn, logPhi, EXACT_LIKELIHOOD_OPTIONS, type ExactLikelihood, type ExactLikelihoodOptions,
  minimizeLbfgs, LBFGS_OPTIONS, type LbfgsOptions, type LbfgsResult,
  fitMaximumLikelihood, FIT_OPTIONS, type FitOptions, type FitResult,
  fisherInformation, angleBound, boundAngleErrorDeg, FISHER_OPTIONS, type FisherOptions, type FisherInformation, type AngleBound,
  approximationLadder, ladderField, LADDER_OPTIONS, LADDER_FIELD_OPTIONS, RUNGS, type LadderOptions, type LadderRow,
  profileLengths,
} from "./exact";
export { completeLogLikelihood, laplaceLogEvidence, quadratureLogEvidence, type EvidenceOptions, type QuadratureOptions } from "./evidence";
export {
  clusterColumns,
  clusterCurve,
  columnUsage,
  silhouette,
  type Clustering,
  type ClusterCurvePoint,
  type ClusterOptions,
  type ColumnUsage,
} from "./cluster";
export { formatRate, formatSpread, interpolate, median, pairedRateDifference, quantile, rateBelow, wilsonInterval, type PairedDifference, type Rate } from "./stats";
export {
  ACTIVATIONS,
  encodeSAE,
  reconstructSAE,
  saeGradient,
  saeLoss,
  SAE_OPTIONS,
  trainSAE,
  type Activation,
  type ResolvedSAEOptions,
  type SAEHistoryEntry,
  type SAEModel,
  type SAEOptions,
  type SAEResult,
} from "./sae";
export {
  alignCoder, codeStats, densityCurve, mapCoder, saeCoder, scoreCoder, supportCoverage, type SupportCoverage,
  type Coder, type CoderScore, type CodeStats, type DensityOptions, type DensityPoint, type MapCoderOptions,
} from "./coders";
export { activationZones, activeMasks, reluBoundaries, zoneLabel, ZONE_OPTIONS, type Zone, type ZoneMap, type ZoneOptions } from "./zones";
export {
  describeSweepConfigs,
  loadSweep,
  LOAD_SWEEP_OPTIONS,
  PAIRED_SWEEP_OPTIONS,
  pairedSweepDifference,
  RECIPE_PARTS,
  resolveSweepConfigs,
  runSweep,
  runSweepTask,
  summarizeSweep,
  sweepConfig,
  sweepCurve,
  sweepResultKey,
  SWEEP_BASE,
  SAE_E7,
  SWEEP_CONFIGS,
  SWEEP_DATASETS,
  SWEEP_METHODS,
  SWEEP_SUCCESS_DEG,
  extraSeries,
  panelCell,
  selectionObjective,
  supportSummary,
  type PanelCell,
  type SupportSummary,
  JUMPRELU_LAMBDA,
  TUNING,
  TUNE_SIZES,
  PHASE_CRITERION_OPTIONS,
  PHASE_GRID,
  PHASE_MODEL,
  PHASE_RELU_LAMBDA,
  PHASE_TOLERANCE_DEG,
  parsePhaseName,
  phaseBoundary,
  phaseCells,
  phaseGrid,
  phasePooled,
  phaseName,
  phaseSuccess,
  phaseSummary,
  recovery,
  type PhaseCell,
  type PhaseCellSummary,
  type PhaseCriterion,
  SweepConfigError,
  type LoadedSweep,
  type SweepConfig,
  type SweepInvocation,
  type SweepMeasure,
  type SweepMethod,
  type SweepRecord,
  type SweepSummary,
} from "./sweep";
export {
  dimensionality, lossByDropped, representedBySparsity, toyLawOf, toyShape, toyShapes, toyTable, toyTableHtml, toyTableRows,
  type DimensionalityRow, type LossGroup, type RepresentedRow, type ShapeCount, type ToyShape, type ToyTableRow,
  firstStepBeyond, pairedComparison, scaleRows, startRows, truthStartRows, withinRates, TOY_JUMPRELU_LAMBDA, TOY_LEARNER_DATASETS, TOY_RELU_LAMBDA,
  type PairedComparison, type ScaleRow, type StartRow, type TruthStartRow,
} from "./sweep";
export {
  columnBias, commonTurn, exactRows, field, finiteMean, logLogSlope, ofDataset, signedColumn, sizeCurve, slopeInterval, walkCurve, type ColumnBias, type ExactRow, type SizePoint, type WalkPoint,
  EXACT_BASES, EXACT_MODEL, EXACT_SIZES, E3_MODEL, FROM_TRUTH_UP_TO, LADDER_SAMPLES, modelDataset,
} from "./sweep";
export { boundaryRows, dimensionRows, phaseSlice, startGiveaway, START_GIVEAWAY_OPTIONS, type StartGiveaway, type StartGiveawayOptions } from "./sweep/phase-page";
// Every declaration of options (lib/options.ts): scripts/options-doc.ts makes
// the README's option tables from these, and tests/options.test.ts checks that
// each declared function has its table.
export { MAP_CODER_OPTIONS, DENSITY_OPTIONS } from "./coders";
export { SCHEDULE_OPTIONS } from "./schedule";
export { INTERPOLATE_OPTIONS } from "./stats";
export { EVIDENCE_OPTIONS, QUADRATURE_OPTIONS, COMPLETE_OPTIONS } from "./evidence";
export { CLUSTER_OPTIONS, CURVE_OPTIONS, USAGE_OPTIONS } from "./cluster";
export { DATA_OPTIONS } from "./data";
export { RANDOM_BASIS_OPTIONS } from "./bases";
export { INIT_OPTIONS } from "./init";
export { LEARN_OPTIONS, LIKELIHOOD_OPTIONS, BIAS_OPTIONS, JACOBIAN_OPTIONS, RULE_OPTIONS, CONTRIBUTION_OPTIONS } from "./learning";
export {
  ANIMATION_OPTIONS, BAR_CHART_OPTIONS, BASIS_AXES_OPTIONS, BASIS_DRAWING_OPTIONS, CONTRIBUTION_ARROWS_OPTIONS, HEATMAPS_OPTIONS,
  HISTOGRAM_OPTIONS, INTERVAL_CHART_OPTIONS, LEARNING_ANIMATION_OPTIONS, LINE_CHART_OPTIONS, PHASE_DIAGRAM_OPTIONS, POINTS_TRACE_OPTIONS,
  SCATTER_BASIS_OPTIONS, SEED_STRIP_OPTIONS, TOY_MODEL_FIGURE_OPTIONS, ZONE_FIGURE_OPTIONS,
} from "./figures";
export { FIGURE_HTML_OPTIONS } from "./display";
export {
  featureDimensionality,
  featureNorms,
  polygon,
  representedFeatures,
  trainToyModel,
  REPRESENTED_NORM,
  TOY_EVAL_POINTS,
  TOY_OPTIONS,
  TOY_SAMPLE_OPTIONS,
  type Polygon,
  type ToyModel,
  type ToyModelOptions,
  type ToySampleOptions,
} from "./toy";
