// Bulk HTTP transfers with the session token: downloads streamed to disk while hashing (and refused when
// the sha256 or size differ from what `job.start` announced), and artifact uploads. No retry policy here.

import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileRef } from '@tuning-arena/protocol';
import { MinerError } from './errors.js';
import type { JobTransfers } from './job-context.js';

/** Resolves a URL from the validator (relative or absolute) against the validator's base URL. */
function resolveUrl(validatorUrl: string, url: string): string {
  return new URL(url, validatorUrl).toString();
}

async function errorCode(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown } };
    if (typeof body.error?.code === 'string') return body.error.code;
  } catch {
    // not a JSON error body; fall back to the status
  }
  return `http_${response.status}`;
}

/** Downloads `ref` to `path`, verifying its sha256 and size; throws MinerError on any mismatch. */
async function downloadVerified(
  validatorUrl: string,
  ref: FileRef,
  path: string,
  token: string,
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(resolveUrl(validatorUrl, ref.url), {
      headers: { authorization: `Bearer ${token}` },
      signal,
    });
  } catch (cause) {
    throw new MinerError('download_failed', `download of ${ref.url} failed`, cause);
  }
  if (!response.ok || !response.body) {
    throw new MinerError('download_failed', `download of ${ref.url} answered ${response.status}`, {
      status: response.status,
      code: await errorCode(response),
    });
  }
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      done(null, chunk);
    },
  });
  const partial = `${path}.partial`;
  try {
    await pipeline(Readable.fromWeb(response.body as never), tap, createWriteStream(partial), { signal });
  } catch (cause) {
    await rm(partial, { force: true });
    throw new MinerError('download_failed', `download of ${ref.url} broke off`, cause);
  }
  const digest = hash.digest('hex');
  if (digest !== ref.sha256 || bytes !== ref.bytes) {
    await rm(partial, { force: true });
    throw new MinerError('hash_mismatch', `download of ${ref.url} does not match its announced sha256/size`, {
      expected: { sha256: ref.sha256, bytes: ref.bytes },
      actual: { sha256: digest, bytes },
    });
  }
  await rename(partial, path);
}

/** Uploads an artifact with `PUT`; throws MinerError `upload_failed` whose cause carries the HTTP status and code. */
async function uploadArtifact(
  validatorUrl: string,
  uploadUrl: string,
  data: Uint8Array,
  token: string,
  signal: AbortSignal,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(resolveUrl(validatorUrl, uploadUrl), {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
      body: data,
      signal,
    });
  } catch (cause) {
    throw new MinerError('upload_failed', `upload to ${uploadUrl} failed`, { status: 0, cause });
  }
  if (!response.ok) {
    const code = await errorCode(response);
    throw new MinerError('upload_failed', `upload to ${uploadUrl} was refused: ${code}`, {
      status: response.status,
      code,
    });
  }
  await response.body?.cancel();
}

/** The job runner's transfers over HTTP against the validator at `validatorUrl`. */
export function createHttpTransfers(validatorUrl: string): JobTransfers {
  return {
    download: (ref, path, token, signal) => downloadVerified(validatorUrl, ref, path, token, signal),
    upload: (uploadUrl, data, token, signal) => uploadArtifact(validatorUrl, uploadUrl, data, token, signal),
  };
}
