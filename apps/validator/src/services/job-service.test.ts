import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsPreparer } from '../ports/datasets-preparer.js';
import { createPreparePool, type PreparePool } from '../ports/prepare-pool.js';
import { buildWorkerEntry, writeCrashingEntry } from '../ports/test-prepare-workers.js';
import { createJob, createTempDirs, registerMiner, startCompetition } from '../test-fixtures.js';

let entry = '';
const pools: PreparePool[] = [];
beforeAll(() => {
  entry = buildWorkerEntry();
});
afterAll(() => Promise.all(pools.map((pool) => pool.close())));

describe('job service', () => {
  it('answers a job whose preparation worker died with internal_error and keeps creating jobs', async () => {
    await using dirs = await createTempDirs();
    const pool = createPreparePool({ entry: await writeCrashingEntry(dirs.root, entry), size: 1 });
    pools.push(pool);
    const dataPreparer = createDatasetsPreparer({
      datasetDir: join(dirs.root, 'datasets'),
      jobsDir: join(dirs.root, 'data', 'jobs'),
      runIn: pool,
    });
    const s = await startCompetition(dirs.root, { dataPreparer });
    await using _validator = s.validator;
    await using miner = await registerMiner(s, 'ann');
    const body = { model: 'tiny', timeLimitSeconds: 60, minersWanted: 1 };
    const died = await s.operator.post(`/v1/competitions/${s.competition.id}/jobs`, {
      ...body,
      dataset: 'boom',
    });
    expect(died).toMatchObject({ status: 500, body: { error: { code: 'internal_error' } } });
    const unknown = await s.operator.post(`/v1/competitions/${s.competition.id}/jobs`, {
      ...body,
      dataset: 'nope',
    });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'unknown_dataset' } } });
    const job = await createJob(s, { timeLimitSeconds: 60, minersWanted: 1 });
    expect((await miner.next('job.offer')).jobId).toBe(job.id);
    expect((await s.operator.get(`/v1/competitions/${s.competition.id}/jobs`)).body.jobs).toHaveLength(1);
  });
});
