// The learning rule of Lewicki & Sejnowski (2000, eq. 5):
//     ΔA = −A (⟨z ŝᵀ⟩ + I),     z = ∇_s log P(ŝ),
// averaged over a batch, optionally left-multiplied by (AAᵀ)⁻¹ (blog E4.3),
// which turns it back into the plain gradient of log P(x|A) (notebook 00).
// The kernels work on Mat bodies (column-major) and are shared by the
// learner's hot loop and the public ruleTerms / pointContributions.
import { declareOptions, requirePositive } from "../options";
import { outerGram, solveSmall, type Matrix } from "../linalg";
import { fromRows, toRows, type Mat } from "../matrix";
import { MODEL_OPTIONS, RETIRED_NON_NEGATIVE, type Model } from "../model";
import type { Precondition } from "./options";

/** z = ∇_s log P(s) at ŝ: −sign(ŝ)/b for both priors (0 where ŝ = 0). */
export function priorScore(S: Matrix, b: number): Matrix {
  requirePositive("b", b);
  return S.map((row) => row.map((v) => (v > 0 ? -1 / b : v < 0 ? 1 / b : 0)));
}

/**
 * The rule's options. It depends on the model only through b (z = −sign(ŝ)/b
 * for both priors), but it takes the whole model value, so that the options
 * an inference was run with can be passed on unchanged (as the notebooks do).
 */
export interface RuleOptions extends Partial<Model> {
  /** Default 'none'. */
  precondition?: Precondition;
}

export const RULE_OPTIONS = declareOptions<RuleOptions>("ruleTerms", {
  ...MODEL_OPTIONS.schema,
  precondition: { kind: "enum", values: ["none", "inverse-AAT"], default: "none", doc: "'inverse-AAT' left-multiplies both updates by (AAᵀ)⁻¹" },
}, RETIRED_NON_NEGATIVE);

export const CONTRIBUTION_OPTIONS = declareOptions<RuleOptions>("pointContributions", RULE_OPTIONS.schema, RETIRED_NON_NEGATIVE);

export interface RuleTerms {
  /** ⟨z ŝᵀ⟩, the batch mean, n×n. */
  zsT: Matrix;
  /** The update direction ΔA (m×n), preconditioned if asked. */
  dA: Matrix;
  /** The partial update −A⟨z ŝᵀ⟩ alone (m×n), preconditioned if asked. */
  dAPartial: Matrix;
}

/**
 * The terms of the learning rule for basis A and sources S (n×p), averaged
 * over the p points. With precondition 'inverse-AAT' both updates are
 * left-multiplied by (AAᵀ)⁻¹, which turns eq. 5 back into the plain gradient
 * of log P(x|A) (see notebook 00).
 */
export function ruleTerms(A: Matrix, S: Matrix, opts: RuleOptions = {}): RuleTerms {
  const Am = fromRows("A", A);
  const Sm = fromRows("S", S, { rows: Am.cols });
  const o = RULE_OPTIONS.parse(opts);
  const t = ruleTermsMat(Am, Sm, o.b!, o.precondition!);
  return { zsT: toRows(t.zsT), dA: toRows(t.dA), dAPartial: toRows(t.dAPartial) };
}

/** ruleTerms on Mat values, for the callers inside lib/. */
export function ruleTermsMat(A: Mat, S: Mat, b: number, pre: Precondition): { zsT: Mat; dA: Mat; dAPartial: Mat } {
  const m = A.rows, n = A.cols;
  const M = new Float64Array(n * n);
  accumulateZsT(S, b, M);
  const full = new Float64Array(m * n);
  const partial = new Float64Array(m * n);
  applyRule(A, M, partial, false);
  applyRule(A, M, full, true);
  if (pre === "inverse-AAT" && (!precondition(A, partial) || !precondition(A, full))) {
    throw new RangeError("precondition 'inverse-AAT' needs AAᵀ to be invertible; this A has rank < m");
  }
  return { zsT: { rows: n, cols: n, data: M }, dA: { rows: m, cols: n, data: full }, dAPartial: { rows: m, cols: n, data: partial } };
}

/** M = ⟨z ŝᵀ⟩ (column-major n×n) over the p columns of S (n×p). */
export function accumulateZsT(S: Mat, b: number, M: Float64Array): void {
  const { rows: n, cols: p, data } = S;
  M.fill(0);
  const w = 1 / (b * p);
  for (let j = 0; j < p; j++) {
    const o = j * n;
    for (let i = 0; i < n; i++) {
      const s = data[o + i]!;
      if (s === 0) continue;
      const zi = s > 0 ? -w : w;
      // ŝ has at most m non-zeros; skipping the zeros changes no bit of M.
      for (let k = 0; k < n; k++) {
        const t = data[o + k]!;
        if (t !== 0) M[k * n + i] += zi * t;
      }
    }
  }
}

