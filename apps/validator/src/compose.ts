// Wires repositories, services, scheduler, gateway handlers and the HTTP app around one open database. Both
// `createValidator` and the unit tests use it; it opens no sockets and starts no timers until asked.

import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApp } from './api/create-app.js';
import type { ConfigPorts } from './compose-ports.js';
import type { ResolvedConfig } from './config.js';
import { createConsole } from './console/create-console.js';
import { tapJudge, tapLogger, tapOffers, tapSubmissions } from './console/feed-taps.js';
import { createAuthRepo } from './db/auth-repo.js';
import { createCompetitionsRepo } from './db/competitions-repo.js';
import { createConsoleSettingsRepo } from './db/console-settings-repo.js';
import { createEvaluationsRepo } from './db/evaluations-repo.js';
import { createJobsRepo } from './db/jobs-repo.js';
import { createMetricsRepo } from './db/metrics-repo.js';
import { createMinersRepo } from './db/miners-repo.js';
import { createOffersRepo } from './db/offers-repo.js';
import type { Db } from './db/open-db.js';
import { createProgramsRepo } from './db/programs-repo.js';
import { createRulesRepo } from './db/rules-repo.js';
import { createScoresRepo } from './db/scores-repo.js';
import { createSubmissionsRepo } from './db/submissions-repo.js';
import { createUploadWindowsRepo } from './db/upload-windows-repo.js';
import { createEvaluationPool, type EvaluationPool, newSyntheticSeed } from './evaluation/evaluation-pool.js';
import { createEvaluationThread } from './evaluation/evaluation-thread.js';
import type { ConnectionDeps } from './gateway/miner-connection.js';
import { createSessionRegistry, type SessionRegistry } from './gateway/session-registry.js';
import { createLimitLog } from './limit-log.js';
import { resolveSource } from './ports/datasets-preparer.js';
import type { Evaluator } from './ports/evaluator.js';
import { createProgramRunner, type ProgramRunner } from './program/program-runner.js';
import { createProgramValidator } from './program/validate-program.js';
import { createScheduler, type Scheduler } from './scheduler/scheduler.js';
import { createSerialQueue, type SerialQueue } from './scheduler/serial-queue.js';
import { createWindows } from './scheduler/windows.js';
import { createArtifactService } from './services/artifact-service.js';
import { createCompetitionService } from './services/competition-service.js';
import { createJobFilesService } from './services/job-files-service.js';
import { createJobService } from './services/job-service.js';
import { createJudgeService } from './services/judge-service.js';
import { createProgramService } from './services/program-service.js';
import { createSubmissionService } from './services/submission-service.js';
import { createUploadLimiter } from './services/upload-limiter.js';
import { createArtifactStore } from './storage/artifact-store.js';
import { createBundlePins } from './storage/pinned-bundles.js';

/** The composed validator, minus sockets. */
interface Composition {
  app: Hono;
  scheduler: Scheduler;
  /** The competitions' programs (started by `restore`). */
  programs: ProgramRunner;
  registry: SessionRegistry;
  queue: SerialQueue;
  /** The evaluation pool (started by `restore`). */
  pool: EvaluationPool;
  connectionDeps: ConnectionDeps;
  /** A one-time sign-in link of the web console under `baseUrl`. */
  consoleSignInUrl(baseUrl: string): string;
  /** Ends stale sessions and re-arms every timer from the database. */
  restore(): Promise<void>;
}

