// The one sha256 helper: every content address, pin and token digest in the project is lower-case hex sha256.

import { createHash } from 'node:crypto';

/** Lower-case hex sha256 of a string (UTF-8) or bytes. */
export function sha256Hex(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('hex');
}
