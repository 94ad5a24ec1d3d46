// W8 of `npm run bench` (scripts/bench.ts registers it): the exact
// likelihood of issue #20 (lib/exact), log P(x|A) with its gradient, on
// 50,000 points of the E11 basis (columns at 0°, 60°, 150°, 250°, seed 3),
// σ = 0.1, b = 2, once per prior. In --quick mode (CI) 5,000 points.
import { generateData } from "../lib/data";
import { exactLogLikelihood } from "../lib/exact/likelihood";
import { fromRows } from "../lib/matrix";
import type { Prior } from "../lib/model";
import { stats, timeRuns } from "./bench-time";
import type { BenchArgs, BenchRow } from "./bench";

export function benchW8(ctx: { args: BenchArgs; rows: BenchRow[]; log: (s: string) => void }): void {
  const { args, rows, log } = ctx;
  const points = args.quick ? 5_000 : 50_000;
  const d = generateData({ angles: [0, 60, 150, 250], samples: points, seed: 3 });
  const A = fromRows("A", d.A), X = fromRows("X", d.X);
  for (const prior of ["exponential", "laplace"] as Prior[]) {
    log(`W8: exact log-likelihood and gradient, ${prior} prior, ${points} points…`);
    let mean = NaN;
    const st = stats(timeRuns(() => { mean = exactLogLikelihood(A, X, { prior, sigma: 0.1, b: 2 }, true).total / points; }, args.runs, args.quick ? 0 : 1));
    rows.push({
      workload: "W8", method: `ours: exact log P(x|A) and its gradient, ${prior} prior`, size: `${points.toLocaleString("en-US")} points, n = 4`, ...st,
      note: `mean log-likelihood ${mean.toFixed(6)}`,
    });
  }
}
