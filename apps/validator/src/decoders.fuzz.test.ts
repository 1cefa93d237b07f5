// Property-based fuzzing of the validator's own decoders of untrusted bytes: safetensors headers (the
// validator's reader and the engine's full parser), artifact bundle files checked from disk, and the
// CLI configuration. Random and mutated inputs must give a Result (or a refusal), never a throw or a hang.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, decodeSafetensorsHeader, encodeSafetensors } from '@tuning-arena/engine';
import { encodeBundle } from '@tuning-arena/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCliConfig } from './cli-config.js';
import { checkBundleFile } from './storage/bundle-file.js';

const isResult = (value: unknown) =>
  typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';

/** Byte-level mutations of a seed: flips, inserts, deletions and truncation. */
function mutated(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  const edit = fc.record({
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
    kind: fc.constantFrom('flip', 'insert', 'delete', 'truncate'),
  });
  return fc.array(edit, { minLength: 1, maxLength: 6 }).map((edits) => {
    let bytes = Array.from(seed);
    for (const { at, byte, kind } of edits) {
      const i = bytes.length === 0 ? 0 : at % bytes.length;
      if (kind === 'flip' && bytes.length > 0) bytes[i] = (bytes[i] ?? 0) ^ (1 << (byte % 8));
      else if (kind === 'insert') bytes.splice(i, 0, byte);
      else if (kind === 'delete') bytes.splice(i, 1);
      else bytes = bytes.slice(0, i);
    }
    return Uint8Array.from(bytes);
  });
}

const headerJson = fc.oneof(
  fc.jsonValue({ maxDepth: 5 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc
    .dictionary(
      fc.oneof(fc.constantFrom('__metadata__', '__proto__', 'w', ''), fc.string({ maxLength: 8 })),
      fc.record({
        dtype: fc.constantFrom('F32', 'F16', 'I64', 'X', 5),
        shape: fc.array(fc.oneof(fc.integer({ min: -2, max: 2 ** 40 }), fc.double()), { maxLength: 4 }),
        data_offsets: fc.array(fc.oneof(fc.integer({ min: -5, max: 2 ** 53 }), fc.constant(1e308)), {
          maxLength: 3,
        }),
      }),
      { maxKeys: 5 },
    )
    .map((v) => JSON.stringify(v)),
  fc.integer({ min: 1, max: 3000 }).map((depth) => '['.repeat(depth)),
);

describe('validator decoders under fuzzing', () => {
  it('reads random safetensors headers without throwing', () => {
    fc.assert(
      fc.property(headerJson, fc.option(fc.nat(1 << 20)), (json, dataBytes) => {
        const result = decodeSafetensorsHeader(new TextEncoder().encode(json), dataBytes ?? 0);
        expect(isResult(result)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('parses random and mutated safetensors files in the engine without throwing', () => {
    const seed = encodeSafetensors([['w', { shape: [2, 3], data: new Float32Array(6).fill(0.5) }]]);
    const files = fc.oneof(
      mutated(seed),
      fc.uint8Array({ maxLength: 300 }),
      headerJson.map((json) => {
        const body = new TextEncoder().encode(json);
        const out = new Uint8Array(8 + body.length);
        new DataView(out.buffer).setBigUint64(0, BigInt(body.length), true);
        out.set(body, 8);
        return out;
      }),
    );
    fc.assert(
      fc.property(files, (bytes) => {
        expect(isResult(decodeSafetensors(bytes))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('checks random and mutated bundle files from disk without throwing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'arena-fuzz-'));
    try {
      const seed = encodeBundle([
        { name: 'adapter_config.json', data: new TextEncoder().encode('{"r":4}') },
        { name: 'adapter_model.safetensors', data: new Uint8Array(32) },
      ]);
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(mutated(seed), fc.uint8Array({ maxLength: 200 })), async (bytes) => {
          const path = join(dir, `b${n++}`);
          await writeFile(path, bytes);
          expect(isResult(await checkBundleFile(path))).toBe(true);
        }),
        { numRuns: 300 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('decodes random command lines without throwing', () => {
    const flag = fc.constantFrom(
      '--port',
      '--max-body-bytes',
      '--progress-per-second',
      '--log-format',
      '--help',
      '--x',
      '-h',
    );
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer().map(String),
      fc.constantFrom('1e400', '-0', 'NaN', '0x10'),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(flag, value), { maxLength: 8 }), (argv) => {
        expect(isResult(parseCliConfig(argv, {}))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
