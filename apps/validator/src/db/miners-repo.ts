// Miner rows: registration under the competition's limits (checked and inserted in one transaction; owners
// counted by their normalised `owner_key`), lookup by id or canonical key, and the bits a connection updates
// (capacity, software, last seen).

import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { MinerTable } from './schema.js';

const isCanonicalSpelling = (key: string) => {
  const bytes = Buffer.from(key, 'base64url');
  return bytes.byteLength === 32 && bytes.toString('base64url') === key;
};

/** A stored miner row. */
export type MinerRow = Selectable<MinerTable>;

/** Why a registration was refused, or `ok`. */
export type RegisterOutcome = 'ok' | 'owner_limit' | 'competition_full' | 'conflict';

/** Queries over the miners table. */
export interface MinersRepo {
  register(row: MinerRow, limits: { maxMiners: number; maxPerOwner: number }): Promise<RegisterOutcome>;
  get(id: string): Promise<MinerRow | undefined>;
  getByKey(publicKey: string): Promise<MinerRow | undefined>;
  listByCompetition(competitionId: string): Promise<MinerRow[]>;
  recordHello(id: string, capacity: number, software: string, at: string): Promise<void>;
  touch(id: string, at: string): Promise<void>;
}

/** Creates the miners repository. */
export function createMinersRepo(db: Db): MinersRepo {
  return {
    register: (row, limits) =>
      db.transaction().execute(async (tx) => {
        const existing = await tx
          .selectFrom('miners')
          .select('id')
          .where('public_key', '=', row.public_key)
          .executeTakeFirst();
        if (existing) return 'conflict';
        // Two indexed counts (miners_by_owner_key and the competition prefix of it), not a scan.
        const owned = await tx
          .selectFrom('miners')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('competition_id', '=', row.competition_id)
          .where('owner_key', '=', row.owner_key)
          .executeTakeFirstOrThrow();
        if (Number(owned.n) >= limits.maxPerOwner) return 'owner_limit';
        const total = await tx
          .selectFrom('miners')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('competition_id', '=', row.competition_id)
          .executeTakeFirstOrThrow();
        if (Number(total.n) >= limits.maxMiners) return 'competition_full';
        try {
          await tx.insertInto('miners').values(row).execute();
        } catch (error) {
          // The unique key index is the last word if another writer got there first.
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return 'conflict';
          throw error;
        }
        return 'ok';
      }),
    get: (id) => db.selectFrom('miners').selectAll().where('id', '=', id).executeTakeFirst(),
    getByKey: async (publicKey) => {
      // Keys are stored in their canonical spelling only; another spelling of the same bytes finds nothing.
      if (!isCanonicalSpelling(publicKey)) return undefined;
      return db.selectFrom('miners').selectAll().where('public_key', '=', publicKey).executeTakeFirst();
    },
    listByCompetition: (competitionId) =>
      db
        .selectFrom('miners')
        .selectAll()
        .where('competition_id', '=', competitionId)
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
    recordHello: async (id, capacity, software, at) => {
      await db
        .updateTable('miners')
        .set({ capacity, software, last_seen_at: at })
        .where('id', '=', id)
        .execute();
    },
    touch: async (id, at) => {
      await db.updateTable('miners').set({ last_seen_at: at }).where('id', '=', id).execute();
    },
  };
}
