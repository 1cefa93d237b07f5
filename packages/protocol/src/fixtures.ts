// Shared fixtures of valid and invalid frames, used by the protocol's own tests and by both apps' tests
// so that every side agrees on what is accepted and what is refused (and with which code).

import { MAX_FRAME_BYTES, PROTOCOL_VERSION } from './constants.js';
import type { ErrorCode } from './error-codes.js';

const key = 'A'.repeat(43);
const sig = 'B'.repeat(86);
const sha = 'c'.repeat(64);

/** Frames a miner may send, one per message type, each valid. */
export const validMinerFrames: Record<string, unknown> = {
  hello: {
    type: 'hello',
    protocolVersion: PROTOCOL_VERSION,
    minerKey: key,
    software: 'fixture/1',
    capacity: 2,
  },
  auth: { type: 'auth', signature: sig },
  'offer.accept': { type: 'offer.accept', jobId: 'job_1' },
  'offer.reject': { type: 'offer.reject', jobId: 'job_1', reason: 'busy' },
  'job.progress': { type: 'job.progress', jobId: 'job_1', step: 3, trainLoss: 1.5, etaSeconds: 10 },
  'job.submit': {
    type: 'job.submit',
    jobId: 'job_1',
    artifactSha256: sha,
    artifactKind: 'lora',
    strategyNote: 'LoRA r=8 on attention, 2 epochs',
    signature: sig,
  },
  heartbeat: { type: 'heartbeat', at: '2026-01-01T00:00:00.000Z' },
};

/** Frames the validator may send, one per message type, each valid. */
export const validValidatorFrames: Record<string, unknown> = {
  challenge: { type: 'challenge', nonce: key },
  welcome: {
    type: 'welcome',
    minerId: 'mnr_1',
    sessionToken: 'tok_0123456789abcdef',
    competition: { id: 'cmp_1', name: 'Fixture cup' },
    heartbeatIntervalMs: 15000,
  },
  'job.offer': {
    type: 'job.offer',
    jobId: 'job_1',
    taskKind: 'instruct',
    model: { id: 'tiny-a', family: 'gpt2-arena', parameterCount: 100000 },
    approxDatasetRows: 500,
    timeLimitSeconds: 60,
    offerExpiresAt: '2026-01-01T00:00:30.000Z',
  },
  'job.start': {
    type: 'job.start',
    jobId: 'job_1',
    deadline: '2026-01-01T00:01:00.000Z',
    trainData: { url: '/v1/jobs/job_1/train', sha256: sha, bytes: 1000 },
    baseModel: { url: '/v1/models/tiny-a/model.safetensors', sha256: sha, bytes: 400000 },
    promptFormat: { promptField: 'prompt', answerField: 'answer', separator: '\u0003' },
  },
  'job.cancel': { type: 'job.cancel', jobId: 'job_1', reason: 'operator cancelled' },
  'submit.ack': {
    type: 'submit.ack',
    jobId: 'job_1',
    artifactSha256: sha,
    artifactKind: 'lora',
    committedAt: '2026-01-01T00:00:50.000Z',
    uploadUrl: `/v1/artifacts/${sha}`,
  },
  'job.result': {
    type: 'job.result',
    jobId: 'job_1',
    status: 'scored',
    losses: { test: 1.2, synthetic: 1.4, combined: 1.3 },
    quality: 1.05,
    integrityFlags: [],
  },
  error: { type: 'error', code: 'unknown_type', message: 'unknown message type' },
  heartbeat: { type: 'heartbeat', at: '2026-01-01T00:00:00.000Z' },
};

/** A raw frame a miner might send that must be refused, with the code it must be refused with. */
export interface InvalidFrame {
  name: string;
  raw: string;
  code: ErrorCode;
}

