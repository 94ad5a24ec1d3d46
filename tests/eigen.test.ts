// ica.eigenvalues (balancing, Hessenberg, shifted QR: lib/eigen.ts) against
// mathjs' eigs, an independent implementation, and against the trace and
// determinant, which the eigenvalues must sum and multiply to.
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as math from "mathjs";
import * as ica from "../lib/index";

type Eig = { re: number; im: number };

/** mathjs' eigenvalues of M as {re, im}. */
function reference(M: number[][]): Eig[] {
  const values = math.eigs(M, { eigenvectors: false }).values as unknown;
  const list = (Array.isArray(values) ? values : (values as math.Matrix).toArray()) as (number | math.Complex)[];
  return list.map((v) => (typeof v === "number" ? { re: v, im: 0 } : { re: v.re, im: v.im }));
}

/** Every value of `got` matched to a distinct value of `want` within tol (greedy, nearest first). */
function assertSameSpectrum(got: Eig[], want: Eig[], tol: number, what: string): void {
  assert.equal(got.length, want.length, what);
  const left = [...want];
  for (const g of got) {
    let best = -1, dist = Infinity;
    left.forEach((w, k) => {
      const d = Math.hypot(g.re - w.re, g.im - w.im);
      if (d < dist) { dist = d; best = k; }
    });
    assert.ok(dist <= tol, `${what}: ${JSON.stringify(g)} is ${dist} from the nearest reference value (tolerance ${tol}); reference ${JSON.stringify(want)}`);
    left.splice(best, 1);
  }
}

/**
 * The smallest singular value of M − λI, from mathjs' symmetric eigs of BᵀB,
 * B the real 2n×2n form [[Re, −Im], [Im, Re]] of M − λI: about 0 exactly
 * when λ is an eigenvalue of M.
 */
function smallestSingular(M: number[][], v: Eig): number {
  const n = M.length;
  const B = Array.from({ length: 2 * n }, (_, i) => Array.from({ length: 2 * n }, (_, j) => {
    const re = M[i % n]![j % n]! - (i % n === j % n ? v.re : 0), im = i % n === j % n ? -v.im : 0;
    return i < n ? (j < n ? re : -im) : (j < n ? im : re);
  }));
  const BtB = math.multiply(math.transpose(B), B) as number[][];
  const ev = math.eigs(BtB, { eigenvectors: false }).values as number[];
  return Math.sqrt(Math.max(0, Math.min(...ev)));
}

/** Σλ = trace, Πλ = det (det by mathjs), both to within tol relative to the scale of M. */
function assertTraceAndDet(M: number[][], ev: Eig[], what: string): void {
  const n = M.length;
  const scale = Math.max(1, ...M.flat().map(Math.abs));
  const trace = M.reduce((s, row, i) => s + row[i]!, 0);
  const sum = ev.reduce((s, v) => s + v.re, 0);
  assert.ok(Math.abs(sum - trace) <= 1e-10 * n * scale, `${what}: Σ re λ = ${sum}, trace ${trace}`);
  assert.ok(Math.abs(ev.reduce((s, v) => s + v.im, 0)) <= 1e-10 * n * scale, `${what}: Σ im λ must vanish`);
  let pr = 1, pi = 0;
  for (const v of ev) [pr, pi] = [pr * v.re - pi * v.im, pr * v.im + pi * v.re];
  const det = math.det(M);
  assert.ok(Math.abs(pr - det) <= 1e-9 * scale ** n && Math.abs(pi) <= 1e-9 * scale ** n, `${what}: Πλ = ${pr} + ${pi}i, det ${det}`);
}

/** The contract of the output: sorted by re, then im, descending; a complex value's conjugate is there too. */
function assertContract(ev: Eig[], what: string): void {
  for (let k = 1; k < ev.length; k++) {
    const a = ev[k - 1]!, b = ev[k]!;
    assert.ok(a.re > b.re || (a.re === b.re && a.im >= b.im), `${what}: not sorted at ${k}: ${JSON.stringify(ev)}`);
  }
  for (const v of ev) if (v.im !== 0) assert.ok(ev.some((w) => w.re === v.re && w.im === -v.im), `${what}: ${JSON.stringify(v)} has no conjugate`);
}

test("eigenvalues agree with mathjs' eigs, the trace and the determinant on seeded random matrices of sizes 1–12", () => {
  const r = ica.createRng(20);
  let checked = 0;
  const mathjsFailed: string[] = [];
  for (let n = 1; n <= 12; n++) {
    for (let rep = 0; rep < 6; rep++) {
      const B = Array.from({ length: n }, () => Array.from({ length: n }, () => r.normal() * (rep === 5 ? 1e3 : 1)));
      // Symmetric (real spectrum), general (complex pairs for most n ≥ 2), and sparse with exact zeros.
      const cases: [string, number[][]][] = [
        ["general", B],
        ["symmetric", B.map((row, i) => row.map((v, j) => 0.5 * (v + B[j]![i]!)))],
        ["sparse", B.map((row, i) => row.map((v, j) => ((i * 7 + j * 3 + rep) % 3 === 0 ? 0 : v)))],
      ];
      for (const [kind, M] of cases) {
        const what = `${kind} ${n}×${n} (draw ${rep})`;
        const ev = ica.eigenvalues(M);
        assertContract(ev, what);
        const scale = Math.max(1, ...M.flat().map(Math.abs));
        let want: Eig[] | null = null;
        try {
          want = reference(M);
        } catch {
          mathjsFailed.push(what);
        }
        if (want !== null) assertSameSpectrum(ev, want, 1e-7 * scale, what);
        else {
          // mathjs' eigs gives up on many general matrices: check instead that M − λI is singular for each λ.
          const frob = Math.hypot(...M.flat());
          for (const v of ev) assert.ok(smallestSingular(M, v) <= 1e-6 * frob, `${what}: M − λI is not singular for λ = ${JSON.stringify(v)}`);
        }
        assertTraceAndDet(M, ev, what);
        checked++;
      }
    }
  }
  assert.equal(checked, 216);
  // So that most matrices are still checked against mathjs' own eigenvalues:
  assert.ok(mathjsFailed.length <= 30, `mathjs' eigs failed on ${mathjsFailed.length} matrices: ${mathjsFailed.join("; ")}`);
});

