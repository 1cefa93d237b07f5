import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_URL, readConfigFile, resolveConnection } from './config-file.js';

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'arena-config-'));
  return { dir, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

describe('the operator config file', () => {
  it('reads url and token, either one optional', async () => {
    await using tmp = await tempDir();
    const path = join(tmp.dir, 'arena.json');
    await writeFile(path, JSON.stringify({ url: 'http://arena:8787', token: 'secret' }));
    expect(await readConfigFile(path)).toEqual({
      ok: true,
      value: { url: 'http://arena:8787', token: 'secret' },
    });
    await writeFile(path, '{"token":"only"}');
    expect(await readConfigFile(path)).toEqual({ ok: true, value: { token: 'only' } });
  });

  it('refuses a missing file, non-JSON, unknown or mistyped keys and an oversized file, by code', async () => {
    await using tmp = await tempDir();
    const path = join(tmp.dir, 'arena.json');
    const codeOf = async (text: string | undefined) => {
      if (text !== undefined) await writeFile(path, text);
      const read = await readConfigFile(path);
      return read.ok ? 'ok' : read.error.code;
    };
    expect(await codeOf(undefined)).toBe('config_unreadable');
    for (const text of [
      'url = "http://x"',
      '{"url":"http://x","tokn":"typo"}',
      '{"url":8787}',
      '{"token":""}',
      '["http://x"]',
      // Valid but for its size: refused before it is parsed.
      `{"url":"http://x"}${' '.repeat(70_000)}`,
    ]) {
      expect(await codeOf(text), text.slice(0, 40)).toBe('invalid_config');
    }
  });
});

describe('where the CLI connects', () => {
  const file = { url: 'http://from-file', token: 'file-token' };

  it('prefers what the flags or the environment gave, then the file, then the default URL', () => {
    expect(resolveConnection({ url: 'http://given', token: 'given' }, file)).toEqual({
      url: 'http://given',
      token: 'given',
    });
    expect(resolveConnection({ url: 'http://given' }, file)).toEqual({
      url: 'http://given',
      token: 'file-token',
    });
    expect(resolveConnection({ token: 'given' }, file)).toEqual({ url: 'http://from-file', token: 'given' });
    expect(resolveConnection({}, undefined)).toEqual({ url: DEFAULT_URL });
  });

  it('takes an empty value (ARENA_URL=) as unset', () => {
    expect(resolveConnection({ url: '', token: '' }, file)).toEqual(file);
    expect(resolveConnection({ url: '' }, undefined)).toEqual({ url: DEFAULT_URL });
  });
});
