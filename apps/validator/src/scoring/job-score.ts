// Scores one job from its evaluated submissions, their rule verdicts and its misses: a failed rule acts as its
// setting says (`zero`: q = 0; `miss`: the miss factor; `worse_of`: scored on the worse of test and synthetic;
// `flag`: shown only), the valid pool is normalised to a geometric mean of 1, and accepted miners with nothing
// valid in time get the miss factor. Rejected offers are not entries at all. Pure; no I/O.

import { combinedLoss, poolQualities } from './quality.js';

/** What a failed rule does to a submission's score. */
export type RuleAction = 'zero' | 'miss' | 'worse_of' | 'flag';

/** One rule's verdict on one submission, with the numbers it compared. */
export interface Verdict {
  rule: string;
  passed: boolean;
  action: RuleAction;
  evidence: Record<string, unknown>;
}

/** An accepted miner's place in a job: an evaluated submission, or nothing usable in time. */
export type JobEntry =
  | { minerId: string; kind: 'submission'; test: number; synthetic: number; verdicts: Verdict[] }
  | { minerId: string; kind: 'miss' };

/** The competition's scoring settings. */
export interface ScoringSettings {
  weightTest: number;
  tau: number;
  missFactor: number;
}

/** How an entry was scored. */
export type EntryStatus = 'valid' | 'zeroed' | 'missed';

/** One scored entry. */
export interface ScoredEntry {
  minerId: string;
  status: EntryStatus;
  /** The combined loss it was scored on (null for misses and zeroed entries without losses). */
  scoredLoss: number | null;
  /** wTest * test + (1 - wTest) * synthetic, as evaluated (null for misses). */
  combined: number | null;
  quality: number;
  /** The verdicts of rules that failed. */
  flags: Verdict[];
}

function failed(verdicts: Verdict[], action: RuleAction): boolean {
  return verdicts.some((verdict) => !verdict.passed && verdict.action === action);
}

/**
 * Scores a job's entries (any order; the result keeps it). `lossCeiling` (the untouched base model's combined
 * loss) caps the loss a valid submission is scored on, so a model far worse than the base cannot push the
 * pool mean up and inflate every other miner's quality.
 */
export function scoreJob(
  entries: readonly JobEntry[],
  settings: ScoringSettings,
  lossCeiling = Number.POSITIVE_INFINITY,
): ScoredEntry[] {
  const scored: ScoredEntry[] = entries.map((entry) => {
    if (entry.kind === 'miss') {
      return {
        minerId: entry.minerId,
        status: 'missed',
        scoredLoss: null,
        combined: null,
        quality: settings.missFactor,
        flags: [],
      };
    }
    const flags = entry.verdicts.filter((verdict) => !verdict.passed);
    const combined = combinedLoss(entry.test, entry.synthetic, settings.weightTest);
    if (failed(flags, 'zero')) {
      return { minerId: entry.minerId, status: 'zeroed', scoredLoss: null, combined, quality: 0, flags };
    }
    if (failed(flags, 'miss')) {
      return {
        minerId: entry.minerId,
        status: 'missed',
        scoredLoss: null,
        combined,
        quality: settings.missFactor,
        flags,
      };
    }
    const loss = failed(flags, 'worse_of') ? Math.max(entry.test, entry.synthetic) : combined;
    const scoredLoss = Math.min(loss, lossCeiling);
    return { minerId: entry.minerId, status: 'valid', scoredLoss, combined, quality: Number.NaN, flags };
  });
  const valid = scored.filter((entry) => entry.status === 'valid');
  const qualities = poolQualities(
    valid.map((entry) => entry.scoredLoss as number),
    settings.tau,
  );
  valid.forEach((entry, index) => {
    entry.quality = qualities[index] as number;
  });
  return scored;
}
