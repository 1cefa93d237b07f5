// HTTP request and response bodies of the operator API and the miner's bulk-data endpoints.
// Responses are documented as schemas too, so clients and tests can check what the validator returns.

import { type Static, Type } from '@sinclair/typebox';
import { ArtifactKind, Id, JobStatus, MinerKey, ModelRef, Name, Sha256, Text, Timestamp } from './common.js';
import { ErrorCode } from './error-codes.js';
import { CompetitionProgram, ProgramStatus } from './program.js';

const closed = { additionalProperties: false } as const;

/** Largest `maxMiners` and `maxMinersPerOwner` an operator may set (defaults stay 20 and 5). */
const MAX_COMPETITION_MINERS = 100_000;
/** Largest `minersWanted` of one job. */
const MAX_MINERS_WANTED = 10_000;

/** `POST /v1/competitions`: a competition with its scoring settings. */
export const CreateCompetitionBody = Type.Object(
  {
    name: Name(200),
    maxMiners: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_COMPETITION_MINERS })),
    maxMinersPerOwner: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_COMPETITION_MINERS })),
    weightTest: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    tau: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    missFactor: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** When offers may start going out (default: now). */
    startsAt: Type.Optional(Timestamp),
    /** When the competition ends: no offer after it, no job runs past it (default: no end). */
    endsAt: Type.Optional(Timestamp),
    /** Phases that make jobs on their own (also `PUT /v1/competitions/:id/program`). */
    program: Type.Optional(CompetitionProgram),
  },
  closed,
);
/** Body of `POST /v1/competitions`. */
export type CreateCompetitionBody = Static<typeof CreateCompetitionBody>;

/**
 * `POST /v1/competitions/:id/miners`: registers a miner's public key for an owner. The key is only bounded
 * here; the validator checks it with `parseMinerKey` and refuses a bad one with `invalid_key`. Owners are
 * compared after normalisation (case, width forms, whitespace); both names are stored as given.
 */
export const RegisterMinerBody = Type.Object(
  {
    publicKey: Type.String({ maxLength: 128 }),
    owner: Name(100),
    displayName: Name(100),
  },
  closed,
);
/** Body of `POST /v1/competitions/:id/miners`. */
export type RegisterMinerBody = Static<typeof RegisterMinerBody>;

/** `POST /v1/competitions/:id/jobs`: a fine-tuning job to offer. */
export const CreateJobBody = Type.Object(
  {
    model: Name(128),
    dataset: Name(128),
    timeLimitSeconds: Type.Integer({ minimum: 1, maximum: 7 * 24 * 3600 }),
    minersWanted: Type.Integer({ minimum: 1, maximum: MAX_MINERS_WANTED }),
    offerTtlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    maxRows: Type.Optional(Type.Integer({ minimum: 10 })),
  },
  closed,
);
/** Body of `POST /v1/competitions/:id/jobs`. */
export type CreateJobBody = Static<typeof CreateJobBody>;

/** A competition as the API shows it. */
export const CompetitionView = Type.Object({
  id: Id,
  name: Type.String(),
  maxMiners: Type.Integer(),
  maxMinersPerOwner: Type.Integer(),
  weightTest: Type.Number(),
  tau: Type.Number(),
  missFactor: Type.Number(),
  startsAt: Timestamp,
  endsAt: Type.Union([Timestamp, Type.Null()]),
  /** The program's status, or null without a program. */
  program: Type.Union([ProgramStatus, Type.Null()]),
  createdAt: Timestamp,
});
/** A competition as the API shows it. */
export type CompetitionView = Static<typeof CompetitionView>;

/** A miner as the API shows it. */
export const MinerView = Type.Object({
  id: Id,
  competitionId: Id,
  publicKey: MinerKey,
  owner: Type.String(),
  displayName: Type.String(),
  connected: Type.Boolean(),
  capacity: Type.Integer(),
  activeJobs: Type.Integer(),
  lastSeenAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
});
/** A miner as the API shows it. */
export type MinerView = Static<typeof MinerView>;

/** Lifecycle of one offer to one miner. */
export const OfferStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('accepted'),
  Type.Literal('rejected'),
  Type.Literal('expired'),
  Type.Literal('cancelled'),
]);
/** Lifecycle of one offer. */
export type OfferStatus = Static<typeof OfferStatus>;