/** Frames a miner might send that the validator must refuse, each with its expected error code. */
export const invalidMinerFrames: InvalidFrame[] = [
  { name: 'malformed JSON', raw: '{"type":"hello",', code: 'malformed_json' },
  { name: 'not an object', raw: '[1,2,3]', code: 'invalid_message' },
  { name: 'unknown type', raw: JSON.stringify({ type: 'job.steal', jobId: 'job_1' }), code: 'unknown_type' },
  { name: 'missing type', raw: JSON.stringify({ jobId: 'job_1' }), code: 'unknown_type' },
  {
    name: 'extra field',
    raw: JSON.stringify({ ...(validMinerFrames['offer.accept'] as object), admin: true }),
    code: 'invalid_message',
  },
  {
    name: 'missing field',
    raw: JSON.stringify({ type: 'offer.reject', jobId: 'job_1' }),
    code: 'invalid_message',
  },
  {
    name: 'wrong field type',
    raw: JSON.stringify({ ...(validMinerFrames.hello as object), capacity: 'many' }),
    code: 'invalid_message',
  },
  {
    name: 'bad hash',
    raw: JSON.stringify({
      ...(validMinerFrames['job.submit'] as object),
      artifactSha256: '../../etc/passwd',
    }),
    code: 'invalid_message',
  },
  { name: 'JSON null', raw: 'null', code: 'invalid_message' },
  { name: 'JSON string', raw: '"hello"', code: 'invalid_message' },
  { name: 'numeric type', raw: JSON.stringify({ type: 1 }), code: 'unknown_type' },
  { name: 'prototype name as type', raw: JSON.stringify({ type: '__proto__' }), code: 'unknown_type' },
  { name: 'inherited name as type', raw: JSON.stringify({ type: 'constructor' }), code: 'unknown_type' },
  {
    name: '__proto__ field',
    raw: '{"type":"offer.accept","jobId":"job_1","__proto__":{"admin":true}}',
    code: 'invalid_message',
  },
  {
    name: 'auth with a junk signature',
    raw: JSON.stringify({ type: 'auth', signature: '!' }),
    code: 'invalid_message',
  },
  {
    name: 'hello with a junk key',
    raw: JSON.stringify({ ...(validMinerFrames.hello as object), minerKey: '../'.repeat(20) }),
    code: 'invalid_message',
  },
  {
    name: 'deeply nested JSON',
    raw: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    code: 'invalid_message',
  },
  {
    name: 'oversized frame',
    raw: JSON.stringify({ type: 'offer.reject', jobId: 'job_1', reason: 'x'.repeat(MAX_FRAME_BYTES) }),
    code: 'frame_too_large',
  },
];

/** Frames the validator might send that a miner must refuse, each with its expected error code. */
export const invalidValidatorFrames: InvalidFrame[] = [
  { name: 'malformed JSON', raw: '{"type":"job.offer",', code: 'malformed_json' },
  { name: 'not an object', raw: '[1,2,3]', code: 'invalid_message' },
  { name: 'JSON null', raw: 'null', code: 'invalid_message' },
  { name: 'unknown type', raw: JSON.stringify({ type: 'job.steal', jobId: 'job_1' }), code: 'unknown_type' },
  { name: 'missing type', raw: JSON.stringify({ jobId: 'job_1' }), code: 'unknown_type' },
  { name: 'miner-only type', raw: JSON.stringify(validMinerFrames['offer.accept']), code: 'unknown_type' },
  {
    name: 'extra field',
    raw: JSON.stringify({ ...(validValidatorFrames['job.offer'] as object), admin: true }),
    code: 'invalid_message',
  },
  {
    name: 'missing field',
    raw: JSON.stringify({ type: 'job.cancel', jobId: 'job_1' }),
    code: 'invalid_message',
  },
  {
    name: 'wrong field type',
    raw: JSON.stringify({ ...(validValidatorFrames['job.offer'] as object), timeLimitSeconds: 'soon' }),
    code: 'invalid_message',
  },
  {
    name: 'out-of-range number',
    raw: JSON.stringify({ ...(validValidatorFrames['job.offer'] as object), timeLimitSeconds: 0 }),
    code: 'invalid_message',
  },
  {
    name: 'bad hash',
    raw: JSON.stringify({
      ...(validValidatorFrames['job.start'] as object),
      trainData: { url: '/v1/jobs/job_1/train', sha256: '../../etc/passwd', bytes: 1000 },
    }),
    code: 'invalid_message',
  },
  {
    name: 'unknown artifact kind',
    raw: JSON.stringify({ ...(validValidatorFrames['submit.ack'] as object), artifactKind: 'virus' }),
    code: 'invalid_message',
  },
  {
    name: 'unknown error code',
    raw: JSON.stringify({ type: 'error', code: 'oops', message: 'x' }),
    code: 'invalid_message',
  },
  {
    name: 'oversized frame',
    raw: JSON.stringify({ ...(validValidatorFrames.error as object), message: 'x'.repeat(MAX_FRAME_BYTES) }),
    code: 'frame_too_large',
  },
];
