// The one-command local competition: makes sure a base model is pretrained, starts a real validator on
// 127.0.0.1 with a real SQLite file, registers and starts real miners (the built-in engine trainer) over
// real WebSockets, runs several jobs at once and collects what the operator API shows. Scoring is the
// evaluator's job (a later stage); this module reports submissions, not scores.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type ArenaClient, createArenaClient } from '@tuning-arena/client';
import {
  createEngineTrainer,
  createMiner,
  generateKeyFiles,
  silentLogger as quietMiner,
} from '@tuning-arena/miner';
import {
  type BaseModelInfo,
  type BaseModelSpec,
  defaultModelsDir,
  pretrainBaseModel,
} from '@tuning-arena/models';
import { createLogger, createProgressBar, type Logger } from '@tuning-arena/node-kit';
import type { JobView, MinerView, SubmissionView } from '@tuning-arena/protocol';
import { createValidator, silentLogger } from '@tuning-arena/validator';
import { DemoError } from './errors.js';
import { DEFAULT_PARTICIPANTS, type Participant } from './participants.js';

/** One job of the demo. */
interface DemoJob {
  dataset: string;
  timeLimitSeconds: number;
  minersWanted: number;
  maxRows: number;
}

/** Everything the demo can be told; `workDir` is the only thing without a default. */
interface DemoOptions {
  workDir: string;
  modelsDir?: string;
  baseModel?: string | BaseModelSpec;
  jobs?: DemoJob[];
  participants?: Participant[];
  offerTtlSeconds?: number;
  uploadGraceSeconds?: number;
  /** Progress lines for a person watching (default: stderr). */
  log?: Logger;
}

/** What the demo saw, as the operator API reported it. */
export interface DemoSummary {
  validatorUrl: string;
  base: BaseModelInfo;
  jobs: { job: JobView; submissions: SubmissionView[] }[];
  miners: MinerView[];
  seconds: number;
}

/** Two jobs at once on different bundled datasets, short enough for the whole demo to stay under 5 minutes. */
export const DEFAULT_JOBS: DemoJob[] = [
  { dataset: 'country-facts', timeLimitSeconds: 45, minersWanted: 3, maxRows: 600 },
  { dataset: 'arithmetic', timeLimitSeconds: 45, minersWanted: 3, maxRows: 1500 },
];

const ENDED = new Set(['submitted', 'closed', 'cancelled']);

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new DemoError('timed_out', `timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function startParticipants(op: ArenaClient, competitionId: string, url: string, options: DemoOptions) {
  const miners = [];
  for (const participant of options.participants ?? DEFAULT_PARTICIPANTS) {
    const dataDir = join(options.workDir, 'miners', participant.name);
    const identity = await generateKeyFiles(dataDir);
    await op.miners.register(competitionId, {
      publicKey: identity.publicKey,
      owner: participant.owner,
      displayName: participant.name,
    });
    const miner = createMiner({
      validatorUrl: url,
      dataDir,
      trainer: createEngineTrainer(participant.trainer),
      capacity: participant.capacity,
      minTimeLimitSeconds: participant.minTimeLimitSeconds,
      log: quietMiner,
    });
    await miner.start();
    miners.push(miner);
  }
  return miners;
}

/** Runs a local competition end to end and returns what the operator API shows. */
export async function runDemo(options: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  const log = options.log ?? createLogger();
  const bar = createProgressBar('pretraining base model');
  let pretrained = false;
  const base = await pretrainBaseModel(options.baseModel ?? 'arena-nano', {
    ...(options.modelsDir === undefined ? {} : { modelsDir: options.modelsDir }),
    onProgress: (p) => {
      pretrained = true;
      bar.update(p.step, p.plannedSteps, `loss ${p.loss.toFixed(3)}`);
    },
  });
  if (pretrained) bar.done('done');
  log.info('demo.base_model', {
    model: base.name,
    parameters: base.params,
    heldOutLoss: Number(base.heldOutLoss.toFixed(3)),
    sha256: base.sha256.slice(0, 12),
  });

  const token = randomBytes(24).toString('base64url');
  const validator = createValidator({
    dataDir: join(options.workDir, 'validator'),
    operatorToken: token,
    modelsDir: defaultModelsDir(options.modelsDir),
    offerTtlSeconds: options.offerTtlSeconds ?? 10,
    heartbeatIntervalMs: 5000,
    uploadGraceSeconds: options.uploadGraceSeconds ?? 20,
    logger: silentLogger,
  });
  const { url } = await validator.start();
  log.info('demo.validator_listening', { url });
  const op = createArenaClient({ baseUrl: url, token });
  const miners = [];
  try {
    const competition = await op.competitions.create({ name: 'Local demo cup' });
    miners.push(...(await startParticipants(op, competition.id, url, options)));
    const wanted = miners.length;
    await poll('miners to connect', 30_000, async () => {
      const views = await op.miners.list(competition.id);
      return views.filter((view) => view.connected).length === wanted ? true : undefined;
    });
    log.info('demo.miners_connected', { miners: wanted, jobsAtOnce: (options.jobs ?? DEFAULT_JOBS).length });

    const jobs: JobView[] = [];
    for (const job of options.jobs ?? DEFAULT_JOBS) {
      jobs.push(
        await op.jobs.create(competition.id, {
          model: base.name,
          dataset: job.dataset,
          timeLimitSeconds: job.timeLimitSeconds,
          minersWanted: job.minersWanted,
          ...(job.maxRows === undefined ? {} : { maxRows: job.maxRows }),
        }),
      );
      log.info('demo.job_created', {
        jobId: jobs.at(-1)?.id,
        dataset: job.dataset,
        timeLimitSeconds: job.timeLimitSeconds,
        minersWanted: job.minersWanted,
      });
    }
    const longest = Math.max(...(options.jobs ?? DEFAULT_JOBS).map((job) => job.timeLimitSeconds));
    const grace = options.uploadGraceSeconds ?? 20;
    const results = [];
    for (const created of jobs) {
      const job = await poll(`job ${created.id} to end`, (longest + 120) * 1000, async () => {
        const view = await op.jobs.get(created.id);
        return ENDED.has(view.status) ? view : undefined;
      });
      const deadline = job.deadline ? Date.parse(job.deadline) : Date.now();
      const submissions = await poll(`uploads of job ${job.id}`, (grace + 30) * 1000, async () => {
        const submissions = await op.jobs.submissions(job.id);
        const settled = submissions.every((s) => s.uploaded) || Date.now() > deadline + grace * 1000;
        return settled ? submissions : undefined;
      });
      log.info('demo.job_ended', { jobId: job.id, status: job.status, submissions: submissions.length });
      results.push({ job: await op.jobs.get(job.id), submissions });
    }
    const minerViews = await op.miners.list(competition.id);
    return {
      validatorUrl: url,
      base,
      jobs: results,
      miners: minerViews,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await Promise.allSettled(miners.map((miner) => miner.stop()));
    await validator.close();
  }
}
