// Where the console's events come from, without the services knowing: a logger that also hands the
// validator's state-change events to the hub (each is logged after it was stored), and thin wrappers of
// the offers repository (decisions, progress), the submission service (the ETA a report carries) and the
// judge (a scored or re-scored job is announced). Each wrapper calls the original first and never changes
// what it returns or throws.

import type { ConsoleTopic } from '@tuning-arena/protocol';
import type { OffersRepo } from '../db/offers-repo.js';
import type { Logger } from '../logger.js';
import type { JudgeService } from '../services/judge-service.js';
import type { SubmissionService } from '../services/submission-service.js';
import type { EventHub } from './event-hub.js';
import type { ProgressHistory } from './progress-history.js';

/** The logged events the console listens to, by topic. */
const LOGGED: Record<string, ConsoleTopic> = {
  'offer.sent': 'offer',
  'offer.expired': 'offer',
  'job.created': 'job',
  'job.started': 'job',
  'job.ended': 'job',
  'job.all_final': 'job',
  'job.evaluation_requested': 'job',
  'evaluation.started': 'job',
  'job.scored': 'score',
  'submission.committed': 'submission',
  'rule.set': 'rule',
  'miner.connected': 'miner',
  'miner.disconnected': 'miner',
  'program.stored': 'program',
  'program.job_made': 'program',
  'program.ended': 'program',
  'competition.window_opened': 'competition',
  'competition.window_closed': 'competition',
};

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** A logger that writes as `logger` does and publishes the events above to `hub`. */
export function tapLogger(logger: Logger, hub: EventHub): Logger {
  return {
    debug: (event, fields) => logger.debug(event, fields),
    info: (event, fields) => {
      logger.info(event, fields);
      const type = LOGGED[event];
      if (type)
        hub.publish({
          type,
          event,
          competitionId: text(fields?.competitionId),
          jobId: text(fields?.jobId),
          minerId: text(fields?.minerId),
        });
    },
    warn: (event, fields) => logger.warn(event, fields),
    error: (event, fields) => logger.error(event, fields),
  };
}

/** The offers repository, publishing decisions and stored progress (into `history` too). */
export function tapOffers(offers: OffersRepo, hub: EventHub, history: ProgressHistory): OffersRepo {
  return {
    ...offers,
    decide: async (...args: Parameters<OffersRepo['decide']>) => {
      const decided = await offers.decide(...args);
      if (decided)
        hub.publish({ type: 'offer', event: `offer.${args[3]}`, jobId: args[0], minerId: args[1] });
      return decided;
    },
    saveProgress: async (jobId, minerId, step, trainLoss, at) => {
      await offers.saveProgress(jobId, minerId, step, trainLoss, at);
      const point = { step, trainLoss, etaSeconds: history.eta(jobId, minerId) ?? null, at };
      history.add(jobId, minerId, point);
      hub.publish({ type: 'progress', event: 'job.progress', jobId, minerId, progress: point });
    },
  };
}

/** The submission service, noting each report's ETA before it is stored. */
export function tapSubmissions(service: SubmissionService, history: ProgressHistory): SubmissionService {
  return {
    ...service,
    progress: (minerId, frame) => {
      history.noteEta(frame.jobId, minerId, frame.etaSeconds);
      return service.progress(minerId, frame);
    },
  };
}

/** The judge, publishing each scored job and each re-score (from the API, the CLI or the console). */
export function tapJudge(judge: JudgeService, hub: EventHub): JudgeService {
  return {
    ...judge,
    announce: async (job) => {
      await judge.announce(job);
      hub.publish({
        type: 'score',
        event: 'job.announced',
        competitionId: job.competition_id,
        jobId: job.id,
      });
    },
    rescoreJob: async (jobId, actor) => {
      const results = await judge.rescoreJob(jobId, actor);
      hub.publish({ type: 'score', event: 'rescore.job', jobId });
      return results;
    },
    rescoreCompetition: async (competitionId, actor) => {
      const rescored = await judge.rescoreCompetition(competitionId, actor);
      hub.publish({ type: 'score', event: 'rescore.competition', competitionId });
      return rescored;
    },
  };
}
