import { describe, expect, it } from 'vitest';
import { createCompetitionsRepo } from './competitions-repo.js';
import { at, competitionRow, openTestDb } from './test-db.js';

describe('competitions repository', () => {
  it('returns a competition exactly as it was stored', async () => {
    await using t = await openTestDb();
    const competitions = createCompetitionsRepo(t.db);
    const row = competitionRow('cmp_a', {
      max_miners: 7,
      max_miners_per_owner: 2,
      weight_test: 0.25,
      tau: 0.125,
      miss_factor: 0.75,
    });
    await competitions.insert(row);
    expect(await competitions.get('cmp_a')).toEqual(row);
  });

  it('returns undefined for an unknown competition', async () => {
    await using t = await openTestDb();
    const competitions = createCompetitionsRepo(t.db);
    await competitions.insert(competitionRow('cmp_a'));
    expect(await competitions.get('cmp_missing')).toBeUndefined();
  });

  it('refuses a second competition with the same id and keeps the first', async () => {
    await using t = await openTestDb();
    const competitions = createCompetitionsRepo(t.db);
    await competitions.insert(competitionRow('cmp_a', { name: 'first' }));
    await expect(competitions.insert(competitionRow('cmp_a', { name: 'second' }))).rejects.toThrow();
    expect((await competitions.get('cmp_a'))?.name).toBe('first');
  });

  it('lists competitions oldest first, ties broken by id', async () => {
    await using t = await openTestDb();
    const competitions = createCompetitionsRepo(t.db);
    await competitions.insert(competitionRow('cmp_c', { created_at: at(2) }));
    await competitions.insert(competitionRow('cmp_b', { created_at: at(1) }));
    await competitions.insert(competitionRow('cmp_z', { created_at: at(0) }));
    await competitions.insert(competitionRow('cmp_a', { created_at: at(1) }));
    expect((await competitions.list()).map((c) => c.id)).toEqual(['cmp_z', 'cmp_a', 'cmp_b', 'cmp_c']);
  });

  it('lists nothing in an empty database', async () => {
    await using t = await openTestDb();
    expect(await createCompetitionsRepo(t.db).list()).toEqual([]);
  });
});
