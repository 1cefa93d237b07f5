import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobOffer, JobResult } from '@tuning-arena/protocol';
import { validValidatorFrames } from '@tuning-arena/protocol/fixtures';
import { openSqlite } from '@tuning-arena/sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_CSV_COLUMNS, historyCsv, historyJson } from './history-export.js';
import { formatHistoryTable } from './history-table.js';
import { createLedgerRepo, type LedgerRepo } from './ledger-repo.js';
import * as m0001 from './migrations/0001-initial.js';
import { migrations } from './migrations.js';
import { openDb } from './open-db.js';
import { formatHistory, readLedgerHistory } from './read-history.js';

const offer = validValidatorFrames['job.offer'] as JobOffer;
const result = validValidatorFrames['job.result'] as JobResult;
const sha = 'b'.repeat(64);
const recipe = { engine: '0.1.0', learningRate: 0.002, seed: 7, dataOrder: [2, 0, 1] };
const estimate = {
  tokensPerSecond: 9000,
  share: 1,
  transferSeconds: 3,
  marginSeconds: 6,
  trainSeconds: 51,
  steps: 120,
  epochs: 3,
};

/** A CSV line split into cells (quotes honoured). */
function cells(line: string): string[] {
  const out: string[] = [];
  const re = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
  for (const match of line.matchAll(re)) {
    const raw = match[1] ?? '';
    out.push(raw.startsWith('"') ? raw.slice(1, -1).replaceAll('""', '"') : raw);
    if (match[2] === '') break;
  }
  return out;
}

describe('history export', () => {
  let dir: string;
  let ledger: LedgerRepo;
  let close: () => Promise<void>;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'miner-history-'));
    const db = await openDb(join(dir, 'ledger.sqlite'));
    ledger = createLedgerRepo(db);
    close = () => db.destroy();
    await ledger.recordOffer(offer);
    await ledger.recordAssessment(offer.jobId, { estimate, settings: { strategy: 'lora', lora_r: 16 } });
    await ledger.recordDecision(offer.jobId, 'accept', null);
    await ledger.upsertJob(offer.jobId, 'uploaded');
    const id = await ledger.addSubmission({
      jobId: offer.jobId,
      artifactSha256: sha,
      artifactKind: 'lora',
      artifactBytes: 1234,
      artifactPath: '/p',
      strategyNote: 'LoRA r=16, "cosine", 120 steps',
      trainer: 'engine-lora',
      recipe,
    });
    await ledger.markAcked(id, '2026-01-01T00:00:30.000Z');
    await ledger.recordResult(result);
    await ledger.recordOffer({ ...offer, jobId: 'job_short' });
    await ledger.recordDecision('job_short', 'reject', 'estimated 4 steps, below 30');
  });
  afterEach(async () => {
    await close();
    await rm(dir, { recursive: true, force: true });
  });

  it('exports the estimate, settings and recipe as JSON data with camelCase keys', async () => {
    const json = historyJson(await readLedgerHistory(dir));
    expect(json[0]).toMatchObject({
      offer: { decision: 'accept', estimate, settings: { strategy: 'lora', lora_r: 16 } },
      submissions: [{ artifactSha256: sha, recipe, strategyNote: 'LoRA r=16, "cosine", 120 steps' }],
      result: { quality: result.quality },
    });
    expect(json[1]).toMatchObject({
      offer: { decision: 'reject', reason: 'estimated 4 steps, below 30', estimate: null },
    });
  });

  it('exports one CSV line per submission and per job without one, quoting what needs it', async () => {
    const lines = historyCsv(await readLedgerHistory(dir))
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(HISTORY_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    const row = Object.fromEntries(HISTORY_CSV_COLUMNS.map((column, i) => [column, cells(lines[1]!)[i]]));
    expect(row).toMatchObject({
      jobId: offer.jobId,
      decision: 'accept',
      estimatedSteps: '120',
      artifactSha256: sha,
      commitStatus: 'acked',
      strategyNote: 'LoRA r=16, "cosine", 120 steps',
      quality: String(result.quality),
    });
    expect(JSON.parse(row.recipe ?? '')).toEqual(recipe);
    expect(cells(lines[2]!)[HISTORY_CSV_COLUMNS.indexOf('reason')]).toBe('estimated 4 steps, below 30');
  });

  it('prints a table row per job with the reason of a rejection, and the recipe in the details', async () => {
    const history = await readLedgerHistory(dir);
    const table = formatHistoryTable(history);
    expect(table.split('\n')[0]).toMatch(/^job\s+received\s+model/);
    expect(table).toContain('estimated 4 steps, below 30');
    expect(table).toContain(sha.slice(0, 12));
    expect(formatHistory(history)).toContain('"dataOrder":[2,0,1]');
  });
});

describe('ledger migration 0002', () => {
  it('adds the new columns to a ledger written before them, keeping its rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'miner-migrate-'));
    try {
      const path = join(dir, 'ledger.sqlite');
      // biome-ignore lint/suspicious/noExplicitAny: the schema as migration 0001 left it
      const old = await openSqlite<any>(path, { '0001-initial': m0001 });
      await old
        .insertInto('offers')
        .values({
          job_id: offer.jobId,
          received_at: '2026-01-01T00:00:00.000Z',
          task_kind: offer.taskKind,
          model_id: offer.model.id,
          model_family: offer.model.family,
          parameter_count: offer.model.parameterCount,
          approx_rows: offer.approxDatasetRows,
          time_limit_seconds: offer.timeLimitSeconds,
          offer_expires_at: offer.offerExpiresAt,
        })
        .execute();
      await old.destroy();
      const db = await openDb(path);
      const repo = createLedgerRepo(db);
      await repo.recordAssessment(offer.jobId, { estimate });
      expect(await repo.getOffer(offer.jobId)).toMatchObject({
        job_id: offer.jobId,
        estimate: JSON.stringify(estimate),
      });
      expect(Object.keys(migrations)).toEqual(['0001-initial', '0002-assessment-recipe']);
      await db.destroy();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
