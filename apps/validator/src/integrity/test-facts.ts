// Test helper for the integrity unit tests: synthetic facts with honest defaults and a context builder, so each
// test states only the numbers it is about.

import type { BaseFacts, ExampleLosses, SubmissionFacts } from '../evaluation/facts.js';
import type { PriorSubmission, Rule, RuleContext } from './rule.js';

export { submissionFacts, weightFacts } from './sample-facts.js';

/** The base's facts. */
const BASE: BaseFacts = {
  modelId: 'arena-nano',
  weightsSha256: 'sha-base',
  losses: { test: 4, synthetic: 4, trainSample: 4 },
};

/** Per-example losses from plain arrays. */
export function exampleLosses(
  test: number[],
  synthetic: number[],
  trainSample: number[] = [],
): ExampleLosses {
  return {
    test: Float32Array.from(test),
    synthetic: Float32Array.from(synthetic),
    trainSample: Float32Array.from(trainSample),
  };
}

/** What a test may set on a context. */
export interface ContextOptions {
  pool?: SubmissionFacts[];
  losses?: Record<string, ExampleLosses>;
  priors?: PriorSubmission[];
  owners?: Record<string, string>;
  maxMinersPerOwner?: number;
  maxMiners?: number;
  minersInCompetition?: number;
  datasetKind?: 'knowledge' | 'procedural';
}

/** A context for `rule` judging `submission` with the rule's defaults merged with `params`. */
export function contextFor<P>(
  rule: Rule,
  submission: SubmissionFacts,
  params: Partial<P> = {},
  options: ContextOptions = {},
): RuleContext<P> {
  const pool = options.pool ?? [submission];
  const owners = options.owners ?? {};
  const ownerOf = (minerId: string) => owners[minerId] ?? `owner-${minerId}`;
  return {
    params: { ...(rule.defaults as P), ...params },
    jobId: 'job-1',
    base: BASE,
    submission,
    pool,
    exampleLosses: (minerId) => options.losses?.[minerId],
    ownerOf,
    limits: {
      maxMiners: options.maxMiners ?? 20,
      maxMinersPerOwner: options.maxMinersPerOwner ?? 5,
      minersOfOwner: (key) =>
        Object.keys(owners).length === 0
          ? [submission.minerId]
          : Object.keys(owners).filter((minerId) => ownerOf(minerId).trim().toLowerCase() === key),
      minersInCompetition: options.minersInCompetition ?? pool.length,
    },
    priors: options.priors ?? [],
    datasetKind: options.datasetKind ?? 'knowledge',
  };
}
