import { describe, expect, it } from 'vitest';
import { getDataset } from '../catalog.js';
import { byteLength } from '../rows.js';
import { prepareJob, testCount } from './prepare-job.js';
import { createUserSource } from './user-source.js';
import { fillTemplate, PROMPT_TEMPLATES } from './wordings.js';

const prompts = (examples: readonly { prompt: string }[]) => examples.map((example) => example.prompt);

describe('prepareJob', () => {
  it('gives the same split for the same seed and a different one for another seed', () => {
    const a = prepareJob({ dataset: 'first-names-gender', seed: 'seed-a', rows: 400 });
    const again = prepareJob({ dataset: 'first-names-gender', seed: 'seed-a', rows: 400 });
    const b = prepareJob({ dataset: 'first-names-gender', seed: 'seed-b', rows: 400 });
    expect(again.train).toEqual(a.train);
    expect(again.test).toEqual(a.test);
    expect(b.train).not.toEqual(a.train);
    expect(b.test).not.toEqual(a.test);
  });

  it('splits off min(10 %, 1000) test rows that never appear in train', () => {
    const job = prepareJob({ dataset: 'country-facts', seed: 's1', rows: 300 });
    expect(job.test).toHaveLength(testCount(300));
    expect(job.train.length + job.test.length).toBe(300);
    const train = new Set(prompts(job.train));
    for (const example of job.test) expect(train.has(example.prompt)).toBe(false);
    expect(testCount(50_000)).toBe(1000);
  });

  it('holds out rows that are in neither split', () => {
    const job = prepareJob({ dataset: 'country-facts', seed: 's2', rows: 5000 });
    // 750 rows, 20 % always held out.
    expect(job.heldOut.length).toBeGreaterThanOrEqual(150);
    const apply = (row: (typeof job.heldOut)[number]) => job.transform.apply(row).prompt;
    const used = new Set([...prompts(job.train), ...prompts(job.test)]);
    for (const row of job.heldOut) expect(used.has(apply(row))).toBe(false);
  });

  it('transforms every row so none matches its public source', () => {
    for (const name of ['first-names-gender', 'country-facts', 'cmudict-phonemes']) {
      const source = getDataset(name);
      if (source.kind !== 'instruct') throw new Error('expected rows');
      const outputs = new Set(source.rows().map((row) => row.output));
      const raw = new Set(
        source
          .rows()
          .flatMap((row) =>
            ['{i}: {x}', '{i}\n{x}', '{i} {x}', '{x}'].map((t) =>
              fillTemplate(t, row.instruction, row.input),
            ),
          ),
      );
      for (const seed of ['t1', 't2', 't3']) {
        const job = prepareJob({ dataset: name, seed, rows: 300 });
        for (const example of [...job.train, ...job.test]) {
          expect(outputs.has(example.answer)).toBe(false);
          expect(raw.has(example.prompt)).toBe(false);
        }
      }
    }
  });

  it('uses one training wording and keeps every example under the byte cap', () => {
    const job = prepareJob({ dataset: 'emoji-names', seed: 'cap', rows: 500, maxExampleBytes: 60 });
    for (const example of [...job.train, ...job.test]) {
      expect(byteLength(example.prompt) + byteLength(example.answer)).toBeLessThanOrEqual(60);
    }
    const template = PROMPT_TEMPLATES[job.transform.choice.template];
    if (template === undefined) throw new Error('the job chose a template that does not exist');
    const fixed = template.slice(template.indexOf('{x}') + 3);
    for (const example of job.train) expect(example.prompt.endsWith(fixed)).toBe(true);
  });

  it('generates distinct fresh rows for procedural datasets', () => {
    const job = prepareJob({ dataset: 'arithmetic', seed: 'p', rows: 500 });
    expect(job.train.length + job.test.length).toBe(500);
    expect(new Set(prompts([...job.train, ...job.test])).size).toBe(500);
    expect(job.heldOut).toEqual([]);
  });

  it('prepares a user dataset and refuses a text corpus', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({
      instruction: 'Square',
      input: String(i),
      output: String(i * i),
    }));
    const source = createUserSource(
      'squares',
      { kind: 'instruct', rows, duplicatesDropped: 0 },
      'squares.jsonl',
    );
    const job = prepareJob({ dataset: 'squares', seed: 'u', rows: 30 }, source);
    expect(job.train.length + job.test.length).toBe(30);
    expect(() => prepareJob({ dataset: 'brown', seed: 'x' })).toThrow(
      expect.objectContaining({ code: 'wrong_dataset_kind' }),
    );
    expect(() => prepareJob({ dataset: 'nope', seed: 'x' })).toThrow(
      expect.objectContaining({ code: 'unknown_dataset' }),
    );
  });
});
