// Tests of lib/sweep/panel.ts on hand-made records whose answers are counted here.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";

const fake = (config: string, seed: number, returned: number, last: number, errors: number[], lr: number, extra: Record<string, number | null> = {}): ica.SweepRecord => ({
  format: 1, config, dataset: config.split("/")[0]!, method: config.split("/")[1]!, seed, fingerprint: "x", options: {},
  bestError: Math.min(returned, last), bestStep: 0, finalError: last, finalWorst: last, returnedError: returned, diverged: null, deadFeatures: 0,
  curve: { every: 10, values: [] }, wallMs: 1,
  extra: { lr, ...Object.fromEntries(errors.map((e, i) => [`error${i}`, e])), ...extra },
});

test("panelCell: rates of the handed-back, last and truth-picked errors, the chosen step sizes and the edge share, counted by hand", () => {
  const g = ica.TUNING.saeLr;
  const rs = [
    fake("regular/tuned-sae-nobias", 2, 2.0, 5.0, [9, 2.0, 1.0, 4, 4, 4], g[0]!, { ownExact1: 0.5, ownPrec1: 0.25, ownRec1: 1, ownRel1: 0.1 }),
    fake("regular/tuned-sae-nobias", 0, 4.0, 4.0, [4, 4, 4, 4, 2.5, 4], g[3]!, { ownExact1: 1, ownPrec1: null, ownRec1: 0, ownRel1: 0.3 }),
    fake("regular/tuned-sae-nobias", 1, 1.0, 1.0, [1, 4, 4, 4, 4, 4], g[5]!, { ownExact1: 0, ownPrec1: 0.75, ownRec1: 0.5, ownRel1: 0.2 }),
    fake("regular/tuned-ica", 0, 0.5, 0.5, [0.5], 0.1),
  ];
  const c = ica.panelCell(rs, "regular/tuned-sae-nobias");
  assert.deepEqual(c.records.map((r) => r.seed), [0, 1, 2], "seed order");
  assert.deepEqual(c.returned, [4, 1, 2]);
  assert.deepEqual(c.truthPick, [2.5, 1, 1]);
  assert.deepEqual([c.rate.successes, c.lastRate.successes, c.truthRate.successes, c.rate.trials], [2, 1, 3, 3]);
  assert.equal(c.median, 2);
  assert.deepEqual([...c.chosen], [[g[0]!, 1], [g[3]!, 1], [g[5]!, 1]]);
  assert.equal(c.edgeShare, 2 / 3);
  assert.equal(ica.panelCell(rs, "regular/tuned-sae-nobias", 1.5).rate.successes, 1, "the threshold is the caller's");
  const s = ica.supportSummary(c, "own", 1);
  assert.deepEqual([s.exact, s.precision, s.recall, s.relative], [0.5, 0.5, 0.5, 0.2], "means over seeds (a null precision left out), median relative error");
  assert.throws(() => ica.supportSummary(c, "map", 1), /regular\/tuned-sae-nobias has no mapExact1 scores/);
  assert.throws(() => ica.panelCell(rs, "regular/recipe"), /regular\/recipe is not a tuned configuration/);
  assert.throws(() => ica.panelCell(rs, "irregular/tuned-ica"), /no records for irregular\/tuned-ica/);
  assert.throws(() => ica.panelCell(rs, "regular/tuned-nope"), /unknown configuration 'regular\/tuned-nope'/);
});

test("panelCell on the stored records: the truth's pick is never worse than the kept run, and ICA's last A is recorded beside its pick", () => {
  const loaded = ica.loadSweep("data/sweeps", { configs: ["regular/tuned-ica", "regular/tuned-sae-nobias"] });
  assert.equal(loaded.missing.length, 0);
  for (const config of ["regular/tuned-ica", "regular/tuned-sae-nobias"]) {
    const c = ica.panelCell(loaded.records, config);
    assert.equal(c.records.length, 20);
    c.truthPick.forEach((t, i) => assert.ok(t <= c.returned[i]! + 1e-4, `${config} seed ${i}`));
    assert.ok(c.truthRate.successes >= c.rate.successes);
    for (const r of c.records) assert.equal(ica.extraSeries(r, "objective").length, ica.TUNING.saeLr.length);
  }
});

test("selectionObjective for an SAE is its own loss: equal to saeLoss (the training pass) for ReLU, TopK and JumpReLU", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 400, seed: 5 });
  const fresh = ica.generateData({ angles: [30, 150, 270], samples: 300, seed: "5/fresh" });
  const variants = [{ lambda: 0.01 }, { activation: "topk" as const, k: 2 }, { activation: "jumprelu" as const, lambda: 0.03 }];
  for (const v of variants) {
    const r = ica.trainSAE(d.X, { ...v, steps: 300, features: 3, seed: 5, decoderBias: false });
    const own = ica.selectionObjective({ family: "sae", result: r }, fresh.X);
    const pass = ica.saeLoss(r.model, fresh.X, r.options.lambda).loss;
    assert.ok(Math.abs(own - pass) <= 1e-9 * Math.max(1, Math.abs(pass)), `${v.activation ?? "relu"}: ${own} against ${pass}`);
  }
});
