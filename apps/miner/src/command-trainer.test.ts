import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandTrainer, decodeCommandResult } from './command-trainer.js';
import { createMemoryLogger } from './logger.js';
import { outputFiles, type TrainProgress } from './trainer.js';

const script = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const out = process.env.TA_OUTPUT_DIR;
if (process.env.TA_JOB_ID === 'hang') setInterval(() => {}, 1000);
else {
  console.log(JSON.stringify({ step: 1, trainLoss: 2.5, etaSeconds: 1 }));
  console.log('plain log line');
  fs.writeFileSync(path.join(out, 'artifact', 'adapter_model.safetensors'), fs.readFileSync(process.env.TA_TRAIN_DATA));
  fs.writeFileSync(path.join(out, 'artifact', 'adapter_config.json'), '{}');
  fs.writeFileSync(path.join(out, 'result.json'), JSON.stringify({ kind: 'lora', strategyNote: 'from ' + process.env.TA_JOB_ID }));
}
`;

describe('command trainer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'miner-cmd-'));
    await writeFile(join(dir, 'train.cjs'), script);
    await chmod(join(dir, 'train.cjs'), 0o755);
    await writeFile(join(dir, 'train.jsonl'), '{"prompt":"a","answer":"b"}\n');
    await mkdir(join(dir, 'base'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const request = (jobId: string, signal: AbortSignal, progress: TrainProgress[] = []) => ({
    jobId,
    baseModelDir: join(dir, 'base'),
    trainDataPath: join(dir, 'train.jsonl'),
    promptFormat: { promptField: 'prompt', answerField: 'answer', separator: '\n' },
    deadline: new Date(Date.now() + 60_000),
    signal,
    outputDir: join(dir, `out-${jobId}`),
    onProgress: (p: TrainProgress) => progress.push(p),
  });

  it('runs the program with the job in its environment and collects its artifact', async () => {
    const progress: TrainProgress[] = [];
    const trainer = createCommandTrainer({ command: process.execPath, args: [join(dir, 'train.cjs')] });
    const output = await trainer.train(request('job_1', new AbortController().signal, progress));
    expect(output).toMatchObject({ kind: 'lora', strategyNote: 'from job_1' });
    expect((await outputFiles(output)).map((f) => f.name).sort()).toEqual([
      'adapter_config.json',
      'adapter_model.safetensors',
    ]);
    expect(progress).toEqual([{ step: 1, trainLoss: 2.5, etaSeconds: 1 }]);
  });

  it('kills the program when the job is cancelled', async () => {
    const controller = new AbortController();
    const trainer = createCommandTrainer({ command: process.execPath, args: [join(dir, 'train.cjs')] });
    const running = trainer.train(request('hang', controller.signal));
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'aborted' });
  });

  it('fails when the program exits non-zero', async () => {
    const trainer = createCommandTrainer({ command: process.execPath, args: ['-e', 'process.exit(3)'] });
    await expect(trainer.train(request('job_2', new AbortController().signal))).rejects.toMatchObject({
      code: 'trainer_failed',
    });
  });

  it('refuses a malformed result.json', () => {
    expect(decodeCommandResult({ kind: 'weights', strategyNote: '' })).toMatchObject({ ok: false });
    expect(decodeCommandResult({ kind: 'full', strategyNote: 'x', extra: 1 })).toMatchObject({ ok: false });
    expect(decodeCommandResult({ kind: 'full', strategyNote: 'x' })).toMatchObject({ ok: true });
  });

  it('logs plain output, keeps the tail of stderr on failure and passes no secret of the miner on', async () => {
    const { logger, entries } = createMemoryLogger();
    process.env.ARENA_SECRET_FOR_TEST = 'do-not-leak';
    try {
      const program = [
        "console.log('plain progress text');",
        "console.error('Traceback: something broke');",
        'console.log(JSON.stringify({ leaked: process.env.ARENA_SECRET_FOR_TEST ?? null, path: !!process.env.PATH }));',
        'process.exit(3);',
      ].join('\n');
      const trainer = createCommandTrainer({ command: process.execPath, args: ['-e', program], log: logger });
      const failed = await trainer
        .train(request('job_3', new AbortController().signal))
        .catch((e: unknown) => e);
      expect(failed).toMatchObject({ code: 'trainer_failed' });
      expect((failed as Error).message).toContain('Traceback: something broke');
      const lines = entries.filter((e) => e.event === 'trainer.stdout').map((e) => e.fields.line);
      expect(lines).toEqual(['plain progress text', JSON.stringify({ leaked: null, path: true })]);
    } finally {
      delete process.env.ARENA_SECRET_FOR_TEST;
    }
  });

  it('kills the processes the program started when the job is cancelled', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const program = [
      "const { spawn } = require('node:child_process');",
      "const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
      `require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));`,
      'setInterval(() => {}, 1000);',
    ].join('\n');
    const controller = new AbortController();
    const trainer = createCommandTrainer({
      command: process.execPath,
      args: ['-e', program],
      killGraceMs: 200,
    });
    const running = trainer.train(request('job_4', controller.signal));
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await expect
      .poll(async () => readFile(pidFile, 'utf8').catch(() => ''), { timeout: 10_000 })
      .not.toBe('');
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'aborted' });
    await expect.poll(() => alive(grandchild), { timeout: 10_000 }).toBe(false);
  });

  it("clears a previous attempt's artifact and result before running again", async () => {
    const out = join(dir, 'out-job_5');
    await mkdir(join(out, 'artifact'), { recursive: true });
    await writeFile(join(out, 'artifact', 'stale.bin'), 'old');
    await writeFile(join(out, 'result.json'), JSON.stringify({ kind: 'lora', strategyNote: 'stale' }));
    const trainer = createCommandTrainer({ command: process.execPath, args: ['-e', 'process.exit(0)'] });
    await expect(trainer.train(request('job_5', new AbortController().signal))).rejects.toMatchObject({
      code: 'trainer_output_invalid',
    });
    expect(await readdir(join(out, 'artifact'))).toEqual([]);
  });

  it('refuses an artifact whose files do not fit its kind, or that holds a folder', async () => {
    const out = join(dir, 'kind-check');
    await mkdir(join(out, 'nested'), { recursive: true });
    await writeFile(join(out, 'adapter_model.safetensors'), 'x');
    await expect(outputFiles({ kind: 'lora', strategyNote: '', dir: out })).rejects.toMatchObject({
      code: 'trainer_output_invalid',
    });
    await rm(join(out, 'nested'), { recursive: true });
    await expect(outputFiles({ kind: 'lora', strategyNote: '', dir: out })).rejects.toMatchObject({
      code: 'trainer_output_invalid',
    });
    await expect(
      outputFiles({ kind: 'full', strategyNote: '', files: [{ name: 'notes.txt', data: new Uint8Array() }] }),
    ).rejects.toMatchObject({
      code: 'trainer_output_invalid',
    });
    await writeFile(join(out, 'adapter_config.json'), '{}');
    expect(
      (await outputFiles({ kind: 'lora', strategyNote: '', dir: out })).map((f) => f.name).sort(),
    ).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
  });

  it('commits a checkpoint the program announces on stdout', async () => {
    const ckpt = join(dir, 'ckpt');
    await mkdir(ckpt, { recursive: true });
    await writeFile(join(ckpt, 'adapter_config.json'), '{}');
    await writeFile(join(ckpt, 'adapter_model.safetensors'), 'w');
    const line = JSON.stringify({ checkpoint: { dir: ckpt, kind: 'lora', strategyNote: 'step 10' } });
    const program = `console.log(${JSON.stringify(line)}); process.exit(2);`;
    const submitted: unknown[] = [];
    const trainer = createCommandTrainer({ command: process.execPath, args: ['-e', program] });
    await trainer
      .train({
        ...request('job_6', new AbortController().signal),
        submitCheckpoint: async (output) => {
          submitted.push(output);
          return { ok: true, artifactSha256: 'a'.repeat(64) };
        },
      })
      .catch(() => undefined);
    expect(submitted).toEqual([{ kind: 'lora', strategyNote: 'step 10', dir: ckpt }]);
  });
});
