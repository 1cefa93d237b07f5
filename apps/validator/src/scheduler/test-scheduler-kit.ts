// Test-only kit for scheduler unit tests (excluded from the build): the real scheduler over real repositories
// on an in-memory SQLite database that counts its queries, with sessions that record what they are sent
// instead of sockets. Rows are inserted directly, so no HTTP or WebSocket is involved.

import type { ValidatorMessage } from '@tuning-arena/protocol';
import { type KyselyPlugin, sql } from 'kysely';
import { createCompetitionsRepo } from '../db/competitions-repo.js';
import { createJobsRepo, type JobRow } from '../db/jobs-repo.js';
import { createOffersRepo } from '../db/offers-repo.js';
import { type Db, openDb } from '../db/open-db.js';
import { createSubmissionsRepo } from '../db/submissions-repo.js';
import { jobRow } from '../db/test-db.js';
import { createSessionRegistry } from '../gateway/session-registry.js';
import { silentLogger } from '../logger.js';
import { createScheduler } from './scheduler.js';
import { createSerialQueue } from './serial-queue.js';
import { createTimers } from './timers.js';
import { createWindows } from './windows.js';

/** A scheduler over an in-memory database, with a query counter and recording sessions. */
export async function createSchedulerKit() {
  const raw = await openDb(':memory:');
  let queries = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => {
      queries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const db: Db = raw.withPlugin(counter);
  const jobs = createJobsRepo(db);
  const offers = createOffersRepo(db);
  const registry = createSessionRegistry();
  const queue = createSerialQueue();
  const scheduler = createScheduler({
    jobs,
    offers,
    submissions: createSubmissionsRepo(db),
    registry,
    evaluator: { submitJob: async () => {} },
    queue,
    timers: createTimers(),
    logger: silentLogger,
    now: Date.now,
    uploadGraceSeconds: 1,
    windows: createWindows(createCompetitionsRepo(db)),
  });
  const at = new Date().toISOString();
  await sql`insert into competitions (id, name, max_miners, max_miners_per_owner, weight_test, tau, miss_factor, created_at)
    values ('cmp_a', 'a', 1000, 1000, 0.5, 1, 0.5, ${at})`.execute(raw);
  await sql`update competitions set starts_at = ${at}`.execute(raw);
  const received = new Map<string, ValidatorMessage[]>();
  let jobCount = 0;
  let connections = 0;

  /** Inserts a miner row and, unless `connect` is false, a connected session with `capacity` slots. */
  const addMiner = async (id: string, capacity = 1, connect = true) => {
    await sql`insert into miners (id, competition_id, public_key, owner, display_name, capacity, created_at)
      values (${id}, 'cmp_a', ${`key-${id}`}, ${id}, ${id}, ${capacity}, ${at})`.execute(raw);
    if (connect) connectMiner(id, capacity);
  };
  const connectMiner = (id: string, capacity = 1) => {
    const inbox: ValidatorMessage[] = [];
    received.set(id, inbox);
    registry.add({
      minerId: id,
      competitionId: 'cmp_a',
      publicKey: `key-${id}`,
      capacity,
      tokenSha256: `token-${id}-${connections++}`,
      connectedAt: connections,
      send: (message) => inbox.push(message),
      close: () => {},
    });
  };
  /** Inserts an offering job (created in order) and returns its row. */
  const addJob = async (minersWanted = 1): Promise<JobRow> => {
    const n = jobCount++;
    const row = jobRow(`job_${String(n).padStart(4, '0')}`, 'cmp_a', {
      prompt_format: JSON.stringify({ promptField: 'prompt', answerField: 'answer', separator: '<|sep|>' }),
      miners_wanted: minersWanted,
      created_at: new Date(Date.parse(at) + n).toISOString(),
    });
    await jobs.insert(row);
    return row;
  };
  /** Frames of one type a miner received, as job ids. */
  const jobIdsOf = (minerId: string, type: ValidatorMessage['type']) =>
    (received.get(minerId) ?? []).flatMap((m) => (m.type === type && 'jobId' in m ? [m.jobId] : []));

  return {
    db: raw,
    jobs,
    offers,
    registry,
    scheduler,
    addMiner,
    connectMiner,
    addJob,
    jobIdsOf,
    /** Queries run so far. */
    queries: () => queries,
    [Symbol.asyncDispose]: async () => {
      scheduler.stop();
      await queue.idle();
      await raw.destroy();
    },
  };
}
