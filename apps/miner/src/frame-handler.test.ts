import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobOffer, JobStart, MinerMessage, SubmitAck } from '@tuning-arena/protocol';
import { validValidatorFrames } from '@tuning-arena/protocol/fixtures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDefaultAcceptPolicy } from './accept-policy.js';
import { createFrameHandler } from './frame-handler.js';
import { createJobTable } from './job-table.js';
import { createLedgerRepo, type LedgerRepo } from './ledger/ledger-repo.js';
import { openDb } from './ledger/open-db.js';
import type { JobLedgerStatus } from './ledger/schema.js';
import { silentLogger } from './logger.js';
import { createSubmitAcks } from './submit-acks.js';

const future = new Date(Date.now() + 60_000).toISOString();
const offer = (jobId: string, timeLimitSeconds = 60): JobOffer => ({
  ...(validValidatorFrames['job.offer'] as JobOffer),
  jobId,
  timeLimitSeconds,
  offerExpiresAt: future,
});
const start = (jobId: string): JobStart => ({ ...(validValidatorFrames['job.start'] as JobStart), jobId });

describe('frame handler', () => {
  let dir: string;
  let ledger: LedgerRepo;
  let close: () => Promise<void>;
  let sent: MinerMessage[];
  let runs: Array<{ jobId: string; signal: AbortSignal; finish: () => void }>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'miner-frames-'));
    const db = await openDb(join(dir, 'ledger.sqlite'));
    ledger = createLedgerRepo(db);
    close = () => db.destroy();
    sent = [];
    runs = [];
  });
  afterEach(async () => {
    await close();
    await rm(dir, { recursive: true, force: true });
  });

  function setup(capacity = 1) {
    const table = createJobTable();
    const acks = createSubmitAcks();
    const onOffer = vi.fn();
    const handler = createFrameHandler({
      ledger,
      table,
      acks,
      policy: createDefaultAcceptPolicy({ minTimeLimitSeconds: 30 }),
      capacity,
      log: silentLogger,
      send: (message) => sent.push(message) > 0,
      runJob: (s, signal) =>
        new Promise<void>((resolve) => {
          runs.push({ jobId: s.jobId, signal, finish: resolve });
        }),
      setPhase: async (jobId: string, phase: JobLedgerStatus, detail?: string) => {
        await ledger.upsertJob(jobId, phase, detail === undefined ? {} : { detail });
        table.track(jobId, phase);
      },
      onOffer,
      onResult: vi.fn(),
    });
    return { handler, table, acks, onOffer };
  }

  it('accepts while a slot is free, then declines with a reason, and records both', async () => {
    const { handler } = setup(1);
    await handler.dispatch(offer('job_a'));
    await handler.dispatch(offer('job_b'));
    expect(sent).toEqual([
      { type: 'offer.accept', jobId: 'job_a' },
      { type: 'offer.reject', jobId: 'job_b', reason: expect.stringContaining('no free slot') },
    ]);
    expect((await ledger.getOffer('job_b'))?.reason).toContain('no free slot');
    expect((await ledger.getJob('job_a'))?.status).toBe('accepted');
  });

  it('answers a re-sent offer the same way without asking the policy again', async () => {
    const { handler, onOffer } = setup(1);
    await handler.dispatch(offer('job_a', 5));
    await handler.dispatch(offer('job_a', 500));
    expect(sent.map((m) => m.type)).toEqual(['offer.reject', 'offer.reject']);
    expect(onOffer).toHaveBeenCalledTimes(2);
  });

  it('starts a job once, even when job.start is sent again while it runs', async () => {
    const { handler } = setup(1);
    await handler.dispatch(offer('job_a'));
    await handler.dispatch(start('job_a'));
    await handler.dispatch(start('job_a'));
    expect(runs.map((r) => r.jobId)).toEqual(['job_a']);
  });

  it('does not restart a job the ledger shows as delivered', async () => {
    const { handler } = setup(1);
    await ledger.upsertJob('job_a', 'uploaded');
    await handler.dispatch(start('job_a'));
    expect(runs).toEqual([]);
  });

  it('aborts a running job on job.cancel and frees its slot', async () => {
    const { handler, table } = setup(1);
    await handler.dispatch(offer('job_a'));
    await handler.dispatch(start('job_a'));
    await handler.dispatch({ type: 'job.cancel', jobId: 'job_a', reason: 'operator cancelled' });
    expect(runs[0]?.signal.aborted).toBe(true);
    expect(table.activeJobIds()).toEqual([]);
    expect((await ledger.getJob('job_a'))?.status).toBe('cancelled');
  });

  it('hands acks and commit refusals to the waiting commit, but not a refused progress report', async () => {
    const { handler, acks } = setup(1);
    const ack = { ...(validValidatorFrames['submit.ack'] as SubmitAck), jobId: 'job_a' };
    const first = acks.wait('job_a', 10_000, new AbortController().signal);
    await handler.dispatch(ack);
    await expect(first).resolves.toEqual(ack);

    const second = acks.wait('job_a', 10_000, new AbortController().signal);
    await handler.dispatch({ type: 'error', code: 'offer_expired', message: 'late', ref: 'job_a' });
    expect(acks.pending('job_a')).toBe(true);
    await handler.dispatch({ type: 'error', code: 'deadline_passed', message: 'too late', ref: 'job_a' });
    await expect(second).rejects.toMatchObject({ code: 'deadline_passed' });

    // The validator's cap on commits per job refuses the commit, not the connection.
    const third = acks.wait('job_a', 10_000, new AbortController().signal);
    await handler.dispatch({ type: 'error', code: 'commit_limit', message: 'enough', ref: 'job_a' });
    await expect(third).rejects.toMatchObject({ code: 'commit_limit' });
  });

  it('records a result and stops a job the validator has ended', async () => {
    const { handler } = setup(1);
    await handler.dispatch(offer('job_a'));
    await handler.dispatch(start('job_a'));
    await handler.dispatch({
      ...(validValidatorFrames['job.result'] as object),
      jobId: 'job_a',
      status: 'missed',
    } as never);
    expect(runs[0]?.signal.aborted).toBe(true);
    expect((await ledger.getJob('job_a'))?.status).toBe('missed');
    expect((await ledger.history())[0]?.result?.status).toBe('missed');
  });
});
