// Test-only kit for the job runner and its steps (excluded from the build): a real SQLite ledger in a temp
// dir, real submit acks, a gateway that answers each `job.submit` as the validator would, in-memory
// transfers that serve a tiny job and keep the uploads, and trainers' outputs. No socket is opened.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ErrorCode,
  encodeBundle,
  generateMinerKeyPair,
  type JobStart,
  type JobSubmit,
  type MinerMessage,
  type Welcome,
} from '@tuning-arena/protocol';
import { validValidatorFrames } from '@tuning-arena/protocol/fixtures';
import { MinerError } from './errors.js';
import type { JobRunnerDeps, JobTransfers } from './job-context.js';
import { createLedgerRepo, type LedgerRepo } from './ledger/ledger-repo.js';
import { openDb } from './ledger/open-db.js';
import type { JobLedgerStatus } from './ledger/schema.js';
import { silentLogger } from './logger.js';
import { createSubmitAcks, type SubmitAcks } from './submit-acks.js';
import type { Trainer, TrainOutput, TrainProgress } from './trainer.js';

/** The train split the kit serves. */
export const TRAIN_ROWS = '{"prompt":"1+1","answer":"2"}\n';

/** A LoRA output a fake trainer can return; `note` tells outputs apart. */
export const loraOutput = (note: string): TrainOutput => ({
  kind: 'lora',
  strategyNote: note,
  files: [
    { name: 'adapter_config.json', data: new TextEncoder().encode('{}') },
    { name: 'adapter_model.safetensors', data: new TextEncoder().encode(note) },
  ],
});

/** A trainer from a function (the trainer port is one method). */
export const trainerOf = (train: Trainer['train']): Trainer => ({ name: 'fake', train });

/** Everything a job-runner test looks at, disposed with `await using`. */
export interface JobKit extends AsyncDisposable {
  dir: string;
  ledger: LedgerRepo;
  acks: SubmitAcks;
  /** Frames the miner sent. */
  sent: MinerMessage[];
  /** Artifacts uploaded, by upload URL. */
  uploads: Map<string, Uint8Array>;
  /** Downloads asked for, by URL. */
  downloads: string[];
  phases: Array<[jobId: string, phase: JobLedgerStatus, detail: string | undefined]>;
  progress: TrainProgress[];
  /** How the validator answers a `job.submit`: accepted, or refused with a code. */
  answer: (submit: JobSubmit) => 'ack' | ErrorCode;
  /** When set, uploads are refused with this HTTP status and code. */
  uploadRefusal: { status: number; code: string } | undefined;
  /** A `job.start` due in a minute. */
  start(jobId?: string): JobStart;
  /** The job runner's deps around `trainer`. */
  deps(trainer: Trainer, overrides?: Partial<JobRunnerDeps>): JobRunnerDeps;
  /** The `job.submit` frames sent. */
  submits(): JobSubmit[];
}

/** Creates a kit with a fresh temp dir and ledger. */
export async function createJobKit(): Promise<JobKit> {
  const dir = await mkdtemp(join(tmpdir(), 'miner-job-'));
  const db = await openDb(join(dir, 'ledger.sqlite'));
  const acks = createSubmitAcks();
  const welcome = validValidatorFrames.welcome as Welcome;
  const kit: JobKit = {
    dir,
    ledger: createLedgerRepo(db),
    acks,
    sent: [],
    uploads: new Map(),
    downloads: [],
    phases: [],
    progress: [],
    answer: () => 'ack',
    uploadRefusal: undefined,
    start: (jobId = 'job_1') => ({
      ...(validValidatorFrames['job.start'] as JobStart),
      jobId,
      deadline: new Date(Date.now() + 60_000).toISOString(),
    }),
    deps: (trainer, overrides = {}) => ({
      dataDir: dir,
      identity: generateMinerKeyPair(),
      trainer,
      ledger: kit.ledger,
      gateway,
      transfers,
      acks,
      log: silentLogger,
      progressIntervalMs: 1000,
      trainerOverrunMs: 60_000,
      submitTimeoutMs: 1000,
      onPhase: (jobId, phase, detail) => kit.phases.push([jobId, phase, detail]),
      onProgress: (_jobId, progress) => kit.progress.push(progress),
      ...overrides,
    }),
    submits: () => kit.sent.filter((m): m is JobSubmit => m.type === 'job.submit'),
    [Symbol.asyncDispose]: async () => {
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
  const gateway: JobRunnerDeps['gateway'] = {
    welcome,
    waitReady: async () => {},
    send(message) {
      kit.sent.push(message);
      if (message.type === 'job.submit') {
        const answer = kit.answer(message);
        setImmediate(() => {
          if (answer !== 'ack') acks.refuse(message.jobId, answer, `refused: ${answer}`);
          else
            acks.acknowledge({
              type: 'submit.ack',
              jobId: message.jobId,
              artifactSha256: message.artifactSha256,
              artifactKind: message.artifactKind,
              committedAt: new Date().toISOString(),
              uploadUrl: `/v1/artifacts/${message.artifactSha256}`,
            });
        });
      }
      return true;
    },
  };
  const transfers: JobTransfers = {
    async download(ref, path) {
      kit.downloads.push(ref.url);
      const base = encodeBundle([{ name: 'config.json', data: new TextEncoder().encode('{}') }]);
      await writeFile(path, ref.url.endsWith('/train') ? TRAIN_ROWS : base);
    },
    async upload(uploadUrl, data) {
      const refusal = kit.uploadRefusal;
      if (refusal) throw new MinerError('upload_failed', `upload refused: ${refusal.code}`, refusal);
      kit.uploads.set(uploadUrl, data);
    },
  };
  return kit;
}
