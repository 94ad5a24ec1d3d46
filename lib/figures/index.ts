// Plotly figure specifications as plain objects (lib/display.ts shows them).
// Files: spec.ts (types, colours, axes), basis.ts (points and arrows in the
// plane), charts.ts (lines, histograms, bars, heatmaps), animation.ts (the
// animation engine), learning.ts (learning videos, source colours),
// uncertainty.ts (seed strips, interval charts), zones.ts (activation zones), phase.ts (E9's phase diagrams),
// toy.ts (E10's two-dimensional toy models),
// shapes.ts (the nested option shapes the declarations check: series, frames, …).
export { logTicks, palette, withAlpha, type Figure, type Layout, type Trace } from "./spec";
export {
  arrow, basisArrows, contributionArrows, extent, pointsTrace, scatterWithBasis,
  BASIS_AXES_OPTIONS, BASIS_DRAWING_OPTIONS, CONTRIBUTION_ARROWS_OPTIONS, POINTS_TRACE_OPTIONS, SCATTER_BASIS_OPTIONS,
  type BasisDrawing, type ContributionArrowsOptions, type PointsTraceOptions, type ScatterBasisOptions,
} from "./basis";
export {
  barChart, heatmaps, histogram, lineChart, BAR_CHART_OPTIONS, HEATMAPS_OPTIONS, HISTOGRAM_OPTIONS, LINE_CHART_OPTIONS,
  type BarChartOptions, type HeatmapPanel, type HeatmapsOptions, type HistogramOptions, type LineChartOptions, type Series,
} from "./charts";
export { animation, ANIMATION_OPTIONS, type AnimationFrame, type AnimationOptions } from "./animation";
export { learningAnimation, sourceColors, LEARNING_ANIMATION_OPTIONS, type LearningAnimationOptions, type LearningCurve, type LearningStep } from "./learning";
export { intervalChart, seedStrip, INTERVAL_CHART_OPTIONS, SEED_STRIP_OPTIONS, type Interval, type IntervalChartOptions, type SeedStripOptions } from "./uncertainty";
export { phaseDiagram, PHASE_DIAGRAM_OPTIONS, type PhaseDiagramOptions } from "./phase";
export { zoneColor, zoneFigure, ZONE_FIGURE_OPTIONS, type ZoneFigureOptions } from "./zones";
export { toyModelFigure, TOY_MODEL_FIGURE_OPTIONS, type ToyModelFigureOptions } from "./toy";
