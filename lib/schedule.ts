// Learning-rate schedules for learnBasis (blog E6: "ramp up from 0 to the full
// rate over 10% of the steps, then cosine-decay to 0").
import { requirePositive } from "./options";

export type Schedule =
  | "constant"
  | "warmup-cosine"
  | { kind: "warmup-cosine"; warmupFraction?: number };

/**
 * The learning rate used at update `step` (0-based) of a run of `steps`
 * updates with peak rate `lr`. The warm-up ramps linearly, so its first update
 * is already non-zero (lr/W), and the cosine reaches 0 only after the last
 * update.
 */
export function learningRate(schedule: Schedule, lr: number, step: number, steps: number): number {
  requirePositive("lr", lr);
  if (schedule === "constant") return lr;
  const fraction = typeof schedule === "object" ? (schedule.warmupFraction ?? 0.1) : 0.1;
  if (typeof schedule === "object" && schedule.kind !== "warmup-cosine") {
    throw new RangeError(`schedule.kind must be 'warmup-cosine', got ${String(schedule.kind)}`);
  }
  if (typeof schedule !== "object" && schedule !== "warmup-cosine") {
    throw new RangeError(`schedule must be 'constant' or 'warmup-cosine', got ${String(schedule)}`);
  }
  if (!(fraction >= 0 && fraction < 1)) {
    throw new RangeError(`schedule.warmupFraction must be in [0, 1), got ${String(fraction)}`);
  }
  const warm = Math.round(fraction * steps);
  if (step < warm) return (lr * (step + 1)) / warm;
  const decay = steps - warm;
  return 0.5 * lr * (1 + Math.cos((Math.PI * (step - warm)) / decay));
}
