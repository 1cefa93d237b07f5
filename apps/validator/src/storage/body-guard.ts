// Reads an untrusted request body chunk by chunk with an idle timeout and a minimum average rate, so a
// client that sends a little and then goes silent (or trickles a byte every few seconds) is cut off with
// 408 `upload_stalled` instead of holding a socket, a file and an upload slot. It stores nothing.

import { ValidatorError } from '../errors.js';

/** How slow a body may be. */
export interface BodyGuardOptions {
  /** Longest silence between two chunks, in ms. */
  idleTimeoutMs: number;
  /** Lowest average rate once the first idle-timeout period has passed (0: no rate check). */
  minBytesPerSecond: number;
}

function stalled(message: string): ValidatorError {
  return new ValidatorError('upload_stalled', message, { status: 408 });
}

async function readWithin<T>(
  reader: ReadableStreamDefaultReader<T>,
  timeoutMs: number,
): Promise<Awaited<ReturnType<ReadableStreamDefaultReader<T>['read']>>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(stalled(`no body bytes for ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([
      reader.read().catch((cause: unknown) => {
        throw new ValidatorError('bad_request', 'the request body ended before it was complete', { cause });
      }),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The chunks of `body`; throws `upload_stalled` (408) on silence or a too-slow average rate. */
export async function* guardedChunks(
  body: ReadableStream<Uint8Array> | null,
  options: BodyGuardOptions,
): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  const started = performance.now();
  let bytes = 0;
  let finished = false;
  try {
    for (;;) {
      const next = await readWithin(reader, options.idleTimeoutMs);
      if (next.done) {
        finished = true;
        return;
      }
      bytes += next.value.byteLength;
      const elapsedMs = performance.now() - started;
      if (
        options.minBytesPerSecond > 0 &&
        elapsedMs > options.idleTimeoutMs &&
        bytes * 1000 < options.minBytesPerSecond * elapsedMs
      ) {
        throw stalled(`body arrives slower than ${options.minBytesPerSecond} bytes/s`);
      }
      yield next.value;
    }
  } finally {
    // Not awaited: the read a stalled client never answers may never settle; cancelling releases it.
    if (!finished) reader.cancel().catch(() => undefined);
  }
}
