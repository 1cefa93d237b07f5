import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempDirs, writeDataset } from '../test-fixtures.js';
import { createJsonlDataPreparer, testRowCount } from './jsonl-data-preparer.js';

const lines = async (path: string) => (await readFile(path, 'utf8')).trim().split('\n');

describe('JSONL data preparer', () => {
  it('splits off min(10 %, 1000) test rows, writes train and test files and hashes the train file', async () => {
    await using dirs = await createTempDirs();
    const jobsDir = join(dirs.root, 'jobs');
    const preparer = createJsonlDataPreparer({ datasetDir: join(dirs.root, 'datasets'), jobsDir });
    const prepared = await preparer.prepare({ jobId: 'job_a', dataset: 'sums' });
    expect(prepared).toMatchObject({
      rows: 45,
      taskKind: 'instruct',
      trainPath: join(jobsDir, 'job_a', 'train.jsonl'),
    });
    const trainText = await readFile(prepared.trainPath);
    expect(createHash('sha256').update(trainText).digest('hex')).toBe(prepared.trainSha256);
    expect(trainText.byteLength).toBe(prepared.trainBytes);
    const train = await lines(prepared.trainPath);
    const test = await lines(join(jobsDir, 'job_a', 'test.jsonl'));
    expect(test).toHaveLength(5);
    expect(new Set([...train, ...test]).size).toBe(50);
    expect(testRowCount(20_000)).toBe(1000);
    expect(testRowCount(15)).toBe(1);
  });

  it('shuffles each job with its own secret seed and honours maxRows', async () => {
    await using dirs = await createTempDirs();
    const jobsDir = join(dirs.root, 'jobs');
    const preparer = createJsonlDataPreparer({ datasetDir: join(dirs.root, 'datasets'), jobsDir });
    const a = await preparer.prepare({ jobId: 'job_a', dataset: 'sums' });
    const b = await preparer.prepare({ jobId: 'job_b', dataset: 'sums' });
    expect(a.trainSha256).not.toBe(b.trainSha256);
    const small = await preparer.prepare({ jobId: 'job_c', dataset: 'sums', maxRows: 20 });
    expect(small.rows).toBe(18);
  });

  it('refuses unknown, path-like and malformed datasets with unknown_dataset', async () => {
    await using dirs = await createTempDirs();
    const datasetDir = join(dirs.root, 'datasets');
    const preparer = createJsonlDataPreparer({ datasetDir, jobsDir: join(dirs.root, 'jobs') });
    await expect(preparer.prepare({ jobId: 'j1', dataset: 'nope' })).rejects.toMatchObject({
      code: 'unknown_dataset',
    });
    await expect(preparer.prepare({ jobId: 'j2', dataset: '../datasets/sums' })).rejects.toMatchObject({
      code: 'unknown_dataset',
    });
    await writeFile(join(datasetDir, 'bad.jsonl'), '{"prompt":"a","answer":"b"}\n{"prompt":1}\n');
    await expect(preparer.prepare({ jobId: 'j3', dataset: 'bad' })).rejects.toMatchObject({
      code: 'unknown_dataset',
    });
    await writeDataset(datasetDir, 'one', 1);
    await expect(preparer.prepare({ jobId: 'j4', dataset: 'one' })).rejects.toMatchObject({
      code: 'unknown_dataset',
    });
  });
});
