// The progress line of `npm run sweep` and `--verify`: on a terminal, a bar
// redrawn in place; in a log, one line per 5%. The ETA weighs what is left
// by each configuration's mean cost so far, since runs differ 10-fold.
const fmtTime = (s: number) => {
  if (!Number.isFinite(s)) return "?";
  s = Math.max(0, Math.round(s));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, "0")}m` : m > 0 ? `${m}m ${String(sec).padStart(2, "0")}s` : `${sec}s`;
};

/** The progress line: bar, count, rate and an ETA from each configuration's mean cost so far. */
export class Progress {
  private done = 0;
  private finishedCost = 0;
  private readonly costs = new Map<string, { sum: number; n: number }>();
  private lastDraw = 0;
  private lastPct = -1;
  private readonly t0 = Date.now();
  constructor(private readonly total: number, private readonly remaining: Map<string, number>, private readonly tty: boolean, private readonly write: (s: string) => void) {}

  finished(config: string, wallMs: number): void {
    this.done++;
    this.finishedCost += wallMs;
    const c = this.costs.get(config) ?? { sum: 0, n: 0 };
    c.sum += wallMs;
    c.n++;
    this.costs.set(config, c);
    this.remaining.set(config, (this.remaining.get(config) ?? 1) - 1);
    this.draw(config);
  }

  eta(): number {
    if (this.finishedCost === 0) return NaN;
    let overall = 0, n = 0;
    for (const c of this.costs.values()) {
      overall += c.sum;
      n += c.n;
    }
    const mean = overall / n;
    let left = 0;
    for (const [config, count] of this.remaining) {
      const c = this.costs.get(config);
      left += count * (c ? c.sum / c.n : mean);
    }
    // Work per second of wall time so far (≈ the number of busy workers).
    const speed = this.finishedCost / ((Date.now() - this.t0) / 1000);
    return left / speed;
  }

  draw(current = "", force = false): void {
    const now = Date.now();
    const pct = Math.floor((100 * this.done) / this.total);
    if (this.tty) {
      if (!force && now - this.lastDraw < 150 && this.done < this.total) return;
      const width = 28;
      const fill = Math.round((width * this.done) / this.total);
      const line = `[${"#".repeat(fill)}${"-".repeat(width - fill)}] ${this.done}/${this.total} ${String(pct).padStart(3)}%  elapsed ${fmtTime((now - this.t0) / 1000)}  ETA ${fmtTime(this.eta())}  ${current}`;
      this.write(`\r${line.slice(0, (process.stderr.columns || 120) - 1).padEnd(Math.min(119, (process.stderr.columns || 120) - 1))}`);
    } else {
      // Logs: one line per 5% (and the last run).
      const step = Math.floor(pct / 5);
      if (!force && step === this.lastPct && this.done < this.total) return;
      this.lastPct = step;
      this.write(`  ${this.done}/${this.total} runs (${pct}%), elapsed ${fmtTime((now - this.t0) / 1000)}, ETA ${fmtTime(this.eta())}\n`);
    }
    this.lastDraw = now;
  }

  end(): void {
    if (this.tty) this.write("\n");
  }
}
