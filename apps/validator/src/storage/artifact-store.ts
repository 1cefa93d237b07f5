// Content-addressed artifact files under `<dataDir>/artifacts/<sha256>`: a stream is written to a temp file
// while hashed and counted, then renamed into place only when the caller accepts it. No database access.

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ValidatorError } from '../errors.js';
import { newToken } from '../ids.js';

/** A received upload sitting in a temp file, not yet stored. */
export interface StagedArtifact {
  sha256: string;
  bytes: number;
  /** Reads the staged bytes back (for format checks). */
  read(): Promise<Uint8Array>;
  /** Moves the file to its content address. */
  commit(): Promise<void>;
  /** Deletes the temp file. */
  discard(): Promise<void>;
}

/** Stores and reads artifacts by sha256. */
export interface ArtifactStore {
  /** Streams a body to a temp file; throws `artifact_too_large` past `maxBytes`. */
  stage(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<StagedArtifact>;
  pathOf(sha256: string): string;
  has(sha256: string): Promise<boolean>;
  open(sha256: string): Readable;
}

/** Creates an artifact store rooted at `dir`. */
export function createArtifactStore(dir: string): ArtifactStore {
  const tempDir = join(dir, '.incoming');
  const pathOf = (sha256: string) => join(dir, sha256);
  return {
    pathOf,
    has: (sha256) =>
      stat(pathOf(sha256)).then(
        () => true,
        () => false,
      ),
    open: (sha256) => createReadStream(pathOf(sha256)),
    stage: async (body, maxBytes) => {
      await mkdir(tempDir, { recursive: true });
      const temp = join(tempDir, `${newToken()}.part`);
      const hash = createHash('sha256');
      let bytes = 0;
      const source = body
        ? Readable.fromWeb(body as import('node:stream/web').ReadableStream)
        : Readable.from([]);
      try {
        await pipeline(
          source,
          async function* (chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              bytes += chunk.byteLength;
              if (bytes > maxBytes) {
                throw new ValidatorError('artifact_too_large', `artifact exceeds ${maxBytes} bytes`, {
                  status: 413,
                });
              }
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(temp),
        );
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      const sha256 = hash.digest('hex');
      return {
        sha256,
        bytes,
        read: async () => new Uint8Array(await readFile(temp)),
        commit: async () => {
          await rename(temp, pathOf(sha256));
        },
        discard: () => rm(temp, { force: true }),
      };
    },
  };
}
