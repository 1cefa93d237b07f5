// A trainer that runs the participant's own program (a PyTorch script, a shell wrapper, ...) as a child
// process in its own process group. The program gets the job through TA_* environment variables (absolute
// paths) and a small allow-listed environment, may print JSON lines on stdout (progress, checkpoints; any
// other line is logged), writes its artifact files into $TA_OUTPUT_DIR/artifact and `{kind, strategyNote}`
// into $TA_OUTPUT_DIR/result.json. On cancel its whole group gets SIGTERM, then SIGKILL.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { type ArtifactKind, fail, MAX_NOTE_CHARS, ok, type Result } from '@tuning-arena/protocol';
import { MinerError } from './errors.js';
import { type Logger, silentLogger } from './logger.js';
import type { Trainer, TrainOutput, TrainProgress } from './trainer.js';

/** The `result.json` a training program writes. */
export interface CommandResult {
  kind: ArtifactKind;
  strategyNote: string;
}

/** Decodes a parsed `result.json` (or a checkpoint line's `{kind, strategyNote}`). */
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

/** Environment variables a training program inherits from the miner (everything else stays out). */
export const INHERITED_ENV = [
  'PATH',
  'HOME',
  'USER',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'PYTHONPATH',
  'VIRTUAL_ENV',
  'CONDA_PREFIX',
  'CUDA_VISIBLE_DEVICES',
  'HF_HOME',
  'OMP_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
] as const;

/** How much of the program's stderr is kept for a failure's message. */
const STDERR_TAIL_BYTES = 4096;

/** Options of the command trainer. */
export interface CommandTrainerOptions {
  /** Program to run (no shell involved). */
  command: string;
  /** Its arguments. */
  args?: string[];
  /** Grace period between SIGTERM and SIGKILL on abort (default 5 000 ms). */
  killGraceMs?: number;
  /** Where its non-progress stdout lines and its stderr go (default: dropped). */
  log?: Logger;
}

/** One JSON line a program may print: progress, or a checkpoint directory to commit now. */
type ProgramLine =
  | { kind: 'progress'; progress: TrainProgress }
  | { kind: 'checkpoint'; dir: string; result: CommandResult }
  | { kind: 'other' };

function parseLine(line: string): ProgramLine {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { kind: 'other' };
  }
  if (typeof value !== 'object' || value === null) return { kind: 'other' };
  if (typeof value.step === 'number' && typeof value.trainLoss === 'number') {
    return {
      kind: 'progress',
      progress: { step: value.step, trainLoss: value.trainLoss, etaSeconds: Number(value.etaSeconds ?? 0) },
    };
  }
  const checkpoint = value.checkpoint as Record<string, unknown> | undefined;
  if (checkpoint && typeof checkpoint === 'object' && typeof checkpoint.dir === 'string') {
    const { dir, ...rest } = checkpoint;
    const result = decodeCommandResult(rest);
    if (result.ok) return { kind: 'checkpoint', dir, result: result.value };
  }
  return { kind: 'other' };
}

/** Sends `signal` to the program's whole process group (its helpers too), or to it alone as a fallback. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Creates a trainer that delegates each job to an external program. */
export function createCommandTrainer(options: CommandTrainerOptions): Trainer {
  const log = options.log ?? silentLogger;
  return {
    name: `command:${options.command}`,
    async train(request) {
      const artifactDir = join(request.outputDir, 'artifact');
      const resultFile = join(request.outputDir, 'result.json');
      // A retried job must not pick up a previous attempt's files.
      await rm(artifactDir, { recursive: true, force: true });
      await rm(resultFile, { force: true });
      await mkdir(artifactDir, { recursive: true });
      const inherited = Object.fromEntries(
        INHERITED_ENV.flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]]])),
      );
      const child = spawn(options.command, options.args ?? [], {
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
        env: {
          ...inherited,
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
      let stderrTail = '';
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => {
        stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_BYTES);
      });
      createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) =>
        log.info('trainer.stderr', { jobId: request.jobId, line: line.slice(0, 2000) }),
      );
      const checkpoints: Promise<unknown>[] = [];
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        const parsed = parseLine(line);
        if (parsed.kind === 'progress') request.onProgress(parsed.progress);
        else if (parsed.kind === 'checkpoint' && request.submitCheckpoint) {
          const output: TrainOutput = { ...parsed.result, dir: parsed.dir };
          checkpoints.push(request.submitCheckpoint(output));
        } else log.info('trainer.stdout', { jobId: request.jobId, line: line.slice(0, 2000) });
      });
      let killTimer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        killGroup(child, 'SIGTERM');
        killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), options.killGraceMs ?? 5000);
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
      await Promise.all(checkpoints);
      if (request.signal.aborted) throw new MinerError('aborted', 'training aborted', request.signal.reason);
      if (exitCode !== 0) {
        const tail = stderrTail.trim();
        throw new MinerError(
          'trainer_failed',
          `${options.command} exited with ${exitCode}${tail ? `; its stderr ended with:\n${tail}` : ''}`,
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(resultFile, 'utf8'));
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
