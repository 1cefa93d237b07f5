import { decodeBundle, sha256Hex, submissionPayload, verifyPayload } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { createJobRunner } from './job-runner.js';
import { createJobKit, loraOutput, trainerOf } from './test-job-kit.js';
import type { TrainRequest } from './trainer.js';

const live = () => new AbortController().signal;

describe('job runner', () => {
  it('trains, commits the artifact as final, uploads it and records every phase', async () => {
    await using kit = await createJobKit();
    const deps = kit.deps(trainerOf(async () => loraOutput('r=8')));
    expect(await createJobRunner(deps).run(kit.start(), live())).toBe('uploaded');

    expect(kit.phases.map(([, phase]) => phase)).toEqual([
      'downloading',
      'training',
      'submitting',
      'uploading',
      'uploaded',
    ]);
    const [submit] = kit.submits();
    expect(kit.submits()).toHaveLength(1);
    expect(submit).toMatchObject({ jobId: 'job_1', artifactKind: 'lora', strategyNote: 'r=8', final: true });
    const payload = submissionPayload('job_1', deps.identity.publicKey, submit!.artifactSha256, 'lora');
    expect(verifyPayload(deps.identity.publicKey, payload, submit!.signature)).toBe(true);
    const uploaded = kit.uploads.get(`/v1/artifacts/${submit!.artifactSha256}`);
    expect(sha256Hex(uploaded!)).toBe(submit!.artifactSha256);
    expect(decodeBundle(uploaded!)).toMatchObject({ ok: true });
    expect(await kit.ledger.latestSubmission('job_1')).toMatchObject({
      commit_status: 'acked',
      upload_status: 'uploaded',
      trainer: 'fake',
    });
    expect(await kit.ledger.getJob('job_1')).toMatchObject({ status: 'uploaded', detail: null });
  });

  it('does not train again a job whose artifact was already uploaded', async () => {
    await using kit = await createJobKit();
    let trained = 0;
    const runner = createJobRunner(kit.deps(trainerOf(async () => loraOutput(`run ${++trained}`))));
    await runner.run(kit.start(), live());
    expect(await runner.run(kit.start(), live())).toBe('uploaded');
    expect(trained).toBe(1);
    expect(kit.submits()).toHaveLength(1);
  });

  it('resumes a committed submission whose upload failed, without training again', async () => {
    await using kit = await createJobKit();
    let trained = 0;
    const runner = createJobRunner(kit.deps(trainerOf(async () => loraOutput(`run ${++trained}`))));
    kit.uploadRefusal = { status: 400, code: 'artifact_too_large' };
    expect(await runner.run(kit.start(), live())).toBe('failed');
    expect(await kit.ledger.latestSubmission('job_1')).toMatchObject({
      upload_status: 'failed',
      upload_error: 'artifact_too_large',
    });

    kit.uploadRefusal = undefined;
    expect(await runner.run(kit.start(), live())).toBe('uploaded');
    expect(trained).toBe(1);
    expect(kit.uploads.size).toBe(1);
    expect((await kit.ledger.history())[0]?.notes.map((n) => n.text)).toContainEqual(
      expect.stringMatching(/^resuming submission/),
    );
  });

  it('marks a refused commit and trains again on the next run', async () => {
    await using kit = await createJobKit();
    let trained = 0;
    const runner = createJobRunner(kit.deps(trainerOf(async () => loraOutput(`run ${++trained}`))));
    kit.answer = () => 'deadline_passed';
    expect(await runner.run(kit.start(), live())).toBe('refused');
    expect(await kit.ledger.getJob('job_1')).toMatchObject({ status: 'refused', detail: 'deadline_passed' });
    expect(await kit.ledger.latestSubmission('job_1')).toMatchObject({
      commit_status: 'refused',
      refusal_code: 'deadline_passed',
    });

    kit.answer = () => 'ack';
    expect(await runner.run(kit.start(), live())).toBe('uploaded');
    expect(trained).toBe(2);
  });

  it('commits and uploads the checkpoints a trainer offers, then its final output', async () => {
    await using kit = await createJobKit();
    const outcomes: unknown[] = [];
    const trainer = trainerOf(async (request) => {
      outcomes.push(await request.submitCheckpoint?.(loraOutput('checkpoint')));
      return loraOutput('final');
    });
    expect(await createJobRunner(kit.deps(trainer)).run(kit.start(), live())).toBe('uploaded');

    const [checkpoint, final] = kit.submits();
    expect(outcomes).toEqual([{ ok: true, artifactSha256: checkpoint!.artifactSha256 }]);
    expect(checkpoint).toMatchObject({ strategyNote: 'checkpoint' });
    expect(checkpoint).not.toHaveProperty('final');
    expect(final).toMatchObject({ strategyNote: 'final', final: true });
    expect(kit.uploads.size).toBe(2);
    expect((await kit.ledger.submissions('job_1')).map((s) => s.upload_status)).toEqual([
      'uploaded',
      'uploaded',
    ]);
  });

  it('stops the trainer when the job is cancelled and commits nothing', async () => {
    await using kit = await createJobKit();
    const controller = new AbortController();
    let request: TrainRequest | undefined;
    const trainer = trainerOf(
      (r) =>
        new Promise((_resolve, reject) => {
          request = r;
          r.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
          controller.abort();
        }),
    );
    expect(await createJobRunner(kit.deps(trainer)).run(kit.start(), controller.signal)).toBe('cancelled');
    expect(request?.signal.aborted).toBe(true);
    expect(kit.submits()).toEqual([]);
    expect(await kit.ledger.submissions('job_1')).toEqual([]);
  });

  it('records a failing trainer as failed, with its error in the notes', async () => {
    await using kit = await createJobKit();
    const trainer = trainerOf(async () => {
      throw new Error('out of memory');
    });
    expect(await createJobRunner(kit.deps(trainer)).run(kit.start(), live())).toBe('failed');
    expect(await kit.ledger.getJob('job_1')).toMatchObject({ status: 'failed', detail: 'trainer_failed' });
    expect((await kit.ledger.history())[0]?.notes.map((n) => n.text)).toContainEqual(
      expect.stringContaining('out of memory'),
    );
    expect(kit.submits()).toEqual([]);
  });

  it('leaves the job uploaded when the final output fails after a delivered checkpoint', async () => {
    await using kit = await createJobKit();
    const trainer = trainerOf(async (request) => {
      await request.submitCheckpoint?.(loraOutput('checkpoint'));
      throw new Error('diverged');
    });
    expect(await createJobRunner(kit.deps(trainer)).run(kit.start(), live())).toBe('uploaded');
    expect((await kit.ledger.getJob('job_1'))?.detail).toContain('an earlier checkpoint stands');
  });

  it('reuses the inputs an earlier attempt downloaded', async () => {
    await using kit = await createJobKit();
    let attempt = 0;
    const trainer = trainerOf(async () => {
      if (++attempt === 1) throw new Error('flaky');
      return loraOutput('second');
    });
    const runner = createJobRunner(kit.deps(trainer));
    expect(await runner.run(kit.start(), live())).toBe('failed');
    expect(await runner.run(kit.start(), live())).toBe('uploaded');
    expect(kit.downloads).toHaveLength(2);
  });
});
