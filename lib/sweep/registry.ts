// The registry of seed-sweep configurations (notebook E8): named
// configurations of the learning rule, each run over many seeds, so that a
// claim such as "the recipe works" becomes a success rate with an interval
// instead of one anecdote.
//
// A configuration is "<dataset>/<method>". The datasets are E6's; the methods
// are the paper's rule, the rule with one part of the E6 recipe added, the
// recipe, the recipe with one part removed, over-provisioned runs that are
// clustered and refitted, and the SAE of E7 on the same draws. For every seed
// the data and the start are drawn from that seed, as in E6 (run.ts).
import * as crypto from "crypto";
import type { LearnOptions } from "../learning";
import type { SAEOptions } from "../sae";
import { SWEEP_FORMAT } from "./record";

export interface SweepDataset {
  name: string;
  description: string;
  angles: number[];
  samples: number;
}

/** E6's two datasets: E6.1's regular three features and E6.2's irregular four. */
export const SWEEP_DATASETS: readonly SweepDataset[] = [
  { name: "regular", description: "E6.1: three features at 30°, 150° and 270°, 1,000 points", angles: [30, 150, 270], samples: 1000 },
  { name: "irregular", description: "E6.2: four features at 0°, 60°, 150° and 250°, 1,000 points", angles: [0, 60, 150, 250], samples: 1000 },
];

type IcaOptions = Omit<LearnOptions, "seed" | "trueBasis" | "historyEvery">;

export type SweepMethodSpec =
  | { kind: "ica"; options: IcaOptions }
  | { kind: "overprovision"; columns: number; options: IcaOptions; refitSteps: number }
  | { kind: "sae"; options: Omit<SAEOptions, "seed" | "trueBasis" | "historyEvery" | "features"> };

export interface SweepMethod {
  name: string;
  /** What the method changes, in a few words. */
  description: string;
  spec: SweepMethodSpec;
}

/**
 * The numbers every ICA method shares, so that two methods differ only in
 * the parts they name: the recipe's σ, b, peak α and step count. The paper's
 * rule ('vanilla') runs with them too.
 */
export const SWEEP_BASE = { sigma: 0.1, b: 2, lr: 0.1, steps: 300 } as const;

/** E7's SAE training settings (Adam, warm-up + cosine, b_dec learned unless switched off). */
export const SAE_E7 = { steps: 3000, lr: 0.01, batchSize: 256 } as const;

const vanilla: IcaOptions = { preset: "paper", ...SWEEP_BASE };
const recipe: IcaOptions = { preset: "best-effort", ...SWEEP_BASE, bestBy: "likelihood" };

/**
 * The recipe's parts, each with the option that adds it to the paper's rule
 * and the option that removes it from the recipe. "keep the best A" does not
 * change the trajectory, so it has no 'added' method: it only changes which
 * A is handed back.
 */
export const RECIPE_PARTS = [
  { part: "schedule", label: "the warm-up + cosine schedule", add: { schedule: "warmup-cosine" }, remove: { schedule: "constant" } },
  { part: "spread", label: "the spread initialisation", add: { init: "spread" }, remove: { init: "random" } },
  { part: "equalize", label: "equal column norms", add: { equalizeNorms: true }, remove: { equalizeNorms: false } },
  { part: "precondition", label: "the (AAᵀ)⁻¹ preconditioner", add: { precondition: "inverse-AAT" }, remove: { precondition: "none" } },
  { part: "keepbest", label: "keeping the best A (the likelihood proxy's pick)", add: null, remove: { keepBest: false } },
] as const satisfies readonly { part: string; label: string; add: IcaOptions | null; remove: IcaOptions }[];

function methods(): SweepMethod[] {
  const out: SweepMethod[] = [
    { name: "vanilla", description: "the paper's rule: random start, eq. 5 as it stands, constant α, the last A", spec: { kind: "ica", options: vanilla } },
  ];
  for (const p of RECIPE_PARTS) {
    if (p.add) out.push({ name: `vanilla+${p.part}`, description: `the paper's rule plus ${p.label}`, spec: { kind: "ica", options: { ...vanilla, ...p.add } } });
  }
  out.push({ name: "recipe", description: "the E6 recipe: all five parts", spec: { kind: "ica", options: recipe } });
  for (const p of RECIPE_PARTS) {
    out.push({ name: `recipe-${p.part}`, description: `the recipe without ${p.label}`, spec: { kind: "ica", options: { ...recipe, ...p.remove } } });
  }
  out.push({ name: "recipe@sigma0.5", description: "the recipe at σ = 0.5, the value of E3–E5", spec: { kind: "ica", options: { ...recipe, sigma: 0.5 } } });
  for (const columns of [6, 8]) {
    out.push({
      name: `overprovision${columns}`,
      description: `the recipe with ${columns} columns (last A), usage-weighted k-means to the true count, then a 100-step refit from the centroids (E6.3)`,
      spec: { kind: "overprovision", columns, options: { ...recipe, keepBest: false }, refitSteps: 100 },
    });
  }
  out.push(
    { name: "sae", description: "the E7 SAE, λ = 0.01 (the λ that matches ICA's objective)", spec: { kind: "sae", options: { lambda: 0.01, ...SAE_E7 } } },
    { name: "sae-lambda1", description: "the E7 SAE, λ = 1", spec: { kind: "sae", options: { lambda: 1, ...SAE_E7 } } },
    { name: "sae-nobias", description: "the E7 SAE, λ = 0.01, without the decoder bias", spec: { kind: "sae", options: { lambda: 0.01, ...SAE_E7, decoderBias: false } } },
  );
  return out;
}

