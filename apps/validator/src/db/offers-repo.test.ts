import type { JobStatus, OfferStatus } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { createOffersRepo, type OfferRow } from './offers-repo.js';
import { at, openTestDb } from './test-db.js';

/** An offer of `jobId` to `minerId` made at `at(n)`. */
const offer = (jobId: string, minerId: string, n: number, status: OfferStatus = 'pending'): OfferRow => ({
  job_id: jobId,
  miner_id: minerId,
  status,
  reason: null,
  offered_at: at(n),
  expires_at: at(n + 600),
  decided_at: null,
  progress_step: null,
  progress_train_loss: null,
  progress_at: null,
});

/** Competitions a and b, miners 1 to 3 in a, and one job per status given (ids `job_<status>`) in a. */
async function offersDb(statuses: JobStatus[] = ['offering', 'running']) {
  const t = await openTestDb();
  await t.addCompetition('cmp_a');
  await t.addCompetition('cmp_b');
  for (const n of [1, 2, 3]) await t.addMiner(`mnr_${n}`, 'cmp_a', n);
  for (const status of statuses) await t.addJob(`job_${status}`, 'cmp_a', { status });
  return { t, offers: createOffersRepo(t.db) };
}

describe('offers', () => {
  it('returns an offer as stored, and undefined for an unknown pair', async () => {
    const { t, offers } = await offersDb();
    await using _t = t;
    const row = offer('job_offering', 'mnr_1', 1);
    await offers.insert(row);
    expect(await offers.get('job_offering', 'mnr_1')).toEqual(row);
    expect(await offers.get('job_offering', 'mnr_2')).toBeUndefined();
    expect(await offers.get('job_missing', 'mnr_1')).toBeUndefined();
  });

  it('refuses a second offer of the same job to the same miner', async () => {
    const { t, offers } = await offersDb();
    await using _t = t;
    await offers.insert(offer('job_offering', 'mnr_1', 1));
    await expect(offers.insert(offer('job_offering', 'mnr_1', 2))).rejects.toThrow();
    expect((await offers.get('job_offering', 'mnr_1'))?.offered_at).toBe(at(1));
  });

  it("lists a job's offers and a miner's offers of some statuses, oldest first", async () => {
    const { t, offers } = await offersDb();
    await using _t = t;
    await offers.insert(offer('job_offering', 'mnr_2', 3));
    await offers.insert(offer('job_offering', 'mnr_1', 1, 'accepted'));
    await offers.insert(offer('job_running', 'mnr_1', 2, 'rejected'));
    await offers.insert(offer('job_offering', 'mnr_3', 0, 'expired'));
    expect((await offers.listByJob('job_offering')).map((o) => o.miner_id)).toEqual([
      'mnr_3',
      'mnr_1',
      'mnr_2',
    ]);
    expect(await offers.listByJob('job_missing')).toEqual([]);
    const ofMiner1 = (statuses: OfferStatus[]) =>
      offers.listByMiner('mnr_1', statuses).then((rows) => rows.map((o) => o.job_id));
    expect(await ofMiner1(['accepted', 'rejected'])).toEqual(['job_offering', 'job_running']);
    expect(await ofMiner1(['rejected'])).toEqual(['job_running']);
    expect(await ofMiner1(['pending'])).toEqual([]);
    expect((await offers.listByStatus('pending')).map((o) => o.miner_id)).toEqual(['mnr_2']);
  });

  it('lists every offer of a miner on jobs still offering or running, oldest first', async () => {
    const { t, offers } = await offersDb(['offering', 'running', 'submitted', 'cancelled']);
    await using _t = t;
    await offers.insert(offer('job_offering', 'mnr_1', 2, 'pending'));
    await offers.insert(offer('job_running', 'mnr_1', 1, 'rejected'));
    await offers.insert(offer('job_submitted', 'mnr_1', 0, 'accepted'));
    await offers.insert(offer('job_cancelled', 'mnr_1', 0, 'cancelled'));
    await offers.insert(offer('job_offering', 'mnr_2', 0, 'pending'));
    expect((await offers.listLiveByMiner('mnr_1')).map((o) => [o.job_id, o.status])).toEqual([
      ['job_running', 'rejected'],
      ['job_offering', 'pending'],
    ]);
    expect(await offers.listLiveByMiner('mnr_missing')).toEqual([]);
  });
});

