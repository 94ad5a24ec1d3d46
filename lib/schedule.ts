// Learning-rate schedules for learnBasis and trainSAE (blog E6: "ramp up from
// 0 to the full rate over 10% of the steps, then cosine-decay to 0").
import { declareOptions, requirePositive, show } from "./options";

export type Schedule =
  | "constant"
  | "warmup-cosine"
  | { kind: "warmup-cosine"; warmupFraction?: number };

type ScheduleObject = Extract<Schedule, object>;

/** The object form of a schedule, declared like an options object (unknown names are errors). */
export const SCHEDULE_OPTIONS = declareOptions<ScheduleObject>("schedule", {
  kind: { kind: "enum", values: ["warmup-cosine"], doc: "the only schedule with a parameter" },
  warmupFraction: { kind: "number", min: 0, below: 1, default: 0.1, doc: "fraction of the steps spent ramping up" },
});

/** The warm-up fraction of a schedule (0 for 'constant'), or an error naming the schedule. */
function warmupOf(schedule: unknown): number | null {
  if (schedule === "constant") return null;
  if (schedule === "warmup-cosine") return 0.1;
  if (schedule === null || typeof schedule !== "object" || Array.isArray(schedule)) {
    throw new RangeError(`schedule must be 'constant' or 'warmup-cosine', got ${typeof schedule === "string" ? schedule : show(schedule)}`);
  }
  const o = SCHEDULE_OPTIONS.parse(schedule);
  if (o.kind === undefined) throw new RangeError("schedule.kind must be 'warmup-cosine', got undefined");
  return o.warmupFraction!;
}

/**
 * The learning rate used at update `step` (0-based) of a run of `steps`
 * updates with peak rate `lr`. The warm-up ramps linearly, so its first update
 * is already non-zero (lr/W), and the cosine reaches 0 only after the last
 * update.
 */
export function learningRate(schedule: Schedule, lr: number, step: number, steps: number): number {
  requirePositive("lr", lr);
  const fraction = warmupOf(schedule);
  if (fraction === null) return lr;
  const warm = Math.round(fraction * steps);
  if (step < warm) return (lr * (step + 1)) / warm;
  const decay = steps - warm;
  return 0.5 * lr * (1 + Math.cos((Math.PI * (step - warm)) / decay));
}
