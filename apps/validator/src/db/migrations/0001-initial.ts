// Migration 0001: the initial tables (competitions, miners, nonces, sessions, jobs, offers, commits,
// first commits, artifacts). Never edit once merged; add a new numbered migration instead.

import type { Kysely } from 'kysely';

/** Creates the initial tables. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('competitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('max_miners', 'integer', (c) => c.notNull())
    .addColumn('max_miners_per_owner', 'integer', (c) => c.notNull())
    .addColumn('weight_test', 'real', (c) => c.notNull())
    .addColumn('tau', 'real', (c) => c.notNull())
    .addColumn('miss_factor', 'real', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('miners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('competition_id', 'text', (c) => c.notNull().references('competitions.id'))
    .addColumn('public_key', 'text', (c) => c.notNull().unique())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('software', 'text')
    .addColumn('last_seen_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('miners_by_owner').on('miners').columns(['competition_id', 'owner']).execute();

  await db.schema
    .createTable('auth_nonces')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('miner_id', 'text', (c) => c.notNull().references('miners.id'))
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema
    .createIndex('auth_nonces_by_miner')
    .on('auth_nonces')
    .columns(['miner_id', 'used_at'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_sha256', 'text', (c) => c.primaryKey())
    .addColumn('miner_id', 'text', (c) => c.notNull().references('miners.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('competition_id', 'text', (c) => c.notNull().references('competitions.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('model_id', 'text', (c) => c.notNull())
    .addColumn('model_family', 'text', (c) => c.notNull())
    .addColumn('model_parameter_count', 'integer', (c) => c.notNull())
    .addColumn('model_weights_sha256', 'text', (c) => c.notNull())
    .addColumn('model_bundle_sha256', 'text', (c) => c.notNull())
    .addColumn('model_bundle_bytes', 'integer', (c) => c.notNull())
    .addColumn('dataset', 'text', (c) => c.notNull())
    .addColumn('task_kind', 'text', (c) => c.notNull())
    .addColumn('prompt_format', 'text', (c) => c.notNull())
    .addColumn('train_path', 'text', (c) => c.notNull())
    .addColumn('train_sha256', 'text', (c) => c.notNull())
    .addColumn('train_bytes', 'integer', (c) => c.notNull())
    .addColumn('train_rows', 'integer', (c) => c.notNull())
    .addColumn('time_limit_seconds', 'integer', (c) => c.notNull())
    .addColumn('miners_wanted', 'integer', (c) => c.notNull())
    .addColumn('offer_ttl_seconds', 'integer', (c) => c.notNull())
    .addColumn('max_rows', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('deadline', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('evaluation_requested_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_by_status').on('jobs').columns(['status']).execute();
  await db.schema
    .createIndex('jobs_by_competition')
    .on('jobs')
    .columns(['competition_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('offers')
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('miner_id', 'text', (c) => c.notNull().references('miners.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('offered_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('progress_step', 'integer')
    .addColumn('progress_train_loss', 'real')
    .addColumn('progress_at', 'text')
    .addPrimaryKeyConstraint('offers_pk', ['job_id', 'miner_id'])
    .execute();
  await db.schema.createIndex('offers_by_miner').on('offers').columns(['miner_id', 'status']).execute();

  await db.schema
    .createTable('commits')
    .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('miner_id', 'text', (c) => c.notNull().references('miners.id'))
    .addColumn('competition_id', 'text', (c) => c.notNull().references('competitions.id'))
    .addColumn('artifact_sha256', 'text', (c) => c.notNull())
    .addColumn('artifact_kind', 'text', (c) => c.notNull())
    .addColumn('strategy_note', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('committed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('commits_by_job')
    .on('commits')
    .columns(['job_id', 'miner_id', 'seq'])
    .execute();
  await db.schema.createIndex('commits_by_hash').on('commits').columns(['artifact_sha256']).execute();

  await db.schema
    .createTable('first_commits')
    .addColumn('competition_id', 'text', (c) => c.notNull().references('competitions.id'))
    .addColumn('artifact_sha256', 'text', (c) => c.notNull())
    .addColumn('first_committed_at', 'text', (c) => c.notNull())
    .addColumn('job_id', 'text', (c) => c.notNull())
    .addColumn('miner_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('first_commits_pk', ['competition_id', 'artifact_sha256'])
    .execute();

  await db.schema
    .createTable('artifacts')
    .addColumn('sha256', 'text', (c) => c.primaryKey())
    .addColumn('bytes', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('stored_at', 'text', (c) => c.notNull())
    .execute();
}

/** Drops the initial tables. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'artifacts',
    'first_commits',
    'commits',
    'offers',
    'jobs',
    'sessions',
    'auth_nonces',
    'miners',
    'competitions',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
