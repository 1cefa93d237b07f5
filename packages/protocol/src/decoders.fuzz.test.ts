// Property-based fuzzing of every protocol decoder that sees untrusted bytes: frames from either side, HTTP
// bodies, artifact bundles, bounded JSON and ed25519 key/signature checks. Inputs are random and mutated
// copies of valid ones; each decoder must return a Result (or a boolean) and never throw. Hangs are caught
// by the test timeout.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBody } from './body-codec.js';
import { parseBoundedJson } from './bounded-json.js';
import { decodeBundle, encodeBundle } from './bundle.js';
import { decodeMinerMessage, decodeValidatorMessage } from './codec.js';
import { validMinerFrames, validValidatorFrames } from './fixtures.js';
import { CreateCompetitionBody, CreateJobBody, PatchRuleBody, RegisterMinerBody } from './http-bodies.js';
import { parseMinerKey } from './miner-key.js';
import { challengePayload, generateMinerKeyPair, signPayload, verifyPayload } from './signing.js';

const RUNS = 1000;
const encoder = new TextEncoder();

/** Byte-level mutations of a seed: flips, inserts, deletions and truncation at random positions. */
function mutated(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );
  return fc.array(edit, { minLength: 1, maxLength: 8 }).map((edits) => {
    let bytes = Array.from(seed);
    for (const step of edits) {
      const at = bytes.length === 0 ? 0 : step.at % bytes.length;
      if (step.kind === 'flip' && bytes.length > 0) bytes[at] = (bytes[at] ?? 0) ^ (1 << step.bit);
      else if (step.kind === 'insert') bytes.splice(at, 0, step.byte);
      else if (step.kind === 'delete') bytes.splice(at, 1);
      else if (step.kind === 'truncate') bytes = bytes.slice(0, at);
    }
    return Uint8Array.from(bytes);
  });
}

/** Any JSON-ish value, including deep nesting, odd keys and huge numbers. */
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'type', 'jobId', ''), fc.jsonValue(), {
    maxKeys: 4,
  }),
);

const isResult = (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';

describe('protocol decoders under fuzzing', () => {
  const frameDecoders = [
    ['miner frames', decodeMinerMessage, validMinerFrames],
    ['validator frames', decodeValidatorMessage, validValidatorFrames],
  ] as const;

  for (const [name, decode, valid] of frameDecoders) {
    it(`decodes random and mutated ${name} without throwing`, () => {
      const seeds = Object.values(valid).map((frame) => encoder.encode(JSON.stringify(frame)));
      const input = fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.uint8Array({ maxLength: 300 }),
        jsonish.map((value) => JSON.stringify(value) ?? 'null'),
        fc.constantFrom(...seeds).chain(mutated),
        fc
          .constantFrom(...Object.values(valid))
          .chain((frame) =>
            fc
              .record({ key: fc.constantFrom(...Object.keys(frame as object)), value: jsonish })
              .map(({ key, value }) => JSON.stringify({ ...(frame as object), [key]: value })),
          ),
      );
      fc.assert(
        fc.property(input, (raw) => {
          const result = decode(raw);
          expect(isResult(result)).toBe(true);
          if (!result.ok) expect(typeof result.error.code).toBe('string');
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('checks random and mutated HTTP bodies against every body schema without throwing', () => {
    const schemas = [CreateCompetitionBody, RegisterMinerBody, CreateJobBody, PatchRuleBody];
    fc.assert(
      fc.property(fc.constantFrom(...schemas), jsonish, (schema, value) => {
        const result = decodeBody(schema, value);
        expect(isResult(result)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('decodes random and mutated artifact bundles without throwing', () => {
    const seed = encodeBundle([
      { name: 'adapter_config.json', data: encoder.encode('{"r":8}') },
      { name: 'adapter_model.safetensors', data: new Uint8Array(64) },
    ]);
    const input = fc.oneof(fc.uint8Array({ maxLength: 600 }), mutated(seed));
    fc.assert(
      fc.property(input, (bytes) => {
        expect(isResult(decodeBundle(bytes))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('parses random and mutated JSON within its limits without throwing', () => {
    const limits = { maxBytes: 4096, maxDepth: 8, maxValues: 200, maxStringLength: 256 };
    const seeds = [encoder.encode('{"a":[1,2,{"b":"c"}],"d":null,"e":-1.5e3}')];
    const input = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.string({ unit: 'binary', maxLength: 600 }).map((text) => encoder.encode(text)),
      jsonish.map((value) => encoder.encode(JSON.stringify(value) ?? 'null')),
      fc.integer({ min: 1, max: 5000 }).map((depth) => encoder.encode('['.repeat(depth))),
      fc.constantFrom(...seeds).chain(mutated),
    );
    fc.assert(
      fc.property(input, (bytes) => {
        expect(isResult(parseBoundedJson(bytes, limits))).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('parses random and mutated key spellings without throwing, accepting only canonical points', () => {
    const key = generateMinerKeyPair().publicKey;
    const alphabet = fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/'.split(''),
    );
    const spellings = fc.oneof(
      fc.string({ unit: alphabet, minLength: 40, maxLength: 46 }),
      fc.string({ maxLength: 60 }),
      fc
        .constant(key)
        .chain((k) =>
          fc
            .record({ at: fc.nat(42), char: alphabet })
            .map(({ at, char }) => `${k.slice(0, at)}${char}${k.slice(at + 1)}`),
        ),
    );
    fc.assert(
      fc.property(spellings, (text) => {
        const result = parseMinerKey(text);
        expect(isResult(result)).toBe(true);
        if (result.ok) expect(Buffer.from(result.value).toString('base64url')).toBe(text);
      }),
      { numRuns: RUNS },
    );
    expect(parseMinerKey(key).ok).toBe(true);
  });

  it('verifies random keys and signatures as false without throwing', () => {
    const keys = generateMinerKeyPair();
    const payload = challengePayload('nonce', keys.publicKey);
    const good = signPayload(keys.privateKeyPem, payload);
    const base64url = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/'),
      maxLength: 100,
    });
    fc.assert(
      fc.property(fc.oneof(base64url, fc.constant(keys.publicKey)), base64url, (key, signature) => {
        const verified = verifyPayload(key, payload, signature);
        expect(typeof verified).toBe('boolean');
        if (signature !== good) expect(verified).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });
});
