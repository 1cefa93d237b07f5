// Miner rows: registration under the competition's limits (checked and inserted in one transaction), lookup
// by id or key, and the bits a connection updates (capacity, software, last seen).

import type { Selectable } from 'kysely';
import type { Db } from './open-db.js';
import type { MinerTable } from './schema.js';

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
        const counts = await tx
          .selectFrom('miners')
          .select((eb) => [
            eb.fn.countAll<number>().as('total'),
            eb.fn.sum<number>(eb.case().when('owner', '=', row.owner).then(1).else(0).end()).as('owned'),
          ])
          .where('competition_id', '=', row.competition_id)
          .executeTakeFirstOrThrow();
        if (Number(counts.owned ?? 0) >= limits.maxPerOwner) return 'owner_limit';
        if (Number(counts.total) >= limits.maxMiners) return 'competition_full';
        await tx.insertInto('miners').values(row).execute();
        return 'ok';
      }),
    get: (id) => db.selectFrom('miners').selectAll().where('id', '=', id).executeTakeFirst(),
    getByKey: (publicKey) =>
      db.selectFrom('miners').selectAll().where('public_key', '=', publicKey).executeTakeFirst(),
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
