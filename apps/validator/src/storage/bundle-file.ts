// Checks that a file on disk is a well-formed artifact bundle by reading only its 14-byte prefix and its
// bounded header (at most MAX_BUNDLE_HEADER_BYTES) through a file handle; the data is never loaded. It does
// not judge the files inside the bundle.

import { open } from 'node:fs/promises';
import {
  BUNDLE_PREFIX_BYTES,
  type BundleLayout,
  decodeBundleHeader,
  decodeBundlePrefix,
  fail,
  type Result,
} from '@tuning-arena/protocol';

/** The checked layout of the bundle file at `path`, with memory bounded by the header limit. */
export async function checkBundleFile(path: string): Promise<Result<BundleLayout>> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const prefix = Buffer.alloc(BUNDLE_PREFIX_BYTES);
    const { bytesRead } = await handle.read(prefix, 0, prefix.byteLength, 0);
    const decoded = decodeBundlePrefix(prefix.subarray(0, bytesRead));
    if (!decoded.ok) return decoded;
    const { headerBytes } = decoded.value;
    if (BUNDLE_PREFIX_BYTES + headerBytes > size) {
      return fail('invalid_message', 'bundle header runs past the end of the file');
    }
    const header = Buffer.alloc(headerBytes);
    let filled = 0;
    while (filled < headerBytes) {
      const read = await handle.read(header, filled, headerBytes - filled, BUNDLE_PREFIX_BYTES + filled);
      if (read.bytesRead === 0) return fail('invalid_message', 'bundle file shrank while being read');
      filled += read.bytesRead;
    }
    return decodeBundleHeader(header, size);
  } finally {
    await handle.close();
  }
}
