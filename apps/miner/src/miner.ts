// The miner daemon: owns the ledger, the gateway link and the live jobs. It answers offers through the
// accept policy, starts (or resumes) jobs on `job.start`, routes acks, cancels and results, and reports
// its state through `status()` and typed events. Frame handling lives in `frame-handler.ts`, a job's steps
// (training, delivery, failure) behind `job-runner.ts`.

import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobOffer, JobResult, Welcome } from '@tuning-arena/protocol';
import type { Kysely } from 'kysely';
import { type AcceptPolicy, createDefaultAcceptPolicy, type Decision } from './accept-policy.js';
import { createBackoff } from './backoff.js';
import { LEDGER_FILE, MINER_VERSION, type MinerConfig } from './config.js';
import { MinerError } from './errors.js';
import { createFrameHandler, type FrameHandler } from './frame-handler.js';
import { createGatewayClient, type GatewayClient, type LinkState } from './gateway-client.js';
import { createJobRunner } from './job-runner.js';
import { ACTIVE_STATUSES, createJobTable, type JobState } from './job-table.js';
import { loadIdentity, type MinerIdentity } from './keys.js';
import { createLedgerRepo, type LedgerRepo } from './ledger/ledger-repo.js';
import { openDb } from './ledger/open-db.js';
import type { JobLedgerStatus, LedgerDatabase } from './ledger/schema.js';
import { silentLogger } from './logger.js';
import type { JobFrame, RefusedFrame } from './session.js';
import { createSubmitAcks } from './submit-acks.js';
import type { TrainProgress } from './trainer.js';
import { createHttpTransfers } from './transfers.js';

/** A snapshot of the miner for tests and operators. */
interface MinerStatus {
  publicKey: string | null;
  link: LinkState;
  minerId: string | null;
  /** How many sessions were authenticated so far (reconnects included). */
  connects: number;
  capacity: number;
  /** Validator frames ignored because they were invalid or out of order. */
  refusedFrames: number;
  jobs: JobState[];
}

/** Events a miner emits. */
interface MinerEvents {
  connected: [welcome: Welcome];
  disconnected: [];
  offer: [offer: JobOffer, decision: Decision];
  phase: [jobId: string, phase: JobLedgerStatus, detail: string | undefined];
  progress: [jobId: string, progress: TrainProgress];
  result: [result: JobResult];
  refused_frame: [refused: RefusedFrame];
  fatal: [error: MinerError];
}

