import { describe, expect, it } from 'vitest';
import { createSubmissionsRepo } from './submissions-repo.js';
import { at, openTestDb } from './test-db.js';

/** A commit as `insertCommit` takes it. */
type NewCommit = Parameters<ReturnType<typeof createSubmissionsRepo>['insertCommit']>[0];

const hash = (c: string) => c.repeat(64);

let commits = 0;
/** Commit of `sha256` by `minerId` for `jobId` at `at(n)`, in competition a unless given. */
const commit = (
  jobId: string,
  minerId: string,
  sha256: string,
  n: number,
  overrides: Partial<NewCommit> = {},
): NewCommit => ({
  id: `cmt_${commits++}`,
  job_id: jobId,
  miner_id: minerId,
  competition_id: 'cmp_a',
  artifact_sha256: sha256,
  artifact_kind: 'lora',
  strategy_note: `note ${n}`,
  signature: `sig ${n}`,
  committed_at: at(n),
  final: 0,
  ...overrides,
});

/** Competitions a and b, miners 1 to 3, running jobs 1 and 2 in a and job b in b. */
async function submissionsDb() {
  const t = await openTestDb();
  await t.addCompetition('cmp_a');
  await t.addCompetition('cmp_b');
  for (const n of [1, 2, 3]) await t.addMiner(`mnr_${n}`, 'cmp_a', n);
  await t.addJob('job_1', 'cmp_a', { status: 'running', deadline: at(100) });
  await t.addJob('job_2', 'cmp_a', { status: 'running', deadline: at(200) });
  await t.addJob('job_b', 'cmp_b', { status: 'running', deadline: at(300) });
  return { t, submissions: createSubmissionsRepo(t.db) };
}

describe('commits and first commit times', () => {
  it('keeps the first commit time of a hash across miners and jobs of a competition', async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    expect(await submissions.insertCommit(commit('job_1', 'mnr_1', hash('a'), 5))).toBe(at(5));
    expect(await submissions.insertCommit(commit('job_1', 'mnr_2', hash('a'), 7))).toBe(at(5));
    expect(await submissions.insertCommit(commit('job_2', 'mnr_3', hash('a'), 9))).toBe(at(5));
    expect(await submissions.insertCommit(commit('job_1', 'mnr_2', hash('b'), 8))).toBe(at(8));
  });

  it('keeps first commit times per competition', async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('a'), 5));
    const other = commit('job_b', 'mnr_2', hash('a'), 9, { competition_id: 'cmp_b' });
    expect(await submissions.insertCommit(other)).toBe(at(9));
    const listed = await submissions.listCommitsWithUploads('job_b');
    expect(listed.map((r) => [r.miner_id, r.first_committed_at])).toEqual([['mnr_2', at(9)]]);
  });

  it('lets a refused commit claim no first commit time for its hash', async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('a'), 1, { id: 'cmt_same' }));
    await expect(
      submissions.insertCommit(commit('job_1', 'mnr_2', hash('b'), 2, { id: 'cmt_same' })),
    ).rejects.toThrow();
    expect(await submissions.insertCommit(commit('job_1', 'mnr_3', hash('b'), 3))).toBe(at(3));
    expect((await submissions.listCommits('job_1')).map((c) => c.miner_id)).toEqual(['mnr_1', 'mnr_3']);
  });

  it("lists a job's commits in commit order and counts them per miner", async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    // Commit order is the order of arrival, even when a signed time is earlier.
    await submissions.insertCommit(commit('job_1', 'mnr_2', hash('a'), 9));
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('b'), 1));
    await submissions.insertCommit(commit('job_2', 'mnr_1', hash('c'), 2));
    await submissions.insertCommit(commit('job_1', 'mnr_2', hash('c'), 3));
    const listed = await submissions.listCommits('job_1');
    expect(listed.map((c) => [c.miner_id, c.artifact_sha256])).toEqual([
      ['mnr_2', hash('a')],
      ['mnr_1', hash('b')],
      ['mnr_2', hash('c')],
    ]);
    expect(listed[0]).toMatchObject({ artifact_kind: 'lora', strategy_note: 'note 9', final: 0 });
    expect(await submissions.countCommits('job_1', 'mnr_2')).toBe(2);
    expect(await submissions.countCommits('job_1', 'mnr_1')).toBe(1);
    expect(await submissions.countCommits('job_1', 'mnr_3')).toBe(0);
    expect(await submissions.listCommits('job_missing')).toEqual([]);
  });
});

