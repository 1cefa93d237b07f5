// The operator CLI (`tuning-arena`) against a real validator: the README's hand-run flow from competition to
// a watched job with a real miner, a scored job's results, leaderboard, rules, re-scores and audit log, the
// config file's place in the precedence, `--json` output, and exit codes for usage errors and refusals.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OPERATOR_PROGRAM, runOperatorCli } from '@tuning-arena/client';
import { generateKeyFiles } from '@tuning-arena/miner';
import { describe, expect, it } from 'vitest';
import { createTempRoot, OPERATOR_TOKEN, operatorClient, startMiner, startValidator } from './fixtures.js';
import { createTempRoot as createJudgeRoot, startJudgeValidator } from './judge-fixtures.js';
import { createCopyBaseTrainer } from './test-trainers.js';

/** Runs the CLI in-process with `env` (by default the validator's URL and the operator token). */
function cli(url: string, env: Record<string, string | undefined> = {}) {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runOperatorCli(argv, {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      env: { ARENA_URL: url, ARENA_OPERATOR_TOKEN: OPERATOR_TOKEN, ...env },
      isTTY: false,
    });
    return { code, out: out.join(''), err: err.join('') };
  };
  return run;
}

const poll = { timeout: 60_000, interval: 200 };

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
    const competitionId = (await run('competition', 'create', '--name', 'usage cup')).out.trim();
    for (const argv of [
      [],
      ['frobnicate'],
      ['job', 'create', '--time-limit', '0'],
      ['competition', 'create'],
      ['leaderboard'],
      ['job', 'results'],
      ['rules', 'set', 'not-base', '--competition', competitionId],
      ['rules', 'set', 'not-base', '--competition', competitionId, '--param', 'minRelativeDistance'],
      ['rules', 'set', 'not-base', '--competition', competitionId, '--enabled', 'maybe'],
      ['rescore'],
      ['rescore', '--job', 'job_x', '--competition', competitionId],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err, argv.join(' ')).toContain('usage: tuning-arena');
    }
    for (const [argv, code] of [
      [['job', 'show', 'job_nope'], 'not_found'],
      [['job', 'results', 'job_nope'], 'not_found'],
      [['audit', '--competition', 'cmp_nope'], 'not_found'],
      [['rules', 'set', 'no-such-rule', '--competition', competitionId, '--enabled', 'false'], 'not_found'],
      [
        ['rules', 'set', 'not-base', '--competition', competitionId, '--param', 'minRelativeDistance=-1'],
        'invalid_body',
      ],
    ] as const) {
      const refused = await run(...argv);
      expect(refused.code, argv.join(' ')).toBe(1);
      expect(refused.err, argv.join(' ')).toContain(`(${code})`);
    }
    // Every command, one word or two, answers --help with its own flags.
    for (const name of Object.keys(OPERATOR_PROGRAM.commands)) {
      const help = await run(...name.split(' '), '--help');
      expect(help.code, name).toBe(0);
      expect(help.out, name).toContain(`usage: tuning-arena ${name}`);
    }
    expect((await run('job', 'create', '--help')).out).toContain('--time-limit');
    expect((await run('rules', 'set', '--help')).out).toContain('--param <key=value>');
    expect((await run('help')).out).toContain('rules set');
  });
  it('shows a scored job, the leaderboard and the rules; a rule switched off and a re-score change them, audited', async () => {
    await using root = await createJudgeRoot();
    await using validator = await startJudgeValidator(root.root);
    const run = cli(validator.url);
    const operator = operatorClient(validator.url);
    const competitionId = (await run('competition', 'create', '--name', 'judge cli cup')).out.trim();
    // The copy-base trainer submits the untouched base weights: `not-base` zeroes it, deterministically.
    await using miner = await startMiner({
      name: 'ada',
      root: root.root,
      validatorUrl: validator.url,
      operator,
      competitionId,
      trainer: createCopyBaseTrainer({ salt: 'judge-cli' }),
    });
    await expect.poll(async () => (await operator.miners.get(miner.id)).connected, poll).toBe(true);
    const jobId = (
      await run(
        'job',
        'create',
        '--competition',
        competitionId,
        '--model',
        'judge-gpt2',
        '--dataset',
        'country-facts',
        '--time-limit',
        '20',
        '--max-rows',
        '60',
      )
    ).out.trim();
    expect(jobId).toMatch(/^job_/);
    await expect.poll(async () => (await operator.jobs.get(jobId)).status, poll).toBe('scored');

    const json = async (...argv: string[]) => {
      const result = await run(...argv, '--json');
      expect(result.code, `${argv.join(' ')}: ${result.err}`).toBe(0);
      return JSON.parse(result.out);
    };
    // --json prints exactly what the API answers; the tables show the same numbers.
    const results = await json('job', 'results', jobId);
    expect(results).toEqual(await operator.jobs.results(jobId));
    expect(results.submissions).toMatchObject([{ minerId: miner.id, status: 'zeroed', quality: 0 }]);
    const table = await run('job', 'results', jobId);
    expect(table.out).toContain(`${jobId}  scored, evaluation done`);
    expect(table.out).toContain('not-base(zero)');
    expect(table.out).toContain((results.base.test as number).toFixed(4));
    const board = await json('leaderboard', '--competition', competitionId);
    expect(board).toEqual(await operator.competitions.leaderboard(competitionId));
    expect(board.miners).toMatchObject([{ rank: 1, minerId: miner.id, score: 0 }]);
    expect((await run('leaderboard', '--competition', competitionId)).out).toContain(miner.id);
    const rules = await json('rules', 'list', '--competition', competitionId);
    expect(rules.find((r: { id: string }) => r.id === 'not-base')).toMatchObject({
      enabled: true,
      action: 'zero',
    });
    expect((await run('rules', 'list', '--competition', competitionId)).out).toMatch(/not-base\s+yes\s+zero/);

    // Off with a parameter changed (a number, not the text "0.02"); the stored score moves only on a re-score.
    const set = await json(
      'rules',
      'set',
      'not-base',
      '--competition',
      competitionId,
      '--enabled',
      'false',
      '--param',
      'minRelativeDistance=0.02',
    );
    expect(set).toMatchObject({ id: 'not-base', enabled: false, params: { minRelativeDistance: 0.02 } });
    expect((await run('rules', 'list', '--competition', competitionId)).out).toMatch(
      /not-base\s+no\s+zero\s+minRelativeDistance=0.02\*/,
    );
    expect((await operator.competitions.leaderboard(competitionId)).miners[0]?.score).toBe(0);
    const rescored = await json('rescore', '--job', jobId);
    expect(rescored.submissions).toMatchObject([{ minerId: miner.id, status: 'valid', quality: 1 }]);
    expect((await json('leaderboard', '--competition', competitionId)).miners).toMatchObject([
      { minerId: miner.id, score: 1 },
    ]);
    expect(await json('rescore', '--competition', competitionId)).toEqual([jobId]);
    expect((await run('rescore', '--competition', competitionId)).out).toContain(`re-scored 1: ${jobId}`);

    const audit = await json('audit', '--competition', competitionId);
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'rescore.competition',
      'rescore.competition',
      'rescore.job',
      'rule.set',
    ]);
    expect(audit[3]).toMatchObject({ actor: 'operator', detail: { rule: 'not-base' } });
    expect((await run('audit', '--competition', competitionId)).out).toContain('rule.set');
  });

  it('reads url and token from --config or $ARENA_CONFIG; a flag beats the environment, which beats the file', async () => {
    await using root = await createTempRoot();
    await using validator = await startValidator(root.root);
    const config = join(root.root, 'arena.json');
    await writeFile(config, JSON.stringify({ url: validator.url, token: OPERATOR_TOKEN }));
    const bare = { ARENA_URL: undefined, ARENA_OPERATOR_TOKEN: undefined };
    const list = ['competition', 'list', '--json'];

    expect(await cli('', bare)(...list, '--config', config)).toMatchObject({ code: 0, out: '[]\n' });
    expect(await cli('', { ...bare, ARENA_CONFIG: config })(...list)).toMatchObject({ code: 0 });
    // The environment's token beats the file's; the flag beats the environment's.
    const wrongEnv = cli('', {
      ...bare,
      ARENA_CONFIG: config,
      ARENA_OPERATOR_TOKEN: 'wrong-token-0123456789',
    });
    const refused = await wrongEnv(...list);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('(unauthorized)');
    expect(await wrongEnv(...list, '--token', OPERATOR_TOKEN)).toMatchObject({ code: 0 });
    // The same for the URL: a file naming a dead port loses to ARENA_URL.
    const dead = join(root.root, 'dead.json');
    await writeFile(dead, JSON.stringify({ url: 'http://127.0.0.1:9', token: OPERATOR_TOKEN }));
    expect(
      await cli(validator.url, { ARENA_OPERATOR_TOKEN: undefined })(...list, '--config', dead),
    ).toMatchObject({
      code: 0,
    });
    const unreachable = await cli('', bare)(...list, '--config', dead);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toContain('(network_error)');

    // A file that is not the documented object is refused before any request: exit 2 with its code.
    const typo = join(root.root, 'typo.json');
    await writeFile(typo, JSON.stringify({ url: validator.url, tokn: OPERATOR_TOKEN }));
    for (const [path, code] of [
      [typo, 'invalid_config'],
      [join(root.root, 'missing.json'), 'config_unreadable'],
    ] as const) {
      const result = await cli(validator.url)(...list, '--config', path);
      expect(result.code, path).toBe(2);
      expect(result.err, path).toContain(`(${code})`);
    }
  });

  it('creates a competition with a YAML program, shows it, pauses, resumes and ends it', async () => {
    await using root = await createTempRoot();
    await using validator = await startValidator(root.root);
    const run = cli(validator.url);
    const file = join(root.root, 'program.yaml');
    await writeFile(
      file,
      [
        'phases:',
        '  - name: warm-up',
        '    models: [tiny-gpt2]',
        '    datasets: [sums]',
        '    timeLimit: 30',
        '    minersWanted: 1',
        '  - name: main',
        '    startOffsetSeconds: 3600',
        '    models: [tiny-gpt2]',
        '    datasets: [sums]',
        '    timeLimit: { min: 30, max: 60 }',
        '    minersWanted: 1',
        '    concurrentJobs: 3',
      ].join('\n'),
    );
    const endsAt = new Date(Date.now() + 2 * 3600_000).toISOString();
    const created = await run(
      'competition',
      'create',
      '--name',
      'programmed',
      '--ends-at',
      endsAt,
      '--program-file',
      file,
    );
    expect(created.code, created.err).toBe(0);
    const id = created.out.trim();
    const shown = await run('program', 'show', '--competition', id, '--json');
    expect(JSON.parse(shown.out)).toMatchObject({
      status: 'active',
      currentPhase: 0,
      phases: [{ state: 'current' }, { state: 'upcoming' }],
      jobs: [{ seq: 1, phase: 0, model: 'tiny-gpt2', dataset: 'sums', status: 'offering' }],
    });
    const text = (await run('program', 'show', '--competition', id)).out;
    expect(text).toContain('warm-up');
    expect(text).toContain('a_job_ends');
    expect(JSON.parse((await run('program', 'pause', '--competition', id, '--json')).out).status).toBe(
      'paused',
    );
    expect(JSON.parse((await run('program', 'resume', '--competition', id, '--json')).out).status).toBe(
      'active',
    );
    const ended = await run('program', 'end', '--competition', id, '--reason', 'done early', '--json');
    expect(JSON.parse(ended.out)).toMatchObject({ status: 'ended', endReason: 'done early' });
    const again = await run('program', 'set', '--competition', id, '--file', file);
    expect(again.code).toBe(1);
    expect(again.err).toContain('program_ended');
    expect((await run('program', 'set', '--competition', id)).code).toBe(2);
    const bad = join(root.root, 'bad.yaml');
    await writeFile(bad, 'phases: [\n');
    expect((await run('program', 'set', '--competition', id, '--file', bad)).code).toBe(2);
    expect(JSON.parse((await run('competition', 'list', '--json')).out)[0]).toMatchObject({
      program: 'ended',
      endsAt,
    });
  });
});
