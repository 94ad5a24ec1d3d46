// The blog's learning videos as animations: a learnBasis history drawn
// frame by frame, and the colours of points by their sources.
import type { Matrix } from "../linalg";
import { declareOptions, type Schema } from "../options";
import { palette, type Figure, type Layout } from "./spec";
import { extent, pointsTrace, type BasisDrawing } from "./basis";
import type { Series } from "./charts";
import { animation, MARK_SCHEMA } from "./animation";
import { anyNumber, callback, colorSpec, enumList, FIGURE_TITLE, grid, listOf, req } from "./shapes";

/**
 * One colour per point from its sources (n×p): a mix of the feature colours
 * weighted by each point's share of ŝ (the blog's RGB scheme, generalised).
 * A point with ŝ = 0 is grey.
 */
export function sourceColors(S: Matrix, colors: string[] = palette.learned): string[] {
  const n = S.length;
  const p = S[0]!.length;
  const rgb = colors.map((c) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16)));
  const out: string[] = [];
  for (let j = 0; j < p; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) total += Math.abs(S[i]![j]!);
    if (total === 0) {
      out.push("rgb(150,150,150)");
      continue;
    }
    const mix = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const w = Math.abs(S[i]![j]!) / total;
      const c = rgb[i % rgb.length]!;
      for (let k = 0; k < 3; k++) mix[k] += w * c[k]!;
    }
    out.push(`rgb(${mix.map((v) => Math.round(v)).join(",")})`);
  }
  return out;
}

/** The part of a learnBasis history entry that the learning figures draw. */
export interface LearningStep {
  step: number;
  A: Matrix;
  angleError: number | null;
  objective: number;
  updateNorm: number;
  deadFeatures: number;
  lr?: number;
}

export type LearningCurve = "angleError" | "objective" | "updateNorm" | "lr";

export interface LearningAnimationOptions {
  /** The data, drawn under every frame. */
  X: Matrix;
  history: LearningStep[];
  title: string;
  trueBasis?: Matrix;
  /** Number of frames picked evenly from the history. Default 40. */
  frames?: number;
  /** Steps that must be frames (e.g. the best step, a death). */
  include?: number[];
  /** Right-panel curves; the marker follows the first. Default ['angleError'] with a true basis, else ['objective']. */
  curves?: LearningCurve[];
  logY?: boolean;
  /** Vertical marks on the right panel. */
  marks?: { x: number; label: string }[];
  /** Arrows are drawn ×scale; default makes the longest initial or true column 60% of the view. */
  scale?: number;
  range?: number;
  /** Colours of the data points (e.g. sourceColors); default grey. */
  pointColor?: string | string[];
  /** Marker size of the data points. Default 4 (use ~10 for a handful of points). */
  pointSize?: number;
  /** Extra left-panel annotations per step, keyed by step. */
  annotations?: (step: LearningStep, scale: number) => Layout[];
}

const CURVE_LABEL: Record<LearningCurve, string> = {
  angleError: "angle error (°)",
  objective: "mean MAP objective",
  updateNorm: "‖ΔA‖",
  lr: "learning rate α",
};

// A history entry is checked for what the figure reads; learnBasis's entries
// carry more fields (reconstruction, …), which pass through.
const STEP_SCHEMA: Schema<LearningStep> = {
  step: req(anyNumber("")),
  A: req(grid("")),
  angleError: anyNumber("", { nullable: true }),
  objective: anyNumber(""),
  updateNorm: anyNumber(""),
  deadFeatures: anyNumber(""),
  lr: anyNumber(""),
};

