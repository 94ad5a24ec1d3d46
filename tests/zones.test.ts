// Tests of lib/zones.ts: activation zones against grid counts of hand-built
// encoders, and ReLU zone edges against the pre-activation they zero.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as ica from "../lib/index";
import { randomModel } from "./helpers/sae-model";

const regular = { angles: [30, 150, 270], samples: 400 };

test("zones: shares of a hand-built encoder match the grid count, and edges are where features switch", () => {
  const model: ica.SAEModel = { Wenc: [[1, 0], [0, 1]], bEnc: [0, 0], Wdec: [[1, 0], [0, 1]], bDec: [0, 0] };
  const res = 101;
  const z = ica.activationZones(ica.saeCoder(model), { xRange: [-1, 1], yRange: [-1, 1], resolution: res });
  // 50 of 101 grid values per axis are > 0 (0 itself is off).
  const on = 50 / res;
  const share = (label: string) => z.zones.find((q) => ica.zoneLabel(q.active) === label)!.share;
  assert.ok(Math.abs(share("1+2") - on * on) < 1e-12);
  assert.ok(Math.abs(share("1") - on * (1 - on)) < 1e-12);
  assert.ok(Math.abs(share("none") - (1 - on) ** 2) < 1e-12);
  assert.equal(z.zones.reduce((t, q) => t + q.share, 0).toFixed(12), "1.000000000000");
  assert.equal(z.mask[res - 1]![res - 1], 3); // top right: both on
  const edges = ica.reluBoundaries({ ...randomModel(2, 3, "edges") });
  const m = randomModel(2, 3, "edges");
  edges.forEach((e, i) => {
    // A point on the edge has pre-activation 0 for feature i.
    const nn = e.normal[0]! ** 2 + e.normal[1]! ** 2;
    const x = [e.normal[0]! * e.offset / nn, e.normal[1]! * e.offset / nn];
    const u = m.Wenc[i]!.reduce((t, w, k) => t + w * (x[k]! - m.bDec[k]!), m.bEnc[i]!);
    assert.ok(Math.abs(u) < 1e-12);
  });
  assert.deepEqual(ica.activeMasks([[0, 1, 2], [3, 0, 1]]), [2, 1, 3]);
  assert.throws(() => ica.activationZones(ica.saeCoder(model), { xRange: [1, -1], yRange: [-1, 1] }), /xRange must be \[min, max\]/);
  assert.throws(() => ica.activationZones(ica.saeCoder(model), { xRange: [-1, 1], yRange: [-1, 1], resolution: 1 }), /resolution must be an integer ≥ 2 and ≤ 1001, got 1/);
  assert.throws(() => ica.activationZones(ica.saeCoder(model), { xRange: [-1, 1], yRange: [-1, 1], resolutoin: 50 } as ica.ZoneOptions),
    /activationZones: unknown option 'resolutoin' \(did you mean 'resolution'\?\)/);
  assert.throws(() => ica.activationZones(ica.saeCoder(model), { xRange: [-1, 1] } as ica.ZoneOptions), /activationZones needs xRange and yRange, got no yRange/);
  assert.throws(() => ica.activationZones(ica.saeCoder(model), { xRange: "wide", yRange: [-1, 1] } as unknown as ica.ZoneOptions),
    /xRange must be \[min, max\] with finite min < max, got 'wide'/);
});

test("zones: ICA's MAP zones in 2-D never hold three columns", () => {
  const d = ica.generateData({ ...regular, seed: 1 });
  const z = ica.activationZones(ica.mapCoder(d.A, { sigma: 0.1, b: 2 }), { xRange: [-6, 6], yRange: [-6, 6], resolution: 61 });
  assert.ok(z.zones.every((q) => q.active.length <= 2));
  assert.ok(z.zones.some((q) => q.active.length === 2));
});

