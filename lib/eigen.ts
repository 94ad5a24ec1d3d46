// Eigenvalues of a small general real square matrix on Float64Array: balance
// it, reduce it to upper Hessenberg form by Gaussian elimination with
// pivoting, then run Francis double-shift QR steps on the Hessenberg matrix
// until it splits into 1×1 blocks (real eigenvalues) and 2×2 blocks (a
// complex pair, or two real values). No eigenvectors. This is the classical
// EISPACK route (balanc, elmhes, hqr; Wilkinson & Reinsch, Handbook for
// Automatic Computation II, 1971). Matrices here are row-major: entry (i, j)
// of an n×n matrix is a[i*n + j].

/** QR steps allowed per eigenvalue before giving up; exceptional shifts come every EXCEPTIONAL steps. */
const MAX_STEPS = 60;
const EXCEPTIONAL = 10;

/**
 * Scales rows and columns by powers of 2 (exact in floating point, so the
 * eigenvalues do not change) until each row and column have about the same
 * norm, which makes the QR steps' rounding relative to the matrix's size.
 */
function balance(a: Float64Array, n: number): void {
  let done = false;
  while (!done) {
    done = true;
    for (let i = 0; i < n; i++) {
      let c = 0, r = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        c += Math.abs(a[j * n + i]!);
        r += Math.abs(a[i * n + j]!);
      }
      if (c === 0 || r === 0) continue;
      const total = c + r;
      let f = 1;
      while (c < r / 2) { f *= 2; c *= 4; }
      while (c > r * 2) { f /= 2; c /= 4; }
      if ((c + r) / f < 0.95 * total) {
        done = false;
        for (let j = 0; j < n; j++) a[i * n + j] = a[i * n + j]! / f;
        for (let j = 0; j < n; j++) a[j * n + i] = a[j * n + i]! * f;
      }
    }
  }
}

/** Reduces a to upper Hessenberg form in place (a similarity transform) and zeroes what lies below the subdiagonal. */
function hessenberg(a: Float64Array, n: number): void {
  for (let m = 1; m < n - 1; m++) {
    let x = 0, piv = m;
    for (let j = m; j < n; j++) {
      if (Math.abs(a[j * n + m - 1]!) > Math.abs(x)) { x = a[j * n + m - 1]!; piv = j; }
    }
    if (piv !== m) {
      for (let j = m - 1; j < n; j++) { const t = a[piv * n + j]!; a[piv * n + j] = a[m * n + j]!; a[m * n + j] = t; }
      for (let j = 0; j < n; j++) { const t = a[j * n + piv]!; a[j * n + piv] = a[j * n + m]!; a[j * n + m] = t; }
    }
    if (x === 0) continue;
    for (let i = m + 1; i < n; i++) {
      const y = a[i * n + m - 1]! / x;
      if (y === 0) continue;
      a[i * n + m - 1] = 0;
      for (let j = m; j < n; j++) a[i * n + j] -= y * a[m * n + j]!;
      for (let j = 0; j < n; j++) a[j * n + m] += y * a[j * n + i]!;
    }
  }
  for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) a[i * n + j] = 0;
}

/**
 * Eigenvalues of the n×n row-major matrix a (overwritten) into re and im,
 * unordered; a complex pair comes as (x, +y) and (x, −y). Throws, naming n,
 * when the QR steps do not converge.
 */
export function eigenvaluesInPlace(a: Float64Array, n: number, re: Float64Array, im: Float64Array): void {
  balance(a, n);
  hessenberg(a, n);
  let norm = 0;
  for (let i = 0; i < n; i++) for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(a[i * n + j]!);
  let hi = n - 1, steps = 0, shift = 0;
  while (hi >= 0) {
    // The lowest l ≤ hi such that rows l..hi form an unreduced block.
    let l = hi;
    for (; l >= 1; l--) {
      let s = Math.abs(a[(l - 1) * n + l - 1]!) + Math.abs(a[l * n + l]!);
      if (s === 0) s = norm;
      if (Math.abs(a[l * n + l - 1]!) + s === s) { a[l * n + l - 1] = 0; break; }
    }
    const x = a[hi * n + hi]!;
    if (l === hi) {
      re[hi] = x + shift; im[hi] = 0;
      hi--; steps = 0;
      continue;
    }
    const y = a[(hi - 1) * n + hi - 1]!, w = a[hi * n + hi - 1]! * a[(hi - 1) * n + hi]!;
    if (l === hi - 1) {
      splitTwo(x, y, w, shift, re, im, hi);
      hi -= 2; steps = 0;
      continue;
    }
    if (steps === MAX_STEPS) throw new RangeError(`eigenvalues: the QR iteration did not converge on this ${n}×${n} matrix`);
    steps++;
    if (steps % EXCEPTIONAL === 0) {
      // An exceptional shift breaks the cycles the ordinary one can fall into.
      shift += x;
      for (let i = 0; i <= hi; i++) a[i * n + i] -= x;
      const s = Math.abs(a[hi * n + hi - 1]!) + Math.abs(a[(hi - 1) * n + hi - 2]!);
      francisStep(a, n, l, hi, 0.75 * s, 0.75 * s, -0.4375 * s * s);
    } else {
      francisStep(a, n, l, hi, x, y, w);
    }
  }
}

