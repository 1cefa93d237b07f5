// Content-addressed artifact files under `<dataDir>/artifacts/<sha256>`: a body is streamed to a temp file
// in `.incoming` while hashed, counted and guarded against stalls, then renamed into place only when the
// caller accepts it; any failure deletes the temp file. It never holds a whole upload in memory and does
// no database access.

import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ValidatorError } from '../errors.js';
import { newToken } from '../ids.js';
import { type BodyGuardOptions, guardedChunks } from './body-guard.js';

/** A received upload sitting in a temp file, not yet stored. */
interface StagedArtifact {
  sha256: string;
  bytes: number;
  /** The temp file (for format checks that read only what they need). */
  tempPath: string;
  /** Moves the file to its content address. */
  commit(): Promise<void>;
  /** Deletes the temp file. */
  discard(): Promise<void>;
}

/** How one body is staged. */
interface StageOptions extends BodyGuardOptions {
  /** Largest body; past it `artifact_too_large` (413). */
  maxBytes: number;
  /** Called with each chunk's size before it is written; may throw to refuse the upload. */
  onChunk?: (bytes: number) => void;
}

/** Stores and reads artifacts by sha256. */
export interface ArtifactStore {
  /** Streams a body to a temp file; throws `artifact_too_large`, `upload_stalled` or what `onChunk` throws. */
  stage(body: ReadableStream<Uint8Array> | null, options: StageOptions): Promise<StagedArtifact>;
  /** Deletes temp files left by uploads a crash interrupted; gives how many. Call before serving. */
  cleanIncoming(): Promise<number>;
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
    cleanIncoming: async () => {
      const names = await readdir(tempDir).catch(() => [] as string[]);
      await Promise.all(names.map((name) => rm(join(tempDir, name), { force: true, recursive: true })));
      return names.length;
    },
    stage: async (body, options) => {
      await mkdir(tempDir, { recursive: true });
      const temp = join(tempDir, `${newToken()}.part`);
      const hash = createHash('sha256');
      let bytes = 0;
      try {
        await pipeline(
          guardedChunks(body, options),
          async function* (chunks: AsyncIterable<Uint8Array>) {
            for await (const chunk of chunks) {
              options.onChunk?.(chunk.byteLength);
              bytes += chunk.byteLength;
              if (bytes > options.maxBytes) {
                throw new ValidatorError('artifact_too_large', `artifact exceeds ${options.maxBytes} bytes`, {
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
        tempPath: temp,
        commit: async () => {
          await rename(temp, pathOf(sha256));
        },
        discard: () => rm(temp, { force: true }),
      };
    },
  };
}
