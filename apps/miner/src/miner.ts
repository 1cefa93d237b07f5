// The miner daemon: owns the ledger, the gateway link and the live jobs. It answers offers through the
// accept policy, starts (or resumes) jobs on `job.start`, routes acks, cancels and results, and reports
// its state through `status()` and typed events. Transfers and training steps live in `job-runner.ts`.

import { EventEmitter } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobOffer, JobResult, JobStart, Welcome } from '@tuning-arena/protocol';
import type { Kysely } from 'kysely';
import { type AcceptPolicy, createDefaultAcceptPolicy, type Decision } from './accept-policy.js';
import { createBackoff } from './backoff.js';
import { LEDGER_FILE, MINER_VERSION, type MinerConfig } from './config.js';
import { MinerError } from './errors.js';
import { createGatewayClient, type GatewayClient, type LinkState } from './gateway-client.js';
import { createJobRunner, type JobRunner } from './job-runner.js';
import { loadIdentity, type MinerIdentity } from './keys.js';
import { createLedgerRepo, type LedgerRepo } from './ledger/ledger-repo.js';
import { openDb } from './ledger/open-db.js';
import type { JobLedgerStatus, LedgerDatabase } from './ledger/schema.js';
import { silentLogger } from './logger.js';
import type { JobFrame, RefusedFrame } from './session.js';
import { createSubmitAcks, SUBMIT_REFUSAL_CODES } from './submit-acks.js';
import type { TrainProgress } from './trainer.js';

/** Ledger statuses of a job that still holds a slot. */
const ACTIVE: ReadonlySet<JobLedgerStatus> = new Set([
  'accepted',
  'downloading',
  'training',
  'submitting',
  'uploading',
]);
/** Ledger statuses after which a re-sent `job.start` is ignored. */
const SETTLED: ReadonlySet<JobLedgerStatus> = new Set([
  'uploaded',
  'refused',
  'cancelled',
  'missed',
  'scored',
  'closed',
]);

/** A job as `status()` shows it. */
export interface JobState {
  jobId: string;
  phase: JobLedgerStatus;
  deadline: string | null;
  detail: string | null;
  progress: TrainProgress | null;
}

