// Row types of the validator database, as Kysely sees them. Timestamps are ISO-8601 UTC strings (fixed width,
// so they sort as text); JSON columns are strings decoded by the repositories.

import type { ArtifactKind, JobStatus, OfferStatus, ProgramStatus } from '@tuning-arena/protocol';
import type { Generated } from 'kysely';

/** A competition and its limits and scoring settings. */
export interface CompetitionTable {
  id: string;
  name: string;
  max_miners: number;
  max_miners_per_owner: number;
  weight_test: number;
  tau: number;
  miss_factor: number;
  /** When offers may go out (set from created_at for competitions made before windows existed). */
  starts_at: string;
  /** When the competition ends, or null for no end. */
  ends_at: string | null;
  created_at: string;
}

/** A registered miner key. */
export interface MinerTable {
  id: string;
  competition_id: string;
  public_key: string;
  /** The owner as registered (shown). */
  owner: string;
  /** The normalised owner (owner-key.ts) that the owner limit counts. */
  owner_key: string;
  display_name: string;
  capacity: number;
  software: string | null;
  last_seen_at: string | null;
  created_at: string;
}

/** A challenge nonce that authenticated a connection of a key, with the hash of the answering signature. */
export interface AuthNonceTable {
  nonce: string;
  miner_id: string;
  issued_at: string;
  /** Always set since migration 0002 (unanswered nonces are no longer stored). */
  used_at: string | null;
  /** sha256 of the signature that answered the nonce (null in rows before migration 0002). */
  answer_sha256: string | null;
}

/** A miner session (one authenticated connection); only the token's hash is stored. */
export interface SessionTable {
  token_sha256: string;
  miner_id: string;
  created_at: string;
  ended_at: string | null;
  end_reason: string | null;
}

/** A fine-tuning job with the model and data it was prepared with. */
export interface JobTable {
  id: string;
  competition_id: string;
  status: JobStatus;
  model_id: string;
  model_family: string;
  model_parameter_count: number;
  model_weights_sha256: string;
  model_bundle_sha256: string;
  model_bundle_bytes: number;
  dataset: string;
  task_kind: string;
  prompt_format: string;
  train_path: string;
  train_sha256: string;
  train_bytes: number;
  train_rows: number;
  time_limit_seconds: number;
  miners_wanted: number;
  offer_ttl_seconds: number;
  max_rows: number | null;
  created_at: string;
  started_at: string | null;
  deadline: string | null;
  ended_at: string | null;
  end_reason: string | null;
  evaluation_requested_at: string | null;
  /** The program's sequence number of this job (1, 2, ...), or null for a manual job. */
  program_seq: number | null;
  /** Index of the program phase that made this job, or null for a manual job. */
  program_phase: number | null;
}

/** One offer of one job to one miner. */
export interface OfferTable {
  job_id: string;
  miner_id: string;
  status: OfferStatus;
  reason: string | null;
  offered_at: string;
  expires_at: string;
  decided_at: string | null;
  progress_step: number | null;
  progress_train_loss: number | null;
  progress_at: string | null;
}

/** One signed commit of an artifact hash (every commit is kept). */
export interface CommitTable {
  seq: Generated<number>;
  id: string;
  job_id: string;
  miner_id: string;
  competition_id: string;
  artifact_sha256: string;
  artifact_kind: ArtifactKind;
  strategy_note: string;
  signature: string;
  committed_at: string;
  /** 1 when the miner marked it its last commit for the job. */
  final: Generated<number>;
  /** The trainer's recipe as the miner sent it (JSON text of an object, decodeRecipe), null when none. */
  recipe: string | null;
}

/** The first time each artifact hash was committed in a competition (decides who copied whom). */
export interface FirstCommitTable {
  competition_id: string;
  artifact_sha256: string;
  first_committed_at: string;
  job_id: string;
  miner_id: string;
}

/** An uploaded, verified artifact stored on disk under its sha256. */
export interface ArtifactTable {
  sha256: string;
  bytes: number;
  uploaded_by: string;
  stored_at: string;
}

/** Where a job's evaluation stands in the durable queue. */
export type EvaluationStatus = 'queued' | 'running' | 'done' | 'failed';

/** One queued or running evaluation of a job; a pool loop holds it under a lease. */
export interface EvaluationTable {
  job_id: string;
  status: EvaluationStatus;
  /** The fresh secret seed of the job's synthetic set, drawn when the job closed. */
  synthetic_seed: string;
  attempts: Generated<number>;
  lease_owner: string | null;
  lease_expires_at: string | null;
  enqueued_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
}

/** One model evaluated for a job: the base (`subject` = 'base') or a miner's submission (its miner id). */
export interface EvaluationItemTable {
  job_id: string;
  subject: string;
  artifact_sha256: string | null;
  status: 'pending' | 'done' | 'failed';
  attempts: Generated<number>;
  /** BaseFacts or SubmissionFacts as JSON. */
  facts_json: string | null;
  /** Per-example losses (encodeExampleLosses). */
  losses: Uint8Array | null;
  error: string | null;
  evaluated_at: string | null;
}

/** The score of one accepted miner in one job, recomputed from stored facts on every (re-)score. */
export interface ScoreTable {
  job_id: string;
  miner_id: string;
  competition_id: string;
  status: 'valid' | 'zeroed' | 'missed';
  quality: number;
  test: number | null;
  synthetic: number | null;
  combined: number | null;
  interval_lo: number | null;
  interval_hi: number | null;
  /** Every rule's verdict with its evidence, as JSON. */
  verdicts_json: string;
  scored_at: string;
}

/** A competition's setting of one integrity rule (absent: the rule's defaults). */
export interface RuleSettingTable {
  competition_id: string;
  rule_id: string;
  enabled: number;
  action: 'zero' | 'miss' | 'worse_of' | 'flag';
  params_json: string;
  updated_at: string;
}

/** Who changed a rule or re-scored what, and when. */
/** A competition's program: its phases (JSON of CompetitionProgram), secret seed and status. */
export interface ProgramTable {
  competition_id: string;
  spec: string;
  /** Secret: decides the pairs and drawn time limits; never shown. */
  seed: string;
  status: ProgramStatus;
  end_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  competition_id: string;
  at: string;
  actor: string;
  action: string;
  detail_json: string;
}

/** The console's settings of one competition (migration 0009). */
export interface ConsoleSettingTable {
  competition_id: string;
  /** 1 when the read-only public leaderboard is on. */
  public_leaderboard: number;
  updated_at: string;
}

/** The whole database. */
export interface Database {
  competitions: CompetitionTable;
  miners: MinerTable;
  auth_nonces: AuthNonceTable;
  sessions: SessionTable;
  jobs: JobTable;
  programs: ProgramTable;
  offers: OfferTable;
  commits: CommitTable;
  first_commits: FirstCommitTable;
  artifacts: ArtifactTable;
  evaluations: EvaluationTable;
  evaluation_items: EvaluationItemTable;
  scores: ScoreTable;
  rule_settings: RuleSettingTable;
  audit_log: AuditLogTable;
  console_settings: ConsoleSettingTable;
}
