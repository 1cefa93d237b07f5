// What the miner does with each job frame of an authenticated session: answers offers through the
// accept policy, starts or resumes jobs on `job.start` (never twice), aborts on `job.cancel`, records
// results, and routes acks and refusals to outstanding commits. Frames are handled one at a time.

import type { ErrorFrame, JobOffer, JobResult, JobStart, MinerMessage } from '@tuning-arena/protocol';
import type { AcceptPolicy, Decision } from './accept-policy.js';
import { MinerError } from './errors.js';
import type { JobTable } from './job-table.js';
import type { LedgerRepo } from './ledger/ledger-repo.js';
import type { JobLedgerStatus } from './ledger/schema.js';
import type { Logger } from './logger.js';
import type { JobFrame } from './session.js';
import { SUBMIT_REFUSAL_CODES, type SubmitAcks } from './submit-acks.js';

/** Ledger statuses after which a re-sent `job.start` is ignored. */
const SETTLED: ReadonlySet<JobLedgerStatus> = new Set([
  'uploaded',
  'refused',
  'cancelled',
  'missed',
  'scored',
  'closed',
]);

/** What the frame handler needs. */
interface FrameHandlerDeps {
  ledger: LedgerRepo;
  table: JobTable;
  acks: SubmitAcks;
  policy: AcceptPolicy;
  capacity: number;
  log: Logger;
  /** Sends a frame if the link is up. */
  send(message: MinerMessage): boolean;
  /** Runs an accepted job to its end. */
  runJob(start: JobStart, signal: AbortSignal): Promise<unknown>;
  /** Records a phase change (ledger, table, events). */
  setPhase(jobId: string, phase: JobLedgerStatus, detail?: string): Promise<void>;
  onOffer(offer: JobOffer, decision: Decision): void;
  onResult(result: JobResult): void;
}

/** Creates the handler; `dispatch` handles one frame (the caller serialises calls). */
export function createFrameHandler(deps: FrameHandlerDeps) {
  const { ledger, table, acks, log } = deps;

  const decide = async (offer: JobOffer): Promise<Decision> => {
    const row = await ledger.recordOffer(offer);
    if (row.decision) {
      // A re-sent offer whose answer got lost: give the same answer again, without deciding twice.
      return row.decision === 'accept'
        ? { accept: true }
        : { accept: false, reason: row.reason ?? 'declined' };
    }
    let decision: Decision;
    try {
      decision = await deps.policy(offer, {
        capacity: deps.capacity,
        activeJobIds: table.activeJobIds(),
        now: new Date(),
      });
    } catch (cause) {
      log.error('offer.policy_failed', { jobId: offer.jobId, error: cause });
      decision = { accept: false, reason: 'accept policy failed' };
    }
    const reason = decision.accept ? null : decision.reason;
    await ledger.recordDecision(offer.jobId, decision.accept ? 'accept' : 'reject', reason);
    if (decision.accept) await deps.setPhase(offer.jobId, 'accepted');
    return decision;
  };

  const onOffer = async (offer: JobOffer) => {
    const decision = await decide(offer);
    if (decision.accept) table.track(offer.jobId, table.get(offer.jobId)?.phase ?? 'accepted');
    deps.send(
      decision.accept
        ? { type: 'offer.accept', jobId: offer.jobId }
        : { type: 'offer.reject', jobId: offer.jobId, reason: decision.reason.slice(0, 500) },
    );
    log.info(decision.accept ? 'offer.accepted' : 'offer.rejected', {
      jobId: offer.jobId,
      ...(decision.accept ? {} : { reason: decision.reason }),
    });
    deps.onOffer(offer, decision);
  };

  const onStart = async (start: JobStart) => {
    if (table.get(start.jobId)?.task) {
      log.info('job.start_repeated', { jobId: start.jobId, state: 'in hand' });
      return;
    }
    const row = await ledger.getJob(start.jobId);
    if (row && SETTLED.has(row.status)) {
      log.info('job.start_repeated', { jobId: start.jobId, state: row.status });
      return;
    }
    if (!row) await ledger.addNote(start.jobId, 'job.start for a job this ledger never accepted; running it');
    const job = table.track(start.jobId, 'downloading', start.deadline);
    job.controller = new AbortController();
    job.task = deps.runJob(start, job.controller.signal).finally(() => {
      job.task = null;
    });
  };

  const onCancel = async (jobId: string, reason: string) => {
    const job = table.get(jobId);
    job?.controller.abort(new MinerError('aborted', `cancelled by the validator: ${reason}`));
    await ledger.addNote(jobId, `cancelled by the validator: ${reason}`);
    if (job || (await ledger.getJob(jobId))) await deps.setPhase(jobId, 'cancelled', reason);
  };

  const onResult = async (result: JobResult) => {
    await ledger.recordResult(result);
    table.get(result.jobId)?.controller.abort(new MinerError('aborted', `job ended: ${result.status}`));
    await deps.setPhase(result.jobId, result.status);
    deps.onResult(result);
  };

  const onError = async (frame: ErrorFrame) => {
    // Only commit refusals may settle a commit: a refused `job.progress` of the same job must not.
    if (SUBMIT_REFUSAL_CODES.has(frame.code) && (frame.ref === undefined || acks.pending(frame.ref))) {
      if (acks.refuse(frame.ref, frame.code, frame.message)) return;
    }
    log.warn('validator.error', { code: frame.code, message: frame.message, ref: frame.ref });
    const jobId = frame.ref && table.get(frame.ref) ? frame.ref : undefined;
    await ledger.addNote(jobId ?? null, `validator error ${frame.code}: ${frame.message}`);
    if (jobId && (frame.code === 'offer_expired' || frame.code === 'offer_not_pending')) {
      // Our accept came too late: the slot we reserved is free again.
      if (table.get(jobId)?.phase === 'accepted') await deps.setPhase(jobId, 'closed', frame.code);
    }
  };

  return {
    /** Handles one job frame. */
    async dispatch(frame: JobFrame): Promise<void> {
      switch (frame.type) {
        case 'job.offer':
          return onOffer(frame);
        case 'job.start':
          return onStart(frame);
        case 'job.cancel':
          return onCancel(frame.jobId, frame.reason);
        case 'submit.ack':
          if (!acks.acknowledge(frame)) log.info('submit.late_ack', { jobId: frame.jobId });
          return;
        case 'job.result':
          return onResult(frame);
        case 'error':
          return onError(frame);
      }
    },
  };
}

/** A frame handler as returned by `createFrameHandler`. */
export type FrameHandler = ReturnType<typeof createFrameHandler>;
