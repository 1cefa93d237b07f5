import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluateBase, evaluateSubmission, type JobEvaluationInput, loadJob } from './evaluate-submission.js';
import { createEvaluationThread, evaluationWorkerEntry } from './evaluation-thread.js';
import {
  changedAdapter,
  entriesOf,
  loraFiles,
  tempDir,
  tinyModel,
  tinySets,
  writeBase,
  writeBundle,
} from './test-artifacts.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Builds the validator (other packages' type errors do not stop the emit) and returns the worker entry. */
function buildEntry(): string {
  spawnSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'apps/validator'], { cwd: root, stdio: 'ignore' });
  const entry = evaluationWorkerEntry();
  if (!entry) throw new Error('the compiled evaluation worker is missing after tsc -b');
  return entry;
}

/** A wrapper entry whose worker dies on miner `boom` and spins forever on miner `slow`. */
async function hostileEntry(dir: string, entry: string): Promise<string> {
  const path = join(dir, 'hostile-worker.mjs');
  await writeFile(
    path,
    [
      "import { parentPort } from 'node:worker_threads';",
      `await import(${JSON.stringify(pathToFileURL(entry).href)});`,
      'parentPort.on("message", (task) => {',
      '  if (task.submission?.minerId === "boom") process.exit(7);',
      '  if (task.submission?.minerId === "slow") for (;;) {}',
      '});',
    ].join('\n'),
  );
  return path;
}

const submission = (artifactPath: string, minerId: string) => ({
  minerId,
  artifactSha256: 'e'.repeat(64),
  artifactKind: 'lora' as const,
  artifactPath,
  uploaded: true,
  committedAt: '2026-12-01T10:00:00.000Z',
  deadline: '2026-12-01T10:05:00.000Z',
  firstCommittedAt: '2026-12-01T10:00:00.000Z',
});

describe('createEvaluationThread', () => {
  it('gives the in-process results off the main thread, and survives crashing and slow submissions', async () => {
    await using tmp = await tempDir();
    const entry = await hostileEntry(tmp.path, buildEntry());
    const job: JobEvaluationInput = {
      base: await writeBase(join(tmp.path, 'base'), tinyModel(1)),
      otherBases: [await writeBase(join(tmp.path, 'other'), tinyModel(2), 'other')],
      sets: tinySets(),
      workDir: join(tmp.path, 'work'),
    };
    const artifact = await writeBundle(tmp.path, loraFiles(changedAdapter()));
    const thread = createEvaluationThread({ entry, submissionTimeoutMs: 3000 });
    try {
      const loaded = await loadJob(job);
      expect(await thread.evaluateBase(job)).toEqual(await evaluateBase(loaded));
      const inProcess = await evaluateSubmission(loaded, submission(artifact, 'm1'));
      expect(await thread.evaluateSubmission(job, submission(artifact, 'm1'))).toEqual(inProcess);
      const crashed = await thread.evaluateSubmission(job, submission(artifact, 'boom'));
      expect(crashed.facts).toMatchObject({
        minerId: 'boom',
        format: { ok: false, code: 'evaluation_failed' },
      });
      const slow = await thread.evaluateSubmission(job, submission(artifact, 'slow'));
      expect(slow.facts).toMatchObject({
        minerId: 'slow',
        format: { ok: false, code: 'evaluation_timeout' },
      });
      // A fresh worker takes the next submission.
      expect(await thread.evaluateSubmission(job, submission(artifact, 'm1'))).toEqual(inProcess);
      expect(await entriesOf(job.workDir)).toEqual([]);
    } finally {
      await thread.close();
    }
  });

  it('fails a submission, not the caller, when no worker entry exists', async () => {
    const thread = createEvaluationThread({ entry: '/nonexistent/evaluation-worker.js' });
    await using tmp = await tempDir();
    const job: JobEvaluationInput = {
      base: await writeBase(join(tmp.path, 'base'), tinyModel(1)),
      otherBases: [],
      sets: tinySets(),
      workDir: join(tmp.path, 'work'),
    };
    const result = await thread.evaluateSubmission(job, submission('/nonexistent', 'm1'));
    expect(result.facts.format).toMatchObject({ ok: false, code: 'evaluation_failed' });
    await thread.close();
  });
});
