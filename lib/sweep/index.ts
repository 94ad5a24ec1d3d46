// Seed sweeps (notebook E8), by concept: the registry of configurations, one
// run, the record and its result key, the files on disk (records, manifest,
// lock) and the summaries. `npm run sweep` (scripts/sweep.ts) drives them.
export {
  describeSweepConfigs,
  FINGERPRINT_RENAMES,
  RECIPE_PARTS,
  resolveSweepConfigs,
  SAE_E7,
  JUMPRELU_LAMBDA,
  PHASE_RELU_LAMBDA,
  TUNING,
  specFingerprint,
  sweepConfig,
  SWEEP_BASE,
  SWEEP_CONFIGS,
  SWEEP_DATASETS,
  SWEEP_METHODS,
  SweepConfigError,
  type SweepConfig,
  type SweepDataset,
  type SweepMethod,
  type SweepMethodSpec,
} from "./registry";
export { checkRecord, differingFields, sweepResultKey, SWEEP_FORMAT, type SweepRecord } from "./record";
export { runSweep, runSweepTask } from "./run";
export { extraSeries, panelCell, supportSummary, type PanelCell, type SupportSummary } from "./panel";
export { parsePhaseName, PHASE_GRID, PHASE_MODEL, PHASE_TOLERANCE_DEG, phaseCells, phaseName, recovery, type PhaseCell, type PhaseSpec } from "./phase";
export { PHASE_CRITERION_OPTIONS, phaseBoundary, phaseGrid, phasePooled, phaseSuccess, phaseSummary, type PhaseCellSummary, type PhaseCriterion } from "./phase-summary";
export { runTuned, selectionObjective, TUNE_SIZES, type Tuned, type TunedRun } from "./tune";
export {
  loadSweep,
  LOAD_SWEEP_OPTIONS,
  lockSweepDir,
  readSweepRecord,
  removeLeftovers,
  sweepRecordPath,
  writeAtomic,
  writeSweepRecord,
  type LoadedSweep,
  type LoadSweepOptions,
  type RecordState,
} from "./store";
export { appendManifest, manifestPath, readManifest, setAsideBadManifest, type SweepInvocation } from "./manifest";
export {
  PAIRED_SWEEP_OPTIONS,
  pairedSweepDifference,
  summarizeSweep,
  sweepCurve,
  SWEEP_SUCCESS_DEG,
  type PairedSweepOptions,
  type SweepMeasure,
  type SweepSummary,
} from "./summary";
export {
  dimensionality, lossByDropped, representedBySparsity, toyLawOf, toyShape, toyShapes, toyTable, toyTableHtml, toyTableRows,
  type DimensionalityRow, type LossGroup, type RepresentedRow, type ShapeCount, type ToyShape, type ToyTableRow,
} from "./toy-page";
export { firstStepBeyond, pairedComparison, scaleRows, startRows, truthStartRows, withinRates, type PairedComparison, type ScaleRow, type StartRow, type TruthStartRow } from "./toy-verdict";
export { TOY_JUMPRELU_LAMBDA, TOY_LEARNER_DATASETS, TOY_RELU_LAMBDA } from "./toy-spec";
export { columnBias, commonTurn, exactRows, field, finiteMean, logLogSlope, ofDataset, signedColumn, sizeCurve, slopeInterval, walkCurve, type ColumnBias, type ExactRow, type SizePoint, type WalkPoint } from "./exact-page";
export { EXACT_BASES, EXACT_MODEL, EXACT_SIZES, E3_MODEL, FROM_TRUTH_UP_TO, LADDER_SAMPLES, modelDataset } from "./exact-spec";
