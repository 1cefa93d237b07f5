import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempDirs, startCompetition } from '../test-fixtures.js';

describe('concurrent job creation', () => {
  it('creates ten jobs requested at once on a fresh data directory, each with its pinned bundle', async () => {
    await using dirs = await createTempDirs();
    const arena = await startCompetition(dirs.root);
    await using _validator = arena.validator;
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        arena.operator.post(`/v1/competitions/${arena.competition.id}/jobs`, {
          model: 'tiny',
          dataset: 'sums',
          timeLimitSeconds: 60,
          minersWanted: 1,
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    const ids = new Set(responses.map((response) => response.body.id as string));
    expect(ids.size).toBe(10);
    for (const id of ids) {
      expect(await readdir(join(dirs.root, 'data', 'jobs', id))).toContain('base-model.bundle');
      expect((await readdir(join(dirs.root, 'data', 'jobs', id))).filter((n) => n.endsWith('.tmp'))).toEqual(
        [],
      );
    }
  });
});
