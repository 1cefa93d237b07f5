// Unpacks an uploaded artifact bundle (already hash-verified on disk) into a private directory (0700) under a
// work dir, streaming each file's bytes from the bundle with bounded memory. The container is checked from its
// header alone first (storage/bundle-file.ts), then names, counts and sizes against the artifact kind; nothing
// is written until all of that passes, and a failure removes what was written. It does not parse the files.

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type BundleEntry, isSafeFileName } from '@tuning-arena/protocol';
import { checkBundleFile } from '../storage/bundle-file.js';
import {
  ARTIFACT_FILES,
  type ArtifactKind,
  type ArtifactLimits,
  type ArtifactResult,
  DEFAULT_ARTIFACT_LIMITS,
  isJsonFile,
  refuse,
} from './artifact-limits.js';

/** An unpacked artifact: its private directory and files; `remove` (or `await using`) deletes it. */
interface UnpackedArtifact extends AsyncDisposable {
  dir: string;
  /** File names in bundle order. */
  files: string[];
  /** Size of the bundle file in bytes. */
  bytes: number;
  remove(): Promise<void>;
}

/** What to unpack and where. */
interface UnpackInput {
  artifactPath: string;
  kind: ArtifactKind;
  /** Parent of the private directory (created if missing). */
  workDir: string;
  limits?: Partial<ArtifactLimits>;
}

/** Checks a bundle's entries against the kind's allowed files and the limits, before anything is written. */
function checkEntries(
  entries: readonly BundleEntry[],
  kind: ArtifactKind,
  limits: ArtifactLimits,
): ArtifactResult<void> {
  if (entries.length > limits.maxFiles) {
    return refuse('too_many_files', `${entries.length} files > limit ${limits.maxFiles}`);
  }
  const { required, optional } = ARTIFACT_FILES[kind];
  for (const { name, length } of entries) {
    if (!isSafeFileName(name)) return refuse('unsafe_file_name', JSON.stringify(name));
    if (!required.includes(name) && !optional.includes(name)) {
      return refuse('unexpected_file', `${name} is not a file of a ${kind} artifact`);
    }
    const max = isJsonFile(name) ? limits.maxJsonBytes : limits.maxWeightsBytes;
    if (length > max) return refuse('file_too_large', `${name}: ${length} bytes > limit ${max}`);
  }
  const missing = required.filter((name) => !entries.some((entry) => entry.name === name));
  if (missing.length > 0) return refuse('missing_file', missing.join(', '));
  return { ok: true, value: undefined };
}

async function copyRange(from: string, to: string, start: number, length: number): Promise<void> {
  const output = createWriteStream(to, { flags: 'wx', mode: 0o600 });
  if (length === 0) {
    await new Promise<void>((resolve, reject) =>
      output.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    return;
  }
  await pipeline(createReadStream(from, { start, end: start + length - 1 }), output);
  const written = (await stat(to)).size;
  if (written !== length) throw new Error(`${to}: wrote ${written} of ${length} bytes`);
}

/** Unpacks an artifact bundle into a fresh private directory, or says why it is refused. */
export async function unpackArtifact(input: UnpackInput): Promise<ArtifactResult<UnpackedArtifact>> {
  const limits = { ...DEFAULT_ARTIFACT_LIMITS, ...input.limits };
  let bytes: number;
  try {
    bytes = (await stat(input.artifactPath)).size;
  } catch (error) {
    return refuse('bundle_invalid', `cannot read the artifact: ${(error as Error).message}`);
  }
  if (bytes > limits.maxBundleBytes) {
    return refuse('bundle_too_large', `${bytes} bytes > limit ${limits.maxBundleBytes}`);
  }
  const layout = await checkBundleFile(input.artifactPath).catch((error: Error) => ({
    ok: false as const,
    error: { code: 'invalid_message', message: error.message },
  }));
  if (!layout.ok) {
    const code = layout.error.code === 'invalid_artifact_name' ? 'unsafe_file_name' : 'bundle_invalid';
    return refuse(code, layout.error.message);
  }
  const { dataStart, entries } = layout.value;
  const checked = checkEntries(entries, input.kind, limits);
  if (!checked.ok) return checked;
  await mkdir(input.workDir, { recursive: true });
  // mkdtemp creates the directory with mode 0700.
  const dir = await mkdtemp(join(input.workDir, 'artifact-'));
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    for (const entry of entries) {
      await copyRange(input.artifactPath, join(dir, entry.name), dataStart + entry.offset, entry.length);
    }
  } catch (error) {
    await remove();
    return refuse('bundle_invalid', `unpacking failed: ${(error as Error).message}`);
  }
  return {
    ok: true,
    value: {
      dir,
      files: entries.map((entry) => entry.name),
      bytes,
      remove,
      [Symbol.asyncDispose]: remove,
    },
  };
}
