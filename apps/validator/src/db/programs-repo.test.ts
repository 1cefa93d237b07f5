import { describe, expect, it } from 'vitest';
import { createJobsRepo } from './jobs-repo.js';
import { createProgramsRepo, type ProgramRow } from './programs-repo.js';
import { at, jobRow, openTestDb } from './test-db.js';

const program = (overrides: Partial<ProgramRow> = {}): ProgramRow => ({
  competition_id: 'cmp_a',
  spec: '{"phases":[]}',
  seed: 'secret-1',
  status: 'active',
  end_reason: null,
  created_at: at(0),
  updated_at: at(0),
  ...overrides,
});

describe('programs repository', () => {
  it('replaces the spec of a live program but keeps its seed, and never replaces an ended one', async () => {
    await using t = await openTestDb();
    await t.addCompetition('cmp_a');
    const programs = createProgramsRepo(t.db);
    expect(await programs.put(program())).toBe(true);
    expect(await programs.put(program({ spec: '{"phases":[1]}', seed: 'secret-2', updated_at: at(5) }))).toBe(
      true,
    );
    expect(await programs.get('cmp_a')).toMatchObject({ spec: '{"phases":[1]}', seed: 'secret-1' });
    expect(await programs.setStatus('cmp_a', ['paused'], 'active', at(6))).toBe(false);
    expect(await programs.setStatus('cmp_a', ['active'], 'ended', at(7), 'done')).toBe(true);
    expect(await programs.put(program({ spec: '{"phases":[2]}' }))).toBe(false);
    expect(await programs.get('cmp_a')).toMatchObject({
      status: 'ended',
      end_reason: 'done',
      spec: '{"phases":[1]}',
    });
    expect((await programs.statuses()).get('cmp_a')).toBe('ended');
  });

  it('refuses a second job with the same program sequence number in a competition', async () => {
    await using t = await openTestDb();
    await t.addCompetition('cmp_a');
    await t.addCompetition('cmp_b');
    const jobs = createJobsRepo(t.db);
    await jobs.insert(jobRow('job_1', 'cmp_a', { program_seq: 1, program_phase: 0 }));
    await expect(
      jobs.insert(jobRow('job_2', 'cmp_a', { program_seq: 1, program_phase: 0 })),
    ).rejects.toThrow();
    // Other competitions and manual jobs are not affected.
    await jobs.insert(jobRow('job_3', 'cmp_b', { program_seq: 1, program_phase: 0 }));
    await jobs.insert(jobRow('job_4', 'cmp_a'));
    await jobs.insert(jobRow('job_5', 'cmp_a'));
  });
});
