// The job scheduler of docs/protocol-flow.md: offers to connected miners with free slots, offer expiry,
// answers, job start with a stored deadline, deadline close, cancellation, hand-off to the evaluator and
// rebuilding every timer from the database after a restart. Each transition is stored before it is announced
// and all of them run on one serial queue. It does not parse frames or serve HTTP.

import type { ValidatorMessage } from '@tuning-arena/protocol';
import type { JobRow, JobsRepo } from '../db/jobs-repo.js';
import type { OfferRow, OffersRepo } from '../db/offers-repo.js';
import type { SubmissionsRepo } from '../db/submissions-repo.js';
import { ValidatorError } from '../errors.js';
import type { SessionRegistry } from '../gateway/session-registry.js';
import type { Logger } from '../logger.js';
import type { Evaluator } from '../ports/evaluator.js';
import { cancelMessage, missedMessage, offerMessage, startMessage } from './job-messages.js';
import type { SerialQueue } from './serial-queue.js';
import type { Timers } from './timers.js';

/** What the scheduler needs. */
export interface SchedulerDeps {
  jobs: JobsRepo;
  offers: OffersRepo;
  submissions: SubmissionsRepo;
  registry: SessionRegistry;
  evaluator: Evaluator;
  queue: SerialQueue;
  timers: Timers;
  logger: Logger;
  now: () => number;
  uploadGraceSeconds: number;
}

/** Drives jobs through offering, running and their end. */
export interface Scheduler {
  /** Re-arms offer expiries, deadlines and evaluation hand-offs from the database. */
  restore(): Promise<void>;
  /** Runs an offer round for a new job. */
  jobCreated(jobId: string): Promise<void>;
  /** After `welcome`: re-sends pending offers and running jobs, then offers waiting jobs to the miner. */
  minerReady(minerId: string, competitionId: string): Promise<void>;
  /** Stores a miner's answer to an offer; throws `offer_expired` or `offer_not_pending`. */
  answerOffer(minerId: string, jobId: string, answer: { accept: boolean; reason?: string }): Promise<void>;
  /** Cancels a job that is offering or running; throws `not_found` or `conflict`. */
  cancelJob(jobId: string, reason: string): Promise<JobRow>;
  /** Stops every timer; later timer callbacks do nothing. */
  stop(): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Creates the scheduler. */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { jobs, offers, submissions, registry, queue, timers, logger, now } = deps;
  let stopped = false;

  const send = (minerId: string, message: ValidatorMessage) => registry.send(minerId, message);
  const offerKey = (jobId: string, minerId: string) => `offer:${jobId}:${minerId}`;

  /** Runs a timer's work on the queue, logging (not throwing) failures. */
  const fromTimer = (name: string, task: () => Promise<void>) => () => {
    if (stopped) return;
    queue.run(task).catch((error) => {
      if (!stopped) logger.error('scheduler.timer_failed', { timer: name, error });
    });
  };

  const armOffer = (offer: OfferRow) =>
    timers.at(
      offerKey(offer.job_id, offer.miner_id),
      Date.parse(offer.expires_at),
      fromTimer('offer', () => expireOffer(offer.job_id, offer.miner_id)),
    );
  const armDeadline = (job: JobRow) =>
    timers.at(
      `deadline:${job.id}`,
      Date.parse(job.deadline ?? ''),
      fromTimer('deadline', () => endAtDeadline(job.id)),
    );
  const armEvaluation = (job: JobRow) =>
    timers.at(
      `evaluate:${job.id}`,
      Date.parse(job.deadline ?? '') + deps.uploadGraceSeconds * 1000,
      fromTimer('evaluate', () => handOff(job.id)),
    );

  async function expireOffer(jobId: string, minerId: string): Promise<void> {
    if (!(await offers.decide(jobId, minerId, 'pending', 'expired', iso(now()), 'no answer before expiry')))
      return;
    logger.info('offer.expired', { jobId, minerId });
    send(minerId, cancelMessage(jobId, 'offer expired'));
    await round(jobId);
  }

  /** Offers a job to as many candidates as it still needs; starts or closes it when offering is over. */
  async function round(jobId: string): Promise<void> {
    const job = await jobs.get(jobId);
    if (job?.status !== 'offering') return;
    const current = await offers.listByJob(jobId);
    const accepted = current.filter((offer) => offer.status === 'accepted').length;
    let pending = current.filter((offer) => offer.status === 'pending').length;
    if (accepted >= job.miners_wanted) return start(job);
    const needed = job.miners_wanted - accepted - pending;
    let made = 0;
    if (needed > 0) {
      const offered = new Set(current.map((offer) => offer.miner_id));
      const load = await offers.loadByMiner(job.competition_id);
      const busy = (minerId: string) => (load.get(minerId)?.pending ?? 0) + (load.get(minerId)?.active ?? 0);
      const candidates = registry
        .connected(job.competition_id)
        .filter((session) => !offered.has(session.minerId) && busy(session.minerId) < session.capacity)
        .sort((a, b) => busy(a.minerId) - busy(b.minerId));
      for (const session of candidates.slice(0, needed)) {
        const at = now();
        const offer: OfferRow = {
          job_id: job.id,
          miner_id: session.minerId,
          status: 'pending',
          reason: null,
          offered_at: iso(at),
          expires_at: iso(at + job.offer_ttl_seconds * 1000),
          decided_at: null,
          progress_step: null,
          progress_train_loss: null,
          progress_at: null,
        };
        await offers.insert(offer);
        armOffer(offer);
        send(session.minerId, offerMessage(job, offer));
        logger.info('offer.sent', { jobId, minerId: session.minerId, expiresAt: offer.expires_at });
        pending++;
        made++;
      }
    }
    if (pending > 0) return;
    // Nobody has been offered this job yet: wait for a miner to connect or free a slot.
    if (current.length === 0 && made === 0) return;
    if (accepted > 0) return start(job);
    await end(job, 'closed', 'nobody accepted');
  }

