// Learning-rate schedule: linear warm-up, then cosine decay to a floor.
// Pure function of the step so a re-planned total simply bends the remaining curve.

/** Schedule parameters. */
interface ScheduleOptions {
  readonly peak: number;
  readonly warmupSteps: number;
  readonly totalSteps: number;
  /** Final learning rate as a fraction of the peak (default 0.1, also when undefined). */
  readonly minRatio?: number | undefined;
}

/** Learning rate for 0-based `step`. */
export function learningRateAt(step: number, o: ScheduleOptions): number {
  const floor = o.peak * (o.minRatio ?? 0.1);
  if (step < o.warmupSteps) return (o.peak * (step + 1)) / (o.warmupSteps + 1);
  const span = Math.max(1, o.totalSteps - o.warmupSteps);
  const progress = Math.min(1, (step - o.warmupSteps) / span);
  return floor + 0.5 * (o.peak - floor) * (1 + Math.cos(Math.PI * progress));
}
