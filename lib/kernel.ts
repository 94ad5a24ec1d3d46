// Where lib/ meets the Jupyter kernel it may be running in (tslab 1.0.22,
// pinned). tslab.display throws "Not ready" outside a kernel; its jupyter
// module holds the writer of display data once a kernel runs a cell.

/** A display_data message's content: one output with several MIME types. */
export interface DisplayData {
  data: Record<string, unknown>;
  metadata: object;
  transient: object;
}

/** tslab's writer of display data, or null outside a kernel (plain Node: scripts, tests). */
export function displayWriter(): ((msg: DisplayData) => void) | null {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData?: ((msg: DisplayData) => void) | null };
  return jupyter.lastWriteDisplayData ?? null;
}

/** Whether lib/ runs inside a kernel, where outputs can be displayed. */
export function inKernel(): boolean {
  return displayWriter() !== null;
}