/** A snapshot of the miner for tests and operators. */
export interface MinerStatus {
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
export interface MinerEvents {
  connected: [welcome: Welcome];
  disconnected: [];
  offer: [offer: JobOffer, decision: Decision];
  phase: [jobId: string, phase: JobLedgerStatus, detail: string | undefined];
  result: [result: JobResult];
  refused_frame: [refused: RefusedFrame];
  fatal: [error: MinerError];
}

interface LiveJob extends JobState {
  controller: AbortController;
  task: Promise<unknown> | null;
}

/** Creates a miner daemon; nothing happens until `start()`. */
export function createMiner(config: MinerConfig) {
  const capacity = config.capacity ?? 1;
  const log = config.log ?? silentLogger;
  const policy: AcceptPolicy =
    config.acceptPolicy ??
    createDefaultAcceptPolicy({ minTimeLimitSeconds: config.minTimeLimitSeconds ?? 30 });
  const events = new EventEmitter<MinerEvents>();
  const jobs = new Map<string, LiveJob>();
  const acks = createSubmitAcks();
  let db: Kysely<LedgerDatabase> | undefined;
  let ledger: LedgerRepo | undefined;
  let identity: MinerIdentity | undefined;
  let gateway: GatewayClient | undefined;
  let runner: JobRunner | undefined;
  let refusedFrames = 0;
  let queue: Promise<void> = Promise.resolve();
  let stopped = false;

  const activeJobIds = () =>
    [...jobs.values()].filter((job) => ACTIVE.has(job.phase)).map((job) => job.jobId);

  const track = (jobId: string, phase: JobLedgerStatus, deadline: string | null = null): LiveJob => {
    let job = jobs.get(jobId);
    if (!job) {
      job = {
        jobId,
        phase,
        deadline,
        detail: null,
        progress: null,
        controller: new AbortController(),
        task: null,
      };
      jobs.set(jobId, job);
    }
    job.phase = phase;
    if (deadline) job.deadline = deadline;
    return job;
  };

  const setPhase = async (jobId: string, phase: JobLedgerStatus, detail?: string) => {
    await ledger!.upsertJob(jobId, phase, detail === undefined ? {} : { detail });
    const job = track(jobId, phase);
    if (detail !== undefined) job.detail = detail;
    events.emit('phase', jobId, phase, detail);
  };

  const onOffer = async (offer: JobOffer) => {
    const row = await ledger!.recordOffer(offer);
    let decision: Decision;
    if (row.decision) {
      // A re-sent offer whose answer got lost: give the same answer again, without deciding twice.
      decision =
        row.decision === 'accept' ? { accept: true } : { accept: false, reason: row.reason ?? 'declined' };
    } else {
      try {
        decision = await policy(offer, { capacity, activeJobIds: activeJobIds(), now: new Date() });
      } catch (cause) {
        log('error', 'accept policy threw; declining', { jobId: offer.jobId, error: String(cause) });
        decision = { accept: false, reason: 'accept policy failed' };
      }
      await ledger!.recordDecision(
        offer.jobId,
        decision.accept ? 'accept' : 'reject',
        decision.accept ? null : decision.reason,
      );
      if (decision.accept) await setPhase(offer.jobId, 'accepted');
    }
    if (decision.accept) track(offer.jobId, jobs.get(offer.jobId)?.phase ?? 'accepted');
    gateway!.send(
      decision.accept
        ? { type: 'offer.accept', jobId: offer.jobId }
        : { type: 'offer.reject', jobId: offer.jobId, reason: decision.reason.slice(0, 500) },
    );
    log('info', `offer ${offer.jobId}: ${decision.accept ? 'accepted' : `rejected (${decision.reason})`}`);
    events.emit('offer', offer, decision);
  };

  const onStart = async (start: JobStart) => {
    const live = jobs.get(start.jobId);
    if (live?.task) {
      log('info', `job.start for ${start.jobId} again; it is already in hand`);
      return;
    }
    const row = await ledger!.getJob(start.jobId);
    if (row && SETTLED.has(row.status)) {
      log('info', `job.start for ${start.jobId} again; it is ${row.status} in the ledger`);
      return;
    }
    if (!row)
      await ledger!.addNote(start.jobId, 'job.start for a job this ledger never accepted; running it');
    const job = track(start.jobId, 'downloading', start.deadline);
    job.controller = new AbortController();
    job.task = runner!.run(start, job.controller.signal).finally(() => {
      job.task = null;
    });
  };

  const onCancel = async (jobId: string, reason: string) => {
    const job = jobs.get(jobId);
    job?.controller.abort(new MinerError('aborted', `cancelled by the validator: ${reason}`));
    await ledger!.addNote(jobId, `cancelled by the validator: ${reason}`);
    if (job || (await ledger!.getJob(jobId))) await setPhase(jobId, 'cancelled', reason);
  };

  const onResult = async (result: JobResult) => {
    await ledger!.recordResult(result);
    const job = jobs.get(result.jobId);
    job?.controller.abort(new MinerError('aborted', `job ended: ${result.status}`));
    await setPhase(result.jobId, result.status);
    events.emit('result', result);
  };

  const onError = async (frame: Extract<JobFrame, { type: 'error' }>) => {
    // Only commit refusals may settle a commit: a refused `job.progress` of the same job must not.
    if (SUBMIT_REFUSAL_CODES.has(frame.code) && acks.pending(frame.ref ?? '')) {
      if (acks.refuse(frame.ref, frame.code, frame.message)) return;
    }
    if (frame.ref === undefined && SUBMIT_REFUSAL_CODES.has(frame.code)) {
      if (acks.refuse(undefined, frame.code, frame.message)) return;
    }
    log('warn', `validator error ${frame.code}: ${frame.message}`, { ref: frame.ref });
    const jobId = frame.ref && jobs.has(frame.ref) ? frame.ref : undefined;
    await ledger!.addNote(jobId ?? null, `validator error ${frame.code}: ${frame.message}`);
    if (jobId && (frame.code === 'offer_expired' || frame.code === 'offer_not_pending')) {
      if (jobs.get(jobId)?.phase === 'accepted') await setPhase(jobId, 'closed', frame.code);
    }
  };

  const dispatch = async (frame: JobFrame) => {
    switch (frame.type) {
      case 'job.offer':
        return onOffer(frame);
      case 'job.start':
        return onStart(frame);
      case 'job.cancel':
        return onCancel(frame.jobId, frame.reason);
      case 'submit.ack':
        if (!acks.acknowledge(frame)) log('info', `late submit.ack for ${frame.jobId}`);
        return;
      case 'job.result':
        return onResult(frame);
      case 'error':
        return onError(frame);
    }
  };

  const enqueue = (frame: JobFrame) => {
    queue = queue.then(() =>
      dispatch(frame).catch((error) => {
        log('error', `handling ${frame.type} failed: ${(error as Error).message}`);
      }),
    );
  };

  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    gateway?.stop();
    for (const job of jobs.values()) job.controller.abort(new MinerError('aborted', 'miner stopping'));
    await queue;
    await Promise.allSettled([...jobs.values()].map((job) => job.task));
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
      for (const row of await ledger.listJobs([...ACTIVE])) track(row.job_id, row.status, row.deadline);
      gateway = createGatewayClient({
        validatorUrl: config.validatorUrl,
        identity,
        capacity,
        software: config.software ?? `tuning-arena-miner/${MINER_VERSION} (${config.trainer.name})`,
        backoff: createBackoff(config.backoff),
        log,
        onWelcome: (welcome) => {
          log('info', `authenticated as ${welcome.minerId} in ${welcome.competition.name}`);
          events.emit('connected', welcome);
        },
        onFrame: enqueue,
        onDisconnect: () => {
          acks.disconnectAll();
          log('warn', 'link to the validator dropped');
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
      runner = createJobRunner({
        validatorUrl: config.validatorUrl,
        dataDir: config.dataDir,
        identity,
        trainer: config.trainer,
        ledger,
        gateway,
        acks,
        log,
        progressIntervalMs: config.progressIntervalMs ?? 1000,
        trainerOverrunMs: config.trainerOverrunMs ?? 60_000,
        submitTimeoutMs: config.submitTimeoutMs ?? 15_000,
        onPhase: (jobId, phase, detail) => {
          const job = track(jobId, phase);
          if (detail !== undefined) job.detail = detail;
          events.emit('phase', jobId, phase, detail);
        },
        onProgress: (jobId, progress) => {
          const job = jobs.get(jobId);
          if (job) job.progress = progress;
        },
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
        jobs: [...jobs.values()].map(({ jobId, phase, deadline, detail, progress }) => ({
          jobId,
          phase,
          deadline,
          detail,
          progress,
        })),
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
