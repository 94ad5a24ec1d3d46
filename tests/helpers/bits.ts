// A short digest of a value's exact bits, for tests that compare a result
// with the one the previous implementation gave (its digest stored in the
// test). Numbers are written with toString, which round-trips every double,
// and −0 is kept apart from 0.
import * as crypto from "crypto";

export function bitsHash(v: unknown): string {
  const text = JSON.stringify(v, (_k, x) => (typeof x === "number" ? (Object.is(x, -0) ? "-0" : x.toString()) : x));
  return crypto.createHash("sha256").update(text).digest("hex").slice(0, 16);
}
