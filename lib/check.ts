// Claims made in a notebook's prose are backed by calls to claim(), which
// stop the notebook (and so the build and the tests) when they stop holding.

export class ClaimError extends Error {
  override name = "ClaimError";
}

/** Throws a ClaimError with `message` (and the measured detail) unless `ok`. */
export function claim(ok: boolean, message: string, detail?: object): void {
  if (!ok) {
    const extra = detail ? ` (measured: ${JSON.stringify(detail)})` : "";
    throw new ClaimError(`Claim failed: ${message}${extra}`);
  }
}
