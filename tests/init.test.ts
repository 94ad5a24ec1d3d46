// Tests of lib/init.ts: the initial bases shared by learnBasis and the SAE.
// References: closed-form spacings, basisError's angles, and the digests of
// the previous implementation (lib/learning.ts at commit 60a420e).
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { unitDirections } from "../lib/init";
import { bitsHash } from "./helpers/bits";

const data = ica.generateData({ angles: [30, 150, 270], samples: 300, b: 2, seed: 4 });

test("initialBasis: 'spread' columns are evenly spaced; 'perturbed-truth' keeps lengths", () => {
  const A = ica.initialBasis("spread", { m: 2, n: 5, seed: 9 });
  const ang = A[0]!.map((_, i) => (Math.atan2(A[1]![i]!, A[0]![i]!) * 180) / Math.PI).sort((a, b) => a - b);
  const gaps = ang.map((a, i) => (i === 0 ? ang[0]! + 360 - ang[ang.length - 1]! : a - ang[i - 1]!));
  for (const g of gaps) assert.ok(Math.abs(g - 72) < 1e-9, `gap ${g}`);
  const P = ica.initialBasis("perturbed-truth", { m: 2, n: 3, seed: 1, trueBasis: data.A, perturbDeg: 10 });
  const e = ica.basisError(P, data.A);
  assert.ok(e.meanAngleDeg > 1 && e.maxAngleDeg < 40);
  P[0]!.forEach((_, i) => assert.ok(Math.abs(Math.hypot(P[0]![i]!, P[1]![i]!) - 1) < 1e-12));
});

test("initialBasis: the same bits as before the move out of the learner", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 300, seed: 0 });
  const bases = (seed: number) => [
    ica.initialBasis("spread", { m: 2, n: 5, seed }), ica.initialBasis("random", { m: 3, n: 4, seed }),
    ica.initialBasis("spread", { m: 3, n: 4, seed }), ica.initialBasis("perturbed-truth", { m: 2, n: 4, seed, trueBasis: d.A }),
  ];
  assert.equal(bitsHash(bases(0)), "657f1be5184b9331");
  assert.equal(bitsHash(bases(1)), "86bfbfa1ce431b1a");
});

test("unitDirections: unit length; 'spread' in 3-D keeps the columns further apart than 'random'", () => {
  const minGap = (cols: number[][]) => {
    let g = Infinity;
    cols.forEach((u, i) => cols.forEach((v, k) => {
      if (k > i) g = Math.min(g, Math.acos(Math.max(-1, Math.min(1, u.reduce((s, x, r) => s + x * v[r]!, 0)))));
    }));
    return g;
  };
  const spread = unitDirections("spread", 3, 6, ica.createRng(1));
  const random = unitDirections("random", 3, 6, ica.createRng(1));
  for (const c of [...spread, ...random]) assert.ok(Math.abs(Math.hypot(...c) - 1) < 1e-12);
  assert.ok(minGap(spread) > minGap(random));
  // Six directions on the sphere cannot all be more than 90° apart (the octahedron is the best).
  assert.ok(minGap(spread) <= Math.PI / 2 + 1e-9);
});

test("initialBasis: options are declared: a misspelling, a bad type and a missing m are named", () => {
  assert.throws(() => ica.initialBasis("spread", { m: 2, n: 3, sead: 1 } as never), /initialBasis: unknown option 'sead' \(did you mean 'seed'\?\)/);
  assert.throws(() => ica.initialBasis("spread", { m: 2, n: 3, scale: 0 }), /scale must be > 0, got 0/);
  assert.throws(() => ica.initialBasis("spread", { n: 3 } as never), /m must be an integer ≥ 1, got undefined/);
  assert.throws(() => ica.initialBasis("perturbed-truth", { m: 2, n: 3 }), /init 'perturbed-truth' needs trueBasis/);
  assert.throws(() => ica.initialBasis("zeros" as never, { m: 2, n: 3 }), /init must be 'perturbed-truth', 'random', 'spread', 'data' or an m×n matrix, got zeros/);
});

