// The job scheduler of docs/protocol-flow.md: offers to connected miners with free slots, offer expiry,
// answers, job start with a stored deadline, deadline close, cancellation, hand-off to the evaluator and
// rebuilding every timer from the database after a restart. Each transition is stored before it is announced
// and all of them run on one serial queue. Work per event is proportional to what the event changes: a miner
// that connects or frees a slot is offered only the jobs that still need miners (open-jobs.ts), and miner
// load is counted in memory (miner-loads.ts). It does not parse frames or serve HTTP.

import type { ValidatorMessage } from '@tuning-arena/protocol';
import type { CompetitionRow } from '../db/competitions-repo.js';
import type { JobRow, JobsRepo } from '../db/jobs-repo.js';
import type { OfferRow, OffersRepo } from '../db/offers-repo.js';
import type { SubmissionsRepo } from '../db/submissions-repo.js';
import { ValidatorError } from '../errors.js';
import type { SessionRegistry } from '../gateway/session-registry.js';
import type { Logger } from '../logger.js';
import type { MetricsEvents } from '../metrics/validator-metrics.js';
import type { Evaluator } from '../ports/evaluator.js';
import { cancelMessage, missedMessage, offerMessage, startMessage } from './job-messages.js';
import { createMinerLoads } from './miner-loads.js';
import { createOffering } from './offering.js';
import { createOpenJobs } from './open-jobs.js';
import { pickCandidates } from './pick-candidates.js';
import type { SerialQueue } from './serial-queue.js';
import type { Timers } from './timers.js';
import { createWindowEdges } from './window-edges.js';
import { jobVerdict, type Windows } from './windows.js';

/** What the scheduler needs. */
interface SchedulerDeps {
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
  /** The competitions' windows: no offer before the start, no job running past the end. */
  windows: Windows;
  /** Told after a job left offering or running (stored), e.g. so the program can fill its slot. */
  onJobEnded?: (job: JobRow) => void;
  /** Counts offers by outcome. */
  metrics?: Pick<MetricsEvents, 'offer'>;
}

/** Drives jobs through offering, running and their end. */
export interface Scheduler {
  /** Re-arms offer expiries, deadlines, evaluation hand-offs and window edges from the database. */
  restore(competitions: readonly CompetitionRow[]): Promise<void>;
  /** Arms a new competition's window edges (its start offers waiting jobs, its end closes them). */
  competitionCreated(competition: CompetitionRow): void;
  /** Runs an offer round for a new job. */
  jobCreated(jobId: string): Promise<void>;
  /** After `welcome`: re-sends pending offers and running jobs, then offers waiting jobs to the miner. */
  minerReady(minerId: string, competitionId: string): Promise<void>;
  /** Stores a miner's answer to an offer; throws `offer_expired` or `offer_not_pending`. */
  answerOffer(minerId: string, jobId: string, answer: { accept: boolean; reason?: string }): Promise<void>;
  /** Cancels a job that is offering or running; throws `not_found` or `conflict`. */
  cancelJob(jobId: string, reason: string): Promise<JobRow>;
  /** Ends a running job now, as at its deadline, when every accepted miner's latest commit is final. */
  closeIfAllFinal(jobId: string): Promise<void>;
  /** Stops every timer; later timer callbacks do nothing. */
  stop(): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Creates the scheduler. */
export function createScheduler(deps: SchedulerDeps): Scheduler {
  const { jobs, offers, submissions, registry, queue, timers, logger, now } = deps;
  const loads = createMinerLoads(offers);
  const open = createOpenJobs(jobs);
  const { sendOffer, offerOpenJobs, offerFreed } = createOffering({
    offers,
    registry,
    loads,
    open,
    logger,
    now,
    windows: deps.windows,
    arm: (offer) => armOffer(offer),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });
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
    loads.add(minerId, -1);
    deps.metrics?.offer('expired');
    logger.info('offer.expired', { jobId, minerId });
    send(minerId, cancelMessage(jobId, 'offer expired'));
    await round(jobId);
    await offerFreed([minerId]);
  }