/** Creates a miner daemon; nothing happens until `start()`. */
export function createMiner(config: MinerConfig) {
  const capacity = config.capacity ?? 1;
  const log = config.log ?? silentLogger;
  const basePolicy: AcceptPolicy =
    config.acceptPolicy ??
    createDefaultAcceptPolicy({ minTimeLimitSeconds: config.minTimeLimitSeconds ?? 30 });
  // The ledger keeps, beside each decision, the estimate it rested on and the settings the miner ran with.
  const policy: AcceptPolicy = async (offer, state) => {
    const decision = await basePolicy(offer, state);
    if (decision.estimate !== undefined || config.settings !== undefined) {
      await ledger?.recordAssessment(offer.jobId, {
        ...(decision.estimate === undefined ? {} : { estimate: decision.estimate }),
        ...(config.settings === undefined ? {} : { settings: config.settings }),
      });
    }
    return decision;
  };
  const events = new EventEmitter<MinerEvents>();
  const table = createJobTable();
  const acks = createSubmitAcks();
  let db: Kysely<LedgerDatabase> | undefined;
  let ledger: LedgerRepo | undefined;
  let identity: MinerIdentity | undefined;
  let gateway: GatewayClient | undefined;
  let handler: FrameHandler | undefined;
  let refusedFrames = 0;
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;

  const setPhase = async (jobId: string, phase: JobLedgerStatus, detail?: string) => {
    await ledger!.upsertJob(jobId, phase, detail === undefined ? {} : { detail });
    announcePhase(jobId, phase, detail);
  };

  const announcePhase = (jobId: string, phase: JobLedgerStatus, detail?: string) => {
    const level = phase === 'failed' || phase === 'refused' ? 'warn' : 'info';
    log[level]('job.phase', { jobId, phase, ...(detail ? { detail } : {}) });
    const job = table.track(jobId, phase);
    if (detail !== undefined) job.detail = detail;
    events.emit('phase', jobId, phase, detail);
  };

  const enqueue = (frame: JobFrame) => {
    queue = queue.then(() =>
      handler!.dispatch(frame).catch((error) => {
        log.error('frame.failed', { type: frame.type, error });
      }),
    );
  };

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    gateway?.stop();
    for (const job of table.all()) job.controller.abort(new MinerError('aborted', 'miner stopping'));
    await queue;
    await Promise.allSettled(table.all().map((job) => job.task));
    await db?.destroy();
    db = undefined;
  }

  return {
    /** The miner's events (connected, offer, phase, result, ...). */
    events,

    /** Opens the ledger, loads the key and connects; resolves once connecting has begun. */
    async start(): Promise<void> {
      if (db) return;
      await mkdir(join(config.dataDir, 'jobs'), { recursive: true });
      identity = await loadIdentity(config.dataDir);
      db = await openDb(join(config.dataDir, LEDGER_FILE));
      ledger = createLedgerRepo(db);
      const ledgerRepo = ledger;
      // Jobs still in hand when the miner last stopped hold their slots until the validator re-sends them.
      for (const row of await ledger.listJobs([...ACTIVE_STATUSES])) {
        if (!row.deadline || Date.parse(row.deadline) > Date.now())
          table.track(row.job_id, row.status, row.deadline);
      }
      gateway = createGatewayClient({
        validatorUrl: config.validatorUrl,
        identity,
        capacity,
        software: config.software ?? `tuning-arena-miner/${MINER_VERSION} (${config.trainer.name})`,
        backoff: createBackoff(config.backoff),
        log,
        onWelcome: (welcome) => {
          log.info('miner.connected', { minerId: welcome.minerId, competition: welcome.competition.name });
          events.emit('connected', welcome);
        },
        onFrame: enqueue,
        onDisconnect: () => {
          acks.disconnectAll();
          log.warn('miner.disconnected', {});
          events.emit('disconnected');
        },
        onRefusedFrame: (refused) => {
          refusedFrames += 1;
          events.emit('refused_frame', refused);
        },
        onFatal: (error) => {
          void ledgerRepo.addNote(null, `stopped: ${error.message}`).catch(() => {});
          events.emit('fatal', error);
        },
      });
      const runner = createJobRunner({
        dataDir: config.dataDir,
        identity,
        trainer: config.trainer,
        ledger,
        gateway,
        transfers: createHttpTransfers(config.validatorUrl),
        acks,
        log,
        progressIntervalMs: config.progressIntervalMs ?? 1000,
        trainerOverrunMs: config.trainerOverrunMs ?? 60_000,
        submitTimeoutMs: config.submitTimeoutMs ?? 15_000,
        onPhase: announcePhase,
        onProgress: (jobId, progress) => {
          const job = table.get(jobId);
          if (job) job.progress = progress;
          events.emit('progress', jobId, progress);
        },
      });
      const link = gateway;
      handler = createFrameHandler({
        ledger,
        table,
        acks,
        policy,
        capacity,
        log,
        send: (message) => link.send(message),
        runJob: (start, signal) => runner.run(start, signal),
        setPhase,
        onOffer: (offer, decision) => events.emit('offer', offer, decision),
        onResult: (result) => events.emit('result', result),
      });
      gateway.start();
    },

    /** Stops: closes the link, aborts running trainers, waits for jobs to settle, closes the ledger. */
    stop,

    /** A snapshot of the link and the jobs. */
    status(): MinerStatus {
      return {
        publicKey: identity?.publicKey ?? null,
        link: gateway?.state ?? 'idle',
        minerId: gateway?.welcome?.minerId ?? null,
        connects: gateway?.connects ?? 0,
        capacity,
        refusedFrames,
        jobs: table.snapshot(),
      };
    },

    /** The ledger, while the miner runs (for `history`-style reads). */
    get ledger(): LedgerRepo {
      if (!ledger) throw new MinerError('invalid_config', 'the miner has not been started');
      return ledger;
    },

    /** Same as `stop()`, for `await using`. */
    [Symbol.asyncDispose]: stop,
  };
}

/** A miner as returned by `createMiner`. */
export type Miner = ReturnType<typeof createMiner>;