  async function start(job: JobRow): Promise<void> {
    const startedAt = now();
    const deadline = iso(startedAt + job.time_limit_seconds * 1000);
    await jobs.markRunning(job.id, iso(startedAt), deadline);
    const withdrawn = await offers.cancelPending(job.id, iso(startedAt), 'job started without this miner');
    const running: JobRow = { ...job, status: 'running', started_at: iso(startedAt), deadline };
    armDeadline(running);
    logger.info('job.started', { jobId: job.id, deadline });
    for (const offer of await offers.listByJob(job.id)) {
      if (offer.status === 'accepted') send(offer.miner_id, startMessage(running));
    }
    for (const minerId of withdrawn) {
      timers.clear(offerKey(job.id, minerId));
      send(minerId, cancelMessage(job.id, 'offer withdrawn: the job started'));
    }
    if (withdrawn.length > 0) await roundsFor(job.competition_id);
  }

  async function end(
    job: JobRow,
    status: 'closed' | 'submitted' | 'cancelled',
    reason: string,
  ): Promise<void> {
    await jobs.markEnded(job.id, status, iso(now()), reason);
    logger.info('job.ended', { jobId: job.id, status, reason });
  }

  async function endAtDeadline(jobId: string): Promise<void> {
    const job = await jobs.get(jobId);
    if (job?.status !== 'running') return;
    const committers = await submissions.committers(jobId);
    const status = committers.size > 0 ? 'submitted' : 'closed';
    await end(job, status, 'deadline');
    for (const offer of await offers.listByJob(jobId)) {
      if (offer.status === 'accepted' && !committers.has(offer.miner_id))
        send(offer.miner_id, missedMessage(jobId));
    }
    if (status === 'submitted') armEvaluation(job);
    await roundsFor(job.competition_id);
  }

  async function handOff(jobId: string): Promise<void> {
    const job = await jobs.get(jobId);
    if (job?.status !== 'submitted' || job.evaluation_requested_at) return;
    // The evaluator must take the job durably (idempotently): it is marked only after it accepted it.
    await deps.evaluator.submitJob(jobId);
    await jobs.markEvaluationRequested(jobId, iso(now()));
    logger.info('job.evaluation_requested', { jobId });
  }

  async function roundsFor(competitionId: string): Promise<void> {
    for (const job of await jobs.listByStatus(['offering'])) {
      if (job.competition_id === competitionId) await round(job.id);
    }
  }

  return {
    restore: () =>
      queue.run(async () => {
        for (const offer of await offers.listByStatus('pending')) armOffer(offer);
        for (const job of await jobs.listByStatus(['running', 'submitted'])) {
          if (job.status === 'running') armDeadline(job);
          else if (!job.evaluation_requested_at) armEvaluation(job);
        }
      }),
    jobCreated: (jobId) => queue.run(() => round(jobId)),
    minerReady: (minerId, competitionId) =>
      queue.run(async () => {
        for (const offer of await offers.listByMiner(minerId, ['pending', 'accepted'])) {
          const job = await jobs.get(offer.job_id);
          if (!job) continue;
          if (
            offer.status === 'pending' &&
            job.status === 'offering' &&
            Date.parse(offer.expires_at) > now()
          ) {
            send(minerId, offerMessage(job, offer));
          } else if (offer.status === 'accepted' && job.status === 'running') {
            send(minerId, startMessage(job));
          }
        }
        await roundsFor(competitionId);
      }),
    answerOffer: (minerId, jobId, answer) =>
      queue.run(async () => {
        const offer = await offers.get(jobId, minerId);
        if (offer?.status === 'expired')
          throw new ValidatorError('offer_expired', `offer of ${jobId} expired`);
        if (offer?.status !== 'pending') {
          throw new ValidatorError('offer_not_pending', `no pending offer of ${jobId}`, { status: 409 });
        }
        if (Date.parse(offer.expires_at) <= now()) {
          timers.clear(offerKey(jobId, minerId));
          await expireOffer(jobId, minerId);
          throw new ValidatorError('offer_expired', `offer of ${jobId} expired`);
        }
        const to = answer.accept ? 'accepted' : 'rejected';
        await offers.decide(
          jobId,
          minerId,
          'pending',
          to,
          iso(now()),
          answer.accept ? null : (answer.reason ?? ''),
        );
        timers.clear(offerKey(jobId, minerId));
        logger.info(`offer.${to}`, { jobId, minerId, reason: answer.reason });
        await round(jobId);
      }),
    cancelJob: (jobId, reason) =>
      queue.run(async () => {
        const job = await jobs.get(jobId);
        if (!job) throw new ValidatorError('not_found', `job ${jobId} not found`, { status: 404 });
        if (job.status !== 'offering' && job.status !== 'running') {
          throw new ValidatorError('conflict', `job ${jobId} is already ${job.status}`, { status: 409 });
        }
        await end(job, 'cancelled', reason);
        const withdrawn = new Set(await offers.cancelPending(jobId, iso(now()), reason));
        timers.clear(`deadline:${jobId}`);
        for (const offer of await offers.listByJob(jobId)) {
          timers.clear(offerKey(jobId, offer.miner_id));
          if (offer.status === 'accepted' || withdrawn.has(offer.miner_id)) {
            send(offer.miner_id, cancelMessage(jobId, reason));
          }
        }
        await roundsFor(job.competition_id);
        return (await jobs.get(jobId)) as JobRow;
      }),
    stop: () => {
      stopped = true;
      timers.clearAll();
    },
  };
}
