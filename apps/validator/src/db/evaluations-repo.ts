// The durable evaluation queue: a job is enqueued in the same transaction that moves it to `evaluating`,
// pool loops claim it under a lease (an expired lease is claimed again, so a crash or kill -9 resumes), and
// each evaluated model (the base, every submission) is stored as an item with its facts and losses.
// Callers decide what to evaluate; this module only stores.

import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { EvaluationItemTable, EvaluationTable } from './schema.js';

/** A stored evaluation row. */
export type EvaluationRow = Selectable<EvaluationTable>;
/** A stored evaluation item. */
export type EvaluationItemRow = Selectable<EvaluationItemTable>;

/** Queries over the evaluation queue. */
export interface EvaluationsRepo {
  /** Moves a `submitted` job to `evaluating` and enqueues it, in one transaction; false if it was not `submitted`. */
  enqueue(jobId: string, syntheticSeed: string, at: string): Promise<boolean>;
  /** Claims the oldest queued (or lease-expired running) evaluation for `owner` until `leaseUntil`. */
  claim(owner: string, now: string, leaseUntil: string): Promise<EvaluationRow | undefined>;
  /** Extends a lease this owner still holds; false when it lost it. */
  renew(jobId: string, owner: string, leaseUntil: string): Promise<boolean>;
  /** Ends an evaluation this owner holds (`done` or `failed`). */
  finish(
    jobId: string,
    owner: string,
    status: 'done' | 'failed',
    at: string,
    error?: string,
  ): Promise<boolean>;
  /** Gives a held evaluation back to the queue (after a failure that a retry may fix). */
  release(jobId: string, owner: string, error: string): Promise<void>;
  get(jobId: string): Promise<EvaluationRow | undefined>;
  /** Queued or running evaluations (queue depth). */
  pending(): Promise<number>;
  /** Counts one more attempt at an item before it is evaluated (so a crashing artifact is given up on). */
  startItem(jobId: string, subject: string, artifactSha256: string | null): Promise<number>;
  saveItem(item: Omit<EvaluationItemRow, 'attempts'>): Promise<void>;
  items(jobId: string): Promise<EvaluationItemRow[]>;
  /** Evaluated submissions of every other job, with their job's base and their miner's owner (duplicates). */
  priorItems(excludeJobId: string): Promise<PriorItemRow[]>;
}

/** An evaluated submission of another job, for cross-job duplicate checks. */
export interface PriorItemRow {
  job_id: string;
  subject: string;
  facts_json: string;
  base_weights_sha256: string;
  owner_key: string;
}

/** Creates the evaluations repository. */
export function createEvaluationsRepo(db: Db): EvaluationsRepo {
  return {
    enqueue: (jobId, syntheticSeed, at) =>
      db.transaction().execute(async (tx) => {
        const moved = await tx
          .updateTable('jobs')
          .set({ status: 'evaluating', evaluation_requested_at: at })
          .where('id', '=', jobId)
          .where('status', '=', 'submitted')
          .executeTakeFirst();
        if (Number(moved.numUpdatedRows) !== 1) return false;
        await tx
          .insertInto('evaluations')
          .values({
            job_id: jobId,
            status: 'queued',
            synthetic_seed: syntheticSeed,
            lease_owner: null,
            lease_expires_at: null,
            enqueued_at: at,
            started_at: null,
            finished_at: null,
            error: null,
          })
          .onConflict((oc) => oc.column('job_id').doNothing())
          .execute();
        return true;
      }),
    claim: (owner, now, leaseUntil) =>
      db.transaction().execute(async (tx) => {
        const next = await tx
          .selectFrom('evaluations')
          .select('job_id')
          .where((eb) =>
            eb.or([
              eb('status', '=', 'queued'),
              eb.and([eb('status', '=', 'running'), eb('lease_expires_at', '<', now)]),
            ]),
          )
          .orderBy('enqueued_at')
          .limit(1)
          .executeTakeFirst();
        if (!next) return undefined;
        return tx
          .updateTable('evaluations')
          .set((eb) => ({
            status: 'running',
            lease_owner: owner,
            lease_expires_at: leaseUntil,
            started_at: eb.fn.coalesce('started_at', eb.val(now)),
            attempts: eb('attempts', '+', 1),
          }))
          .where('job_id', '=', next.job_id)
          .returningAll()
          .executeTakeFirst();
      }),
    renew: async (jobId, owner, leaseUntil) => {
      const result = await db
        .updateTable('evaluations')
        .set({ lease_expires_at: leaseUntil })
        .where('job_id', '=', jobId)
        .where('lease_owner', '=', owner)
        .where('status', '=', 'running')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    finish: async (jobId, owner, status, at, error) => {
      const result = await db
        .updateTable('evaluations')
        .set({ status, finished_at: at, lease_owner: null, lease_expires_at: null, error: error ?? null })
        .where('job_id', '=', jobId)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    release: async (jobId, owner, error) => {
      await db
        .updateTable('evaluations')
        .set({ status: 'queued', lease_owner: null, lease_expires_at: null, error })
        .where('job_id', '=', jobId)
        .where('lease_owner', '=', owner)
        .execute();
    },
    get: (jobId) => db.selectFrom('evaluations').selectAll().where('job_id', '=', jobId).executeTakeFirst(),
    pending: async () => {
      const row = await db
        .selectFrom('evaluations')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', 'in', ['queued', 'running'])
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    startItem: async (jobId, subject, artifactSha256) => {
      const row = await db
        .insertInto('evaluation_items')
        .values({
          job_id: jobId,
          subject,
          artifact_sha256: artifactSha256,
          status: 'pending',
          attempts: 1,
          facts_json: null,
          losses: null,
          error: null,
          evaluated_at: null,
        })
        .onConflict((oc) =>
          oc
            .columns(['job_id', 'subject'])
            .doUpdateSet((eb) => ({ attempts: eb('evaluation_items.attempts', '+', 1) })),
        )
        .returning('attempts')
        .executeTakeFirstOrThrow();
      return row.attempts;
    },
    saveItem: async (item) => {
      await db
        .updateTable('evaluation_items')
        .set({
          artifact_sha256: item.artifact_sha256,
          status: item.status,
          facts_json: item.facts_json,
          losses: item.losses,
          error: item.error,
          evaluated_at: item.evaluated_at,
        })
        .where('job_id', '=', item.job_id)
        .where('subject', '=', item.subject)
        .execute();
    },
    priorItems: async (excludeJobId) => {
      const rows = await db
        .selectFrom('evaluation_items as i')
        .innerJoin('jobs as j', 'j.id', 'i.job_id')
        .innerJoin('miners as m', 'm.id', 'i.subject')
        .select([
          'i.job_id',
          'i.subject',
          'i.facts_json',
          'j.model_weights_sha256 as base_weights_sha256',
          'm.owner_key',
        ])
        .where('i.job_id', '!=', excludeJobId)
        .where('i.status', '=', 'done')
        .where('i.facts_json', 'is not', null)
        .execute();
      return rows.map((row) => ({ ...row, facts_json: row.facts_json as string }));
    },
    items: (jobId) =>
      db.selectFrom('evaluation_items').selectAll().where('job_id', '=', jobId).orderBy('subject').execute(),
  };
}
