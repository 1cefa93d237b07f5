import { readFile } from 'node:fs/promises';
import { decodeBundle, sha256Hex } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { createJobContext, type JobRunnerDeps } from './job-context.js';
import { createDelivery } from './job-delivery.js';
import { createJobKit, type JobKit, loraOutput, trainerOf } from './test-job-kit.js';

const untrained = trainerOf(async () => {
  throw new Error('delivery never trains');
});

async function deliveryFor(kit: JobKit, overrides: Partial<JobRunnerDeps> = {}) {
  await kit.ledger.upsertJob('job_1', 'training');
  return createDelivery(createJobContext(kit.deps(untrained, overrides)));
}

describe('job delivery', () => {
  it('records an output as a bundle stored under its hash', async () => {
    await using kit = await createJobKit();
    const delivery = await deliveryFor(kit);
    const row = await delivery.record('job_1', kit.dir, loraOutput('r=8'));
    const bundle = await readFile(row.artifact_path);
    expect(row).toMatchObject({
      artifact_sha256: sha256Hex(bundle),
      artifact_bytes: bundle.byteLength,
      artifact_kind: 'lora',
      strategy_note: 'r=8',
      commit_status: 'sent',
    });
    expect(row.artifact_path).toContain(sha256Hex(bundle));
    const files = decodeBundle(bundle);
    expect(files.ok && files.value.map((f) => f.name).sort()).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
    ]);
  });

  it('refuses an output whose files do not fit its kind before anything is recorded', async () => {
    await using kit = await createJobKit();
    const delivery = await deliveryFor(kit);
    const output = { ...loraOutput('x'), kind: 'full' as const };
    await expect(delivery.record('job_1', kit.dir, output)).rejects.toMatchObject({
      code: 'trainer_output_invalid',
    });
    expect(await kit.ledger.submissions('job_1')).toEqual([]);
  });

  it('commits and uploads a checkpoint without marking it final or moving the phase', async () => {
    await using kit = await createJobKit();
    const delivery = await deliveryFor(kit);
    const row = await delivery.record('job_1', kit.dir, loraOutput('checkpoint'));
    await delivery.deliver(row, new AbortController().signal, false);
    expect(kit.submits()).toEqual([expect.not.objectContaining({ final: true })]);
    expect(kit.phases).toEqual([]);
    expect(await kit.ledger.latestSubmission('job_1')).toMatchObject({
      commit_status: 'acked',
      upload_status: 'uploaded',
    });
  });

  it('sends the recipe with the commit and keeps it in the ledger; an oversized one is only kept', async () => {
    await using kit = await createJobKit();
    const delivery = await deliveryFor(kit);
    const recipe = { seed: 3, hyperparameters: { learning_rate: 0.002 } };
    const row = await delivery.record('job_1', kit.dir, { ...loraOutput('with recipe'), recipe });
    await delivery.deliver(row, new AbortController().signal, true);
    expect(kit.submits()).toEqual([expect.objectContaining({ recipe: JSON.stringify(recipe) })]);
    expect(row.recipe).toBe(JSON.stringify(recipe));
    const huge = await delivery.record('job_1', kit.dir, {
      ...loraOutput('huge'),
      recipe: { a: 'x'.repeat(20_000) },
    });
    await delivery.deliver(huge, new AbortController().signal, true);
    expect(kit.submits()[1]).not.toHaveProperty('recipe');
  });

  it('sends the commit again when the link was down', async () => {
    await using kit = await createJobKit();
    const gateway = kit.deps(untrained).gateway;
    let attempts = 0;
    const delivery = await deliveryFor(kit, {
      gateway: { ...gateway, send: (message) => ++attempts > 1 && gateway.send(message) },
    });
    const row = await delivery.record('job_1', kit.dir, loraOutput('final'));
    await delivery.deliver(row, new AbortController().signal, true);
    expect(attempts).toBe(2);
    expect(kit.submits()).toEqual([expect.objectContaining({ final: true })]);
  });

  it("stores the validator's code when it refuses the upload", async () => {
    await using kit = await createJobKit();
    const delivery = await deliveryFor(kit);
    kit.uploadRefusal = { status: 409, code: 'hash_mismatch' };
    const row = await delivery.record('job_1', kit.dir, loraOutput('final'));
    await expect(delivery.deliver(row, new AbortController().signal, true)).rejects.toMatchObject({
      code: 'upload_failed',
    });
    expect(await kit.ledger.latestSubmission('job_1')).toMatchObject({
      commit_status: 'acked',
      upload_status: 'failed',
      upload_error: 'hash_mismatch',
    });
  });
});
