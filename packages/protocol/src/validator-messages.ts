// Frames the validator sends to a miner, one TypeBox schema per message type.

import { type Static, Type } from '@sinclair/typebox';
import { ArtifactKind, FileRef, Id, ModelRef, PromptFormat, Sha256, Text, Timestamp } from './common.js';
import { ErrorCode } from './error-codes.js';
import { Heartbeat } from './miner-messages.js';

const closed = { additionalProperties: false } as const;

/** A one-time nonce the miner must sign to prove it holds its key. */
const Challenge = Type.Object(
  { type: Type.Literal('challenge'), nonce: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }) },
  closed,
);

/** Authentication succeeded: the session token for HTTP calls and the competition joined. */
export const Welcome = Type.Object(
  {
    type: Type.Literal('welcome'),
    minerId: Id,
    sessionToken: Type.String({ minLength: 16, maxLength: 128 }),
    competition: Type.Object({ id: Id, name: Text(200) }, closed),
    heartbeatIntervalMs: Type.Integer({ minimum: 100 }),
  },
  closed,
);
/** Authentication succeeded. */
export type Welcome = Static<typeof Welcome>;

/** A job offered to the miner; it must answer before `offerExpiresAt`. */
export const JobOffer = Type.Object(
  {
    type: Type.Literal('job.offer'),
    jobId: Id,
    taskKind: Text(64),
    model: ModelRef,
    approxDatasetRows: Type.Integer({ minimum: 0 }),
    timeLimitSeconds: Type.Integer({ minimum: 1 }),
    offerExpiresAt: Timestamp,
  },
  closed,
);
/** A job offered to the miner. */
export type JobOffer = Static<typeof JobOffer>;

/** The job is on: where to fetch the data and base model, and the submission deadline. */
export const JobStart = Type.Object(
  {
    type: Type.Literal('job.start'),
    jobId: Id,
    deadline: Timestamp,
    trainData: FileRef,
    baseModel: FileRef,
    promptFormat: PromptFormat,
  },
  closed,
);
/** The job is on. */
export type JobStart = Static<typeof JobStart>;

/** The job was cancelled by the operator or expired for this miner. */
export const JobCancel = Type.Object(
  { type: Type.Literal('job.cancel'), jobId: Id, reason: Text(500) },
  closed,
);
/** The job was cancelled. */
export type JobCancel = Static<typeof JobCancel>;

/** A commit was stored: the hash and the time the validator recorded it. */
export const SubmitAck = Type.Object(
  {
    type: Type.Literal('submit.ack'),
    jobId: Id,
    artifactSha256: Sha256,
    artifactKind: ArtifactKind,
    committedAt: Timestamp,
    uploadUrl: Type.String({ maxLength: 2048 }),
  },
  closed,
);
/** A commit was stored. */
export type SubmitAck = Static<typeof SubmitAck>;

/** The scored outcome of a job for this miner. */
export const JobResult = Type.Object(
  {
    type: Type.Literal('job.result'),
    jobId: Id,
    status: Type.Union([Type.Literal('scored'), Type.Literal('missed'), Type.Literal('closed')]),
    losses: Type.Object(
      {
        test: Type.Union([Type.Number(), Type.Null()]),
        synthetic: Type.Union([Type.Number(), Type.Null()]),
        combined: Type.Union([Type.Number(), Type.Null()]),
      },
      closed,
    ),
    quality: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    integrityFlags: Type.Array(Text(64), { maxItems: 64 }),
  },
  closed,
);
/** The scored outcome of a job. */
export type JobResult = Static<typeof JobResult>;

/**
 * An error with a machine-readable code; `ref` names the job or frame it concerns. Plain strings, not
 * `Text`: a message may quote what a peer sent, cut at its bound, and refusing to send it would be worse.
 */
export const ErrorFrame = Type.Object(
  {
    type: Type.Literal('error'),
    code: ErrorCode,
    message: Type.String({ maxLength: 1000 }),
    ref: Type.Optional(Type.String({ maxLength: 128 })),
  },
  closed,
);
/** An error frame. */
export type ErrorFrame = Static<typeof ErrorFrame>;

/** Every frame the validator may send. */
export const ValidatorMessage = Type.Union([
  Challenge,
  Welcome,
  JobOffer,
  JobStart,
  JobCancel,
  SubmitAck,
  JobResult,
  ErrorFrame,
  Heartbeat,
]);
/** Every frame the validator may send. */
export type ValidatorMessage = Static<typeof ValidatorMessage>;
