import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTempDirs, startValidator, testConfig } from '../test-fixtures.js';
import { rawPut, sha256Of, testBundle, uploadArena } from '../test-uploads.js';

const KiB = 1024;

describe('artifact uploads under attack', () => {
  it('stores a valid bundle larger than the JSON body limit, streamed in chunks without Content-Length', async () => {
    await using dirs = await createTempDirs();
    await using a = await uploadArena(dirs.root, { limits: { maxBodyBytes: 1024 } });
    const { bytes, sha } = testBundle(256 * KiB);
    await a.commit(sha);
    const put = rawPut(a.validator.url, sha, a.uploader.sessionToken ?? '');
    for (let at = 0; at < bytes.length; at += 16 * KiB) await put.write(bytes.subarray(at, at + 16 * KiB));
    expect(await put.end()).toEqual({ status: 201, code: undefined });
    await expect.poll(() => a.incoming()).toEqual([]);
  });

  it('refuses a hash-matching bundle whose header exceeds 64 KiB, leaving no temp file', async () => {
    await using dirs = await createTempDirs();
    await using a = await uploadArena(dirs.root);
    // Valid JSON, padded past the header limit: the old decoder parsed any header length the u32 allowed.
    const header = Buffer.from(`[{"name":"a.bin","offset":0,"length":3}${' '.repeat(70 * KiB)}]`, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.byteLength);
    const bytes = Buffer.concat([Buffer.from('TABUNDLE1\n'), length, header, Buffer.from([1, 2, 3])]);
    const sha = sha256Of(bytes);
    await a.commit(sha);
    const put = rawPut(a.validator.url, sha, a.uploader.sessionToken ?? '', bytes.length);
    expect(await put.end(bytes)).toEqual({ status: 400, code: 'invalid_message' });
    await expect.poll(() => a.incoming()).toEqual([]);
    await a.bystanderServed();
  });

  it('refuses a header length field of 2^32-1 and a file shorter than its header', async () => {
    await using dirs = await createTempDirs();
    await using a = await uploadArena(dirs.root);
    for (const declared of [2 ** 32 - 1, 100]) {
      const length = Buffer.alloc(4);
      length.writeUInt32LE(declared);
      const bytes = Buffer.concat([Buffer.from('TABUNDLE1\n'), length, Buffer.from('[]')]);
      const sha = sha256Of(bytes);
      await a.commit(sha);
      const put = rawPut(a.validator.url, sha, a.uploader.sessionToken ?? '', bytes.length);
      expect(await put.end(bytes)).toEqual({ status: 400, code: 'invalid_message' });
    }
    await expect.poll(() => a.incoming()).toEqual([]);
  });

  it('refuses a third concurrent upload of one miner and an upload past the total with 429, and frees slots', async () => {
    await using dirs = await createTempDirs();
    await using a = await uploadArena(dirs.root, {
      limits: { maxConcurrentUploadsPerMiner: 2, maxConcurrentUploads: 3 },
    });
    const { bytes, sha } = testBundle(4 * KiB);
    await a.commit(sha);
    await a.commit(sha, a.bystander);
    const token = a.uploader.sessionToken ?? '';
    const open = [rawPut(a.validator.url, sha, token), rawPut(a.validator.url, sha, token)] as const;
    for (const put of open) await put.write(bytes.subarray(0, 100));
    await expect.poll(async () => (await a.incoming()).length).toBe(2);
    expect(await rawPut(a.validator.url, sha, token).end(bytes)).toEqual({
      status: 429,
      code: 'too_many_uploads',
    });
    const third = rawPut(a.validator.url, sha, a.bystander.sessionToken ?? '');
    await third.write(bytes.subarray(0, 100));
    await expect.poll(async () => (await a.incoming()).length).toBe(3);
    const fourth = rawPut(a.validator.url, sha, a.bystander.sessionToken ?? '');
    expect(await fourth.end(bytes)).toEqual({ status: 429, code: 'too_many_uploads' });
    await a.bystanderServed();
    open[0].abort();
    for (const put of [open[1], third])
      expect(await put.end(bytes.subarray(100))).toEqual({ status: 201, code: undefined });
    expect(await rawPut(a.validator.url, sha, token).end(bytes)).toEqual({ status: 201, code: undefined });
    expect(a.limitLines('too_many_uploads')).toBeGreaterThanOrEqual(1);
    await expect.poll(() => a.incoming()).toEqual([]);
  });

  it('refuses bytes past the per-job quota, counting refused uploads, early on Content-Length or while streaming', async () => {
    await using dirs = await createTempDirs();
    await using a = await uploadArena(dirs.root, { limits: { maxUploadBytesPerJob: 4 * KiB } });
    const token = a.uploader.sessionToken ?? '';
    const { bytes, sha } = testBundle(2 * KiB);
    await a.commit(sha);
    const declared = rawPut(a.validator.url, sha, token, 5 * KiB);
    expect(await declared.answer).toEqual({ status: 413, code: 'upload_quota_exceeded' });
    declared.abort();
    // A refused (wrong-hash) upload still uses up quota.
    const wrong = Buffer.alloc(3 * KiB, 1);
    expect(await rawPut(a.validator.url, sha, token).end(wrong)).toEqual({
      status: 400,
      code: 'hash_mismatch',
    });
    expect(await rawPut(a.validator.url, sha, token).end(bytes)).toEqual({
      status: 413,
      code: 'upload_quota_exceeded',
    });
    await expect.poll(() => a.incoming()).toEqual([]);
    expect(a.limitLines('upload_quota_exceeded')).toBeGreaterThanOrEqual(1);
    // Other miners' quotas are their own.
    await a.commit(sha, a.bystander);
    expect(await rawPut(a.validator.url, sha, a.bystander.sessionToken ?? '').end(bytes)).toEqual({
      status: 201,
      code: undefined,
    });
  });

  it('cuts off an upload that goes silent with 408 upload_stalled, deletes its temp file and frees its slot', async () => {
    await using dirs = await createTempDirs();
    await using a = await uploadArena(dirs.root, {
      limits: { uploadIdleTimeoutMs: 300, maxConcurrentUploadsPerMiner: 1 },
    });
    const token = a.uploader.sessionToken ?? '';
    const { bytes, sha } = testBundle(4 * KiB);
    await a.commit(sha);
    const silent = rawPut(a.validator.url, sha, token, bytes.length);
    await silent.write(bytes.subarray(0, KiB));
    await expect.poll(async () => (await a.incoming()).length).toBe(1);
    console.log(`bystander answered in ${(await a.bystanderServed()).toFixed(1)} ms during a stalled upload`);
    expect(await silent.answer).toEqual({ status: 408, code: 'upload_stalled' });
    await silent.closed;
    await expect.poll(() => a.incoming()).toEqual([]);
    expect(a.limitLines('upload_stalled')).toBe(1);
    expect(await rawPut(a.validator.url, sha, token).end(bytes)).toEqual({ status: 201, code: undefined });
  });

  it('cuts off an upload that trickles below the minimum rate', async () => {
    await using dirs = await createTempDirs();
    await using a = await uploadArena(dirs.root, {
      limits: { uploadIdleTimeoutMs: 300, uploadMinBytesPerSecond: 10 * KiB },
    });
    const { bytes, sha } = testBundle(4 * KiB);
    await a.commit(sha);
    const slow = rawPut(a.validator.url, sha, a.uploader.sessionToken ?? '', bytes.length);
    let sent = 0;
    const trickle = setInterval(() => {
      if (sent < bytes.length) void slow.write(bytes.subarray(sent, ++sent));
    }, 50);
    try {
      expect(await slow.answer).toEqual({ status: 408, code: 'upload_stalled' });
    } finally {
      clearInterval(trickle);
    }
    await expect.poll(() => a.incoming()).toEqual([]);
    expect(a.limitLines('upload_stalled')).toBe(1);
  });

  it('deletes the temp file and frees the slot of an upload the client aborts mid-stream', async () => {
    await using dirs = await createTempDirs();
    await using a = await uploadArena(dirs.root, { limits: { maxConcurrentUploadsPerMiner: 1 } });
    const token = a.uploader.sessionToken ?? '';
    const { bytes, sha } = testBundle(64 * KiB);
    await a.commit(sha);
    const aborted = rawPut(a.validator.url, sha, token, bytes.length);
    await aborted.write(bytes.subarray(0, 32 * KiB));
    await expect.poll(async () => (await a.incoming()).length).toBe(1);
    aborted.abort();
    await expect.poll(() => a.incoming()).toEqual([]);
    await expect.poll(async () => (await rawPut(a.validator.url, sha, token).end(bytes)).status).toBe(201);
  });

  it('keeps a bystander answered while a large upload streams', async () => {
    await using dirs = await createTempDirs();
    await using a = await uploadArena(dirs.root);
    const { bytes, sha } = testBundle(8 * 1024 * KiB);
    await a.commit(sha);
    const put = rawPut(a.validator.url, sha, a.uploader.sessionToken ?? '', bytes.length);
    const latencies: number[] = [];
    for (let at = 0; at < bytes.length; at += 1024 * KiB) {
      await put.write(bytes.subarray(at, at + 1024 * KiB));
      latencies.push(await a.bystanderServed());
    }
    expect(await put.end()).toEqual({ status: 201, code: undefined });
    console.log(`bystander latency during an 8 MiB upload: max ${Math.max(...latencies).toFixed(1)} ms`);
  });

  it('deletes temp files an interrupted upload left behind when the validator starts', async () => {
    await using dirs = await createTempDirs();
    const incoming = join(dirs.root, 'data', 'artifacts', '.incoming');
    await mkdir(incoming, { recursive: true });
    await writeFile(join(incoming, 'crashed.part'), Buffer.alloc(1000));
    await using validator = await startValidator(testConfig(dirs.root));
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(incoming)).toEqual([]);
    expect((await fetch(`${validator.url}/v1/health`)).status).toBe(200);
  });
});
