import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobOffer, JobResult } from '@tuning-arena/protocol';
import { validValidatorFrames } from '@tuning-arena/protocol/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyJson } from './history-export.js';
import { createLedgerRepo, type LedgerRepo } from './ledger-repo.js';
import { openDb } from './open-db.js';
import { formatHistory, readLedgerHistory } from './read-history.js';

const offer = validValidatorFrames['job.offer'] as JobOffer;
const result = validValidatorFrames['job.result'] as JobResult;
const sha = 'a'.repeat(64);

describe('ledger', () => {
  let dir: string;
  let ledger: LedgerRepo;
  let close: () => Promise<void>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'miner-ledger-'));
    const db = await openDb(join(dir, 'ledger.sqlite'));
    ledger = createLedgerRepo(db);
    close = () => db.destroy();
  });
  afterEach(async () => {
    await close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the first copy of a re-sent offer together with its decision', async () => {
    await ledger.recordOffer(offer);
    await ledger.recordDecision(offer.jobId, 'reject', 'no free slot');
    const again = await ledger.recordOffer({ ...offer, timeLimitSeconds: 999 });
    expect(again).toMatchObject({ time_limit_seconds: 60, decision: 'reject', reason: 'no free slot' });
  });

  it('records a submission from commit to upload', async () => {
    await ledger.upsertJob('job_1', 'training', { deadline: '2026-01-01T00:01:00.000Z', workDir: '/w' });
    const id = await ledger.addSubmission({
      jobId: 'job_1',
      artifactSha256: sha,
      artifactKind: 'lora',
      artifactBytes: 12,
      artifactPath: '/w/a.bundle',
      strategyNote: 'r=8',
      trainer: 'test',
    });
    await ledger.markAcked(id, '2026-01-01T00:00:30.000Z');
    await ledger.markUploaded(id);
    await ledger.upsertJob('job_1', 'uploaded');
    expect(await ledger.latestSubmission('job_1')).toMatchObject({
      commit_status: 'acked',
      committed_at: '2026-01-01T00:00:30.000Z',
      upload_status: 'uploaded',
    });
    expect(await ledger.getJob('job_1')).toMatchObject({
      status: 'uploaded',
      deadline: '2026-01-01T00:01:00.000Z',
    });
  });

  it('refuses a submission for a job it never took on (foreign key)', async () => {
    await expect(
      ledger.addSubmission({
        jobId: 'ghost',
        artifactSha256: sha,
        artifactKind: 'full',
        artifactBytes: 1,
        artifactPath: '/x',
        strategyNote: '',
        trainer: 't',
      }),
    ).rejects.toThrow();
  });

  it('lists every job with offer, submissions, result and notes in its history', async () => {
    await ledger.recordOffer(offer);
    await ledger.recordDecision(offer.jobId, 'accept', null);
    await ledger.upsertJob(offer.jobId, 'accepted');
    const id = await ledger.addSubmission({
      jobId: offer.jobId,
      artifactSha256: sha,
      artifactKind: 'lora',
      artifactBytes: 3,
      artifactPath: '/p',
      strategyNote: 'one epoch',
      trainer: 't',
    });
    await ledger.markRefused(id, 'deadline_passed');
    await ledger.recordResult(result);
    await ledger.addNote(offer.jobId, 'cancelled by the validator: test');
    await ledger.recordOffer({ ...offer, jobId: 'job_2' });
    await ledger.recordDecision('job_2', 'reject', 'too short');

    const history = await readLedgerHistory(dir);
    expect(history.map((e) => e.jobId)).toEqual([offer.jobId, 'job_2']);
    expect(history[0]).toMatchObject({
      offer: { decision: 'accept' },
      job: { status: 'accepted' },
      submissions: [{ refusal_code: 'deadline_passed', strategy_note: 'one epoch' }],
      result: { status: 'scored', quality: 1.05 },
      notes: [{ text: 'cancelled by the validator: test' }],
    });
    const text = formatHistory(history);
    expect(text).toContain('refused (deadline_passed)');
    expect(text).toContain('rejected: too short');
    const json = JSON.parse(JSON.stringify(historyJson(history)));
    expect(json[0]).toMatchObject({
      jobId: offer.jobId,
      offer: { decision: 'accept', timeLimitSeconds: 60 },
      submissions: [{ refusalCode: 'deadline_passed', strategyNote: 'one epoch', artifactSha256: sha }],
      result: { status: 'scored', quality: 1.05, integrityFlags: expect.any(Array) },
    });
    expect(JSON.stringify(json)).not.toMatch(/"[a-z]+_[a-z_]+":/);
  });

  it('finds jobs by status', async () => {
    await ledger.upsertJob('a', 'training');
    await ledger.upsertJob('b', 'uploaded');
    expect((await ledger.listJobs(['training', 'accepted'])).map((j) => j.job_id)).toEqual(['a']);
  });
});
