// Tests of lib/sweep/: the configurations, their fingerprints, one run as a
// record, and reading and summarising the records (notebook E8). The command
// itself (scripts/sweep.ts) is tested in tests/sweep-cli.test.ts, and E8's
// figures in tests/figures.test.ts.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as ica from "../lib/index";
import { differingFields, FINGERPRINT_RENAMES, specFingerprint, sweepRecordPath, writeSweepRecord } from "../lib/sweep";
import { ROOT, tmpDir } from "./helpers/sweep-cli";

const readRecord = (dir: string, f: string) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as ica.SweepRecord;

// ------------------------------------------------------------ the configurations

test("sweep configurations: every method on each of its datasets, unique names and fingerprints, one part changed at a time", () => {
  assert.equal(ica.SWEEP_CONFIGS.length, ica.SWEEP_METHODS.reduce((t, m) => t + m.datasets.length, 0));
  // The 2-D datasets, E9's phase cells (named from the grid here, not from the registry's list) and E10's toy models (named here).
  const toy = [...[0, 0.5, 0.8, 0.9, 0.95, 0.97, 0.99].map((S) => `tms-n5-m2-S${S}`), "tms-n5-m2-S0.9-imp0.7", "tms-n10-m5-S0.9", "tms-n10-m5-S0.9-corr5", "tms-n10-m5-S0.9-anti5", "tms-n20-m5-S0.9", "tms-n40-m10-S0.9"];
  // E11's: data drawn from the model at each size of its sample-size curve, and E3's data set.
  const exact = [...["regular", "irregular", "uneven"].flatMap((b) => [500, 2000, 5000, 20000, 50000].map((p) => `${b}-model-p${p}`)), "e3"];
  const known = new Set([...ica.SWEEP_DATASETS.map((d) => d.name), ...ica.phaseCells().map(ica.phaseName), ...toy, ...exact]);
  for (const m of ica.SWEEP_METHODS) for (const ds of m.datasets) assert.ok(known.has(ds), `${m.name}: unknown dataset ${ds}`);
  // E8's table: every E8 method on E6's two datasets, over 50 seeds.
  const e8 = ["vanilla", ...ica.RECIPE_PARTS.filter((p) => p.add).map((p) => `vanilla+${p.part}`), "recipe", ...ica.RECIPE_PARTS.map((p) => `recipe-${p.part}`),
    "recipe@sigma0.5", "overprovision6", "overprovision8", "sae", "sae-lambda1", "sae-nobias"];
  assert.equal(e8.length, 17);
  for (const name of e8) {
    const m = ica.SWEEP_METHODS.find((x) => x.name === name);
    assert.ok(m && m.datasets.includes("regular") && m.datasets.includes("irregular") && m.seeds === 50, name);
  }
  assert.equal(new Set(ica.SWEEP_CONFIGS.map((c) => c.name)).size, ica.SWEEP_CONFIGS.length);
  assert.equal(new Set(ica.SWEEP_CONFIGS.map((c) => c.fingerprint)).size, ica.SWEEP_CONFIGS.length);
  const opts = (name: string) => {
    const m = ica.SWEEP_METHODS.find((x) => x.name === name)!;
    assert.ok(m.spec.kind === "ica", name);
    return m.spec.options as Record<string, unknown>;
  };
  const changed = (a: Record<string, unknown>, b: Record<string, unknown>) =>
    [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
  for (const part of ica.RECIPE_PARTS) {
    if (part.add) assert.deepEqual(changed(opts("vanilla"), opts(`vanilla+${part.part}`)), Object.keys(part.add), `vanilla+${part.part}`);
    assert.deepEqual(changed(opts("recipe"), opts(`recipe-${part.part}`)), Object.keys(part.remove), `recipe-${part.part}`);
  }
  // Both ends of the ladder resolve to what their names say.
  const d = ica.generateData({ angles: [30, 150, 270], samples: 50, seed: 0 });
  const v = ica.learnBasis(d.X, { ...opts("vanilla"), steps: 1 }).options;
  assert.deepEqual([v.init, v.precondition, v.schedule, v.equalizeNorms, v.keepBest], ["random", "none", "constant", false, false]);
  const r = ica.learnBasis(d.X, { ...opts("recipe"), steps: 1 }).options;
  assert.deepEqual([r.init, r.precondition, r.schedule, r.equalizeNorms, r.keepBest, r.bestBy], ["spread", "inverse-AAT", "warmup-cosine", true, true, "likelihood"]);
  assert.deepEqual([v.sigma, v.lr, r.sigma, r.lr], [0.1, 0.1, 0.1, 0.1]);
  for (const m of ica.SWEEP_METHODS) {
    const s = m.spec;
    const sae = s.kind === "sae" || ((s.kind === "tuned" || s.kind === "phase" || s.kind === "toy") && s.family === "sae");
    if (!sae && "options" in s) assert.equal(s.options.steps, 300, m.name);
  }
});

test("sweep fingerprints: every record committed in data/sweeps is current (0 stale, 0 unreadable, none missing)", () => {
  const loaded = ica.loadSweep(path.join(ROOT, "data", "sweeps"));
  assert.deepEqual([loaded.stale.length, loaded.unreadable.length, loaded.missing.length, loaded.manifestProblem], [0, 0, 0, null]);
  assert.equal(loaded.records.length, ica.SWEEP_CONFIGS.reduce((t, c) => t + c.seeds, 0));
  // Pinned independently of the code that computes them: the hashes the records were made with.
  for (const c of ica.SWEEP_CONFIGS) assert.equal(c.fingerprint, readRecord(ROOT, path.relative(ROOT, sweepRecordPath(path.join(ROOT, "data", "sweeps"), c.name, 0))).fingerprint, c.name);
});

test("sweep fingerprints: a pure rename listed in FINGERPRINT_RENAMES keeps the fingerprint; a changed value does not", () => {
  assert.deepEqual(FINGERPRINT_RENAMES, {}, "no option of a spec has been renamed since the records were made");
  const ds = ica.SWEEP_DATASETS[0]!;
  const recipe = ica.sweepConfig("regular/recipe");
  assert.equal(specFingerprint(ds, recipe.method.spec), recipe.fingerprint);
  const spec = recipe.method.spec as { kind: string; options: Record<string, unknown> };
  // The spec as it would read after renaming sigma → noiseSigma (same order of keys, same values).
  const renamedSpec = { ...spec, options: Object.fromEntries(Object.entries(spec.options).map(([k, v]) => [k === "sigma" ? "noiseSigma" : k, v])) };
  assert.notEqual(specFingerprint(ds, renamedSpec), recipe.fingerprint, "without the entry, a rename is a new definition");
  assert.equal(specFingerprint(ds, renamedSpec, { noiseSigma: "sigma" }), recipe.fingerprint);
  assert.notEqual(specFingerprint(ds, { ...spec, options: { ...spec.options, sigma: 0.2 } }), recipe.fingerprint);
});

test("sweepResultKey and differingFields: the order of keys and the timing do not count; one ulp anywhere does", () => {
  const rec = readRecord(path.join(ROOT, "data", "sweeps"), "regular/overprovision6/seed-003.json");
  const o = rec.options as Record<string, Record<string, unknown>>;
  const reordered = { ...rec, options: Object.fromEntries(Object.entries(o).reverse().map(([k, v]) => [k, Object.fromEntries(Object.entries(v).reverse())])) };
  assert.equal(ica.sweepResultKey(reordered), ica.sweepResultKey(rec));
  assert.equal(ica.sweepResultKey({ ...rec, wallMs: 1, commit: "x", recordedAt: "y" }), ica.sweepResultKey(rec));
  const ulp = (v: number) => v + Math.abs(v) * Number.EPSILON;
  const curve = { ...rec.curve, values: rec.curve.values.map((v, i) => (i === 3 ? ulp(v) : v)) };
  assert.notEqual(ica.sweepResultKey({ ...rec, curve }), ica.sweepResultKey(rec));
  assert.deepEqual(differingFields(rec, { ...rec, curve, extra: { ...rec.extra, plainClusterError: 0 }, wallMs: 0 }), ["curve", "extra"]);
  assert.deepEqual(differingFields(rec, reordered), []);
});

test("resolveSweepConfigs: names, datasets, methods and * patterns; an unknown name lists every valid one", () => {
  const names = (p: string[]) => ica.resolveSweepConfigs(p).map((c) => c.name);
  assert.deepEqual(names(["regular/recipe"]), ["regular/recipe"]);
  assert.equal(names(["regular"]).length, ica.SWEEP_METHODS.filter((m) => m.datasets.includes("regular")).length);
  assert.deepEqual(names(["recipe"]), ["regular/recipe", "irregular/recipe", "uneven/recipe"]);
  assert.equal(names(["*/recipe-*"]).length, 2 * ica.RECIPE_PARTS.length + 3, "the recipe's parts on E8's two datasets, and recipe-data on three");
  assert.equal(names(["all"]).length, ica.SWEEP_CONFIGS.length);
  assert.deepEqual(names(["irregular/sae", "regular/sae", "sae"]), ["regular/sae", "irregular/sae"], "table order, no repeats");
  assert.deepEqual(names(["regular/recipe@sigma0.5"]), ["regular/recipe@sigma0.5"], "regex characters in names are literal");
  assert.throws(() => ica.resolveSweepConfigs(["regular/recipe", "nope"]), (e: Error) => {
    assert.ok(e instanceof ica.SweepConfigError);
    assert.match(e.message, /unknown configuration 'nope'/);
    for (const c of ica.SWEEP_CONFIGS) assert.ok(e.message.includes(c.name), c.name);
    return true;
  });
  assert.throws(() => ica.resolveSweepConfigs(["regular.recipe"]), /unknown configuration 'regular\.recipe'/);
  assert.throws(() => ica.resolveSweepConfigs([]), /at least one/);
});

// ------------------------------------------------------------ one run

test("runSweepTask: the record is the learnBasis run it names, scored against the truth, and repeats exactly", () => {
  const rec = ica.runSweepTask("regular/recipe", 1);
  const d = ica.generateData({ angles: [30, 150, 270], samples: 1000, seed: 1 });
  const run = ica.learnBasis(d.X, { preset: "best-effort", sigma: 0.1, b: 2, lr: 0.1, steps: 300, bestBy: "likelihood", trueBasis: d.A, seed: 1 });
  const err = (A: number[][]) => Number(ica.basisError(A, d.A).meanAngleDeg.toFixed(6));
  assert.equal(rec.finalError, err(run.A));
  assert.equal(rec.returnedError, err(run.learned));
  assert.equal(rec.finalWorst, Number(ica.basisError(run.A, d.A).maxAngleDeg.toFixed(6)));
  const errors = run.history.map((h) => h.angleError!);
  assert.equal(rec.bestError, Number(Math.min(...errors).toFixed(6)));
  assert.equal(rec.bestStep, run.history[errors.indexOf(Math.min(...errors))]!.step);
  assert.ok(rec.bestError <= rec.finalError && rec.bestError <= rec.returnedError);
  assert.equal(rec.curve.every, 10);
  assert.equal(rec.curve.values.length, 31);
  assert.equal(rec.curve.values[30], Number(errors[300]!.toFixed(3)));
  assert.equal(rec.diverged, null);
  assert.equal(rec.deadFeatures, run.history.at(-1)!.deadFeatures);
  assert.ok(rec.wallMs > 0);
  assert.equal(ica.sweepResultKey(ica.runSweepTask("regular/recipe", 1)), ica.sweepResultKey(rec), "same seed, same record");
  assert.notEqual(ica.sweepResultKey(ica.runSweepTask("regular/recipe", 2)), ica.sweepResultKey(rec), "another seed, another record");
});

test("runSweepTask: over-provisioning refits the true number of columns; the SAE is scored on its decoder", () => {
  const over = ica.runSweepTask("irregular/overprovision6", 0);
  assert.equal((over.options as { wide: { sources: number } }).wide.sources, 6);
  assert.equal((over.options as { refit: { sources: number; steps: number } }).refit.sources, 4);
  assert.equal(over.curve.values.length, 11, "a 100-step refit, every 10 steps");
  for (const k of ["plainClusterError", "weightedClusterError", "wideMatchedError", "refitDeadFeatures"]) assert.equal(typeof over.extra[k], "number", k);
  const sae = ica.runSweepTask("regular/sae-nobias", 0);
  const d = ica.generateData({ angles: [30, 150, 270], samples: 1000, seed: 0 });
  const run = ica.trainSAE(d.X, { lambda: 0.01, steps: 3000, lr: 0.01, batchSize: 256, decoderBias: false, features: 3, trueBasis: d.A, seed: 0, historyEvery: 10 });
  assert.equal(sae.finalError, Number(ica.basisError(run.basis, d.A).meanAngleDeg.toFixed(6)));
  assert.equal(sae.curve.values.length, 31);
  assert.equal(sae.deadFeatures, run.dead.length);
});

test("runSweepTask, tuned: the kept run is the one with the lowest objective on fresh points, rebuilt here from trainSAE and the coders", () => {
  const rec = ica.runSweepTask("regular/tuned-sae", 3);
  const d = ica.generateData({ angles: [30, 150, 270], samples: 1000, seed: 3 });
  const fresh = ica.generateData({ angles: [30, 150, 270], samples: ica.TUNE_SIZES.validation, seed: "3/fresh" });
  // Each of the four step sizes, trained and scored here: the ReLU SAE's loss ⟨‖x − x′‖²⟩ + λ⟨‖s‖₁⟩ on the fresh points, from encodeSAE.
  const objectives = ica.TUNING.saeLr.map((lr) => {
    // The shared start: the data start drawn on ICA's stream, handed to the SAE as a matrix.
    const r = ica.trainSAE(d.X, { steps: 3000, lr, batchSize: 256, lambda: 0.01, init: ica.initialBasis("data", { m: 2, n: 3, seed: 3, data: d.X }), features: 3, seed: 3 });
    const S = ica.encodeSAE(r.model, fresh.X);
    const Xh = ica.reconstructSAE(r.model, fresh.X);
    let sq = 0, l1 = 0;
    for (let j = 0; j < fresh.X[0]!.length; j++) {
      for (let k = 0; k < 2; k++) sq += (fresh.X[k]![j]! - Xh[k]![j]!) ** 2;
      for (let i = 0; i < 3; i++) l1 += Math.abs(S[i]![j]!);
    }
    return { lr, objective: (sq + 0.01 * l1) / fresh.X[0]!.length, error: ica.basisError(r.basis, d.A).meanAngleDeg };
  });
  const best = objectives.reduce((a, b) => (b.objective < a.objective ? b : a));
  assert.equal(rec.extra.lr, best.lr);
  objectives.forEach((o, i) => {
    assert.ok(Math.abs(rec.extra[`objective${i}`]! - o.objective) < 1e-5, `objective${i}`);
    assert.ok(Math.abs(rec.extra[`error${i}`]! - o.error) < 1e-3, `error${i}`);
  });
  assert.ok(Math.abs(rec.returnedError - best.error) < 1e-5);
  // MAP under the decoder codes x − b_dec (this SAE learns b_dec): rebuilt here with mapCoder on shifted points.
  const kept = ica.trainSAE(d.X, { steps: 3000, lr: best.lr, batchSize: 256, lambda: 0.01, init: ica.initialBasis("data", { m: 2, n: 3, seed: 3, data: d.X }), features: 3, seed: 3 });
  assert.ok(Math.hypot(...kept.model.bDec) > 1, "this SAE's b_dec is far from 0, so the shift matters");
  const k1 = ica.generateData({ A: d.A, samples: ica.TUNE_SIZES.khot, seed: "3/khot/k1", active: 1 });
  const cov = ica.supportCoverage({ ...ica.mapCoder(kept.model.Wdec, { sigma: 0.1, b: 2 }), encode: (X) => ica.mapCoder(kept.model.Wdec, { sigma: 0.1, b: 2 }).encode(X.map((row, k) => row.map((v) => v - kept.model.bDec[k]!))) }, d.A, k1.X, k1.S);
  assert.equal(rec.extra.mapExact1, Number((cov.exact.filter(Boolean).length / cov.exact.length).toFixed(4)));
  assert.equal(rec.extra.mapPrec1, Number(cov.precision.toFixed(4)));
  // Support scores lie in [0, 1]; the MAP code under the decoder is reported beside the SAE's own.
  for (const k of [1, 2, 3]) for (const key of ["own", "map"]) for (const f of ["Exact", "Prec", "Rec"]) {
    const v = rec.extra[`${key}${f}${k}`];
    assert.ok(v === null || (v >= 0 && v <= 1), `${key}${f}${k} = ${v}`);
  }
});

test("runSweepTask, tuned ICA: selected by its profiled likelihood on fresh points; over-provisioning with a chosen k", () => {
  const rec = ica.runSweepTask("uneven/tuned-ica", 0);
  const d = ica.generateData({ angles: [25, 130, 255], samples: 1000, seed: 0 });
  const fresh = ica.generateData({ angles: [25, 130, 255], samples: ica.TUNE_SIZES.validation, seed: "0/fresh" });
  const lls = ica.TUNING.icaLr.map((lr) => {
    const r = ica.learnBasis(d.X, { preset: "best-effort", sigma: 0.1, b: 2, lr, steps: 300, bestBy: "likelihood", init: "data", seed: 0 });
    return ica.profiledLikelihood(r.learned, fresh.X, { sigma: 0.1, b: 2 }).value;
  });
  // profiledLikelihood is −log P per point: the kept run is the one with the lowest.
  assert.equal(rec.extra.chosen, lls.indexOf(Math.min(...lls)));
  lls.forEach((v, i) => assert.ok(Math.abs(rec.extra[`objective${i}`]! - v) < 1e-5, `objective${i}`));
  // The sign, checked against the truth: on fresh points the true basis scores lower (better) than the data start.
  const start = ica.initialBasis("data", { m: 2, n: 3, seed: 0, data: d.X });
  assert.ok(ica.profiledLikelihood(d.A, fresh.X, { sigma: 0.1, b: 2 }).value < ica.profiledLikelihood(start, fresh.X, { sigma: 0.1, b: 2 }).value);
  const auto = ica.runSweepTask("regular/overprovision6-auto", 0);
  const wide = ica.learnBasis(ica.generateData({ angles: [30, 150, 270], samples: 1000, seed: 0 }).X, { preset: "best-effort", sigma: 0.1, b: 2, lr: 0.1, steps: 300, keepBest: false, sources: 6, seed: 0 });
  const dd = ica.generateData({ angles: [30, 150, 270], samples: 1000, seed: 0 });
  const usage = ica.columnUsage(wide.A, dd.X, { sigma: 0.1, b: 2 });
  assert.equal(auto.extra.chosenK, ica.clusterCurve(wide.A, { seed: 0, weights: usage.share }).bestK);
});

test("runSweepTask: a bad seed or configuration is named", () => {
  assert.throws(() => ica.runSweepTask("regular/recipe", -1), /seed must be an integer ≥ 0, got -1/);
  assert.throws(() => ica.runSweepTask("regular/recipe", 1.5), /seed must be an integer ≥ 0, got 1.5/);
  assert.throws(() => ica.runSweepTask("regular/receipe", 0), /unknown configuration 'regular\/receipe'[\s\S]*regular\/recipe/);
  assert.throws(() => ica.runSweep(["regular/recipe"], []), /seeds must be a non-empty list/);
});

// ------------------------------------------------------------ the command

test("loadSweep and summarizeSweep: counts, Wilson rates, missing and stale records", () => {
  const dir = tmpDir("load");
  const recs = ica.runSweep(["regular/vanilla", "regular/recipe"], [0, 1]);
  for (const r of recs) writeSweepRecord(dir, r);
  const loaded = ica.loadSweep(dir, { configs: ["regular/vanilla", "regular/recipe", "regular/sae"], seeds: 3 });
  assert.equal(loaded.records.length, 4);
  assert.deepEqual(loaded.missing, [{ config: "regular/vanilla", seeds: 1 }, { config: "regular/recipe", seeds: 1 }, { config: "regular/sae", seeds: 3 }]);
  const second = ica.loadSweep(dir, { configs: ["regular/vanilla", "regular/recipe"], seeds: 1, firstSeed: 1 });
  assert.deepEqual(second.records.map((r) => [r.config, r.seed]), [["regular/vanilla", 1], ["regular/recipe", 1]]);
  assert.throws(() => ica.loadSweep(dir, { firstSeed: -1 }), /firstSeed must be an integer ≥ 0, got -1/);
  const rows = ica.summarizeSweep(loaded.records);
  assert.deepEqual(rows.map((r) => r.config), ["regular/vanilla", "regular/recipe"]);
  for (const row of rows) {
    const rs = loaded.records.filter((r) => r.config === row.config);
    assert.deepEqual(row.success, ica.wilsonInterval(rs.filter((r) => r.bestError < 3).length, rs.length));
    assert.deepEqual(row.returned, ica.wilsonInterval(rs.filter((r) => r.returnedError < 3).length, rs.length));
    assert.equal(row.medianBest, ica.median(rs.map((r) => r.bestError)));
  }
  assert.throws(() => ica.summarizeSweep(loaded.records, 0), /thresholdDeg must be a number > 0, got 0/);
  assert.throws(() => ica.loadSweep(path.join(dir, "absent")), /dir must be an existing directory/);
  // Options declared once (lib/options.ts): a misspelling or a wrong type is named, not ignored.
  assert.throws(() => ica.loadSweep(dir, { seed: 3 } as never), /loadSweep: unknown option 'seed' \(did you mean 'seeds'\?\)/);
  assert.throws(() => ica.loadSweep(dir, { seeds: "3" } as never), /seeds must be an integer, got '3'/);
  assert.throws(() => ica.loadSweep(dir, { configs: "regular" } as never), /configs must be an array of configuration names, got 'regular'/);
  assert.throws(() => ica.pairedSweepDifference(loaded.records, "regular/recipe", "regular/vanilla", { measure: "best" as never }), /measure must be one of 'bestError', 'returnedError', 'finalError', got 'best'/);
  assert.throws(() => ica.pairedSweepDifference(loaded.records, "regular/recipe", "regular/vanilla", { thresholdDeg: 0 }), /thresholdDeg must be > 0, got 0/);
  assert.throws(() => ica.pairedSweepDifference(loaded.records, "regular/recipe", "regular/vanilla", { threshold: 5 } as never), /unknown option 'threshold'; valid options are measure, thresholdDeg/);
  assert.equal(ica.pairedSweepDifference(loaded.records, "regular/recipe", "regular/vanilla").difference,
    ica.pairedSweepDifference(loaded.records, "regular/recipe", "regular/vanilla", { measure: "bestError", thresholdDeg: 3 }).difference);
  const curve = ica.sweepCurve(loaded.records, "regular/recipe");
  assert.equal(curve.steps.length, 31);
  assert.ok(curve.low.every((v, k) => v <= curve.median[k]! && curve.median[k]! <= curve.high[k]!));
  fs.rmSync(dir, { recursive: true });
});
