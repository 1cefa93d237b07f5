import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJobContext, type JobRunnerDeps } from './job-context.js';
import { createDelivery } from './job-delivery.js';
import { createTraining } from './job-training.js';
import { createJobKit, type JobKit, loraOutput, TRAIN_ROWS, trainerOf } from './test-job-kit.js';
import type { Trainer } from './trainer.js';

async function trainingFor(kit: JobKit, trainer: Trainer, overrides: Partial<JobRunnerDeps> = {}) {
  const ctx = createJobContext(kit.deps(trainer, overrides));
  const workDir = join(kit.dir, 'work');
  await mkdir(workDir, { recursive: true });
  await kit.ledger.upsertJob('job_1', 'accepted');
  const train = createTraining(ctx, createDelivery(ctx));
  return (start = kit.start(), signal = new AbortController().signal) => train(start, workDir, signal);
}

describe('job training', () => {
  it('hands the trainer the downloaded inputs and returns its output', async () => {
    await using kit = await createJobKit();
    const train = await trainingFor(
      kit,
      trainerOf(async (request) => {
        expect(await readFile(request.trainDataPath, 'utf8')).toBe(TRAIN_ROWS);
        expect(await readdir(request.baseModelDir)).toEqual(['config.json']);
        return loraOutput('done');
      }),
    );
    expect(await train()).toMatchObject({ strategyNote: 'done' });
    expect(kit.phases.map(([, phase]) => phase)).toEqual(['downloading', 'training']);
  });

  it('passes on finite progress, cleaned, and sends one job.progress per interval', async () => {
    await using kit = await createJobKit();
    const trainer = trainerOf(async (request) => {
      request.onProgress({ step: 1.7, trainLoss: 2, etaSeconds: -3 });
      request.onProgress({ step: Number.NaN, trainLoss: 2, etaSeconds: 1 });
      request.onProgress({ step: 2, trainLoss: 1.9, etaSeconds: 5 });
      return loraOutput('done');
    });
    await (await trainingFor(kit, trainer, { progressIntervalMs: 60_000 }))();
    expect(kit.progress).toEqual([
      { step: 1, trainLoss: 2, etaSeconds: 0 },
      { step: 2, trainLoss: 1.9, etaSeconds: 5 },
    ]);
    expect(kit.sent.filter((m) => m.type === 'job.progress')).toEqual([
      { type: 'job.progress', jobId: 'job_1', step: 1, trainLoss: 2, etaSeconds: 0 },
    ]);
  });

  it('delivers checkpoints one at a time, in the order offered', async () => {
    await using kit = await createJobKit();
    const uploadedBeforeCommit: number[] = [];
    kit.answer = () => {
      uploadedBeforeCommit.push(kit.uploads.size);
      return 'ack';
    };
    const trainer = trainerOf(async (request) => {
      const first = request.submitCheckpoint?.(loraOutput('c1'));
      const second = request.submitCheckpoint?.(loraOutput('c2'));
      expect(await Promise.all([first, second])).toMatchObject([{ ok: true }, { ok: true }]);
      return loraOutput('final');
    });
    await (await trainingFor(kit, trainer))();
    expect(kit.submits().map((s) => s.strategyNote)).toEqual(['c1', 'c2']);
    expect(uploadedBeforeCommit).toEqual([0, 1]);
  });

  it('reports a refused checkpoint to the trainer and trains on', async () => {
    await using kit = await createJobKit();
    kit.answer = () => 'commit_limit';
    const trainer = trainerOf(async (request) => {
      expect(await request.submitCheckpoint?.(loraOutput('c1'))).toEqual({ ok: false, code: 'commit_limit' });
      return loraOutput('final');
    });
    expect(await (await trainingFor(kit, trainer))()).toMatchObject({ strategyNote: 'final' });
  });

  it('turns a trainer error into trainer_failed with the error as cause', async () => {
    await using kit = await createJobKit();
    const boom = new Error('boom');
    const train = await trainingFor(
      kit,
      trainerOf(async () => {
        throw boom;
      }),
    );
    await expect(train()).rejects.toMatchObject({ code: 'trainer_failed', cause: boom });
  });

  it('aborts a trainer that runs past the deadline and the allowed overrun', async () => {
    await using kit = await createJobKit();
    const trainer = trainerOf(
      (request) =>
        new Promise((_resolve, reject) =>
          request.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }),
        ),
    );
    const train = await trainingFor(kit, trainer, { trainerOverrunMs: 50 });
    await expect(train({ ...kit.start(), deadline: new Date().toISOString() })).rejects.toMatchObject({
      code: 'trainer_failed',
    });
  });

  it('ends with aborted when the job is cancelled', async () => {
    await using kit = await createJobKit();
    const controller = new AbortController();
    const trainer = trainerOf(
      (request) =>
        new Promise((_resolve, reject) => {
          request.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true });
          controller.abort();
        }),
    );
    const train = await trainingFor(kit, trainer);
    await expect(train(kit.start(), controller.signal)).rejects.toMatchObject({ code: 'aborted' });
  });
});
