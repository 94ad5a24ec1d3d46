// Plotly figure specifications as plain objects (lib/display.ts shows them).
// Files: spec.ts (types, colours, axes), basis.ts (points and arrows in the
// plane), charts.ts (lines, histograms, bars, heatmaps), animation.ts (the
// animation engine), learning.ts (learning videos, source colours),
// uncertainty.ts (seed strips, interval charts), zones.ts (activation zones).
export { logTicks, palette, withAlpha, type Figure, type Layout, type Trace } from "./spec";
export { arrow, basisArrows, contributionArrows, extent, pointsTrace, scatterWithBasis, type BasisDrawing, type ScatterBasisOptions } from "./basis";
export { barChart, heatmaps, histogram, lineChart, type BarChartOptions, type HeatmapPanel, type HistogramOptions, type LineChartOptions, type Series } from "./charts";
export { animation, type AnimationFrame, type AnimationOptions } from "./animation";
export { learningAnimation, sourceColors, type LearningAnimationOptions, type LearningCurve, type LearningStep } from "./learning";
export { intervalChart, seedStrip, type Interval, type IntervalChartOptions, type SeedStripOptions } from "./uncertainty";
export { zoneColor, zoneFigure, type ZoneFigureOptions } from "./zones";