/** The eigenvalues of the trailing 2×2 block [[y, ·], [·, x]] with product of off-diagonals w, plus the shift, into slots hi − 1 and hi. */
function splitTwo(x: number, y: number, w: number, shift: number, re: Float64Array, im: Float64Array, hi: number): void {
  const p = 0.5 * (y - x), q = p * p + w, z = Math.sqrt(Math.abs(q));
  const base = x + shift;
  if (q >= 0) {
    // Two real values; the larger-magnitude one first, the other from the product (no cancellation).
    const zz = p + (p >= 0 ? z : -z);
    re[hi - 1] = base + zz;
    re[hi] = zz !== 0 ? base - w / zz : base + zz;
    im[hi - 1] = 0; im[hi] = 0;
  } else {
    re[hi - 1] = base + p; re[hi] = base + p;
    im[hi - 1] = z; im[hi] = -z;
  }
}

/**
 * One Francis double-shift QR step on rows and columns l..hi of the
 * Hessenberg matrix, with the shifts the eigenvalues of [[y, ·], [·, x]]
 * (off-diagonal product w): a bulge is chased down by 3×3 Householder
 * reflections. Only the active block is kept up to date (no eigenvectors).
 */
function francisStep(a: Float64Array, n: number, l: number, hi: number, x: number, y: number, w: number): void {
  // Start where two consecutive small subdiagonals let the step begin (m ≥ l).
  let m = hi - 2, p = 0, q = 0, r = 0;
  for (; m >= l; m--) {
    const z = a[m * n + m]!, rr = x - z, ss = y - z;
    p = (rr * ss - w) / a[(m + 1) * n + m]! + a[m * n + m + 1]!;
    q = a[(m + 1) * n + m + 1]! - z - rr - ss;
    r = a[(m + 2) * n + m + 1]!;
    const s = Math.abs(p) + Math.abs(q) + Math.abs(r);
    p /= s; q /= s; r /= s;
    if (m === l) break;
    const u = Math.abs(a[m * n + m - 1]!) * (Math.abs(q) + Math.abs(r));
    const v = Math.abs(p) * (Math.abs(a[(m - 1) * n + m - 1]!) + Math.abs(z) + Math.abs(a[(m + 1) * n + m + 1]!));
    if (u + v === v) break;
  }
  for (let i = m + 2; i <= hi; i++) {
    a[i * n + i - 2] = 0;
    if (i !== m + 2) a[i * n + i - 3] = 0;
  }
  for (let k = m; k <= hi - 1; k++) {
    let scale = 1;
    if (k !== m) {
      p = a[k * n + k - 1]!;
      q = a[(k + 1) * n + k - 1]!;
      r = k !== hi - 1 ? a[(k + 2) * n + k - 1]! : 0;
      scale = Math.abs(p) + Math.abs(q) + Math.abs(r);
      if (scale !== 0) { p /= scale; q /= scale; r /= scale; }
    }
    const norm = Math.sqrt(p * p + q * q + r * r);
    const s = p >= 0 ? norm : -norm;
    if (s === 0) continue;
    if (k === m) {
      if (l !== m) a[k * n + k - 1] = -a[k * n + k - 1]!;
    } else {
      a[k * n + k - 1] = -s * scale;
    }
    p += s;
    const hx = p / s, hy = q / s, hz = r / s;
    q /= p; r /= p;
    const third = k !== hi - 1;
    for (let j = k; j <= hi; j++) {
      let t = a[k * n + j]! + q * a[(k + 1) * n + j]!;
      if (third) { t += r * a[(k + 2) * n + j]!; a[(k + 2) * n + j] -= t * hz; }
      a[(k + 1) * n + j] -= t * hy;
      a[k * n + j] -= t * hx;
    }
    const last = Math.min(hi, k + 3);
    for (let i = l; i <= last; i++) {
      let t = hx * a[i * n + k]! + hy * a[i * n + k + 1]!;
      if (third) { t += hz * a[i * n + k + 2]!; a[i * n + k + 2] -= t * r; }
      a[i * n + k + 1] -= t * q;
      a[i * n + k] -= t;
    }
  }
}
