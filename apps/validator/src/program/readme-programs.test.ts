import { readFile } from 'node:fs/promises';
import { getDataset } from '@tuning-arena/datasets';
import { BASE_MODELS } from '@tuning-arena/models';
import { CompetitionProgram, decodeBody, parseBoundedYaml } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { programIssues } from './validate-program.js';

const LIMITS = { maxBytes: 100_000, maxDepth: 16, maxValues: 10_000, maxStringLength: 10_000 };

/** The YAML block of the README that opens with `# <name>`. */
async function readmeProgram(name: string): Promise<unknown> {
  const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
  const block = readme.split('```yaml\n').find((part) => part.startsWith(`# ${name}\n`));
  if (!block) throw new Error(`README has no yaml block ${name}`);
  const parsed = parseBoundedYaml(block.slice(0, block.indexOf('```')), LIMITS);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe("the README's example programs", () => {
  it.each([
    [
      'three-days.yaml',
      { startsAt: Date.parse('2026-12-02T12:00:00Z'), endsAt: Date.parse('2026-12-05T00:00:00Z') },
    ],
    ['five-minutes.yaml', { startsAt: 0, endsAt: 300_000 }],
  ])('%s is a valid program for its window, on models and datasets that exist', async (name, window) => {
    const decoded = decodeBody(CompetitionProgram, await readmeProgram(name));
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.error.issues));
    expect(programIssues(decoded.value, window)).toEqual([]);
    for (const phase of decoded.value.phases) {
      for (const model of phase.models) expect(BASE_MODELS.map((spec) => spec.name)).toContain(model);
      for (const dataset of phase.datasets) expect(() => getDataset(dataset)).not.toThrow();
    }
  });
});
