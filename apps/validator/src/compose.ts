// Wires repositories, services, scheduler, gateway handlers and the HTTP app around one open database. Both
// `createValidator` and the unit tests use it; it opens no sockets and starts no timers until asked.

import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApp } from './api/create-app.js';
import type { ConfigPorts } from './compose-ports.js';
import type { ResolvedConfig } from './config.js';
import { createAuthRepo } from './db/auth-repo.js';
import { createCompetitionsRepo } from './db/competitions-repo.js';
import { createJobsRepo } from './db/jobs-repo.js';
import { createMinersRepo } from './db/miners-repo.js';
import { createOffersRepo } from './db/offers-repo.js';
import type { Db } from './db/open-db.js';
import { createSubmissionsRepo } from './db/submissions-repo.js';
import { createUploadWindowsRepo } from './db/upload-windows-repo.js';
import type { ConnectionDeps } from './gateway/miner-connection.js';
import { createSessionRegistry, type SessionRegistry } from './gateway/session-registry.js';
import { createLimitLog } from './limit-log.js';
import { createScheduler, type Scheduler } from './scheduler/scheduler.js';
import { createSerialQueue, type SerialQueue } from './scheduler/serial-queue.js';
import { createTimers } from './scheduler/timers.js';
import { createArtifactService } from './services/artifact-service.js';
import { createCompetitionService } from './services/competition-service.js';
import { createJobService } from './services/job-service.js';
import { createSubmissionService } from './services/submission-service.js';
import { createUploadLimiter } from './services/upload-limiter.js';
import { createArtifactStore } from './storage/artifact-store.js';
import { createBundlePins } from './storage/pinned-bundles.js';

/** The composed validator, minus sockets. */
export interface Composition {
  app: Hono;
  scheduler: Scheduler;
  registry: SessionRegistry;
  queue: SerialQueue;
  connectionDeps: ConnectionDeps;
  /** Ends stale sessions and re-arms every timer from the database. */
  restore(): Promise<void>;
}

/** Wires the validator around an open database. */
export function composeValidator(db: Db, config: ResolvedConfig, ports: ConfigPorts): Composition {
  const { logger, now } = config;
  const competitionsRepo = createCompetitionsRepo(db);
  const minersRepo = createMinersRepo(db);
  const authRepo = createAuthRepo(db);
  const jobsRepo = createJobsRepo(db);
  const offersRepo = createOffersRepo(db);
  const submissionsRepo = createSubmissionsRepo(db);
  const registry = createSessionRegistry();
  const pins = createBundlePins(config.jobsDir);
  const queue = createSerialQueue();
  const scheduler = createScheduler({
    jobs: jobsRepo,
    offers: offersRepo,
    submissions: submissionsRepo,
    registry,
    evaluator: ports.evaluator,
    queue,
    timers: createTimers(now),
    logger,
    now,
    uploadGraceSeconds: config.uploadGraceSeconds,
  });
  const competitions = createCompetitionService({
    competitions: competitionsRepo,
    miners: minersRepo,
    offers: offersRepo,
    registry,
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
  const submissions = createSubmissionService({
    jobs: jobsRepo,
    offers: offersRepo,
    submissions: submissionsRepo,
    queue,
    logger,
    now,
    limits: config.limits,
  });
  const artifactStore = createArtifactStore(join(config.dataDir, 'artifacts'));
  const limitLog = createLimitLog(logger);
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
  });
  const app = createApp({
    logger,
    limits: config.limits,
    operator: { operatorToken: config.operatorToken, competitions, jobs, catalog: ports.catalog },
    miner: { registry, jobs: jobsRepo, offers: offersRepo, pins, artifacts },
  });
  return {
    app,
    scheduler,
    registry,
    queue,
    connectionDeps: {
      miners: minersRepo,
      competitions: competitionsRepo,
      auth: authRepo,
      registry,
      scheduler,
      submissions,
      logger,
      now,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
    },
    restore: async () => {
      const ended = await authRepo.endOpenSessions(new Date(now()).toISOString(), 'validator restarted');
      if (ended > 0) logger.info('sessions.ended_on_start', { count: ended });
      logger.info('artifacts.incoming_cleaned', { count: await artifactStore.cleanIncoming() });
      await scheduler.restore();
    },
  };
}
