// `tuning-arena-miner run`: builds the miner from the effective configuration (trainer, accept policy with
// the cached self-benchmark, ledger settings), wires the terminal (progress bars and log lines on a TTY, JSON
// lines otherwise) and waits until it is told to stop. Parsing is cli.ts's; the daemon is miner.ts's.

import { availableParallelism } from 'node:os';
import type { JobOffer } from '@tuning-arena/protocol';
import { createDefaultAcceptPolicy, type ThroughputSource } from './accept-policy.js';
import { createBenchmarkCache } from './benchmark-cache.js';
import type { LoadedConfig } from './config-load.js';
import { type MinerSettings, TRAINING_KEYS } from './config-resolve.js';
import { createLogger, type Logger } from './logger.js';
import { createMiner } from './miner.js';
import { createProgressDisplay, type DisplayStream, type ProgressDisplay } from './progress-display.js';
import { runSelfBenchmark } from './self-benchmark.js';
import type { Trainer } from './trainer.js';

/** What `run` needs besides the configuration. */
export interface RunContext {
  validatorUrl: string;
  dataDir: string;
  trainer: Trainer;
  /** The logger and progress display of `terminalOutput`. */
  log: Logger;
  display: ProgressDisplay | undefined;
  untilStopped(): Promise<void>;
}

/** The method whose speed bounds a job of this configuration (auto may train every weight). */
export function benchmarkMethod(settings: MinerSettings): 'lora' | 'full' {
  return settings.strategy === 'lora' && settings.trainer === 'engine' ? 'lora' : 'full';
}

/** Measured throughput for offers, when the built-in engine trains (a participant's program is not measured). */
export function throughputSource(settings: MinerSettings, dataDir: string): ThroughputSource | undefined {
  if (settings.trainer === 'command' || settings.strategy.startsWith('red:')) return undefined;
  const cache = createBenchmarkCache(dataDir, runSelfBenchmark, {
    rowTokens: settings.rowTokens,
    batchSize: settings.training.batchSize,
  });
  return async (offer: JobOffer) =>
    (
      await cache.throughput({
        family: offer.model.family,
        parameterCount: offer.model.parameterCount,
        method: benchmarkMethod(settings),
        threads: settings.threads,
      })
    ).tokensPerSecond;
}

/** The settings the ledger keeps with every decided offer: the trainer and every training knob in effect. */
function ledgerSettings(config: LoadedConfig): Record<string, unknown> {
  const keys = new Set([
    'trainer',
    'trainer_command',
    'trainer_args',
    'strategy',
    'capacity',
    'threads',
    ...TRAINING_KEYS,
  ]);
  const out: Record<string, unknown> = {};
  for (const [key, { value }] of config.effective) if (keys.has(key) && value !== undefined) out[key] = value;
  return out;
}

/** The logger and, on a text terminal, the progress display its lines go through. */
export function terminalOutput(settings: MinerSettings, terminal: DisplayStream | undefined) {
  const text = settings.logFormat === 'text' || (settings.logFormat === 'auto' && terminal?.isTTY === true);
  if (!terminal || !text) {
    const log = createLogger({
      level: settings.logLevel,
      format: settings.logFormat,
      ...(terminal ? { stream: terminal } : {}),
    });
    return { log, display: undefined };
  }
  const display = createProgressDisplay(terminal);
  const log = createLogger({ level: settings.logLevel, format: 'text', write: (line) => display.line(line) });
  return { log, display };
}

/** Shows progress bars and result lines for the miner's jobs. */
function watch(miner: ReturnType<typeof createMiner>, log: Logger, display: ProgressDisplay | undefined) {
  miner.events.on('progress', (jobId, progress) => {
    const deadline = miner.status().jobs.find((job) => job.jobId === jobId)?.deadline ?? null;
    display?.progress(jobId, progress, deadline);
  });
  miner.events.on('phase', (jobId, phase) => {
    if (phase !== 'training') display?.finish(jobId, phase);
  });
  miner.events.on('result', (result) => {
    log.info('job.result', {
      jobId: result.jobId,
      status: result.status,
      quality: result.quality,
      test: result.losses.test,
      synthetic: result.losses.synthetic,
      combined: result.losses.combined,
      flags: result.integrityFlags,
    });
  });
}

/** Runs the miner until stopped; resolves with the exit code (1 after a fatal refusal). */
export async function runMiner(config: LoadedConfig, context: RunContext): Promise<number> {
  const { settings } = config;
  const { log, display } = context;
  const throughput = throughputSource(settings, context.dataDir);
  await using miner = createMiner({
    validatorUrl: context.validatorUrl,
    dataDir: context.dataDir,
    trainer: context.trainer,
    capacity: settings.capacity,
    settings: ledgerSettings(config),
    acceptPolicy: createDefaultAcceptPolicy({
      minTimeLimitSeconds: settings.minTimeLimitSeconds,
      minSteps: settings.acceptMinSteps,
      ...(throughput === undefined
        ? {}
        : {
            throughput,
            estimate: {
              safetyMarginSeconds: settings.safetyMarginSeconds,
              transferMbPerSecond: settings.transferMbPerSecond,
              rowTokens: settings.rowTokens,
              batchSize: settings.training.batchSize ?? 8,
              method: benchmarkMethod(settings),
              cores: availableParallelism(),
              threads: settings.threads,
            },
          }),
    }),
    log,
  });
  watch(miner, log, display);
  let fatal = false;
  const stopped = new Promise<void>((resolve) =>
    miner.events.once('fatal', () => {
      fatal = true;
      resolve();
    }),
  );
  await miner.start();
  log.info('miner.running', { publicKey: miner.status().publicKey, validator: context.validatorUrl });
  await Promise.race([context.untilStopped(), stopped]);
  return fatal ? 1 : 0;
}
