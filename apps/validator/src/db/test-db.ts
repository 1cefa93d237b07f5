// Test-only helper for the repository tests (excluded from the build): a migrated in-memory database that
// closes with `await using`, fixed timestamps, and complete rows for the tables other rows point at.
// It inserts through the repositories only; it asserts nothing.

import { type CompetitionRow, createCompetitionsRepo } from './competitions-repo.js';
import { createJobsRepo, type JobRow } from './jobs-repo.js';
import { createMinersRepo, type MinerRow } from './miners-repo.js';
import { type Db, openDb } from './open-db.js';

/** A fixed ISO-8601 UTC time `seconds` after 2026-12-01T12:00:00Z. */
export const at = (seconds: number): string =>
  new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + seconds * 1000).toISOString();

/** A canonical base64url spelling of 32 bytes, distinct per `n`. */
export const publicKey = (n: number): string => {
  const bytes = Buffer.alloc(32);
  bytes.writeUInt32BE(n, 0);
  return bytes.toString('base64url');
};

/** A competition row with generous limits. */
export const competitionRow = (id: string, overrides: Partial<CompetitionRow> = {}): CompetitionRow => ({
  id,
  name: `competition ${id}`,
  max_miners: 1000,
  max_miners_per_owner: 1000,
  weight_test: 0.5,
  tau: 1,
  miss_factor: 0.5,
  starts_at: at(0),
  ends_at: null,
  created_at: at(0),
  ...overrides,
});

/** A miner row of `competitionId` owned by `owner`, keyed by `publicKey(n)`. */
export const minerRow = (
  id: string,
  competitionId: string,
  n: number,
  overrides: Partial<MinerRow> = {},
): MinerRow => ({
  id,
  competition_id: competitionId,
  public_key: publicKey(n),
  owner: `owner-${id}`,
  owner_key: `owner-${id}`,
  display_name: id,
  capacity: 1,
  software: null,
  last_seen_at: null,
  created_at: at(n),
  ...overrides,
});

/** An offering job row of `competitionId`. */
export const jobRow = (id: string, competitionId: string, overrides: Partial<JobRow> = {}): JobRow => ({
  id,
  competition_id: competitionId,
  status: 'offering',
  model_id: 'tiny',
  model_family: 'gpt2',
  model_parameter_count: 1,
  model_weights_sha256: 'a'.repeat(64),
  model_bundle_sha256: 'b'.repeat(64),
  model_bundle_bytes: 1,
  dataset: 'sums',
  task_kind: 'instruct',
  prompt_format: '{}',
  train_path: '/nonexistent',
  train_sha256: 'c'.repeat(64),
  train_bytes: 1,
  train_rows: 1,
  time_limit_seconds: 3600,
  miners_wanted: 1,
  offer_ttl_seconds: 600,
  max_rows: null,
  created_at: at(0),
  started_at: null,
  deadline: null,
  ended_at: null,
  end_reason: null,
  evaluation_requested_at: null,
  program_seq: null,
  program_phase: null,
  ...overrides,
});

/** A migrated in-memory database, destroyed on dispose. */
interface TestDb extends AsyncDisposable {
  db: Db;
  /** Inserts a competition row (generous limits unless overridden). */
  addCompetition(id: string, overrides?: Partial<CompetitionRow>): Promise<CompetitionRow>;
  /** Registers a miner keyed by `publicKey(n)`, under no limits. */
  addMiner(id: string, competitionId: string, n: number, overrides?: Partial<MinerRow>): Promise<MinerRow>;
  /** Inserts a job row (offering unless overridden). */
  addJob(id: string, competitionId: string, overrides?: Partial<JobRow>): Promise<JobRow>;
}

/** Opens a fresh in-memory database with every migration applied. */
export async function openTestDb(): Promise<TestDb> {
  const db = await openDb(':memory:');
  const competitions = createCompetitionsRepo(db);
  const jobs = createJobsRepo(db);
  const miners = createMinersRepo(db);
  return {
    db,
    addCompetition: async (id, overrides) => {
      const row = competitionRow(id, overrides);
      await competitions.insert(row);
      return row;
    },
    addMiner: async (id, competitionId, n, overrides) => {
      const row = minerRow(id, competitionId, n, overrides);
      const outcome = await miners.register(row, { maxMiners: Infinity, maxPerOwner: Infinity });
      if (outcome !== 'ok') throw new Error(`test miner ${id} not registered: ${outcome}`);
      return row;
    },
    addJob: async (id, competitionId, overrides) => {
      const row = jobRow(id, competitionId, overrides);
      await jobs.insert(row);
      return row;
    },
    [Symbol.asyncDispose]: () => db.destroy(),
  };
}
