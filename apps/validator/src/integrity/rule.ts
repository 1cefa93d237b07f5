// The one interface every integrity rule implements: an id, its documentation, a TypeBox schema of its
// parameters with their defaults, and a pure check that returns a verdict with the numbers it compared.
// Rules see only stored facts (evaluation/facts.ts), so toggling a rule and re-scoring needs no evaluation.

import type { Static, TSchema } from '@sinclair/typebox';
import type { BaseFacts, ExampleLosses, SubmissionFacts } from '../evaluation/facts.js';
import type { RuleAction } from '../scoring/job-score.js';

/** A submission of another job (or another miner) the duplicate rule may compare against. */
export interface PriorSubmission {
  jobId: string;
  minerId: string;
  ownerKey: string;
  artifactSha256: string;
  firstCommittedAt: string;
  /**
   * Optional (added by integrity): when that miner's counted commit of that job was made; breaks the tie
   * between two commits of the same hash (they share firstCommittedAt). Without it ties go by job and miner id.
   */
  committedAt?: string;
  /** The pinned base's weights sha256 of that job (sketches compare only on the same base). */
  baseWeightsSha256: string;
  deltaSketch: number[] | undefined;
}

/** What a rule sees when it judges one submission. */
export interface RuleContext<P> {
  params: P;
  jobId: string;
  base: BaseFacts;
  /** The submission being judged. */
  submission: SubmissionFacts;
  /** Every submission of this job (including the judged one), for pool statistics. */
  pool: readonly SubmissionFacts[];
  /** Per-example losses of a miner's submission in this job, or of the base (`'base'`). */
  exampleLosses(minerId: string | 'base'): ExampleLosses | undefined;
  /** The owner key of a miner, and the registration limits. */
  ownerOf(minerId: string): string;
  limits: {
    maxMiners: number;
    maxMinersPerOwner: number;
    minersOfOwner(ownerKey: string): string[];
    minersInCompetition: number;
  };
  /** Submissions of other jobs on this validator, for cross-job duplicates. */
  priors: readonly PriorSubmission[];
  /** The dataset kind of the job (thresholds may differ per kind): `knowledge` or `procedural`. */
  datasetKind: 'knowledge' | 'procedural';
}

/** A rule's judgement of one submission, pass or fail, with its evidence. */
interface RuleOutcome {
  passed: boolean;
  /** The numbers the rule compared (and their thresholds), shown in every report. */
  evidence: Record<string, unknown>;
}

/** One integrity rule. */
export interface Rule<S extends TSchema = TSchema> {
  /** Stable id, e.g. `lineage`. */
  id: string;
  /** What it checks, in one or two sentences (the README's table is built from the same words). */
  summary: string;
  /** What an attacker would need to pass it. */
  toPass: string;
  /** The TypeBox schema of its parameters (every property has a default). */
  params: S;
  /** Parameter values used when the operator sets none. */
  defaults: Static<S>;
  /** What a failure does to the score unless the operator says otherwise. */
  defaultAction: RuleAction;
  check(context: RuleContext<Static<S>>): RuleOutcome;
}
