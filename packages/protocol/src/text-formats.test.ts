import { describe, expect, it } from 'vitest';
import { decodeBody } from './body-codec.js';
import { decodeMinerMessage, encodeValidatorMessage } from './codec.js';
import { validMinerFrames, validValidatorFrames } from './fixtures.js';
import { CreateCompetitionBody, CreateJobBody, RegisterMinerBody } from './http-bodies.js';
import { clipText, isWellFormedText } from './text-formats.js';

const frame = (type: string, patch: object) =>
  JSON.stringify({ ...(validMinerFrames[type] as object), ...patch });
const issuesOf = (result: { ok: boolean; error?: { issues: { path: string }[] } }) =>
  (result.error?.issues ?? []).map((issue) => issue.path);

const LONE = ['\uD800', '\uDFFF', 'a\uDC00b', '\uD83D', 'ok \uDE00'];

describe('free text and names', () => {
  it('refuses lone surrogates in every free-text field of a miner frame, naming the field', () => {
    const cases: [string, string][] = [
      ['hello', 'software'],
      ['job.submit', 'strategyNote'],
      ['offer.reject', 'reason'],
    ];
    for (const [type, field] of cases) {
      for (const bad of LONE) {
        const raw = frame(type, { [field]: bad });
        expect(raw.includes('\\ud'), 'the frame itself is ASCII JSON with an escape').toBe(true);
        const decoded = decodeMinerMessage(raw);
        expect(decoded.ok, `${type}.${field}`).toBe(false);
        if (!decoded.ok) expect(decoded.error.code).toBe('invalid_message');
        expect(issuesOf(decoded)).toContain(`/${field}`);
      }
    }
  });

  it('keeps free text as sent: pairs, emoji, tabs, newlines and NUL are accepted', () => {
    const note = 'LoRA r=8 😀 👩‍💻 \t\n\u0000 end';
    const decoded = decodeMinerMessage(frame('job.submit', { strategyNote: note }));
    expect(decoded.ok).toBe(true);
    if (decoded.ok && decoded.value.type === 'job.submit') expect(decoded.value.strategyNote).toBe(note);
  });

  it('refuses lone surrogates, controls, line breaks, bidi overrides and blanks in operator names', () => {
    const bad = [
      ...LONE,
      '\u0000',
      'a\u0000',
      'ann\n',
      'a\tb',
      'x\u007f',
      'x\u0085',
      'a\u2028',
      '\u202Eevil',
      'a\u2066b',
      ' ',
      '\u200B',
      '\u3000',
    ];
    for (const value of bad) {
      const competition = decodeBody(CreateCompetitionBody, { name: value });
      expect(competition.ok, JSON.stringify(value)).toBe(false);
      if (!competition.ok) expect(competition.error.code).toBe('invalid_body');
      expect(issuesOf(competition)).toContain('/name');
      for (const field of ['owner', 'displayName']) {
        const miner = decodeBody(RegisterMinerBody, {
          publicKey: 'k',
          owner: 'ann',
          displayName: 'a',
          [field]: value,
        });
        expect(issuesOf(miner), `${field} ${JSON.stringify(value)}`).toContain(`/${field}`);
      }
      const job = { model: 'tiny', dataset: 'sums', timeLimitSeconds: 1, minersWanted: 1 };
      expect(issuesOf(decodeBody(CreateJobBody, { ...job, model: value }))).toContain('/model');
      expect(issuesOf(decodeBody(CreateJobBody, { ...job, dataset: value }))).toContain('/dataset');
    }
  });

  it('accepts names in any script, with emoji sequences and inner spaces', () => {
    for (const name of ['Ada Lovelace', 'Ａｄａ', 'Zoë', '東京 cup', '👩‍💻 team', 'Straße']) {
      expect(decodeBody(CreateCompetitionBody, { name }).ok, name).toBe(true);
      expect(decodeBody(RegisterMinerBody, { publicKey: 'k', owner: name, displayName: name }).ok).toBe(true);
    }
  });

  it('still encodes every valid validator fixture (outbound text is checked the same way)', () => {
    for (const message of Object.values(validValidatorFrames)) {
      expect(() => encodeValidatorMessage(message as never)).not.toThrow();
    }
    const cut = { type: 'error', code: 'unknown_type', message: `x${'😀'.repeat(10)}`.slice(0, 4) };
    expect(() => encodeValidatorMessage(cut as never)).not.toThrow();
  });

  it("clips a sender's own text without splitting a pair and without lone surrogates", () => {
    const emoji = '\u{1F600}';
    expect(clipText(`ab${emoji}`, 3)).toBe('ab');
    expect(clipText(`ab${emoji}`, 4)).toBe(`ab${emoji}`);
    expect(clipText('a\uD800b\uDC00', 10)).toBe('a\uFFFDb\uFFFD');
    expect(isWellFormedText(clipText(`${'x'.repeat(3999)}${emoji}`, 4000))).toBe(true);
  });
});