test("initialBasis 'data': every column is the direction of a data point, and k-means++ takes one from each tight cluster", () => {
  // Three tight bundles of directions (±0.5°) at 10°, 130° and 250°, with very unequal sizes.
  const rng = ica.createRng("bundles");
  const centres = [10, 130, 250];
  const sizes = [400, 30, 5];
  const pts: number[][] = [];
  centres.forEach((c, k) => {
    for (let j = 0; j < sizes[k]!; j++) {
      const t = ((c + (rng.uniform() - 0.5)) * Math.PI) / 180;
      const r = 0.5 + 3 * rng.uniform();
      pts.push([r * Math.cos(t), r * Math.sin(t)]);
    }
  });
  pts.push([0, 0]); // a zero point has no direction and must never be picked
  const X = [pts.map((p) => p[0]!), pts.map((p) => p[1]!)];
  for (let seed = 0; seed < 20; seed++) {
    const A = ica.initialBasis("data", { m: 2, n: 3, seed, data: X });
    const angles = [0, 1, 2].map((i) => ((Math.atan2(A[1]![i]!, A[0]![i]!) * 180) / Math.PI + 360) % 360);
    for (let i = 0; i < 3; i++) {
      assert.ok(Math.abs(Math.hypot(A[0]![i]!, A[1]![i]!) - 1) < 1e-12, "unit length");
      // brute force: some data point has this direction
      assert.ok(pts.some(([x, y]) => Math.hypot(x!, y!) > 0 && Math.abs(x! / Math.hypot(x!, y!) - A[0]![i]!) < 1e-12 && Math.abs(y! / Math.hypot(x!, y!) - A[1]![i]!) < 1e-12));
    }
    const bundles = angles.map((a) => centres.findIndex((c) => Math.abs(a - c) < 1)).sort();
    assert.deepEqual(bundles, [0, 1, 2], `seed ${seed}: angles ${angles.map((a) => a.toFixed(1))}`);
  }
  assert.deepEqual(ica.initialBasis("data", { m: 2, n: 3, seed: 4, data: X }), ica.initialBasis("data", { m: 2, n: 3, seed: 4, data: X }));
});

test("initialBasis 'data': more columns than distinct directions are filled with random ones; bad input is named", () => {
  const X = [[1, 2, 0], [0, 0, 3]]; // two distinct directions
  const A = ica.initialBasis("data", { m: 2, n: 4, seed: 1, data: X });
  const dirs = [0, 1, 2, 3].map((i) => [A[0]![i]!, A[1]![i]!]);
  assert.ok(dirs.every((d) => Math.abs(Math.hypot(d[0]!, d[1]!) - 1) < 1e-12));
  assert.ok(dirs.some((d) => Math.abs(d[0]! - 1) < 1e-12) && dirs.some((d) => Math.abs(d[1]! - 1) < 1e-12));
  assert.throws(() => ica.initialBasis("data", { m: 2, n: 3 }), /init 'data' needs data/);
  assert.throws(() => ica.initialBasis("data", { m: 2, n: 3, data: [[0, 0], [0, 0]] }), /at least one non-zero data point/);
  assert.throws(() => ica.initialBasis("data", { m: 3, n: 3, data: X }), /data/);
});

test("learnBasis and trainSAE take init 'data': the start is data directions and the same seed gives the same bits", () => {
  const d = ica.generateData({ angles: [30, 150, 270], samples: 300, seed: 2 });
  const a = ica.learnBasis(d.X, { preset: "best-effort", init: "data", steps: 5, seed: 3 });
  const b = ica.learnBasis(d.X, { preset: "best-effort", init: "data", steps: 5, seed: 3 });
  assert.deepEqual(a.A, b.A);
  assert.equal(a.options.init, "data");
  const start = ica.initialBasis("data", { m: 2, n: 3, seed: 3, data: d.X });
  assert.deepEqual(a.history[0]!.A, start);
  const s1 = ica.trainSAE(d.X, { init: "data", steps: 5, seed: 3 });
  const s2 = ica.trainSAE(d.X, { init: "data", steps: 5, seed: 3 });
  assert.deepEqual(s1.model, s2.model);
  assert.equal(s1.options.init, "data");
  assert.throws(() => ica.trainSAE(d.X, { init: "datum" as never }), /init must be 'random', 'spread', 'data' or an m×n matrix, got 'datum'/);
});
