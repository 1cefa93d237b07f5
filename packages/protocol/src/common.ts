// Small schemas shared by several messages: ids, hashes, keys and the enums of the job flow.

import { type Static, Type } from '@sinclair/typebox';
import { NAME_TEXT, WELL_FORMED_TEXT } from './text-formats.js';

/** Lower-case hex sha256 digest. */
export const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });
/** Lower-case hex sha256 digest. */
export type Sha256 = Static<typeof Sha256>;

/**
 * A miner's ed25519 public key: the raw 32 bytes, base64url without padding (43 characters), in its one
 * canonical spelling (the last character carries 4 bits, so its 2 unused low bits must be zero). Whether the
 * bytes are a valid point is checked at registration (`parseMinerKey`), not per frame.
 */
export const MinerKey = Type.String({ pattern: '^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$' });
/** A miner's ed25519 public key in base64url. */
export type MinerKey = Static<typeof MinerKey>;

/** An ed25519 signature, base64url without padding (86 characters). */
export const Signature = Type.String({ pattern: '^[A-Za-z0-9_-]{86}$' });
/** An ed25519 signature in base64url. */
export type Signature = Static<typeof Signature>;

/** An opaque identifier chosen by the validator. */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
/** An opaque identifier. */
export type Id = Static<typeof Id>;

/** An ISO-8601 timestamp (UTC). */
export const Timestamp = Type.String({ format: 'date-time', maxLength: 40 });
/** An ISO-8601 timestamp. */
export type Timestamp = Static<typeof Timestamp>;

/** What a submission contains: a LoRA adapter or full weights. */
export const ArtifactKind = Type.Union([Type.Literal('lora'), Type.Literal('full')]);
/** What a submission contains. */
export type ArtifactKind = Static<typeof ArtifactKind>;

/** A free-text field with a bound: any characters, but well-formed (no lone surrogates). */
export const Text = (maxLength: number) => Type.String({ maxLength, format: WELL_FORMED_TEXT });

/** A name with a bound: well-formed, not blank, no control, line-break or bidi-override characters. */
export const Name = (maxLength: number) => Type.String({ minLength: 1, maxLength, format: NAME_TEXT });

/** The model a job fine-tunes. */
export const ModelRef = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 128 }),
    family: Type.String({ minLength: 1, maxLength: 64 }),
    parameterCount: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
/** The model a job fine-tunes. */
export type ModelRef = Static<typeof ModelRef>;

/** A downloadable file: an HTTP URL (relative to the validator or absolute) and its sha256. */
export const FileRef = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    sha256: Sha256,
    bytes: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
/** A downloadable file. */
export type FileRef = Static<typeof FileRef>;

/** How prompts and answers are laid out in the training rows. */
export const PromptFormat = Type.Object(
  {
    promptField: Type.String({ maxLength: 64 }),
    answerField: Type.String({ maxLength: 64 }),
    separator: Type.String({ maxLength: 64 }),
  },
  { additionalProperties: false },
);
/** How prompts and answers are laid out. */
export type PromptFormat = Static<typeof PromptFormat>;

/** Lifecycle of a job. */
export const JobStatus = Type.Union([
  Type.Literal('offering'),
  Type.Literal('running'),
  Type.Literal('submitted'),
  Type.Literal('evaluating'),
  Type.Literal('scored'),
  Type.Literal('closed'),
  Type.Literal('cancelled'),
]);
/** Lifecycle of a job. */
export type JobStatus = Static<typeof JobStatus>;