/** out = −A (M + I) when withIdentity, else −A M (column-major m×n). */
export function applyRule(A: Mat, M: Float64Array, out: Float64Array, withIdentity: boolean): void {
  const { rows: m, cols: n, data } = A;
  for (let k = 0; k < n; k++) {
    for (let r = 0; r < m; r++) {
      let acc = withIdentity ? data[k * m + r]! : 0;
      for (let i = 0; i < n; i++) acc += data[i * m + r]! * M[k * n + i]!;
      out[k * m + r] = -acc;
    }
  }
}

/** D ← (AAᵀ)⁻¹ D in place (D column-major m×n); false when AAᵀ is singular. */
export function precondition(A: Mat, D: Float64Array): boolean {
  const { rows: m, cols: n } = A;
  const AAt = outerGram(A.data, m, n);
  for (let k = 0; k < n; k++) {
    const col = solveSmall(AAt, D.subarray(k * m, k * m + m), m);
    if (col === null) return false;
    D.set(col, k * m);
  }
  return true;
}

/**
 * Per-point contributions to the update (blog E4.3's arrow diagrams): for
 * each point j, −A z_j ŝ_jᵀ and −A(z_j ŝ_jᵀ + I), each m×n and optionally
 * left-multiplied by (AAᵀ)⁻¹. Their mean over j is ruleTerms' dAPartial / dA.
 */
export function pointContributions(A: Matrix, S: Matrix, opts: RuleOptions = {}): { partial: Matrix[]; full: Matrix[] } {
  const Am = fromRows("A", A);
  const Sm = fromRows("S", S, { rows: Am.cols });
  const o = CONTRIBUTION_OPTIONS.parse(opts);
  const n = Sm.rows;
  const partial: Matrix[] = [];
  const full: Matrix[] = [];
  for (let j = 0; j < Sm.cols; j++) {
    const t = ruleTermsMat(Am, { rows: n, cols: 1, data: Sm.data.subarray(j * n, j * n + n) }, o.b!, o.precondition!);
    partial.push(toRows(t.dAPartial));
    full.push(toRows(t.dA));
  }
  return { partial, full };
}

/** out[i] = ⟨ŝ_i²⟩, the mean square of row i of S (n×p) over its p points. */
export function codeMeanSquare(S: Mat, out: Float64Array): void {
  const { rows: n, cols: p, data } = S;
  out.fill(0);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) out[i] += data[j * n + i]! * data[j * n + i]!;
  }
  for (let i = 0; i < n; i++) out[i] /= p;
}

/**
 * Gain adaptation (Olshausen & Field 1997, "Sparse coding with an
 * overcomplete basis set: a strategy employed by V1?", Vision Research 37,
 * the rule ‖φ_i‖ ← ‖φ_i‖ (⟨a_i²⟩/σ²_goal)^α): column i of A is scaled in
 * place by (v_i / g)^γ, v_i = ⟨ŝ_i²⟩. A column whose code is strong grows,
 * which weakens its code, until the codes have equal power. Two changes from
 * theirs: the goal g is the geometric mean of the v_i instead of a fixed
 * σ²_goal, so the factors multiply to 1 and only the relative lengths are
 * steered (the overall length stays the rule's, whose dynamics the notebooks
 * study); and v_i is the step's batch mean rather than a running average, as
 * the batch here is usually all of X. A column no point uses (v_i = 0) is
 * left alone and left out of g, so the step cannot shrink it to zero.
 */
export function adaptGains(A: Mat, v: Float64Array, gamma: number): void {
  const { rows: m, cols: n, data } = A;
  let logSum = 0, live = 0;
  for (let i = 0; i < n; i++) {
    if (v[i]! > 0) {
      logSum += Math.log(v[i]!);
      live++;
    }
  }
  if (live === 0) return;
  const logG = logSum / live;
  for (let i = 0; i < n; i++) {
    if (!(v[i]! > 0)) continue;
    const f = Math.exp(gamma * (Math.log(v[i]!) - logG));
    for (let r = 0; r < m; r++) data[i * m + r] = data[i * m + r]! * f;
  }
}
