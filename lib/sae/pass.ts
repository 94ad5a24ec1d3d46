// The forward and backward pass of the SAE over a batch of points, written
// once. With x̄ = x − b_dec:
//     u = W_enc x̄ + b_enc,  s = ReLU(u),  r = x′ − x = W_dec s + b_dec − x,
//     L = (1/q) Σ_points ‖r‖² + (λ/q) Σ_points ‖s‖₁,
// and the gradient by the chain rule, with ∂L/∂x′ = 2r/q and, for an active
// feature i, ∂L/∂u_i = W_dec,iᵀ (2r/q) + λ/q (zero for a silent one):
//     ∂W_dec,i += (2r/q) s_i,  ∂b_enc,i += ∂L/∂u_i,  ∂W_enc,i += ∂L/∂u_i x̄,
//     ∂b_dec += 2r/q − Σ_i ∂L/∂u_i W_enc,i.
//
// Why the pass is generated: the data are mostly 2-D, and there the loops
// over the m coordinates, two iterations each, cost about 40% of a training
// run (a 3000-step trainSAE on 1000 points, n = 3: 69 ms with the loops
// written out, 120 ms with loops; median of 11 interleaved runs). So the one
// template below is compiled once per m into a function in which, for
// m ≤ UNROLL_MAX, each coordinate loop is written out with the coordinates
// held in locals, and for larger m stays a loop. Both forms take the same
// sums in the same order, so they give the same bits (tests/sae.test.ts
// checks it), and a model trained before the rewrite is reproduced exactly.
import type { BatchStats, Params } from "./model";

/** The pass for one m: batch X (m×q, column-major), the gradient of the batch-mean loss added into G if given. */
export type Pass = (P: Params, X: Float64Array, n: number, q: number, lambda: number, G: Params | null) => BatchStats;

/** Largest m whose coordinate loops are written out. */
export const UNROLL_MAX = 8;

const compiled = new Map<string, Pass>();

/** The pass over q points of X (column-major m×q). */
export function pass(P: Params, X: Float64Array, m: number, n: number, q: number, lambda: number, G: Params | null): BatchStats {
  return passFor(m)(P, X, n, q, lambda, G);
}

/** The compiled pass for dimension m; `unrolled` defaults to m ≤ UNROLL_MAX (the tests compare both forms). */
export function passFor(m: number, unrolled = m <= UNROLL_MAX): Pass {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`the SAE pass needs an integer dimension m ≥ 1, got ${m}`);
  const key = `${m}${unrolled ? "u" : "l"}`;
  let f = compiled.get(key);
  if (f === undefined) {
    // The source comes from passSource alone, never from user input.
    f = new Function("P", "X", "n", "q", "lambda", "G", passSource(m, unrolled)) as Pass;
    compiled.set(key, f);
  }
  return f;
}

/**
 * How the template speaks of coordinate k of a per-point vector: `v("r")` is
 * the local r_0, r_1, … when written out, r[k] inside a loop; `each` writes a
 * statement once per coordinate or as one loop over k; `decl` declares the
 * vector with its initial values.
 */
interface Coordinates {
  each(stmt: (v: (name: string) => string, k: string) => string): string;
  decl(name: string, init: (k: string) => string): string;
}

function coordinates(m: number, unrolled: boolean): Coordinates {
  if (unrolled) {
    const ks = Array.from({ length: m }, (_, k) => String(k));
    return {
      each: (stmt) => ks.map((k) => stmt((name) => `${name}_${k}`, k)).join("\n"),
      decl: (name, init) => `let ${ks.map((k) => `${name}_${k} = ${init(k)}`).join(", ")};`,
    };
  }
  return {
    each: (stmt) => `for (let k = 0; k < ${m}; k++) {\n${stmt((name) => `${name}[k]`, "k")}\n}`,
    decl: (name, init) => `const ${name} = new Float64Array(${m});\nfor (let k = 0; k < ${m}; k++) ${name}[k] = ${init("k")};`,
  };
}

/**
 * The body of the pass for dimension m. Local vectors: bd (b_dec), xc (x̄),
 * r (the residual, then 2r/q), gbd (∂b_dec, written back at the end).
 */
function passSource(m: number, unrolled: boolean): string {
  const { each, decl } = coordinates(m, unrolled);
  const at = (k: string) => `${m} * i + ${k}`; // feature i's coordinate k in E, D and their gradients
  return `"use strict";
const E = P.E, be = P.be, D = P.D;
const s = new Float64Array(n);
const fired = new Uint8Array(n);
${decl("bd", (k) => `P.bd[${k}]`)}
${decl("xc", () => "0")}
${decl("r", () => "0")}
${decl("gbd", (k) => `G === null ? 0 : G.bd[${k}]`)}
const gE = G === null ? null : G.E, gbe = G === null ? null : G.be, gD = G === null ? null : G.D;
let sq = 0, l1 = 0, active = 0;
const w = 2 / q;
const gl = lambda / q;
for (let j = 0; j < q; j++) {
  const o = j * ${m};
  ${each((v, k) => `${v("xc")} = X[o + ${k}] - ${v("bd")}; ${v("r")} = ${v("bd")} - X[o + ${k}];`)}
  for (let i = 0; i < n; i++) {
    let u = be[i];
    ${each((v, k) => `u += E[${at(k)}] * ${v("xc")};`)}
    if (u > 0) {
      s[i] = u; fired[i] = 1; active++; l1 += u;
      ${each((v, k) => `${v("r")} += D[${at(k)}] * u;`)}
    } else {
      s[i] = 0;
    }
  }
  ${each((v) => `sq += ${v("r")} * ${v("r")};`)}
  if (G === null) continue;
  ${each((v) => `${v("r")} = w * ${v("r")}; ${v("gbd")} += ${v("r")};`)}
  for (let i = 0; i < n; i++) {
    const si = s[i];
    if (si === 0) continue;
    let gs = gl;
    ${each((v, k) => `gD[${at(k)}] += ${v("r")} * si; gs += D[${at(k)}] * ${v("r")};`)}
    gbe[i] += gs;
    ${each((v, k) => `gE[${at(k)}] += gs * ${v("xc")}; ${v("gbd")} -= gs * E[${at(k)}];`)}
  }
}
if (G !== null) {
  ${each((v, k) => `G.bd[${k}] = ${v("gbd")};`)}
}
return { sq, l1, active, fired };`;
}
