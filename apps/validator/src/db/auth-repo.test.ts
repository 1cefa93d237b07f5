import { describe, expect, it } from 'vitest';
import { createAuthRepo } from './auth-repo.js';
import { at, openTestDb } from './test-db.js';

/** An authentication as `recordAuthentication` takes it. */
type Authentication = Parameters<ReturnType<typeof createAuthRepo>['recordAuthentication']>[0];

/** The authentication number `n` of `minerId`, used at `at(n)`. */
const auth = (minerId: string, n: number, overrides: Partial<Authentication> = {}): Authentication => ({
  nonce: `nonce-${minerId}-${n}`,
  minerId,
  issuedAt: at(n),
  usedAt: at(n),
  answerSha256: `answer-${minerId}-${n}`,
  tokenSha256: `token-${minerId}-${n}`,
  ...overrides,
});

async function authDb() {
  const t = await openTestDb();
  await t.addCompetition('cmp_a');
  await t.addMiner('mnr_1', 'cmp_a', 1);
  await t.addMiner('mnr_2', 'cmp_a', 2);
  const sessions = () =>
    t.db
      .selectFrom('sessions')
      .select(['token_sha256', 'miner_id', 'ended_at', 'end_reason'])
      .orderBy('created_at')
      .orderBy('token_sha256')
      .execute();
  return { t, auth: createAuthRepo(t.db), sessions };
}

describe('used challenge answers', () => {
  it('recognises a recorded answer as a replay for its own miner only', async () => {
    const { t, auth: repo } = await authDb();
    await using _t = t;
    await repo.recordAuthentication(auth('mnr_1', 1), 10);
    expect(await repo.isUsedAnswer('mnr_1', 'answer-mnr_1-1')).toBe(true);
    expect(await repo.isUsedAnswer('mnr_2', 'answer-mnr_1-1')).toBe(false);
    expect(await repo.isUsedAnswer('mnr_1', 'answer-mnr_1-2')).toBe(false);
    expect(await repo.isUsedAnswer('mnr_missing', 'answer-mnr_1-1')).toBe(false);
  });

  it("keeps only the newest used nonces of a miner and leaves other miners' alone", async () => {
    const { t, auth: repo } = await authDb();
    await using _t = t;
    await repo.recordAuthentication(auth('mnr_2', 0), 3);
    for (const n of [1, 2, 3, 4, 5]) await repo.recordAuthentication(auth('mnr_1', n), 3);
    const used = async (minerId: string, ns: number[]) =>
      Promise.all(ns.map((n) => repo.isUsedAnswer(minerId, `answer-${minerId}-${n}`)));
    expect(await used('mnr_1', [1, 2, 3, 4, 5])).toEqual([false, false, true, true, true]);
    expect(await used('mnr_2', [0])).toEqual([true]);
  });

  it('decides which nonces are newest by when they were used, not by when they were recorded', async () => {
    const { t, auth: repo } = await authDb();
    await using _t = t;
    await repo.recordAuthentication(auth('mnr_1', 9), 2);
    await repo.recordAuthentication(auth('mnr_1', 1), 2);
    await repo.recordAuthentication(auth('mnr_1', 5), 2);
    expect(await repo.isUsedAnswer('mnr_1', 'answer-mnr_1-9')).toBe(true);
    expect(await repo.isUsedAnswer('mnr_1', 'answer-mnr_1-5')).toBe(true);
    expect(await repo.isUsedAnswer('mnr_1', 'answer-mnr_1-1')).toBe(false);
  });

  it('remembers no answer when its session cannot be stored', async () => {
    const { t, auth: repo, sessions } = await authDb();
    await using _t = t;
    await repo.recordAuthentication(auth('mnr_1', 1), 10);
    await expect(
      repo.recordAuthentication(auth('mnr_1', 2, { tokenSha256: 'token-mnr_1-1' }), 10),
    ).rejects.toThrow();
    expect(await repo.isUsedAnswer('mnr_1', 'answer-mnr_1-2')).toBe(false);
    expect((await sessions()).map((s) => s.token_sha256)).toEqual(['token-mnr_1-1']);
  });

  it('opens no session for a nonce that was already used', async () => {
    const { t, auth: repo, sessions } = await authDb();
    await using _t = t;
    await repo.recordAuthentication(auth('mnr_1', 1), 10);
    await expect(
      repo.recordAuthentication(auth('mnr_1', 2, { nonce: 'nonce-mnr_1-1' }), 10),
    ).rejects.toThrow();
    expect((await sessions()).map((s) => s.token_sha256)).toEqual(['token-mnr_1-1']);
  });
});

describe('sessions', () => {
  it('opens a session per authentication and ends it once, keeping the first reason', async () => {
    const { t, auth: repo, sessions } = await authDb();
    await using _t = t;
    await repo.recordAuthentication(auth('mnr_1', 1), 10);
    await repo.recordAuthentication(auth('mnr_2', 2), 10);
    expect(await sessions()).toEqual([
      { token_sha256: 'token-mnr_1-1', miner_id: 'mnr_1', ended_at: null, end_reason: null },
      { token_sha256: 'token-mnr_2-2', miner_id: 'mnr_2', ended_at: null, end_reason: null },
    ]);
    await repo.endSession('token-mnr_1-1', at(3), 'disconnected');
    await repo.endSession('token-mnr_1-1', at(4), 'replaced');
    await repo.endSession('token-missing', at(4), 'disconnected');
    expect(await sessions()).toEqual([
      { token_sha256: 'token-mnr_1-1', miner_id: 'mnr_1', ended_at: at(3), end_reason: 'disconnected' },
      { token_sha256: 'token-mnr_2-2', miner_id: 'mnr_2', ended_at: null, end_reason: null },
    ]);
  });

  it('ends every open session on restart and says how many', async () => {
    const { t, auth: repo, sessions } = await authDb();
    await using _t = t;
    expect(await repo.endOpenSessions(at(0), 'validator restarted')).toBe(0);
    for (const n of [1, 2]) await repo.recordAuthentication(auth('mnr_1', n), 10);
    await repo.recordAuthentication(auth('mnr_2', 3), 10);
    await repo.endSession('token-mnr_1-1', at(4), 'disconnected');
    expect(await repo.endOpenSessions(at(5), 'validator restarted')).toBe(2);
    expect((await sessions()).map((s) => s.end_reason)).toEqual([
      'disconnected',
      'validator restarted',
      'validator restarted',
    ]);
    expect(await repo.endOpenSessions(at(6), 'validator restarted')).toBe(0);
  });

  it('drops ended sessions beyond the newest of a miner', async () => {
    const { t, auth: repo, sessions } = await authDb();
    await using _t = t;
    await repo.recordAuthentication(auth('mnr_2', 0), 2);
    await repo.endSession('token-mnr_2-0', at(0), 'disconnected');
    for (const n of [1, 2, 3, 4]) {
      await repo.recordAuthentication(auth('mnr_1', n), 2);
      await repo.endSession(`token-mnr_1-${n}`, at(n), 'disconnected');
    }
    expect((await sessions()).map((s) => s.token_sha256)).toEqual([
      'token-mnr_2-0',
      'token-mnr_1-3',
      'token-mnr_1-4',
    ]);
  });

  it('never drops an open session, however many a miner has', async () => {
    const { t, auth: repo, sessions } = await authDb();
    await using _t = t;
    for (const n of [1, 2, 3]) await repo.recordAuthentication(auth('mnr_1', n), 1);
    expect(await sessions()).toHaveLength(3);
    expect(await repo.endOpenSessions(at(4), 'validator restarted')).toBe(3);
  });
});
