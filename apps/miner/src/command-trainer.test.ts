import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommandTrainer, decodeCommandResult } from './command-trainer.js';
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
    expect((await outputFiles(output)).map((f) => f.name)).toEqual(['adapter_model.safetensors']);
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
});