  /** Offers a job to as many candidates as it still needs; starts or closes it when offering is over. */
  async function round(jobId: string): Promise<void> {
    const job = await jobs.get(jobId);
    if (!job) return;
    if (job.status !== 'offering') return open.remove(job);
    const verdict = jobVerdict(await deps.windows.get(job.competition_id), job, now());
    // Before the start the window's opening runs this round again; too late, and the job is never started.
    if (verdict === 'not_yet') return;
    if (verdict === 'too_late')
      return withdraw(job, 'closed', 'the competition ends before this job could finish');
    const current = await offers.listByJob(jobId);
    const accepted = current.filter((offer) => offer.status === 'accepted').length;
    let pending = current.filter((offer) => offer.status === 'pending').length;
    if (accepted >= job.miners_wanted) return start(job, current);
    let needed = job.miners_wanted - accepted - pending;
    let made = 0;
    if (needed > 0) {
      await loads.ready();
      const candidates = pickCandidates(registry.all(), {
        competitionId: job.competition_id,
        needed,
        busy: loads.busy,
        offered: new Set(current.map((offer) => offer.miner_id)),
      });
      for (const session of candidates) {
        await sendOffer(job, session.minerId);
        pending++;
        made++;
        needed--;
      }
    }
    open.set(job, needed);
    if (pending > 0) return;
    // Nobody has been offered this job yet: wait for a miner to connect or free a slot.
    if (current.length === 0 && made === 0) return;
    open.remove(job);
    if (accepted > 0) return start(job, current);
    await end(job, 'closed', 'nobody accepted', []);
  }

  /** Starts a job with the miners that accepted (from `current`), withdrawing the pending offers. */
  async function start(job: JobRow, current: OfferRow[]): Promise<void> {
    const startedAt = now();
    const deadline = iso(startedAt + job.time_limit_seconds * 1000);
    const withdrawn = await jobs.start(job.id, iso(startedAt), deadline, 'job started without this miner');
    open.remove(job);
    deps.metrics?.offer('cancelled', withdrawn.length);
    for (const minerId of withdrawn) loads.add(minerId, -1);
    const running: JobRow = { ...job, status: 'running', started_at: iso(startedAt), deadline };
    armDeadline(running);
    logger.info('job.started', { jobId: job.id, deadline });
    for (const offer of current) {
      if (offer.status === 'accepted') send(offer.miner_id, startMessage(running));
    }
    for (const minerId of withdrawn) {
      timers.clear(offerKey(job.id, minerId));
      send(minerId, cancelMessage(job.id, 'offer withdrawn: the job started'));
    }
    await offerFreed(withdrawn);
  }

  /** Stores a job's end; its accepted miners (`acceptedBy`) are free again. */
  async function end(
    job: JobRow,
    status: 'closed' | 'submitted',
    reason: string,
    acceptedBy: string[],
  ): Promise<void> {
    await jobs.markEnded(job.id, status, iso(now()), reason);
    open.remove(job);
    for (const minerId of acceptedBy) loads.add(minerId, -1);
    logger.info('job.ended', { jobId: job.id, status, reason });
    deps.onJobEnded?.(job);
  }

  async function endAtDeadline(jobId: string): Promise<void> {
    const job = await jobs.get(jobId);
    if (job?.status !== 'running') return;
    const committers = await submissions.committers(jobId);
    const acceptedBy = (await offers.listByJob(jobId))
      .filter((offer) => offer.status === 'accepted')
      .map((offer) => offer.miner_id);
    // Every job someone accepted is judged: a miner that delivered nothing in time scores the miss factor.
    const status = acceptedBy.length > 0 ? 'submitted' : 'closed';
    await end(job, status, 'deadline', acceptedBy);
    for (const minerId of acceptedBy) {
      if (!committers.has(minerId)) send(minerId, missedMessage(jobId));
    }
    if (status === 'submitted') armEvaluation(job);
    await offerFreed(acceptedBy);
  }

  async function handOff(jobId: string): Promise<void> {
    const job = await jobs.get(jobId);
    if (job?.status !== 'submitted' || job.evaluation_requested_at) return;
    // The evaluator must take the job durably (idempotently): it is marked only after it accepted it.
    await deps.evaluator.submitJob(jobId);
    await jobs.markEvaluationRequested(jobId, iso(now()));
    logger.info('job.evaluation_requested', { jobId });
  }

  /** After `welcome`: re-sends what the miner holds, then offers it open jobs. */
  async function resumeMiner(minerId: string): Promise<void> {
    const live = await offers.listLiveByMiner(minerId);
    for (const offer of live) {
      if (offer.status !== 'pending' && offer.status !== 'accepted') continue;
      const job = await jobs.get(offer.job_id);
      if (!job) continue;
      if (offer.status === 'pending' && job.status === 'offering' && Date.parse(offer.expires_at) > now()) {
        send(minerId, offerMessage(job, offer));
      } else if (offer.status === 'accepted' && job.status === 'running') {
        send(minerId, startMessage(job));
      }
    }
    const session = registry.get(minerId);
    if (session) await offerOpenJobs(session, new Set(live.map((offer) => offer.job_id)));
  }

