// The solvers' result types, shared by the private entry (solve.ts) and the
// public API (index.ts).
import type { Mat } from "../matrix";

export type InferenceMethod = "gradient" | "fista" | "exact" | "active-set";

export interface Divergence {
  iteration: number;
  reason: string;
}

export interface InferenceDiagnostics {
  method: InferenceMethod;
  /** Iterations taken (0 for 'exact'; for 'active-set' the pivots over all points). */
  iterations: number;
  /**
   * True when the method's own stopping rule was met ('exact': always;
   * 'active-set': every point certified, see `failures`) and the
   * problem's scale allowed an answer in double precision (see `scaling`).
   */
  converged: boolean;
  /** Lipschitz constant L = ‖A‖₂²/σ² of the smooth part's gradient. */
  lipschitz: number;
  /** Step actually used (NaN for 'exact'). */
  step: number;
  /** True when the guard replaced a requested step that could diverge. */
  stepGuarded: boolean;
  /**
   * Largest violation of the optimality (KKT) conditions over all points, in
   * units of ∂L/∂s: 0 at an exact minimiser. See kktResidual(). NaN only
   * when the certificate was not asked for (the private certify: false).
   */
  kktResidual: number;
  /** Set when an unguarded run blew up; S is then the best iterate seen. */
  diverged: Divergence | null;
  /**
   * 'exact' only: 'geometric' when the m = 2 cut chose each point's (≤ 3)
   * candidates, 'all' when every support was tried.
   */
  candidates?: "geometric" | "all";
  /** 'exact' only: points for which the geometric cut found nothing and every support was tried. */
  fallbackPoints?: number;
  /**
   * 'active-set' only: the points (0-based columns of X) that were not
   * certified, and why (the pivot cap, or a KKT residual above tolerance);
   * empty when every point was.
   */
  failures?: { point: number; reason: string }[];
  /**
   * Set when A or X lay outside the range where the solvers' sums are safe
   * and were rescaled (exactly, by powers of two; ŝ is mapped back), and,
   * when the rescaled model still lies outside it, why the answer is not
   * converged.
   */
  scaling?: { rescaled: boolean; reason: string | null };
}

/** The trace of an iterative run; iterates are Mat inside lib/. */
export interface TraceOf<M> {
  /** Sum over points of L(s) after each iteration (index 0 is the start). */
  objective: number[];
  /** Snapshots of S (n×p) at the recorded iterations. */
  iterates: M[];
  /** Iteration number of each snapshot. */
  iterations: number[];
}

export type SolverTrace = TraceOf<Mat>;

/** What to trace: the objective only (true), or the iterates too, every `every` iterations. */
export type TraceOption = boolean | { iterates?: boolean; every?: number };
