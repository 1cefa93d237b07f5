// Test-only kit for program tests (excluded from the build): the whole validator composed over a SQLite
// file in a temp dir, on a manual clock, with real datasets and a file model catalog, and miners as
// recording sessions that accept every offer. `restart` drops the composition and composes a new one over
// the same file, as a restarted process would. No sockets; HTTP goes through `app.request()`.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMinerKeyPair, type ValidatorMessage } from '@tuning-arena/protocol';
import { composeValidator } from '../compose.js';
import { portsFor } from '../compose-ports.js';
import { resolveConfig } from '../config.js';
import type { JobRow } from '../db/jobs-repo.js';
import { type Db, openDb } from '../db/open-db.js';
import { writeDataset, writeTinyModel } from '../fixture-files.js';
import { createDatasetsPreparer } from '../ports/datasets-preparer.js';
import { createManualClock } from '../scheduler/test-clock.js';
import { TEST_TOKEN, testConfig } from '../test-fixtures.js';

/** The models and datasets (name to rows) the kit writes. */
interface KitOptions {
  models?: string[];
  datasets?: Record<string, number>;
  /** Start of the manual clock (default 2026-12-02T12:00:00Z). */
  start?: number;
}

/** Creates the kit; dispose removes everything. */
export async function createProgramKit(options: KitOptions = {}) {
  const root = await mkdtemp(join(tmpdir(), 'arena-program-'));
  const models = options.models ?? ['m1', 'm2'];
  const datasets = options.datasets ?? { d1: 40, d2: 40 };
  for (const model of models) await writeTinyModel(join(root, 'models'), model);
  for (const [name, rows] of Object.entries(datasets)) await writeDataset(join(root, 'datasets'), name, rows);
  const clock = createManualClock(options.start ?? Date.UTC(2026, 11, 2, 12, 0, 0));
  const base = testConfig(root, {
    now: clock.now,
    createTimers: clock.createTimers,
    evaluator: { submitJob: async () => {} },
    offerTtlSeconds: 30,
  });
  const config = {
    ...base,
    dataPreparer: createDatasetsPreparer({
      datasetDir: join(root, 'datasets'),
      jobsDir: join(root, 'data', 'jobs'),
      runIn: 'in-process',
    }),
  };
  const resolved = resolveConfig(config);
  const miners: { id: string; capacity: number }[] = [];
  /** Every frame each miner was sent, across restarts. */
  const received = new Map<string, ValidatorMessage[]>();

  let db: Db;
  let composition: ReturnType<typeof composeValidator>;
  const compose = async () => {
    db = await openDb(join(root, 'validator.sqlite'));
    composition = composeValidator(db, resolved, portsFor(config, resolved));
    await composition.restore();
    for (const miner of miners) await connect(miner.id, miner.capacity);
  };
  const connect = async (minerId: string, capacity: number) => {
    const inbox = received.get(minerId) ?? [];
    received.set(minerId, inbox);
    const current = composition;
    current.registry.add({
      minerId,
      competitionId: competitionOf.get(minerId) ?? '',
      publicKey: minerId,
      capacity,
      tokenSha256: `${minerId}-${Math.random()}`,
      connectedAt: clock.now(),
      send: (message) => {
        inbox.push(message);
        if (message.type === 'job.offer') {
          current.scheduler.answerOffer(minerId, message.jobId, { accept: true }).catch(() => undefined);
        }
      },
      close: () => {},
    });
    await current.scheduler.minerReady(minerId, competitionOf.get(minerId) ?? '');
  };
  const competitionOf = new Map<string, string>();

  /** Waits until the scheduler and the program runner have nothing left to do. */
  const settle = async () => {
    for (let i = 0; i < 6; i++) {
      await composition.queue.idle();
      await composition.programs.idle();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const stop = async () => {
    composition.programs.stop();
    composition.scheduler.stop();
    await composition.programs.idle();
    await composition.queue.idle();
    await db.destroy();
  };

  await compose();
  return {
    clock,
    /** An operator request through the app; a string body is sent as YAML. */
    request: async (method: string, path: string, body?: unknown) => {
      const yaml = typeof body === 'string';
      const response = await composition.app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${TEST_TOKEN}`,
          'content-type': yaml ? 'application/yaml' : 'application/json',
        },
        ...(body === undefined ? {} : { body: yaml ? body : JSON.stringify(body) }),
      });
      // biome-ignore lint/suspicious/noExplicitAny: tests inspect bodies loosely
      return { status: response.status, body: (await response.json()) as any };
    },
    /** Registers `count` miners in a competition and connects them, each accepting every offer. */
    addMiners: async (competitionId: string, count: number, capacity = 1) => {
      for (let i = 0; i < count; i++) {
        const response = await composition.app.request(`/v1/competitions/${competitionId}/miners`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            publicKey: generateMinerKeyPair().publicKey,
            owner: `owner-${miners.length}`,
            displayName: `miner-${miners.length}`,
          }),
        });
        const { id } = (await response.json()) as { id: string };
        miners.push({ id, capacity });
        competitionOf.set(id, competitionId);
        await connect(id, capacity);
      }
      await settle();
    },
    settle,
    /** Moves the clock `seconds` ahead, firing what falls due. */
    advance: (seconds: number) => clock.advance(seconds * 1000, settle),
    /** The competition's jobs, oldest first. */
    jobs: async (competitionId: string): Promise<JobRow[]> =>
      db
        .selectFrom('jobs')
        .selectAll()
        .where('competition_id', '=', competitionId)
        .orderBy('created_at')
        .orderBy('program_seq')
        .orderBy('id')
        .execute(),
    /** Replaces a program's secret seed (before its first job), so two runs make the same jobs. */
    setSeed: async (competitionId: string, seed: string) => {
      await db.updateTable('programs').set({ seed }).where('competition_id', '=', competitionId).execute();
    },
    /** Stops the validator and composes a new one over the same database file and clock. */
    restart: async () => {
      await stop();
      await compose();
      await settle();
    },
    [Symbol.asyncDispose]: async () => {
      await stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
