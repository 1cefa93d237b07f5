import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseJsonl } from '@tuning-arena/datasets';
import { describe, expect, it } from 'vitest';
import { prepareJobData } from '../ports/datasets-preparer.js';
import { loadJobSets, sampleTrainRows } from './job-sets.js';
import { tempDir } from './test-artifacts.js';

async function preparedJob(dir: string, dataset: string) {
  const dirs = { datasetDir: join(dir, 'datasets'), jobsDir: join(dir, 'jobs') };
  await prepareJobData(dirs, { jobId: 'job_1', dataset, maxRows: 200 });
  return join(dirs.jobsDir, 'job_1');
}

const rowsOf = async (path: string) =>
  parseJsonl(await readFile(path, 'utf8')).records.map(({ fields }) => ({
    prompt: fields.prompt,
    answer: fields.answer,
  }));

describe('loadJobSets', () => {
  for (const dataset of ['arithmetic', 'country-facts']) {
    it(`makes the test split, a fresh synthetic set and a train sample of a ${dataset} job`, async () => {
      await using tmp = await tempDir();
      const jobDir = await preparedJob(tmp.path, dataset);
      const sets = await loadJobSets({ jobDir, syntheticSeed: 'secret-1' });
      const test = await rowsOf(join(jobDir, 'test.jsonl'));
      const train = await rowsOf(join(jobDir, 'train.jsonl'));
      expect(sets.test).toEqual(test);
      expect(sets.trainSample).toHaveLength(test.length);
      const trainPrompts = new Set(train.map((row) => row.prompt));
      expect(sets.trainSample.every((row) => trainPrompts.has(row.prompt))).toBe(true);
      expect(sets.synthetic.length).toBeGreaterThan(0);
      const seen = new Set([...trainPrompts, ...test.map((row) => row.prompt)]);
      expect(sets.synthetic.some((row) => seen.has(row.prompt))).toBe(false);
      // The same seed gives the same sets; another seed another synthetic set and sample.
      expect(await loadJobSets({ jobDir, syntheticSeed: 'secret-1' })).toEqual(sets);
      const other = await loadJobSets({ jobDir, syntheticSeed: 'secret-2' });
      expect(other.test).toEqual(sets.test);
      expect(other.synthetic).not.toEqual(sets.synthetic);
      expect(other.trainSample).not.toEqual(sets.trainSample);
    });
  }

  it('refuses a job whose stored test split no longer matches its spec', async () => {
    await using tmp = await tempDir();
    const jobDir = await preparedJob(tmp.path, 'arithmetic');
    await writeFile(join(jobDir, 'test.jsonl'), '{"prompt":"1+1=","answer":"3"}\n');
    await expect(loadJobSets({ jobDir, syntheticSeed: 's' })).rejects.toMatchObject({
      code: 'internal_error',
    });
  });
});

describe('sampleTrainRows', () => {
  it('takes a seeded sample without repeats, all rows when there are fewer', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ prompt: `p${i}`, answer: `a${i}` }));
    const sample = sampleTrainRows(rows, 10, 'seed');
    expect(new Set(sample.map((row) => row.prompt)).size).toBe(10);
    expect(sampleTrainRows(rows, 10, 'seed')).toEqual(sample);
    expect(sampleTrainRows(rows.slice(0, 3), 10, 'seed')).toHaveLength(3);
  });
});