/** Every method, in table order. */
export const SWEEP_METHODS: readonly SweepMethod[] = methods();

export interface SweepConfig {
  /** "<dataset>/<method>". */
  name: string;
  dataset: SweepDataset;
  method: SweepMethod;
  /** Changes whenever the dataset or the method's definition changes; a stored record with another one is stale. */
  fingerprint: string;
}

/**
 * Option names renamed since the stored records were made: the name a spec
 * uses now → the name it had when the records were made. A pure rename
 * changes no number, so it must not make 1,700 records stale: add the pair
 * here in the same change that renames the option in a spec below.
 */
export const FINGERPRINT_RENAMES: Readonly<Record<string, string>> = {};

/** `v` with every object key spelled as in `renames` (order kept, so the JSON is the old one). */
function renamed(v: unknown, renames: Readonly<Record<string, string>>): unknown {
  if (Array.isArray(v)) return v.map((x) => renamed(x, renames));
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [renames[k] ?? k, renamed(x, renames)]));
}

/**
 * The hash that ties a record to the definition that made it: the record
 * format, the dataset's angles and size, and the method's spec as written
 * here (not as resolved: a default that moves is not seen, which is why the
 * specs spell σ, b, α and the step count out). Exported for the tests.
 */
export function specFingerprint(dataset: Pick<SweepDataset, "angles" | "samples">, spec: unknown, renames = FINGERPRINT_RENAMES): string {
  const text = JSON.stringify({ format: SWEEP_FORMAT, dataset: { angles: dataset.angles, samples: dataset.samples }, spec: renamed(spec, renames) });
  return crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function fingerprint(dataset: SweepDataset, method: SweepMethod): string {
  return specFingerprint(dataset, method.spec);
}

/** Every configuration: each dataset with each method. */
export const SWEEP_CONFIGS: readonly SweepConfig[] = SWEEP_DATASETS.flatMap((dataset) =>
  SWEEP_METHODS.map((method) => ({ name: `${dataset.name}/${method.name}`, dataset, method, fingerprint: fingerprint(dataset, method) })),
);

export class SweepConfigError extends RangeError {
  override name = "SweepConfigError";
}

/** The valid names, one per line, grouped by dataset (for error messages and `--list`). */
export function describeSweepConfigs(): string {
  const width = Math.max(...SWEEP_CONFIGS.map((c) => c.name.length));
  return SWEEP_CONFIGS.map((c) => `  ${c.name.padEnd(width)}  ${c.method.description}`).join("\n");
}

/**
 * The configurations named by `patterns`, in table order, without repeats.
 * A pattern is a full name ("regular/recipe"), a dataset ("regular"), a
 * method on every dataset ("recipe") or a glob with * ("*\/recipe-*"). A
 * pattern that matches nothing stops everything, with the valid names.
 */
export function resolveSweepConfigs(patterns: readonly string[]): SweepConfig[] {
  if (!Array.isArray(patterns) || patterns.length === 0) throw new SweepConfigError("configs must name at least one configuration");
  const chosen = new Set<string>();
  const unknown: string[] = [];
  for (const raw of patterns) {
    if (typeof raw !== "string" || raw.trim() === "") {
      unknown.push(JSON.stringify(raw));
      continue;
    }
    const pat = raw.trim();
    const re = new RegExp(`^${pat.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\@]/g, "\\$&")).join("[^/]*")}$`);
    const hits = SWEEP_CONFIGS.filter((c) => pat === "all" || re.test(c.name) || re.test(c.dataset.name) || re.test(c.method.name));
    if (hits.length === 0) unknown.push(`'${pat}'`);
    for (const h of hits) chosen.add(h.name);
  }
  if (unknown.length > 0) {
    throw new SweepConfigError(
      `unknown configuration ${unknown.join(", ")}. A configuration is <dataset>/<method>; a dataset, a method or a * pattern selects several. Valid names:\n${describeSweepConfigs()}`,
    );
  }
  return SWEEP_CONFIGS.filter((c) => chosen.has(c.name));
}

/** Looks a configuration up by its full name, or stops with the valid names. */
export function sweepConfig(name: string): SweepConfig {
  const c = SWEEP_CONFIGS.find((x) => x.name === name);
  if (!c) throw new SweepConfigError(`unknown configuration '${String(name)}'. Valid names:\n${describeSweepConfigs()}`);
  return c;
}
