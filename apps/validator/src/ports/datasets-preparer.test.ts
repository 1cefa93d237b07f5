import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempDirs, writeDataset } from '../test-fixtures.js';
import { createDatasetsPreparer, type DatasetsPreparerOptions } from './datasets-preparer.js';
import { createPreparePool, type PreparePool } from './prepare-pool.js';
import { buildWorkerEntry, writeCrashingEntry } from './test-prepare-workers.js';

let entry = '';
let pool: PreparePool | undefined;
beforeAll(() => {
  entry = buildWorkerEntry();
  pool = createPreparePool({ entry, size: 2 });
});
afterAll(() => pool?.close());

/** Each behaviour holds in-process and across the worker boundary. */
const modes: [string, () => NonNullable<DatasetsPreparerOptions['runIn']>][] = [
  ['in-process', () => 'in-process'],
  [
    'in a worker',
    () => {
      expect(pool, 'the pool starts in beforeAll').toBeDefined();
      return pool!;
    },
  ],
];

const rowsOf = async (path: string) =>
  (await readFile(path, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { prompt: string; answer: string });

describe.each(modes)('datasets preparer (%s)', (_mode, runIn) => {
  it('prepares an operator file: secret transform, min(10 %, 1000) test rows, hashed train file', async () => {
    await using dirs = await createTempDirs();
    const jobsDir = join(dirs.root, 'jobs');
    const preparer = createDatasetsPreparer({
      datasetDir: join(dirs.root, 'datasets'),
      jobsDir,
      runIn: runIn(),
    });
    const prepared = await preparer.prepare({ jobId: 'job_a', dataset: 'sums' });
    const trainBytes = await readFile(prepared.trainPath);
    expect(createHash('sha256').update(trainBytes).digest('hex')).toBe(prepared.trainSha256);
    expect(trainBytes.byteLength).toBe(prepared.trainBytes);
    const train = await rowsOf(prepared.trainPath);
    const test = await rowsOf(join(jobsDir, 'job_a', 'test.jsonl'));
    expect(train).toHaveLength(prepared.rows);
    expect(test.length).toBe(Math.max(1, Math.floor((train.length + test.length) / 10)));
    const trainPrompts = new Set(train.map((row) => row.prompt));
    expect(test.some((row) => trainPrompts.has(row.prompt))).toBe(false);
    // The per-job transform rewrites every prompt, so the public rows do not appear verbatim.
    const raw = new Set(Array.from({ length: 50 }, (_, i) => `${i} + ${i} =`));
    expect(train.some((row) => raw.has(row.prompt))).toBe(false);
    const spec = JSON.parse(await readFile(join(jobsDir, 'job_a', 'prepare.json'), 'utf8'));
    expect(spec.seed).toMatch(/^[0-9a-f]{64}$/);
  });

  it('prepares a bundled dataset by name and gives each job its own secret sample', async () => {
    await using dirs = await createTempDirs();
    const preparer = createDatasetsPreparer({
      datasetDir: join(dirs.root, 'datasets'),
      jobsDir: join(dirs.root, 'jobs'),
      runIn: runIn(),
    });
    const a = await preparer.prepare({ jobId: 'job_a', dataset: 'arithmetic', maxRows: 200 });
    const b = await preparer.prepare({ jobId: 'job_b', dataset: 'arithmetic', maxRows: 200 });
    expect(a).toMatchObject({ rows: 180, taskKind: 'procedural' });
    expect(a.trainSha256).not.toBe(b.trainSha256);
  });

  it('refuses unknown, path-like, malformed and too-small datasets with unknown_dataset', async () => {
    await using dirs = await createTempDirs();
    const datasetDir = join(dirs.root, 'datasets');
    const preparer = createDatasetsPreparer({ datasetDir, jobsDir: join(dirs.root, 'jobs'), runIn: runIn() });
    const refused = { code: 'unknown_dataset' };
    await expect(preparer.prepare({ jobId: 'j1', dataset: 'nope' })).rejects.toMatchObject(refused);
    await expect(preparer.prepare({ jobId: 'j2', dataset: '../datasets/sums' })).rejects.toMatchObject(
      refused,
    );
    await writeFile(join(datasetDir, 'bad.jsonl'), '{"prompt":"a","answer":"b"}\n{"prompt":1}\n');
    await expect(preparer.prepare({ jobId: 'j3', dataset: 'bad' })).rejects.toMatchObject(refused);
    await writeDataset(datasetDir, 'few', 3);
    await expect(preparer.prepare({ jobId: 'j4', dataset: 'few' })).rejects.toMatchObject(refused);
  });
});

describe('prepare pool', () => {
  it('fails only the request whose worker died and prepares the next one in a fresh worker', async () => {
    await using dirs = await createTempDirs();
    const crashing = createPreparePool({ entry: await writeCrashingEntry(dirs.root, entry), size: 1 });
    const preparer = createDatasetsPreparer({
      datasetDir: join(dirs.root, 'datasets'),
      jobsDir: join(dirs.root, 'jobs'),
      runIn: crashing,
    });
    try {
      const [died, queued] = await Promise.allSettled([
        preparer.prepare({ jobId: 'j1', dataset: 'boom' }),
        preparer.prepare({ jobId: 'j2', dataset: 'sums' }),
      ]);
      expect(died).toMatchObject({ status: 'rejected', reason: { code: 'internal_error', status: 500 } });
      expect(queued).toMatchObject({ status: 'fulfilled', value: { rows: 36 } });
      await expect(preparer.prepare({ jobId: 'j3', dataset: 'nope' })).rejects.toMatchObject({
        code: 'unknown_dataset',
      });
    } finally {
      await crashing.close();
    }
  });
});