/** An offer as the API shows it. */
export const OfferView = Type.Object({
  jobId: Id,
  minerId: Id,
  status: OfferStatus,
  reason: Type.Union([Type.String(), Type.Null()]),
  offeredAt: Timestamp,
  expiresAt: Timestamp,
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  /** The miner's latest `job.progress`, if any. */
  progress: Type.Union([
    Type.Object({
      step: Type.Union([Type.Integer(), Type.Null()]),
      trainLoss: Type.Union([Type.Number(), Type.Null()]),
      at: Timestamp,
    }),
    Type.Null(),
  ]),
});
/** An offer as the API shows it. */
export type OfferView = Static<typeof OfferView>;

/** A job as the API shows it. */
export const JobView = Type.Object({
  id: Id,
  competitionId: Id,
  status: JobStatus,
  model: ModelRef,
  dataset: Type.String(),
  taskKind: Type.String(),
  timeLimitSeconds: Type.Integer(),
  minersWanted: Type.Integer(),
  deadline: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  offers: Type.Array(OfferView),
  offerTtlSeconds: Type.Integer(),
  trainRows: Type.Integer(),
  trainSha256: Sha256,
  /** sha256 of the pinned base model's weights. */
  baseModelSha256: Sha256,
  startedAt: Type.Union([Timestamp, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
  endReason: Type.Union([Type.String(), Type.Null()]),
  evaluationRequestedAt: Type.Union([Timestamp, Type.Null()]),
});
/** A job as the API shows it. */
export type JobView = Static<typeof JobView>;

/** A commit's recipe as the API shows it: the JSON object the miner sent (absent when it sent none). */
const RecipeView = Type.Record(Type.String(), Type.Unknown());

/** A submission (the latest commit of one miner for one job) as the API shows it. */
export const SubmissionView = Type.Object({
  id: Id,
  jobId: Id,
  minerId: Id,
  artifactSha256: Sha256,
  artifactKind: ArtifactKind,
  strategyNote: Type.String(),
  recipe: Type.Optional(RecipeView),
  committedAt: Timestamp,
  firstCommittedAt: Timestamp,
  uploaded: Type.Boolean(),
  artifactBytes: Type.Union([Type.Integer(), Type.Null()]),
});
/** A submission as the API shows it. */
export type SubmissionView = Static<typeof SubmissionView>;

/** Any commit of a job's history as the API shows it. */
export const CommitView = Type.Object({
  id: Id,
  jobId: Id,
  minerId: Id,
  artifactSha256: Sha256,
  artifactKind: ArtifactKind,
  strategyNote: Type.String(),
  recipe: Type.Optional(RecipeView),
  committedAt: Timestamp,
});
/** Any commit as the API shows it. */
export type CommitView = Static<typeof CommitView>;

/** A base model the validator can offer, as `GET /v1/models` shows it. */
export const ModelView = Type.Object({
  id: Type.String(),
  family: Type.String(),
  parameterCount: Type.Integer(),
  /** sha256 of `model.safetensors`: pins the base model. */
  weightsSha256: Sha256,
  /** sha256 and size of the bundle miners download. */
  bundleSha256: Sha256,
  bundleBytes: Type.Integer(),
});
/** A base model as the API shows it. */
export type ModelView = Static<typeof ModelView>;

/** `GET /v1/health`. */
export const HealthView = Type.Object({ ok: Type.Literal(true) });
/** `GET /v1/health`. */
export type HealthView = Static<typeof HealthView>;

/** Every HTTP error body: `{ error: { code, message } }`. */
export const ErrorBody = Type.Object({
  error: Type.Object({ code: ErrorCode, message: Text(2000), issues: Type.Optional(Type.Array(Type.Any())) }),
});
/** Every HTTP error body. */
export type ErrorBody = Static<typeof ErrorBody>;

/** One rule's verdict in a report: the rule, whether it passed, what a failure does, and its evidence. */
export const VerdictView = Type.Object({
  rule: Type.String(),
  passed: Type.Boolean(),
  action: Type.Union([
    Type.Literal('zero'),
    Type.Literal('miss'),
    Type.Literal('worse_of'),
    Type.Literal('flag'),
  ]),
  evidence: Type.Record(Type.String(), Type.Unknown()),
});
/** One rule's verdict. */
export type VerdictView = Static<typeof VerdictView>;

const Loss = Type.Union([Type.Number(), Type.Null()]);

/** One evaluated submission in a job's results. */
export const SubmissionResultView = Type.Object({
  minerId: Id,
  displayName: Type.String(),
  owner: Type.String(),
  artifactSha256: Sha256,
  kind: ArtifactKind,
  committedAt: Timestamp,
  status: Type.Union([Type.Literal('valid'), Type.Literal('zeroed'), Type.Literal('missed')]),
  test: Loss,
  synthetic: Loss,
  combined: Loss,
  quality: Type.Number(),
  /** Paired bootstrap 95 % interval of its combined loss minus the job mean (null when not in the pool). */
  interval: Type.Union([Type.Tuple([Type.Number(), Type.Number()]), Type.Null()]),
  /** Base loss minus its loss, per split (positive: better than the untouched base). */
  improvement: Type.Object({ test: Loss, synthetic: Loss }),
  /** Failed rules with their evidence. */
  flags: Type.Array(
    Type.Object({
      rule: Type.String(),
      action: Type.String(),
      evidence: Type.Record(Type.String(), Type.Unknown()),
    }),
  ),
  /** Every rule's verdict, pass or fail. */
  verdicts: Type.Array(VerdictView),
  strategyNote: Type.String(),
  recipe: Type.Optional(RecipeView),
});
/** One evaluated submission. */
export type SubmissionResultView = Static<typeof SubmissionResultView>;

/** `GET /v1/jobs/:id/results`. */
export const JobResultsView = Type.Object({
  jobId: Id,
  status: JobStatus,
  /** Where the job's evaluation stands (null before the job closes); `error` is the last failure, kept while retried. */
  evaluation: Type.Union([
    Type.Object({
      status: Type.Union([
        Type.Literal('queued'),
        Type.Literal('running'),
        Type.Literal('done'),
        Type.Literal('failed'),
      ]),
      attempts: Type.Integer(),
      error: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  base: Type.Union([Type.Object({ test: Type.Number(), synthetic: Type.Number() }), Type.Null()]),
  submissions: Type.Array(SubmissionResultView),
  misses: Type.Array(
    Type.Object({ minerId: Id, displayName: Type.String(), owner: Type.String(), quality: Type.Number() }),
  ),
});
/** A job's results. */
export type JobResultsView = Static<typeof JobResultsView>;

/** `GET /v1/competitions/:id/leaderboard`. */
export const LeaderboardView = Type.Object({
  miners: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      minerId: Id,
      displayName: Type.String(),
      owner: Type.String(),
      score: Type.Number(),
      jobs: Type.Integer(),
      submitted: Type.Integer(),
      eligible: Type.Boolean(),
    }),
  ),
  owners: Type.Array(
    Type.Object({
      rank: Type.Integer(),
      owner: Type.String(),
      bestMiner: Id,
      score: Type.Number(),
      submitted: Type.Integer(),
      eligible: Type.Boolean(),
    }),
  ),
});
/** A competition's leaderboard. */
export type LeaderboardView = Static<typeof LeaderboardView>;

/** One integrity rule as a competition has it set. */
export const RuleView = Type.Object({
  id: Type.String(),
  summary: Type.String(),
  toPass: Type.String(),
  enabled: Type.Boolean(),
  action: VerdictView.properties.action,
  params: Type.Record(Type.String(), Type.Unknown()),
  defaults: Type.Record(Type.String(), Type.Unknown()),
});
/** One integrity rule's settings. */
export type RuleView = Static<typeof RuleView>;

/** `PATCH /v1/competitions/:id/rules/:rule`: any of the three. */
export const PatchRuleBody = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    action: Type.Optional(VerdictView.properties.action),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  closed,
);
/** Body of `PATCH /v1/competitions/:id/rules/:rule`. */
export type PatchRuleBody = Static<typeof PatchRuleBody>;

/** One audit log entry: who did what, when. */
export const AuditEntryView = Type.Object({
  id: Type.Integer(),
  competitionId: Id,
  at: Timestamp,
  actor: Type.String(),
  action: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
/** One audit log entry. */
export type AuditEntryView = Static<typeof AuditEntryView>;
