import { describe, expect, it } from 'vitest';
import { createSubmissionsRepo } from './submissions-repo.js';
import { at, openTestDb } from './test-db.js';
import { createUploadWindowsRepo } from './upload-windows-repo.js';

/** One window as `forArtifact` returns it. */
type UploadWindow = Awaited<ReturnType<ReturnType<typeof createUploadWindowsRepo>['forArtifact']>>[number];

const hash = (c: string) => c.repeat(64);
const byJob = (windows: UploadWindow[]) => [...windows].sort((a, b) => a.jobId.localeCompare(b.jobId));

async function windowsDb() {
  const t = await openTestDb();
  await t.addCompetition('cmp_a');
  for (const n of [1, 2]) await t.addMiner(`mnr_${n}`, 'cmp_a', n);
  await t.addJob('job_1', 'cmp_a', { status: 'running', deadline: at(100) });
  await t.addJob('job_2', 'cmp_a', { status: 'submitted', deadline: at(50) });
  await t.addJob('job_3', 'cmp_a');
  const submissions = createSubmissionsRepo(t.db);
  let n = 0;
  const commitHash = (jobId: string, minerId: string, sha256: string) =>
    submissions.insertCommit({
      id: `cmt_${n}`,
      job_id: jobId,
      miner_id: minerId,
      competition_id: 'cmp_a',
      artifact_sha256: sha256,
      artifact_kind: 'lora',
      strategy_note: '',
      signature: `sig ${n}`,
      committed_at: at(n++),
      final: 0,
    });
  return { t, windows: createUploadWindowsRepo(t.db), commitHash };
}

describe('upload windows', () => {
  it('gives each job the miner committed the hash for once, with its deadline', async () => {
    const { t, windows, commitHash } = await windowsDb();
    await using _t = t;
    await commitHash('job_1', 'mnr_1', hash('a'));
    await commitHash('job_1', 'mnr_1', hash('a'));
    await commitHash('job_2', 'mnr_1', hash('a'));
    await commitHash('job_3', 'mnr_1', hash('a'));
    expect(byJob(await windows.forArtifact('mnr_1', hash('a')))).toEqual([
      { jobId: 'job_1', deadline: at(100) },
      { jobId: 'job_2', deadline: at(50) },
      { jobId: 'job_3', deadline: null },
    ]);
  });

  it("opens no window for another miner's commit or another hash", async () => {
    const { t, windows, commitHash } = await windowsDb();
    await using _t = t;
    await commitHash('job_1', 'mnr_1', hash('a'));
    await commitHash('job_2', 'mnr_2', hash('b'));
    expect(await windows.forArtifact('mnr_2', hash('a'))).toEqual([]);
    expect(await windows.forArtifact('mnr_1', hash('b'))).toEqual([]);
    expect(await windows.forArtifact('mnr_missing', hash('a'))).toEqual([]);
  });
});