export const LEARNING_ANIMATION_OPTIONS = declareOptions<LearningAnimationOptions>("learningAnimation", {
  X: req(grid("2×p data, drawn under every frame")),
  history: req(listOf("{ step, A, angleError, objective, updateNorm, deadFeatures, lr? }[]", STEP_SCHEMA,
    "learnBasis's history (its other fields are ignored)", { open: true })),
  title: FIGURE_TITLE,
  trueBasis: grid("A_true, drawn as thin dark arrows; the default curve is then the angle error"),
  frames: { kind: "integer", min: 1, default: 40, doc: "number of frames picked evenly from the history" },
  include: { kind: "numbers", doc: "steps that must be frames (e.g. the best step, a death)" },
  curves: enumList(["angleError", "objective", "updateNorm", "lr"], "right-panel curves; the marker follows the first (default ['angleError'] with a true basis, else ['objective'])"),
  logY: { kind: "boolean", default: false, doc: "log y axis on the right panel" },
  marks: listOf("{ x, label }[]", MARK_SCHEMA, "dashed vertical lines on the right panel"),
  scale: { kind: "number", above: 0, doc: "arrows are drawn ×scale (default: the longest initial or true column spans 60% of the view)" },
  range: { kind: "number", above: 0, doc: "half-width of the square view (default: fits the data)" },
  pointColor: colorSpec("one colour, or one per point (e.g. sourceColors); default grey"),
  pointSize: { kind: "number", above: 0, default: 4, doc: "marker size of the points (~10 for a handful of points)" },
  annotations: callback("(step, scale) => Layout[]", "extra left-panel annotations per frame (e.g. contributionArrows)"),
});

/**
 * The blog's learning videos as an animation: data, learned columns (solid,
 * one colour each) and true columns (thin dark arrows), with the error curve and
 * a marker synchronised with the step slider.
 */
export function learningAnimation(opts: LearningAnimationOptions): Figure {
  const o = LEARNING_ANIMATION_OPTIONS.parse(opts);
  const h = o.history;
  if (h.length === 0) throw new RangeError("learningAnimation needs a non-empty history");
  const count = Math.max(1, Math.min(o.frames!, h.length));
  const picked = new Set<number>();
  for (let k = 0; k < count; k++) picked.add(Math.round((k * (h.length - 1)) / Math.max(1, count - 1)));
  for (const s of o.include ?? []) {
    const at = h.findIndex((e) => e.step >= s);
    if (at >= 0) picked.add(at);
  }
  const steps = [...picked].sort((a, b) => a - b).map((i) => h[i]!);
  const range = o.range ?? extent(o.X);
  const lengths = (A: Matrix): number[] => A[0]!.map((_, i) => Math.hypot(...A.map((r) => r[i]!)));
  const ref = Math.max(...lengths(h[0]!.A), ...(o.trueBasis ? lengths(o.trueBasis) : [0]));
  const scale = o.scale ?? (ref > 0 ? (0.6 * range) / ref : 1);
  const curves = o.curves ?? [o.trueBasis ? "angleError" : "objective"];
  const x = h.map((e) => e.step);
  const series: Series[] = curves.map((c, i) => ({
    x,
    y: h.map((e) => (c === "angleError" ? (e.angleError ?? Number.NaN) : (e[c] ?? Number.NaN))),
    name: CURVE_LABEL[c],
    color: i === 0 ? "#000000" : palette.learned[(i + 3) % palette.learned.length],
  }));
  const truth: BasisDrawing | null = o.trueBasis
    ? { A: o.trueBasis, name: "A_true", color: palette.truth, dash: true, scale, labels: false }
    : null;
  return animation({
    title: o.title,
    range,
    background: [pointsTrace(o.X, { name: "data", color: o.pointColor, size: o.pointSize })],
    legendBases: [
      { A: h[0]!.A, name: "learned A (×" + formatScale(scale) + ")", color: palette.learned[0] },
      ...(truth ? [{ ...truth, name: "A_true (thin dark arrows)" }] : []),
    ],
    frames: steps.map((e) => ({
      label: String(e.step),
      at: e.step,
      traces: [{
        type: "scatter", mode: "markers", name: "column tips", showlegend: false,
        x: e.A[0]!.map((v) => v * scale), y: e.A[1]!.map((v) => v * scale),
        marker: { size: 6, color: palette.learned.slice(0, e.A[0]!.length) },
        hovertext: e.A[0]!.map((_, i) => `A${i + 1}: length ${lengths(e.A)[i]!.toPrecision(3)}`),
        hoverinfo: "text",
      }],
      bases: [...(truth ? [truth] : []), { A: e.A, name: "A", scale }],
      annotations: o.annotations ? o.annotations(e, scale) : [],
    })),
    curve: {
      series,
      xTitle: "step",
      yTitle: curves.length === 1 ? CURVE_LABEL[curves[0]!] : "value",
      logY: o.logY,
      marks: o.marks,
    },
  });
}

function formatScale(s: number): string {
  return s >= 10 ? s.toFixed(0) : s.toPrecision(2);
}
