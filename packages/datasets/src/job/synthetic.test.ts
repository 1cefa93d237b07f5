import { describe, expect, it } from 'vitest';
import { prepareJob } from './prepare-job.js';
import { makeSyntheticSet } from './synthetic.js';

describe('makeSyntheticSet', () => {
  it('re-words held-out rows and never repeats a train or test prompt', async () => {
    const job = prepareJob({ dataset: 'first-names-gender', seed: 'job', rows: 1000 });
    const synthetic = await makeSyntheticSet(job, { seed: 'after-deadline' });
    expect(synthetic.examples).toHaveLength(job.test.length);
    expect(synthetic.fromHeldOut).toBe(job.test.length);
    const seen = new Set([...job.train, ...job.test].map((example) => example.prompt));
    for (const example of synthetic.examples) expect(seen.has(example.prompt)).toBe(false);
    // Same answer format as training: the job's wrapper marks every answer.
    const [open, close] = job.transform.choice.wrapper;
    for (const example of synthetic.examples) {
      expect(example.answer.startsWith(open) && example.answer.endsWith(close)).toBe(true);
    }
  });

  it('uses fresh generator rows for procedural jobs', async () => {
    const job = prepareJob({ dataset: 'string-transforms', seed: 'job', rows: 2000 });
    const synthetic = await makeSyntheticSet(job, { seed: 'fresh', count: 300 });
    expect(synthetic.fromGenerator).toBe(300);
    const seen = new Set([...job.train, ...job.test].map((example) => example.prompt));
    for (const example of synthetic.examples) expect(seen.has(example.prompt)).toBe(false);
  });

  it('differs between synthetic seeds and repeats for the same one', async () => {
    const job = prepareJob({ dataset: 'country-facts', seed: 'job', rows: 200 });
    const a = await makeSyntheticSet(job, { seed: 'one', count: 50 });
    const again = await makeSyntheticSet(job, { seed: 'one', count: 50 });
    const b = await makeSyntheticSet(job, { seed: 'two', count: 50 });
    expect(again.examples).toEqual(a.examples);
    expect(b.examples).not.toEqual(a.examples);
  });
});
