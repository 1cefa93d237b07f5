// Frames a miner sends to the validator, one TypeBox schema per message type. Every object is closed
// (`additionalProperties: false`), so extra fields are refused rather than silently carried along.

import { type Static, Type } from '@sinclair/typebox';
import { ArtifactKind, Id, MinerKey, Sha256, Signature, Text, Timestamp } from './common.js';
import { MAX_NOTE_CHARS } from './constants.js';
import { MAX_RECIPE_BYTES } from './recipe.js';

const closed = { additionalProperties: false } as const;

/** First frame of a connection: who is connecting and how many jobs it can hold at once. */
export const Hello = Type.Object(
  {
    type: Type.Literal('hello'),
    protocolVersion: Type.Integer({ minimum: 0 }),
    minerKey: MinerKey,
    software: Text(128),
    capacity: Type.Integer({ minimum: 1, maximum: 64 }),
  },
  closed,
);
/** First frame of a connection. */
export type Hello = Static<typeof Hello>;

/** The answer to a challenge: an ed25519 signature over the challenge payload. */
const Auth = Type.Object({ type: Type.Literal('auth'), signature: Signature }, closed);

/** The miner takes an offered job. */
const OfferAccept = Type.Object({ type: Type.Literal('offer.accept'), jobId: Id }, closed);

/** The miner declines an offered job, with a reason the operator can read. */
const OfferReject = Type.Object({ type: Type.Literal('offer.reject'), jobId: Id, reason: Text(500) }, closed);

/** Training progress of an accepted job. */
export const JobProgress = Type.Object(
  {
    type: Type.Literal('job.progress'),
    jobId: Id,
    step: Type.Integer({ minimum: 0 }),
    trainLoss: Type.Number(),
    etaSeconds: Type.Number({ minimum: 0 }),
  },
  closed,
);
/** Training progress of an accepted job. */
export type JobProgress = Static<typeof JobProgress>;

/** A commit of an artifact hash for a job, signed over job id, miner key, hash and kind. */
export const JobSubmit = Type.Object(
  {
    type: Type.Literal('job.submit'),
    jobId: Id,
    artifactSha256: Sha256,
    artifactKind: ArtifactKind,
    strategyNote: Text(MAX_NOTE_CHARS),
    /** The trainer's recipe as JSON text of an object, at most 16 KiB and 4 levels deep (decodeRecipe). */
    recipe: Type.Optional(Text(MAX_RECIPE_BYTES)),
    signature: Signature,
    /** This is the miner's last commit for the job: when every accepted miner's is, the job closes early. */
    final: Type.Optional(Type.Boolean()),
  },
  closed,
);
/** A commit of an artifact hash for a job. */
export type JobSubmit = Static<typeof JobSubmit>;

/** Keep-alive in either direction. */
export const Heartbeat = Type.Object({ type: Type.Literal('heartbeat'), at: Timestamp }, closed);
/** Keep-alive in either direction. */
export type Heartbeat = Static<typeof Heartbeat>;

/** Every frame a miner may send. */
export const MinerMessage = Type.Union([
  Hello,
  Auth,
  OfferAccept,
  OfferReject,
  JobProgress,
  JobSubmit,
  Heartbeat,
]);
/** Every frame a miner may send. */
export type MinerMessage = Static<typeof MinerMessage>;
