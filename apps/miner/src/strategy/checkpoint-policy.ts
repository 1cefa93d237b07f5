// When the engine trainer commits a checkpoint before its final output: an early one as insurance once a tenth
// of the training time has passed, then better ones at most every fifth of it, and none in the
// last tenth (the final commit follows soon). Pure bookkeeping over times and losses; it sends nothing.

/** The training window the policy spaces its commits over (ms on one clock). */
export interface CheckpointWindow {
  readonly startMs: number;
  /** When training must end (the deadline less the reserve). */
  readonly endMs: number;
}

/** Decides, for each new best set of weights, whether to commit it now. */
export interface CheckpointPolicy {
  /** Whether a checkpoint with `validationLoss` found at `nowMs` should be committed; true records it. */
  offer(nowMs: number, validationLoss: number): boolean;
  /** Commits taken so far. */
  readonly committed: number;
}

/** Share of the window after which the first (insurance) checkpoint is due. */
const INSURANCE_AT = 0.1;
/** Least share of the window between two checkpoint commits. */
const SPACING = 0.2;
/** Share at the window's end with no checkpoint commits. */
const QUIET_TAIL = 0.1;

/** Creates the policy for one job. */
export function createCheckpointPolicy(window: CheckpointWindow): CheckpointPolicy {
  const span = Math.max(1, window.endMs - window.startMs);
  let lastAt: number | undefined;
  let lastLoss = Number.POSITIVE_INFINITY;
  let committed = 0;
  return {
    offer(nowMs, validationLoss) {
      const share = (nowMs - window.startMs) / span;
      if (share < INSURANCE_AT || share > 1 - QUIET_TAIL) return false;
      if (!(validationLoss < lastLoss)) return false;
      if (lastAt !== undefined && (nowMs - lastAt) / span < SPACING) return false;
      lastAt = nowMs;
      lastLoss = validationLoss;
      committed++;
      return true;
    },
    get committed() {
      return committed;
    },
  };
}
