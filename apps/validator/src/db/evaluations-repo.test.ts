import { describe, expect, it } from 'vitest';
import { createSchedulerKit } from '../scheduler/test-scheduler-kit.js';
import { createEvaluationsRepo } from './evaluations-repo.js';
import { createRulesRepo } from './rules-repo.js';
import { createScoresRepo } from './scores-repo.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, seconds)).toISOString();

async function submittedJob() {
  const kit = await createSchedulerKit();
  const job = await kit.addJob(1);
  await kit.jobs.markEnded(job.id, 'submitted', at(0), 'deadline');
  return { kit, job, evaluations: createEvaluationsRepo(kit.db) };
}

describe('evaluation queue', () => {
  it('enqueues a submitted job once, moving it to evaluating in the same transaction', async () => {
    const { kit, job, evaluations } = await submittedJob();
    await using _kit = kit;
    expect(await evaluations.enqueue(job.id, 'seed-1', at(1))).toBe(true);
    expect(await evaluations.enqueue(job.id, 'seed-2', at(2))).toBe(false);
    expect((await kit.jobs.get(job.id))?.status).toBe('evaluating');
    expect(await evaluations.get(job.id)).toMatchObject({ status: 'queued', synthetic_seed: 'seed-1' });
    expect(await evaluations.pending()).toBe(1);
  });

  it('lets one loop hold a lease, hands an expired lease to another, and only the holder finishes', async () => {
    const { kit, job, evaluations } = await submittedJob();
    await using _kit = kit;
    await evaluations.enqueue(job.id, 'seed', at(1));
    expect(await evaluations.claim('loop-a', at(2), at(32))).toMatchObject({
      lease_owner: 'loop-a',
      attempts: 1,
    });
    expect(await evaluations.claim('loop-b', at(10), at(40))).toBeUndefined();
    expect(await evaluations.renew(job.id, 'loop-a', at(60))).toBe(true);
    const stolen = await evaluations.claim('loop-b', at(61), at(90));
    expect(stolen).toMatchObject({ lease_owner: 'loop-b', attempts: 2, started_at: at(2) });
    expect(await evaluations.finish(job.id, 'loop-a', 'done', at(62))).toBe(false);
    expect(await evaluations.finish(job.id, 'loop-b', 'done', at(63))).toBe(true);
    expect(await evaluations.pending()).toBe(0);
  });

  it('counts attempts per evaluated model and stores its facts and losses', async () => {
    const { kit, job, evaluations } = await submittedJob();
    await using _kit = kit;
    await evaluations.enqueue(job.id, 'seed', at(1));
    expect(await evaluations.startItem(job.id, 'm1', 'ab'.repeat(32))).toBe(1);
    expect(await evaluations.startItem(job.id, 'm1', 'ab'.repeat(32))).toBe(2);
    await evaluations.saveItem({
      job_id: job.id,
      subject: 'm1',
      artifact_sha256: 'ab'.repeat(32),
      status: 'done',
      facts_json: '{"x":1}',
      losses: new Uint8Array([1, 2, 3]),
      error: null,
      evaluated_at: at(3),
    });
    const [item] = await evaluations.items(job.id);
    expect(item).toMatchObject({ status: 'done', attempts: 2, facts_json: '{"x":1}' });
    expect(Array.from(item?.losses ?? [])).toEqual([1, 2, 3]);
  });
});

describe('scores and rule settings', () => {
  it("replaces a job's scores as a whole and marks it scored", async () => {
    const { kit, job, evaluations } = await submittedJob();
    await using _kit = kit;
    await kit.addMiner('m1', 1, false);
    await kit.addMiner('m2', 1, false);
    await evaluations.enqueue(job.id, 'seed', at(1));
    const scores = createScoresRepo(kit.db);
    const row = (miner_id: string, quality: number) => ({
      job_id: job.id,
      miner_id,
      competition_id: job.competition_id,
      status: 'valid' as const,
      quality,
      test: 1,
      synthetic: 1,
      combined: 1,
      interval_lo: -0.1,
      interval_hi: 0.1,
      verdicts_json: '[]',
      scored_at: at(4),
    });
    await scores.replaceForJob(job.id, [row('m1', 1.2), row('m2', 0.8)]);
    await scores.replaceForJob(job.id, [row('m1', 1)]);
    expect((await scores.listByJob(job.id)).map((s) => [s.miner_id, s.quality])).toEqual([['m1', 1]]);
    expect(await scores.listByCompetition(job.competition_id)).toHaveLength(1);
    expect((await kit.jobs.get(job.id))?.status).toBe('scored');
  });

  it('stores a rule setting with its audit entry, newest audit first', async () => {
    const { kit, job } = await submittedJob();
    await using _kit = kit;
    const rules = createRulesRepo(kit.db);
    const setting = (enabled: number) => ({
      competition_id: job.competition_id,
      rule_id: 'duplicate',
      enabled,
      action: 'zero' as const,
      params_json: '{}',
      updated_at: at(5),
    });
    const audit = (action: string) => ({
      competition_id: job.competition_id,
      at: at(5),
      actor: 'operator',
      action,
      detail_json: '{}',
    });
    await rules.saveSetting(setting(0), audit('rule.disabled'));
    await rules.saveSetting(setting(1), audit('rule.enabled'));
    expect((await rules.settings(job.competition_id)).map((s) => s.enabled)).toEqual([1]);
    expect((await rules.auditLog(job.competition_id, 10)).map((a) => a.action)).toEqual([
      'rule.enabled',
      'rule.disabled',
    ]);
  });
});