  async function answer(minerId: string, jobId: string, reply: { accept: boolean; reason?: string }) {
    const offer = await offers.get(jobId, minerId);
    if (offer?.status === 'expired') throw new ValidatorError('offer_expired', `offer of ${jobId} expired`);
    if (offer?.status !== 'pending') {
      throw new ValidatorError('offer_not_pending', `no pending offer of ${jobId}`, { status: 409 });
    }
    if (Date.parse(offer.expires_at) <= now()) {
      timers.clear(offerKey(jobId, minerId));
      await expireOffer(jobId, minerId);
      throw new ValidatorError('offer_expired', `offer of ${jobId} expired`);
    }
    const to = reply.accept ? 'accepted' : 'rejected';
    await offers.decide(
      jobId,
      minerId,
      'pending',
      to,
      iso(now()),
      reply.accept ? null : (reply.reason ?? ''),
    );
    timers.clear(offerKey(jobId, minerId));
    deps.metrics?.offer(to);
    logger.info(`offer.${to}`, { jobId, minerId, reason: reply.reason });
    if (!reply.accept) loads.add(minerId, -1);
    await round(jobId);
    if (!reply.accept) await offerFreed([minerId]);
  }

  async function cancel(jobId: string, reason: string): Promise<JobRow> {
    const job = await jobs.get(jobId);
    if (!job) throw new ValidatorError('not_found', `job ${jobId} not found`, { status: 404 });
    if (job.status !== 'offering' && job.status !== 'running') {
      throw new ValidatorError('conflict', `job ${jobId} is already ${job.status}`, { status: 409 });
    }
    await withdraw(job, 'cancelled', reason);
    return (await jobs.get(jobId)) as JobRow;
  }

  /** Ends an offering or running job without judging it: every offer is withdrawn, its miners are told and freed. */
  async function withdraw(job: JobRow, status: 'cancelled' | 'closed', reason: string): Promise<void> {
    const withdrawn = new Set(await jobs.withdraw(job.id, status, iso(now()), reason));
    deps.metrics?.offer('cancelled', withdrawn.size);
    open.remove(job);
    logger.info('job.ended', { jobId: job.id, status, reason });
    timers.clear(`deadline:${job.id}`);
    const freed: string[] = [];
    for (const offer of await offers.listByJob(job.id)) {
      timers.clear(offerKey(job.id, offer.miner_id));
      if (offer.status === 'accepted' || withdrawn.has(offer.miner_id)) {
        loads.add(offer.miner_id, -1);
        freed.push(offer.miner_id);
        send(offer.miner_id, cancelMessage(job.id, reason));
      }
    }
    deps.onJobEnded?.(job);
    await offerFreed(freed);
  }

  const armWindow = createWindowEdges({ jobs, timers, logger, now, fromTimer, round, withdraw });

  return {
    restore: (competitions) =>
      queue.run(async () => {
        for (const competition of competitions) armWindow(competition);
        for (const offer of await offers.listByStatus('pending')) armOffer(offer);
        for (const job of await jobs.listByStatus(['running', 'submitted'])) {
          if (job.status === 'running') armDeadline(job);
          else if (!job.evaluation_requested_at) armEvaluation(job);
        }
      }),
    competitionCreated: armWindow,
    jobCreated: (jobId) => queue.run(() => round(jobId)),
    minerReady: (minerId) => queue.run(() => resumeMiner(minerId)),
    answerOffer: (minerId, jobId, reply) => queue.run(() => answer(minerId, jobId, reply)),
    cancelJob: (jobId, reason) => queue.run(() => cancel(jobId, reason)),
    closeIfAllFinal: (jobId) =>
      queue.run(async () => {
        const accepted = (await offers.listByJob(jobId)).filter((offer) => offer.status === 'accepted');
        const finals = await submissions.finalCommitters(jobId);
        if (accepted.length === 0 || !accepted.every((offer) => finals.has(offer.miner_id))) return;
        if (!(await jobs.moveDeadline(jobId, iso(now())))) return;
        timers.clear(`deadline:${jobId}`);
        logger.info('job.all_final', { jobId, miners: accepted.length });
        await endAtDeadline(jobId);
      }),
    stop: () => {
      stopped = true;
      timers.clearAll();
    },
  };
}