describe('submissions', () => {
  it('takes the latest commit of each miner, in the order of those commits', async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('a'), 1));
    await submissions.insertCommit(commit('job_1', 'mnr_2', hash('b'), 2));
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('c'), 3));
    await submissions.insertCommit(commit('job_2', 'mnr_2', hash('d'), 4));
    expect((await submissions.listSubmissions('job_1')).map((s) => [s.miner_id, s.artifact_sha256])).toEqual([
      ['mnr_2', hash('b')],
      ['mnr_1', hash('c')],
    ]);
    expect(await submissions.listSubmissions('job_missing')).toEqual([]);
  });

  it("carries each submission's first commit time and upload size once uploaded", async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    await submissions.insertCommit(commit('job_2', 'mnr_1', hash('a'), 1));
    await submissions.insertCommit(commit('job_1', 'mnr_2', hash('a'), 5));
    await submissions.insertCommit(commit('job_1', 'mnr_3', hash('b'), 6));
    await submissions.insertArtifact({
      sha256: hash('a'),
      bytes: 1234,
      uploaded_by: 'mnr_1',
      stored_at: at(7),
    });
    const rows = await submissions.listSubmissions('job_1');
    expect(rows.map((s) => [s.miner_id, s.first_committed_at, s.artifact_bytes])).toEqual([
      ['mnr_2', at(1), 1234],
      ['mnr_3', at(6), null],
    ]);
  });

  it('lists every commit of a job with first commit times and uploads, in commit order', async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('a'), 1));
    await submissions.insertCommit(commit('job_1', 'mnr_2', hash('a'), 2));
    // Signed earlier than the commits before it, but it arrived last.
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('b'), 0));
    await submissions.insertCommit(commit('job_2', 'mnr_1', hash('c'), 4));
    await submissions.insertArtifact({
      sha256: hash('b'),
      bytes: 99,
      uploaded_by: 'mnr_1',
      stored_at: at(5),
    });
    const rows = await submissions.listCommitsWithUploads('job_1');
    expect(rows.map((r) => [r.miner_id, r.artifact_sha256, r.first_committed_at, r.artifact_bytes])).toEqual([
      ['mnr_1', hash('a'), at(1), null],
      ['mnr_2', hash('a'), at(1), null],
      ['mnr_1', hash('b'), at(0), 99],
    ]);
  });

  it('names every miner that committed for a job, once', async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('a'), 1));
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('b'), 2));
    await submissions.insertCommit(commit('job_1', 'mnr_2', hash('c'), 3));
    await submissions.insertCommit(commit('job_2', 'mnr_3', hash('d'), 4));
    expect(await submissions.committers('job_1')).toEqual(new Set(['mnr_1', 'mnr_2']));
    expect(await submissions.committers('job_missing')).toEqual(new Set());
  });

  it('names as final committers only the miners whose latest commit is final', async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('a'), 1, { final: 1 }));
    await submissions.insertCommit(commit('job_1', 'mnr_2', hash('b'), 2, { final: 1 }));
    await submissions.insertCommit(commit('job_1', 'mnr_2', hash('c'), 3));
    await submissions.insertCommit(commit('job_1', 'mnr_3', hash('d'), 4));
    await submissions.insertCommit(commit('job_1', 'mnr_3', hash('e'), 5, { final: 1 }));
    await submissions.insertCommit(commit('job_2', 'mnr_2', hash('f'), 6, { final: 1 }));
    expect(await submissions.finalCommitters('job_1')).toEqual(new Set(['mnr_1', 'mnr_3']));
    expect(await submissions.finalCommitters('job_missing')).toEqual(new Set());
  });

  it('gives the deadlines of the jobs in which a miner committed a hash', async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    await t.addJob('job_new', 'cmp_a');
    await submissions.insertCommit(commit('job_1', 'mnr_1', hash('a'), 1));
    await submissions.insertCommit(commit('job_new', 'mnr_1', hash('a'), 2));
    await submissions.insertCommit(commit('job_2', 'mnr_2', hash('a'), 3));
    await submissions.insertCommit(commit('job_2', 'mnr_1', hash('b'), 4));
    const deadlines = await submissions.commitDeadlines('mnr_1', hash('a'));
    expect(deadlines).toHaveLength(2);
    expect(deadlines).toEqual(expect.arrayContaining([at(100), null]));
    expect(await submissions.commitDeadlines('mnr_3', hash('a'))).toEqual([]);
  });
});

describe('artifacts', () => {
  it('keeps the first stored artifact of a hash and returns undefined for an unknown one', async () => {
    const { t, submissions } = await submissionsDb();
    await using _t = t;
    const first = { sha256: hash('a'), bytes: 10, uploaded_by: 'mnr_1', stored_at: at(1) };
    await submissions.insertArtifact(first);
    await submissions.insertArtifact({
      sha256: hash('a'),
      bytes: 20,
      uploaded_by: 'mnr_2',
      stored_at: at(2),
    });
    expect(await submissions.getArtifact(hash('a'))).toEqual(first);
    expect(await submissions.getArtifact(hash('f'))).toBeUndefined();
  });
});
