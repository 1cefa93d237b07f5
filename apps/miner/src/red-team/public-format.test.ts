import { prepareJob } from '@tuning-arena/datasets';
import { describe, expect, it } from 'vitest';
import { learnFormat, publicFormat, renderSource, taskDatasets } from './public-format.js';

describe('public-source format recovery', () => {
  it('finds the source of a knowledge job and renders every hidden test row exactly as the job wrote it', () => {
    const job = prepareJob({ dataset: 'country-facts', seed: 'secret-1', rows: 300 });
    const format = learnFormat(job.train, taskDatasets(['country-facts', 'emoji-names', 'arithmetic']));
    expect(format?.source.name).toBe('country-facts');
    const rendered = new Set(renderSource(format!, 0, 1).map((row) => JSON.stringify(row)));
    const leaked = job.test.filter((row) => rendered.has(JSON.stringify(row)));
    expect(leaked.length).toBe(job.test.length);
  });

  it('finds a procedural family and writes fresh rows in the job template and answer wrapper', () => {
    const job = prepareJob({ dataset: 'arithmetic', seed: 'secret-2', rows: 200 });
    const format = learnFormat(job.train, taskDatasets());
    expect(format?.source.name).toBe('arithmetic');
    const [sample] = job.train;
    const [made] = renderSource(format!, 5, 1);
    const shape = (text: string) => text.replace(/\d+/g, '#');
    expect(shape(made!.answer)).toBe(shape(sample!.answer));
    expect(format!.template).toBeDefined();
  });

  it('in the public wording, no rendered row matches a row of the job (the per-job transform holds)', () => {
    const job = prepareJob({ dataset: 'country-facts', seed: 'secret-3', rows: 300 });
    const format = learnFormat(job.train, taskDatasets(['country-facts']));
    const rendered = renderSource(publicFormat(format!.source), 0, 1);
    expect(rendered.length).toBeGreaterThan(job.test.length);
    const seen = new Set(rendered.map((row) => row.answer));
    expect(job.test.filter((row) => seen.has(row.answer))).toEqual([]);
  });

  it('gives up on rows of no known source', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ prompt: `zork ${i}?`, answer: `${i}` }));
    expect(learnFormat(rows, taskDatasets(['country-facts']))).toBeUndefined();
  });
});
