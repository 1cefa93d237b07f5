import { describe, expect, it } from 'vitest';
import type { JobRow } from '../db/jobs-repo.js';
import { createProgramKit } from './test-program-kit.js';

type Kit = Awaited<ReturnType<typeof createProgramKit>>;

const iso = (ms: number) => new Date(ms).toISOString();
const pair = (job: JobRow) => `${job.model_id}/${job.dataset}`;
const active = (jobs: JobRow[]) =>
  jobs.filter((job) => job.status === 'offering' || job.status === 'running');

/** A competition opening a minute after the kit's clock, lasting 25 minutes, with a two-phase program. */
async function twoPhaseCompetition(kit: Kit) {
  const startsAt = kit.clock.now() + 60_000;
  const endsAt = startsAt + 1500_000;
  const program = {
    phases: [
      {
        name: 'warm-up',
        models: ['m1', 'm2'],
        datasets: ['d1', 'd2'],
        timeLimit: 120,
        minersWanted: 1,
        pauseSeconds: 30,
        maxJobs: 3,
      },
      {
        name: 'main',
        startOffsetSeconds: 600,
        models: ['m1', 'm2'],
        datasets: ['d1', 'd2', 'd3'],
        timeLimit: { min: 60, max: 180 },
        minersWanted: 1,
        concurrentJobs: 3,
      },
    ],
  };
  const created = await kit.request('POST', '/v1/competitions', {
    name: 'cup',
    startsAt: iso(startsAt),
    endsAt: iso(endsAt),
    program,
  });
  expect(created.status).toBe(201);
  await kit.addMiners(created.body.id, 3);
  return { id: created.body.id as string, startsAt, endsAt };
}

/** Runs the clock in 10 s steps to `until`, recording the most program jobs active at once per phase. */
async function runUntil(kit: Kit, competitionId: string, until: number) {
  const most = new Map<number, number>();
  while (kit.clock.now() < until) {
    await kit.advance(10);
    const jobs = await kit.jobs(competitionId);
    for (const phase of [0, 1]) {
      const now = active(jobs).filter((job) => job.program_phase === phase).length;
      most.set(phase, Math.max(most.get(phase) ?? 0, now));
    }
  }
  return most;
}

/** The fields that must come out the same however the program was run. */
const fingerprint = (jobs: JobRow[]) =>
  [...jobs]
    .sort((a, b) => (a.program_seq ?? 0) - (b.program_seq ?? 0))
    .map((job) => [job.program_seq, job.program_phase, pair(job), job.time_limit_seconds, job.created_at]);

describe('the competition program', () => {
  it('runs single short jobs one at a time, then three at once, inside the window, without repeating a pair', async () => {
    await using kit = await createProgramKit({ datasets: { d1: 40, d2: 40, d3: 40 } });
    const { id, startsAt, endsAt } = await twoPhaseCompetition(kit);

    // Nothing before the window opens.
    await kit.advance(59);
    expect(await kit.jobs(id)).toEqual([]);
    await kit.advance(1);
    const first = await kit.jobs(id);
    expect(first).toHaveLength(1);
    expect(first[0]?.status).toBe('running');

    const most = await runUntil(kit, id, startsAt + 600_000 + 10_000);
    expect(most.get(0)).toBe(1);
    let jobs = await kit.jobs(id);
    expect(jobs.filter((job) => job.program_phase === 0)).toHaveLength(3);
    expect(active(jobs).filter((job) => job.program_phase === 1)).toHaveLength(3);
    // Six pairs in the pools: the first six jobs are six different pairs.
    expect(new Set(jobs.slice(0, 6).map(pair)).size).toBe(Math.min(6, jobs.length));

    const later = await runUntil(kit, id, endsAt + 60_000);
    expect(later.get(1)).toBe(3);
    jobs = await kit.jobs(id);
    expect(jobs.map((job) => job.program_seq)).toEqual(jobs.map((_, i) => i + 1));
    // Once the pools ran out, pairs come round again evenly.
    const counts = new Map<string, number>();
    for (const job of jobs) counts.set(pair(job), (counts.get(pair(job)) ?? 0) + 1);
    expect(Math.max(...counts.values()) - Math.min(...counts.values())).toBeLessThanOrEqual(1);
    for (const job of jobs) {
      expect(Date.parse(job.created_at)).toBeGreaterThanOrEqual(startsAt);
      expect(Date.parse(job.created_at)).toBeLessThan(endsAt);
      if (job.deadline !== null) expect(Date.parse(job.deadline)).toBeLessThanOrEqual(endsAt);
      if (job.program_phase === 1) expect(job.time_limit_seconds).toBeLessThanOrEqual(180);
    }
    const view = await kit.request('GET', `/v1/competitions/${id}/program`);
    expect(view.body.status).toBe('ended');
    expect(view.body.phases.map((phase: { state: string }) => phase.state)).toEqual(['done', 'done']);
    expect(view.body.jobs).toHaveLength(jobs.length);
    expect(JSON.stringify(view.body)).not.toContain('seed');
  });

  it('carries on after a restart exactly as it would have without one', async () => {
    const run = async (restartAt: number | null) => {
      await using kit = await createProgramKit({ datasets: { d1: 40, d2: 40, d3: 40 } });
      const { id, startsAt, endsAt } = await twoPhaseCompetition(kit);
      // The same secret in both runs, so their jobs can be compared one by one.
      await kit.request('GET', `/v1/competitions/${id}/program`);
      await kit.setSeed(id, 'f'.repeat(64));
      if (restartAt !== null) {
        await runUntil(kit, id, startsAt + restartAt * 1000);
        await kit.restart();
      }
      await runUntil(kit, id, endsAt + 60_000);
      return fingerprint(await kit.jobs(id));
    };
    const straight = await run(null);
    expect(straight.length).toBeGreaterThan(8);
    // In the middle of the warm-up's pause, and while the main phase has three jobs running.
    expect(await run(200)).toEqual(straight);
    expect(await run(700)).toEqual(straight);
  });
});
