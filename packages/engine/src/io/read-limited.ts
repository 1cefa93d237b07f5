// Reads an artifact file only after checking its size, so an oversized upload is refused before it is
// loaded into memory. Sizes above the limit throw EngineError('invalid_file') with cause code file_too_large.

import { readFile, stat } from 'node:fs/promises';
import { EngineError } from '../errors.js';

/** Default upper bound for one model or adapter file (2 GiB, as decodeSafetensors). */
const DEFAULT_MAX_FILE_BYTES = 2 ** 31;

/** Upper bound for a JSON side file (config.json, tokenizer.json, adapter_config.json). */
export const JSON_FILE_LIMIT = 1 << 20;

/** The bytes of `path`, refusing files larger than `maxBytes` without reading them. */
export async function readFileLimited(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<Uint8Array> {
  const { size } = await stat(path);
  if (size > maxBytes) {
    throw new EngineError('invalid_file', `${path}: ${size} bytes > limit ${maxBytes}`, {
      cause: { code: 'file_too_large', issues: [`${size} bytes`] },
    });
  }
  return readFile(path);
}
