import { describe, expect, it } from 'vitest';
import { decodeMinerMessage } from './codec.js';
import { validMinerFrames } from './fixtures.js';

describe('frames given as bytes', () => {
  it('refuses invalid UTF-8 with invalid_utf8 instead of replacing it', () => {
    const text = Buffer.from(JSON.stringify({ type: 'offer.reject', jobId: 'job_1', reason: 'xx' }));
    const broken = Buffer.concat([
      text.subarray(0, text.length - 4),
      Buffer.from([0xc3, 0x28]),
      text.subarray(-2),
    ]);
    const result = decodeMinerMessage(broken);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('invalid_utf8');
  });

  it('refuses a truncated multi-byte sequence and an encoded surrogate', () => {
    for (const bytes of [
      [0x22, 0xe2, 0x82, 0x22],
      [0x22, 0xed, 0xa0, 0x80, 0x22],
    ]) {
      const result = decodeMinerMessage(new Uint8Array(bytes));
      expect(result.ok ? 'ok' : result.error.code).toBe('invalid_utf8');
    }
  });

  it('accepts valid multi-byte UTF-8', () => {
    const frame = { ...(validMinerFrames['offer.reject'] as object), reason: 'zu beschäftigt ✓' };
    expect(decodeMinerMessage(Buffer.from(JSON.stringify(frame))).ok).toBe(true);
  });
});
