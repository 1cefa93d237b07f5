import { describe, expect, it } from 'vitest';
import { decide, type ProgramJob, type ProgramState } from './program-step.js';

const T0 = 10_000_000;
const phase = (overrides = {}) => ({
  name: 'p',
  models: ['m1'],
  datasets: ['d1'],
  timeLimit: 60,
  minersWanted: 1,
  ...overrides,
});
const state = (overrides: Partial<ProgramState> = {}): ProgramState => ({
  spec: { phases: [phase({ pauseSeconds: 30 }), phase({ startOffsetSeconds: 600, concurrentJobs: 3 })] },
  status: 'active',
  window: { startsAt: T0, endsAt: T0 + 3_600_000 },
  jobs: [],
  retryAt: null,
  defaultOfferTtlSeconds: 30,
  ...overrides,
});
const job = (seq: number, phase: number, endedAt: number | null): ProgramJob => ({
  seq,
  phase,
  status: endedAt === null ? 'running' : 'submitted',
  endedAt,
  started: true,
});

describe('decide', () => {
  it('waits for the window, then makes the first job', () => {
    expect(decide(state(), T0 - 1)).toEqual({ kind: 'wait', wait: 'window_opens', at: T0, phase: null });
    expect(decide(state(), T0)).toEqual({ kind: 'make', phase: 0 });
  });

  it('holds one slot in the first phase, then pauses after a job ends', () => {
    expect(decide(state({ jobs: [job(1, 0, null)] }), T0 + 10_000)).toMatchObject({
      kind: 'wait',
      wait: 'a_job_ends',
      at: T0 + 600_000,
    });
    expect(decide(state({ jobs: [job(1, 0, T0 + 70_000)] }), T0 + 80_000)).toMatchObject({
      wait: 'pause_ends',
      at: T0 + 100_000,
    });
    expect(decide(state({ jobs: [job(1, 0, T0 + 70_000)] }), T0 + 100_000)).toEqual({
      kind: 'make',
      phase: 0,
    });
  });

  it('fills three slots in the second phase', () => {
    const jobs = [job(1, 0, T0 + 100_000), job(2, 1, null), job(3, 1, null)];
    expect(decide(state({ jobs }), T0 + 600_000)).toEqual({ kind: 'make', phase: 1 });
    expect(decide(state({ jobs: [...jobs, job(4, 1, null)] }), T0 + 600_000)).toMatchObject({
      wait: 'a_job_ends',
    });
  });

  it('makes nothing while paused, and ends with the window or when the last phase is done', () => {
    expect(decide(state({ status: 'paused' }), T0)).toMatchObject({ kind: 'wait', wait: 'nothing' });
    expect(decide(state(), T0 + 3_600_000)).toEqual({ kind: 'end', reason: 'the competition ended' });
    const done = state({ spec: { phases: [phase({ maxJobs: 1 })] }, jobs: [job(1, 0, T0 + 1)] });
    expect(decide(done, T0 + 10_000)).toMatchObject({ kind: 'end' });
  });

  it('stops making jobs when even the shortest would run past the end', () => {
    expect(decide(state({ spec: { phases: [phase()] } }), T0 + 3_600_000 - 50_000)).toMatchObject({
      kind: 'end',
    });
    // 50 s left after the offer's 30 s: a 60 s job is cut to 50 s rather than dropped.
    expect(decide(state({ spec: { phases: [phase()] } }), T0 + 3_600_000 - 80_000)).toEqual({
      kind: 'make',
      phase: 0,
    });
  });

  it('waits an offer lifetime after a job nobody accepted, even without a pause', () => {
    const refused = { seq: 1, phase: 1, status: 'closed' as const, endedAt: T0 + 600_000, started: false };
    expect(decide(state({ jobs: [refused] }), T0 + 610_000)).toMatchObject({
      wait: 'pause_ends',
      at: T0 + 630_000,
    });
    expect(decide(state({ jobs: [{ ...refused, started: true }] }), T0 + 610_000)).toEqual({
      kind: 'make',
      phase: 1,
    });
  });

  it('waits out a failure before trying again', () => {
    expect(decide(state({ retryAt: T0 + 60_000 }), T0)).toMatchObject({ wait: 'retry', at: T0 + 60_000 });
  });
});
