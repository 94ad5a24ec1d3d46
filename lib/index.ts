// The public API of ica-vs-sae. Notebooks import from here:
//   import * as ica from "../lib";
export { createRng, type Rng } from "./random";
export { basisFromAngles, generateData, type DataOptions, type Dataset, type Prior } from "./data";
export {
  inferSources,
  kktResidual,
  lassoObjective,
  type InferenceMethod,
  type InferenceOptions,
  type InferenceResult,
  type InferenceDiagnostics,
  type InferenceTrace,
  type Divergence,
} from "./inference";
export { angularFraction, basisError, hungarian, type BasisError, type BasisErrorOptions } from "./metrics";
export { column, columnNorms, reconstruct, type Matrix } from "./linalg";
export {
  animation,
  basisArrows,
  extent,
  histogram,
  lineChart,
  palette,
  pointsTrace,
  scatterWithBasis,
  sourceColors,
  type AnimationFrame,
  type AnimationOptions,
  type BasisDrawing,
  type Figure,
  type Series,
  type Trace,
} from "./figures";
export { figureHtml, formatNumber, plotlyBundleHtml, setupNotebook, show, showTable, tableHtml } from "./display";
export { claim, ClaimError } from "./check";
