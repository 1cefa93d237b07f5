import { describe, expect, it } from 'vitest';
import { failedStatus } from './job-failure.js';
import { createJobKit } from './test-job-kit.js';

const submission = {
  jobId: 'job_1',
  artifactSha256: 'a'.repeat(64),
  artifactKind: 'lora',
  artifactBytes: 1,
  artifactPath: '/w/a.bundle',
  strategyNote: '',
  trainer: 'fake',
} as const;

describe('failed job status', () => {
  it("calls the miner's own failures failed and the validator's refusals refused", async () => {
    await using kit = await createJobKit();
    await kit.ledger.upsertJob('job_1', 'training');
    for (const code of ['trainer_failed', 'upload_failed', 'disconnected', 'internal_error']) {
      expect(await failedStatus(kit.ledger, 'job_1', code)).toEqual(['failed', code]);
    }
    for (const code of ['deadline_passed', 'commit_limit', 'bad_signature']) {
      expect(await failedStatus(kit.ledger, 'job_1', code)).toEqual(['refused', code]);
    }
  });

  it('keeps a job uploaded when an earlier checkpoint was committed and uploaded', async () => {
    await using kit = await createJobKit();
    await kit.ledger.upsertJob('job_1', 'training');
    const id = await kit.ledger.addSubmission(submission);
    await kit.ledger.markAcked(id, new Date().toISOString());
    expect((await failedStatus(kit.ledger, 'job_1', 'trainer_failed'))[0]).toBe('failed');
    await kit.ledger.markUploaded(id);
    expect(await failedStatus(kit.ledger, 'job_1', 'trainer_failed')).toEqual([
      'uploaded',
      expect.stringContaining('an earlier checkpoint stands'),
    ]);
  });
});
