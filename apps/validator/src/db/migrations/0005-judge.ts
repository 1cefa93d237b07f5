// Migration 0005: the judge's tables: the durable evaluation queue (one row per job, leased by a pool loop),
// its items (the base and each miner's submission, with stored facts and per-example losses), the scores of
// each accepted miner, per-competition rule settings, and the audit log of rule changes and re-scores.
// Never edit once merged; add a new numbered migration instead.

import type { Kysely } from 'kysely';

/** Creates the judge's tables. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('evaluations')
    .addColumn('job_id', 'text', (c) => c.primaryKey().references('jobs.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('synthetic_seed', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('enqueued_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema
    .createIndex('evaluations_by_status')
    .on('evaluations')
    .columns(['status', 'enqueued_at'])
    .execute();
  await db.schema
    .createTable('evaluation_items')
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('artifact_sha256', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('facts_json', 'text')
    .addColumn('losses', 'blob')
    .addColumn('error', 'text')
    .addColumn('evaluated_at', 'text')
    .addPrimaryKeyConstraint('evaluation_items_pk', ['job_id', 'subject'])
    .execute();
  await db.schema
    .createTable('scores')
    .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id'))
    .addColumn('miner_id', 'text', (c) => c.notNull().references('miners.id'))
    .addColumn('competition_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('quality', 'real', (c) => c.notNull())
    .addColumn('test', 'real')
    .addColumn('synthetic', 'real')
    .addColumn('combined', 'real')
    .addColumn('interval_lo', 'real')
    .addColumn('interval_hi', 'real')
    .addColumn('verdicts_json', 'text', (c) => c.notNull())
    .addColumn('scored_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('scores_pk', ['job_id', 'miner_id'])
    .execute();
  await db.schema.createIndex('scores_by_competition').on('scores').columns(['competition_id']).execute();
  await db.schema
    .createTable('rule_settings')
    .addColumn('competition_id', 'text', (c) => c.notNull().references('competitions.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('params_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rule_settings_pk', ['competition_id', 'rule_id'])
    .execute();
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('competition_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('detail_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_by_competition')
    .on('audit_log')
    .columns(['competition_id', 'id'])
    .execute();
}

/** Drops the judge's tables. */
// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped database
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['audit_log', 'rule_settings', 'scores', 'evaluation_items', 'evaluations']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
