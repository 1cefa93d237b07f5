// A trainer that runs the participant's own program (a PyTorch script, a shell wrapper, ...) as a child
// process. The program gets the job through TA_* environment variables, may print progress as JSON lines
// on stdout, writes its artifact files into $TA_OUTPUT_DIR/artifact and `{kind, strategyNote}` into
// $TA_OUTPUT_DIR/result.json. It is aborted with SIGTERM (then SIGKILL) on cancel.

import { spawn } from 'node:child_process';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type ArtifactKind, fail, MAX_NOTE_CHARS, ok, type Result } from '@tuning-arena/protocol';
import { MinerError } from './errors.js';
import type { Trainer, TrainProgress } from './trainer.js';

/** The `result.json` a training program writes. */
export interface CommandResult {
  kind: ArtifactKind;
  strategyNote: string;
}

/** Decodes a parsed `result.json`. */
export function decodeCommandResult(value: unknown): Result<CommandResult> {
  const { kind, strategyNote, ...rest } = (value ?? {}) as Record<string, unknown>;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('invalid_body', 'result.json must hold an object');
  }
  if (kind !== 'lora' && kind !== 'full') {
    return fail('invalid_body', 'kind must be "lora" or "full"', [{ path: '/kind', message: 'bad kind' }]);
  }
  if (typeof strategyNote !== 'string' || strategyNote.length > MAX_NOTE_CHARS) {
    return fail('invalid_body', 'strategyNote must be a string', [
      { path: '/strategyNote', message: 'bad note' },
    ]);
  }
  if (Object.keys(rest).length > 0) {
    return fail('invalid_body', 'unknown fields', [
      { path: `/${Object.keys(rest)[0]}`, message: 'unknown field' },
    ]);
  }
  return ok({ kind, strategyNote });
}

/** Options of the command trainer. */
export interface CommandTrainerOptions {
  /** Program to run (no shell involved). */
  command: string;
  /** Its arguments. */
  args?: string[];
  /** Grace period between SIGTERM and SIGKILL on abort (default 5 000 ms). */
  killGraceMs?: number;
}

function parseProgress(line: string): TrainProgress | undefined {
  try {
    const value = JSON.parse(line) as Partial<TrainProgress>;
    if (typeof value.step === 'number' && typeof value.trainLoss === 'number') {
      return { step: value.step, trainLoss: value.trainLoss, etaSeconds: Number(value.etaSeconds ?? 0) };
    }
  } catch {
    // not a progress line; plain output is allowed
  }
  return undefined;
}

/** Creates a trainer that delegates each job to an external program. */
export function createCommandTrainer(options: CommandTrainerOptions): Trainer {
  return {
    name: `command:${options.command}`,
    async train(request) {
      const artifactDir = join(request.outputDir, 'artifact');
      await mkdir(artifactDir, { recursive: true });
      const child = spawn(options.command, options.args ?? [], {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {
          ...process.env,
          TA_JOB_ID: request.jobId,
          TA_BASE_MODEL_DIR: request.baseModelDir,
          TA_TRAIN_DATA: request.trainDataPath,
          TA_PROMPT_FIELD: request.promptFormat.promptField,
          TA_ANSWER_FIELD: request.promptFormat.answerField,
          TA_SEPARATOR: request.promptFormat.separator,
          TA_DEADLINE: request.deadline.toISOString(),
          TA_OUTPUT_DIR: request.outputDir,
        },
      });
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const progress = parseProgress(line);
        if (progress) request.onProgress(progress);
      });
      let killTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), options.killGraceMs ?? 5000);
      };
      if (request.signal.aborted) onAbort();
      else request.signal.addEventListener('abort', onAbort, { once: true });
      const exitCode = await new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code) => resolve(code));
      }).finally(() => {
        request.signal.removeEventListener('abort', onAbort);
        clearTimeout(killTimer);
      });
      if (request.signal.aborted) throw new MinerError('aborted', 'training aborted', request.signal.reason);
      if (exitCode !== 0)
        throw new MinerError('trainer_failed', `${options.command} exited with ${exitCode}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(join(request.outputDir, 'result.json'), 'utf8'));
      } catch (cause) {
        throw new MinerError('trainer_output_invalid', 'result.json is missing or not JSON', cause);
      }
      const result = decodeCommandResult(parsed);
      if (!result.ok)
        throw new MinerError('trainer_output_invalid', 'result.json is malformed', result.error);
      return { ...result.value, dir: artifactDir };
    },
  };
}
