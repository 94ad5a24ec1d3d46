// Tests of lib/matrix.ts: the column-major layout written out by hand, the
// conversions at the surface, and the data entry dataFromRows.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { dataFromRows, fromRows, mat, pickColumns, toRows } from "../lib/matrix";

test("matrix: dataFromRows rejects transposed data (more rows than columns) and suggests the transpose", () => {
  const tall = Array.from({ length: 1000 }, (_, i) => [i, -i]);
  assert.throws(() => dataFromRows("X", tall), {
    name: "RangeError",
    message: "X is 1000×2: more rows (dimensions) than columns (points); pass the transpose, one column per point",
  });
  assert.throws(() => dataFromRows("data", [[1], [2]]), /data is 2×1: more rows/);
});

test("matrix: dataFromRows keeps fromRows' checks and stores the columns column-major", () => {
  const M = dataFromRows("X", [[1, 2, 3], [4, 5, 6]]);
  assert.equal(M.rows, 2);
  assert.equal(M.cols, 3);
  assert.deepEqual([...M.data], [1, 4, 2, 5, 3, 6]);
  // Square is allowed: as many points as dimensions.
  assert.equal(dataFromRows("X", [[1, 0], [0, 1]]).cols, 2);
  assert.throws(() => dataFromRows("X", [[1, 2], [3, Number.NaN]]), /X\[1\]\[1\] must be a finite number, got NaN/);
  assert.throws(() => dataFromRows("X", [[1, 2, 3]], { rows: 2 }), /X must have 2 rows, got 1/);
});

test("matrix: fromRows is column-major, toRows inverts it, shapes and bad input are checked", () => {
  const M = fromRows("X", [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual([M.rows, M.cols, [...M.data]], [2, 3, [1, 4, 2, 5, 3, 6]]);
  assert.deepEqual(toRows(M), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual([...pickColumns(M, [2, 0]).data], [3, 6, 1, 4]);
  assert.throws(() => fromRows("X", [[1, 2], [3]]), /X must be rectangular/);
  assert.throws(() => fromRows("X", [[1, Number.NaN]]), /X\[0\]\[1\] must be a finite number, got NaN/);
  assert.throws(() => fromRows("X", [["1" as unknown as number]]), /X\[0\]\[0\] must be a finite number, got '1'/);
  assert.throws(() => fromRows("A", [[1, 2]], { rows: 2 }), /A must have 2 rows, got 1/);
  assert.throws(() => mat(2, 2, new Float64Array(3)), /3 entries, expected 2×2 = 4/);
});
