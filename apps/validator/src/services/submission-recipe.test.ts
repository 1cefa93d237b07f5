import { decodeBody, SubmissionView } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import {
  acceptJob,
  createJob,
  createTempDirs,
  registerMiner,
  signedSubmit,
  startCompetition,
} from '../test-fixtures.js';

const sha = (c: string) => c.repeat(64);

describe('commit recipes', () => {
  it('stores the recipe a commit carries, shows it with the commit, and refuses one that is not a JSON object', async () => {
    await using dirs = await createTempDirs();
    const s = await startCompetition(dirs.root);
    await using _validator = s.validator;
    await using miner = await registerMiner(s, 'ann');
    const job = await createJob(s, { timeLimitSeconds: 60, minersWanted: 1 });
    await acceptJob(miner, job.id);

    const recipe = { seed: 3, hyperparameters: { learning_rate: 0.002, lora_target_modules: ['c_attn'] } };
    miner.send({ ...signedSubmit(miner, job.id, sha('a')), recipe: JSON.stringify(recipe) });
    await miner.next('submit.ack', (m) => m.artifactSha256 === sha('a'));
    miner.send({ ...signedSubmit(miner, job.id, sha('b')), recipe: '[1, 2]' });
    const refused = await miner.next('error');
    expect(refused).toMatchObject({ code: 'invalid_message' });

    const submissions = (await s.operator.get(`/v1/jobs/${job.id}/submissions`)).body.submissions;
    expect(submissions).toEqual([expect.objectContaining({ artifactSha256: sha('a'), recipe })]);
    expect(decodeBody(SubmissionView, submissions[0]).ok).toBe(true);
    const commits = (await s.operator.get(`/v1/jobs/${job.id}/commits`)).body.commits;
    expect(commits).toEqual([expect.objectContaining({ recipe })]);
  });
});
