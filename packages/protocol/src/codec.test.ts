import { describe, expect, it } from 'vitest';
import {
  decodeMinerMessage,
  decodeValidatorMessage,
  encodeMinerMessage,
  encodeValidatorMessage,
} from './codec.js';
import {
  invalidMinerFrames,
  invalidValidatorFrames,
  validMinerFrames,
  validValidatorFrames,
} from './fixtures.js';
import type { MinerMessage } from './miner-messages.js';
import type { ValidatorMessage } from './validator-messages.js';

describe('miner frames', () => {
  it.each(Object.entries(validMinerFrames))('accepts a valid %s frame', (_type, frame) => {
    const result = decodeMinerMessage(JSON.stringify(frame));
    expect(result).toEqual({ ok: true, value: frame });
  });

  it.each(invalidMinerFrames)('refuses $name with $code', ({ raw, code }) => {
    const result = decodeMinerMessage(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('reports where a schema violation is', () => {
    const result = decodeMinerMessage(JSON.stringify({ ...(validMinerFrames.hello as object), capacity: 0 }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.issues.map((issue) => issue.path)).toContain('/capacity');
  });

  it('decodes frames given as bytes', () => {
    const result = decodeMinerMessage(Buffer.from(JSON.stringify(validMinerFrames.auth)));
    expect(result.ok).toBe(true);
  });

  it('refuses a validator-only frame from a miner', () => {
    const result = decodeMinerMessage(JSON.stringify(validValidatorFrames.welcome));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('unknown_type');
  });

  it('refuses a timestamp that is not ISO-8601', () => {
    const result = decodeMinerMessage(JSON.stringify({ type: 'heartbeat', at: 'yesterday' }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_message');
  });

  it('refuses to encode an invalid frame', () => {
    const bad = { type: 'offer.accept', jobId: '' } as MinerMessage;
    expect(() => encodeMinerMessage(bad)).toThrow(TypeError);
  });
});

describe('validator frames', () => {
  it.each(Object.entries(validValidatorFrames))('round-trips a valid %s frame', (_type, frame) => {
    const encoded = encodeValidatorMessage(frame as ValidatorMessage);
    expect(decodeValidatorMessage(encoded)).toEqual({ ok: true, value: frame });
  });

  it.each(invalidValidatorFrames)('refuses $name with $code', ({ raw, code }) => {
    const result = decodeValidatorMessage(raw);
    expect(result.ok ? 'accepted' : result.error.code).toBe(code);
  });

  it('refuses an error frame with an unknown code', () => {
    const result = decodeValidatorMessage(JSON.stringify({ type: 'error', code: 'oops', message: 'x' }));
    expect(result.ok).toBe(false);
  });
});
