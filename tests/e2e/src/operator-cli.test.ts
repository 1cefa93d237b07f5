// The operator CLI (`tuning-arena`) against a real validator: the README's hand-run flow from competition to
// a watched job with a real miner, `--json` output, and exit codes for usage errors and refusals.

import { join } from 'node:path';
import { runOperatorCli } from '@tuning-arena/client';
import { generateKeyFiles } from '@tuning-arena/miner';
import { describe, expect, it } from 'vitest';
import { createTempRoot, OPERATOR_TOKEN, operatorClient, startMiner, startValidator } from './fixtures.js';
import { createCopyBaseTrainer } from './test-trainers.js';

function cli(url: string) {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runOperatorCli(argv, {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      env: { ARENA_URL: url, ARENA_OPERATOR_TOKEN: OPERATOR_TOKEN },
      isTTY: false,
    });
    return { code, out: out.join(''), err: err.join('') };
  };
  return run;
}

describe('operator CLI', () => {
  it('creates a competition, registers a miner from its key file, and watches a job to its end', async () => {
    await using root = await createTempRoot();
    await using validator = await startValidator(root.root);
    const run = cli(validator.url);

    const created = await run('competition', 'create', '--name', 'cli cup');
    expect(created.code).toBe(0);
    const competitionId = created.out.trim();
    expect(competitionId).toMatch(/^cmp_/);
    expect(JSON.parse((await run('competition', 'list', '--json')).out)).toEqual([
      expect.objectContaining({ id: competitionId, name: 'cli cup' }),
    ]);

    await using miner = await startMiner({
      name: 'ada',
      root: root.root,
      validatorUrl: validator.url,
      operator: operatorClient(validator.url),
      competitionId,
      trainer: createCopyBaseTrainer({ salt: 'cli' }),
    });
    // A second miner registered through the CLI from the key file keygen wrote.
    const dataDir = join(root.root, 'miner-bob');
    await generateKeyFiles(dataDir);
    const registered = await run(
      'miner',
      'register',
      '--competition',
      competitionId,
      '--key-file',
      join(dataDir, 'miner-key.pub'),
      '--owner',
      'bob',
    );
    expect(registered.code, registered.err).toBe(0);
    expect(registered.out.trim()).toMatch(/^mnr_/);
    const miners = await run('miner', 'list', '--competition', competitionId);
    expect(miners.out).toContain('bob');
    expect(miners.out).toContain(miner.id);

    const job = await run(
      'job',
      'create',
      '--competition',
      competitionId,
      '--model',
      'tiny-gpt2',
      '--dataset',
      'sums',
      '--time-limit',
      '3',
      '--miners',
      '1',
    );
    expect(job.code, job.err).toBe(0);
    const jobId = job.out.trim();
    const watched = await run('job', 'watch', jobId, '--interval', '200');
    expect(watched.code, watched.err).toBe(0);
    expect(watched.out).toContain(`${jobId} submitted`);
    expect(watched.out).toContain(`${miner.id} accepted`);
    const shown = JSON.parse((await run('job', 'show', jobId, '--json')).out);
    expect(shown).toMatchObject({ id: jobId, status: 'submitted', submissions: [{ minerId: miner.id }] });
    expect((await run('job', 'list', '--competition', competitionId)).out).toContain(jobId);
    expect((await run('models')).out).toContain('tiny-gpt2');
  });

  it('exits 2 with the command help on usage errors, 1 with the API code on refusals, 0 on --help', async () => {
    await using root = await createTempRoot();
    await using validator = await startValidator(root.root);
    const run = cli(validator.url);
    for (const argv of [
      [],
      ['frobnicate'],
      ['job', 'create', '--time-limit', '0'],
      ['competition', 'create'],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err, argv.join(' ')).toContain('usage: tuning-arena');
    }
    const missing = await run('job', 'show', 'job_nope');
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.err).toContain('not_found');
    const help = await run('job', 'create', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--time-limit');
    expect((await run('help')).out).toContain('competition create');
  });
});
