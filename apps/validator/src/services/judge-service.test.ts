// The judge service's results view against a real SQLite database: where the job's evaluation stands is part
// of the view, so an evaluation that failed for good (a broken base, say) is visible to the operator rather
// than leaving the job silently `evaluating`.

import { describe, expect, it } from 'vitest';
import { createCompetitionsRepo } from '../db/competitions-repo.js';
import { createEvaluationsRepo } from '../db/evaluations-repo.js';
import { createMinersRepo } from '../db/miners-repo.js';
import { createRulesRepo } from '../db/rules-repo.js';
import { createScoresRepo } from '../db/scores-repo.js';
import { createSubmissionsRepo } from '../db/submissions-repo.js';
import { silentLogger } from '../logger.js';
import { createSchedulerKit } from '../scheduler/test-scheduler-kit.js';
import { createJudgeService, mergeParams } from './judge-service.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, seconds)).toISOString();

async function judgeKit() {
  const kit = await createSchedulerKit();
  const evaluations = createEvaluationsRepo(kit.db);
  const judge = createJudgeService({
    jobs: kit.jobs,
    offers: kit.offers,
    miners: createMinersRepo(kit.db),
    competitions: createCompetitionsRepo(kit.db),
    submissions: createSubmissionsRepo(kit.db),
    evaluations,
    scores: createScoresRepo(kit.db),
    rules: createRulesRepo(kit.db),
    registry: kit.registry,
    logger: silentLogger,
    now: Date.now,
  });
  return { kit, evaluations, judge };
}

describe('judge service results', () => {
  it('has no evaluation before the job closes', async () => {
    const { kit, judge } = await judgeKit();
    await using _kit = kit;
    const job = await kit.addJob(1);
    expect(await judge.results(job.id)).toMatchObject({ status: 'offering', evaluation: null, base: null });
  });

  it('shows a queued evaluation, the error of a retried attempt, and one that failed for good', async () => {
    const { kit, evaluations, judge } = await judgeKit();
    await using _kit = kit;
    const job = await kit.addJob(1);
    await kit.jobs.markEnded(job.id, 'submitted', at(0), 'deadline');
    await evaluations.enqueue(job.id, 'seed', at(1));
    expect((await judge.results(job.id)).evaluation).toEqual({ status: 'queued', attempts: 0, error: null });

    await evaluations.claim('loop-a', at(2), at(30));
    await evaluations.release(job.id, 'loop-a', 'pinned base of job: bad header');
    expect((await judge.results(job.id)).evaluation).toEqual({
      status: 'queued',
      attempts: 1,
      error: 'pinned base of job: bad header',
    });

    await evaluations.claim('loop-a', at(3), at(30));
    await evaluations.finish(job.id, 'loop-a', 'failed', at(4), 'pinned base of job: bad header');
    const results = await judge.results(job.id);
    expect(results.status).toBe('evaluating');
    expect(results.evaluation).toEqual({
      status: 'failed',
      attempts: 2,
      error: 'pinned base of job: bad header',
    });
    expect(results.submissions).toEqual([]);
  });
});

describe('judge service rules', () => {
  it('merges a nested parameter into its group instead of resetting the group', async () => {
    const { kit, judge } = await judgeKit();
    await using _kit = kit;
    await judge.setRule('cmp_a', 'test-leak', { params: { procedural: { minExcess: 0.07 } } }, 'op');
    const rule = await judge.setRule(
      'cmp_a',
      'test-leak',
      { params: { procedural: { minFamiliarityRatio: 0.8 } } },
      'op',
    );
    expect(rule.params).toMatchObject({ procedural: { minExcess: 0.07, minFamiliarityRatio: 0.8 } });
  });

  it('replaces arrays and scalars, and keeps what the patch does not name', () => {
    expect(mergeParams({ a: [1, 2], b: { c: 1, d: 2 }, e: 1 }, { a: [3], b: { d: 5 } })).toEqual({
      a: [3],
      b: { c: 1, d: 5 },
      e: 1,
    });
  });
});