/** Wires the validator around an open database. */
export function composeValidator(db: Db, config: ResolvedConfig, ports: ConfigPorts): Composition {
  const { now } = config;
  // The web console's feed first: every service logs through it, the offers repository reports to it.
  const webConsole = createConsole({
    lookup: {
      ofJob: async (jobId) => (await jobsRepo.get(jobId))?.competition_id,
      ofMiner: async (minerId) => (await minersRepo.get(minerId))?.competition_id,
    },
    logger: config.logger,
    now,
  });
  const logger = tapLogger(config.logger, webConsole.hub);
  const competitionsRepo = createCompetitionsRepo(db);
  const minersRepo = createMinersRepo(db);
  const authRepo = createAuthRepo(db);
  const jobsRepo = createJobsRepo(db);
  const offersRepo = tapOffers(createOffersRepo(db), webConsole.hub, webConsole.history);
  const submissionsRepo = createSubmissionsRepo(db);
  const registry = createSessionRegistry();
  const pins = createBundlePins(config.jobsDir);
  const queue = createSerialQueue();
  const evaluationsRepo = createEvaluationsRepo(db);
  const scoresRepo = createScoresRepo(db);
  const rulesRepo = createRulesRepo(db);
  let pool: EvaluationPool | undefined;
  // The hand-off: the job moves to `evaluating` and is queued in one transaction; an idle loop wakes at once.
  const queueEvaluator: Evaluator = {
    submitJob: async (jobId) => {
      await evaluationsRepo.enqueue(jobId, newSyntheticSeed(), new Date(now()).toISOString());
      pool?.kick();
    },
  };
  const programsRepo = createProgramsRepo(db);
  // The program runner is made after the job service it creates jobs through; until then nothing can end.
  let runner: ProgramRunner | undefined;
  const scheduler = createScheduler({
    jobs: jobsRepo,
    offers: offersRepo,
    submissions: submissionsRepo,
    registry,
    evaluator: ports.evaluator ?? queueEvaluator,
    queue,
    timers: config.createTimers(),
    logger,
    now,
    uploadGraceSeconds: config.uploadGraceSeconds,
    windows: createWindows(competitionsRepo),
    metrics: config.metrics,
    onJobEnded: (job) => runner?.jobEnded(job),
  });
  const validateProgram = createProgramValidator(ports);
  const competitions = createCompetitionService({
    competitions: competitionsRepo,
    miners: minersRepo,
    offers: offersRepo,
    programs: programsRepo,
    registry,
    validateProgram,
    created: async (row, program) => {
      scheduler.competitionCreated(row);
      if (program) await runner?.step(row.id);
    },
    now,
  });
  const jobs = createJobService({
    jobs: jobsRepo,
    offers: offersRepo,
    submissions: submissionsRepo,
    competitions,
    catalog: ports.catalog,
    preparer: ports.preparer,
    pins,
    scheduler,
    logger,
    now,
    defaultOfferTtlSeconds: config.offerTtlSeconds,
  });
  runner = createProgramRunner({
    programs: programsRepo,
    competitions: competitionsRepo,
    jobs: jobsRepo,
    makeJob: (competitionId, request) => jobs.createForProgram(competitionId, request),
    timers: config.createTimers(),
    logger,
    now,
    defaultOfferTtlSeconds: config.offerTtlSeconds,
  });
  const programs = createProgramService({
    programs: programsRepo,
    competitions,
    runner,
    validate: validateProgram,
    logger,
    now,
  });
  const limitLog = createLimitLog(logger, { onHit: config.metrics.limitHit });
  const submissions = createSubmissionService({
    jobs: jobsRepo,
    offers: offersRepo,
    submissions: submissionsRepo,
    queue,
    logger,
    now,
    limits: config.limits,
    closeIfAllFinal: (jobId) => scheduler.closeIfAllFinal(jobId),
    limitLog,
  });
  const artifactStore = createArtifactStore(join(config.dataDir, 'artifacts'));
  const artifacts = createArtifactService({
    submissions: submissionsRepo,
    windows: createUploadWindowsRepo(db),
    store: artifactStore,
    limiter: createUploadLimiter(config.limits, limitLog),
    limitLog,
    logger,
    now,
    maxArtifactBytes: config.maxArtifactBytes,
    uploadGraceSeconds: config.uploadGraceSeconds,
    limits: config.limits,
    metrics: config.metrics,
  });
  const judge = tapJudge(
    createJudgeService({
      jobs: jobsRepo,
      offers: offersRepo,
      miners: minersRepo,
      competitions: competitionsRepo,
      submissions: submissionsRepo,
      evaluations: evaluationsRepo,
      scores: scoresRepo,
      rules: rulesRepo,
      registry,
      logger,
      now,
    }),
    webConsole.hub,
  );
  pool = createEvaluationPool({
    evaluations: evaluationsRepo,
    offers: offersRepo,
    miners: minersRepo,
    competitions: competitionsRepo,
    rules: rulesRepo,
    scores: scoresRepo,
    jobs: jobsRepo,
    submissions: submissionsRepo,
    catalog: ports.catalog,
    logger,
    now,
    jobsDir: config.jobsDir,
    modelsDir: config.modelsDir,
    workDir: join(config.dataDir, 'evaluation'),
    artifactPath: (sha256) => artifactStore.pathOf(sha256),
    pinnedBundle: (jobId) => pins.path(jobId),
    datasetSource: (name) => resolveSource(name, config.datasetDir),
    createThread: () => createEvaluationThread(),
    size: config.evaluation.poolSize,
    leaseMs: config.evaluation.leaseMs,
    maxAttempts: config.evaluation.maxAttempts,
    metrics: config.metrics,
    onScored: (job) => {
      judge.announce(job).catch((error) => logger.warn('job.result_failed', { jobId: job.id, error }));
    },
  });
  const app = createApp({
    logger,
    limits: config.limits,
    metrics: config.metrics,
    operator: {
      operatorToken: config.operatorToken,
      competitions,
      jobs,
      judge,
      programs,
      catalog: ports.catalog,
    },
    miner: {
      registry,
      files: createJobFilesService({ jobs: jobsRepo, offers: offersRepo, pins }),
      artifacts,
      results: (minerId) => judge.minerResults(minerId),
    },
    console: webConsole.routes({
      operatorToken: config.operatorToken,
      competitions,
      jobs,
      judge,
      programs,
      scores: scoresRepo,
      settings: createConsoleSettingsRepo(db),
    }),
  });
  const metricsRepo = createMetricsRepo(db);
  config.metrics.observe({
    connectedMiners: () => registry.all().length,
    jobsByStatus: () => metricsRepo.jobsByStatus(),
    evaluationQueue: () => metricsRepo.evaluationQueue(),
  });
  return {
    app,
    scheduler,
    programs: runner,
    registry,
    queue,
    pool,
    connectionDeps: {
      miners: minersRepo,
      competitions: competitionsRepo,
      auth: authRepo,
      registry,
      scheduler,
      submissions: tapSubmissions(submissions, webConsole.history),
      logger,
      now,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      resendResults: (minerId) => judge.resendResults(minerId),
    },
    consoleSignInUrl: (baseUrl) => webConsole.signInUrl(baseUrl),
    restore: async () => {
      const ended = await authRepo.endOpenSessions(new Date(now()).toISOString(), 'validator restarted');
      if (ended > 0) logger.info('sessions.ended_on_start', { count: ended });
      logger.info('artifacts.incoming_cleaned', { count: await artifactStore.cleanIncoming() });
      await scheduler.restore(await competitionsRepo.list());
      await runner?.restore();
      pool?.start();
    },
  };
}