test("eigenvalues of matrices with known spectra: rotations, repeated values, a Jordan block, zeros", () => {
  // A block diagonal of rotation-scalings [[a, −b], [b, a]] (eigenvalues a ± bi), hidden by a similarity transform.
  const r = ica.createRng(7);
  const blocks = [[0.5, 2], [-1, 0.25], [0.5, 3]];
  const D = Array.from({ length: 7 }, () => new Array<number>(7).fill(0));
  blocks.forEach(([a, b], k) => {
    D[2 * k]![2 * k] = a!; D[2 * k]![2 * k + 1] = -b!; D[2 * k + 1]![2 * k] = b!; D[2 * k + 1]![2 * k + 1] = a!;
  });
  D[6]![6] = -2;
  const V = Array.from({ length: 7 }, (_, i) => Array.from({ length: 7 }, (_, j) => (i === j ? 2 : 0) + 0.3 * r.normal()));
  const M = math.multiply(math.multiply(V, D), math.inv(V)) as number[][];
  const want = [...blocks.flatMap(([a, b]) => [{ re: a!, im: b! }, { re: a!, im: -b! }]), { re: -2, im: 0 }];
  const ev = ica.eigenvalues(M);
  assertContract(ev, "rotations");
  assertSameSpectrum(ev, want, 1e-10, "rotations");
  assert.deepEqual(ev.slice(0, 4).map((v) => Math.sign(v.im)), [1, -1, 1, -1], "a conjugate pair: + first, and the pair with the same re sorted by im");

  // Repeated eigenvalues: a diagonal hidden by a similarity transform, and the identity itself.
  const diag = [3, 3, 3, -1, -1, 0, 0].map((v, i) => Array.from({ length: 7 }, (_, j) => (i === j ? v : 0)));
  const rep = math.multiply(math.multiply(V, diag), math.inv(V)) as number[][];
  assertSameSpectrum(ica.eigenvalues(rep), [3, 3, 3, -1, -1, 0, 0].map((re) => ({ re, im: 0 })), 1e-9, "repeated");
  assert.deepEqual(ica.eigenvalues([[1, 0, 0], [0, 1, 0], [0, 0, 1]]), [1, 1, 1].map((re) => ({ re, im: 0 })));

  // A defective 4×4 Jordan block: rounding ε moves its eigenvalue by about ε^(1/4), so the tolerance is that.
  const J = [[2, 1, 0, 0], [0, 2, 1, 0], [0, 0, 2, 1], [0, 0, 0, 2]];
  const VJ = math.multiply(math.multiply(V.slice(0, 4).map((row) => row.slice(0, 4)), J), math.inv(V.slice(0, 4).map((row) => row.slice(0, 4)))) as number[][];
  assertSameSpectrum(ica.eigenvalues(J), [2, 2, 2, 2].map((re) => ({ re, im: 0 })), 0, "Jordan block (triangular already)");
  assertSameSpectrum(ica.eigenvalues(VJ), [2, 2, 2, 2].map((re) => ({ re, im: 0 })), 1e-3, "hidden Jordan block");
  assertTraceAndDet(VJ, ica.eigenvalues(VJ), "hidden Jordan block");

  // Zeros: the zero matrix, a nilpotent shift, 1×1.
  assert.deepEqual(ica.eigenvalues([[0, 0], [0, 0]]), [{ re: 0, im: 0 }, { re: 0, im: 0 }]);
  assertSameSpectrum(ica.eigenvalues([[0, 1, 0], [0, 0, 1], [0, 0, 0]]), [0, 0, 0].map((re) => ({ re, im: 0 })), 0, "nilpotent");
  assert.deepEqual(ica.eigenvalues([[-4.5]]), [{ re: -4.5, im: 0 }]);
  assert.deepEqual(ica.eigenvalues([[0, -1], [1, 0]]), [{ re: 0, im: 1 }, { re: 0, im: -1 }]);
});

test("eigenvalues names bad input", () => {
  assert.throws(() => ica.eigenvalues([[1, 2, 3], [4, 5, 6]]), /M must be square, got 2×3/);
  assert.throws(() => ica.eigenvalues([[1, NaN], [0, 1]]), /M\[0\]\[1\] must be a finite number, got NaN/);
  assert.throws(() => ica.eigenvalues([]), /M must be a non-empty number\[\]\[\]/);
});