describe('offer decisions', () => {
  it('decides an offer only from the expected status', async () => {
    const { t, offers } = await offersDb();
    await using _t = t;
    await offers.insert(offer('job_offering', 'mnr_1', 1));
    expect(await offers.decide('job_offering', 'mnr_1', 'pending', 'accepted', at(2), null)).toBe(true);
    expect(await offers.decide('job_offering', 'mnr_1', 'pending', 'expired', at(3), 'no answer')).toBe(
      false,
    );
    expect(await offers.get('job_offering', 'mnr_1')).toMatchObject({
      status: 'accepted',
      decided_at: at(2),
      reason: null,
    });
    expect(await offers.decide('job_offering', 'mnr_1', 'accepted', 'cancelled', at(4), 'gone')).toBe(true);
    expect(await offers.get('job_offering', 'mnr_1')).toMatchObject({
      status: 'cancelled',
      decided_at: at(4),
      reason: 'gone',
    });
  });

  it('decides only the named offer, and reports an unknown one as not decided', async () => {
    const { t, offers } = await offersDb();
    await using _t = t;
    await offers.insert(offer('job_offering', 'mnr_1', 1));
    await offers.insert(offer('job_offering', 'mnr_2', 1));
    await offers.insert(offer('job_running', 'mnr_1', 1));
    expect(await offers.decide('job_offering', 'mnr_1', 'pending', 'rejected', at(2), 'busy')).toBe(true);
    const pending = (await offers.listByStatus('pending')).map((o) => `${o.job_id}/${o.miner_id}`);
    expect(pending.sort()).toEqual(['job_offering/mnr_2', 'job_running/mnr_1']);
    expect(await offers.decide('job_offering', 'mnr_3', 'pending', 'rejected', at(2), null)).toBe(false);
    expect(await offers.decide('job_missing', 'mnr_1', 'pending', 'rejected', at(2), null)).toBe(false);
  });

  it("cancels only a job's pending offers and names their miners", async () => {
    const { t, offers } = await offersDb();
    await using _t = t;
    await offers.insert(offer('job_offering', 'mnr_1', 1));
    await offers.insert(offer('job_offering', 'mnr_2', 1, 'accepted'));
    await offers.insert(offer('job_offering', 'mnr_3', 1));
    await offers.insert(offer('job_running', 'mnr_1', 1));
    const cancelled = await offers.cancelPending('job_offering', at(5), 'job started');
    expect(cancelled.sort()).toEqual(['mnr_1', 'mnr_3']);
    expect(await offers.get('job_offering', 'mnr_1')).toMatchObject({
      status: 'cancelled',
      decided_at: at(5),
      reason: 'job started',
    });
    expect((await offers.get('job_offering', 'mnr_2'))?.status).toBe('accepted');
    expect((await offers.get('job_running', 'mnr_1'))?.status).toBe('pending');
    expect(await offers.cancelPending('job_offering', at(6), 'again')).toEqual([]);
  });

  it('stores the latest progress report of an offer', async () => {
    const { t, offers } = await offersDb();
    await using _t = t;
    await offers.insert(offer('job_running', 'mnr_1', 1, 'accepted'));
    await offers.insert(offer('job_running', 'mnr_2', 1, 'accepted'));
    await offers.saveProgress('job_running', 'mnr_1', 10, 2.5, at(10));
    await offers.saveProgress('job_running', 'mnr_1', 20, 1.25, at(20));
    await offers.saveProgress('job_running', 'mnr_missing', 1, 1, at(20));
    expect(await offers.get('job_running', 'mnr_1')).toMatchObject({
      progress_step: 20,
      progress_train_loss: 1.25,
      progress_at: at(20),
    });
    expect((await offers.get('job_running', 'mnr_2'))?.progress_step).toBeNull();
  });
});

describe('miner load', () => {
  it('counts pending offers and accepted offers of live jobs per miner', async () => {
    const { t, offers } = await offersDb(['offering', 'running', 'submitted', 'closed']);
    await using _t = t;
    await offers.insert(offer('job_offering', 'mnr_1', 1));
    await offers.insert(offer('job_running', 'mnr_1', 1, 'accepted'));
    await offers.insert(offer('job_submitted', 'mnr_1', 1, 'accepted'));
    await offers.insert(offer('job_closed', 'mnr_1', 1, 'accepted'));
    await offers.insert(offer('job_offering', 'mnr_2', 1, 'accepted'));
    await offers.insert(offer('job_running', 'mnr_2', 1, 'rejected'));
    await offers.insert(offer('job_running', 'mnr_3', 1, 'expired'));
    await offers.insert(offer('job_submitted', 'mnr_3', 1, 'cancelled'));
    expect(await offers.loadByMiner()).toEqual(
      new Map([
        ['mnr_1', { pending: 1, active: 1 }],
        ['mnr_2', { pending: 0, active: 1 }],
      ]),
    );
  });

  it('counts only the jobs of one competition when asked for it', async () => {
    const { t, offers } = await offersDb();
    await using _t = t;
    await t.addJob('job_b', 'cmp_b', { status: 'running' });
    await offers.insert(offer('job_offering', 'mnr_1', 1));
    await offers.insert(offer('job_b', 'mnr_1', 1, 'accepted'));
    await offers.insert(offer('job_b', 'mnr_2', 1));
    expect(await offers.loadByMiner('cmp_a')).toEqual(new Map([['mnr_1', { pending: 1, active: 0 }]]));
    expect(await offers.loadByMiner('cmp_b')).toEqual(
      new Map([
        ['mnr_1', { pending: 0, active: 1 }],
        ['mnr_2', { pending: 1, active: 0 }],
      ]),
    );
    expect(await offers.loadByMiner('cmp_missing')).toEqual(new Map());
  });
});
