// Artifact bundles: a small, deterministic container for the files of a model directory (a base model, a
// PEFT adapter or full weights), so one content-addressed blob with one sha256 travels over HTTP.
// Layout: magic "TABUNDLE1\n", u32 LE header length, JSON header [{name, offset, length}], then the data.
// Files are sorted by name, so the same files always give the same bytes (and hash). Pure: no I/O.

import { fail, type Issue, ok, type Result } from './result.js';

/** One file inside a bundle. */
export interface BundleFile {
  name: string;
  data: Uint8Array;
}

const MAGIC = Buffer.from('TABUNDLE1\n', 'ascii');
const MAX_FILES = 64;
/** A bundle file name: a plain file name, no directories, no dot-files. */
export const BUNDLE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Whether a name is safe to use as a file name inside a bundle (no paths, no traversal). */
export function isSafeFileName(name: string): boolean {
  return BUNDLE_FILE_NAME.test(name) && !name.includes('..');
}

/** Packs files into a bundle; throws a TypeError on an unsafe or duplicate name (a programming error). */
export function encodeBundle(files: BundleFile[]): Uint8Array {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = new Set<string>();
  let offset = 0;
  const entries = sorted.map((file) => {
    if (!isSafeFileName(file.name))
      throw new TypeError(`unsafe bundle file name ${JSON.stringify(file.name)}`);
    if (names.has(file.name)) throw new TypeError(`duplicate bundle file name ${file.name}`);
    names.add(file.name);
    const entry = { name: file.name, offset, length: file.data.byteLength };
    offset += file.data.byteLength;
    return entry;
  });
  const header = Buffer.from(JSON.stringify(entries), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.byteLength);
  return Buffer.concat([MAGIC, length, header, ...sorted.map((file) => file.data)]);
}

/** Unpacks a bundle, refusing a bad magic, a malformed header, unsafe names or out-of-range data. */
export function decodeBundle(bytes: Uint8Array, maxBytes = 2 ** 31): Result<BundleFile[]> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (message: string, issues: Issue[] = []) => fail('invalid_message', message, issues);
  if (buf.byteLength > maxBytes) return fail('artifact_too_large', `bundle exceeds ${maxBytes} bytes`);
  if (buf.byteLength < MAGIC.byteLength + 4 || !buf.subarray(0, MAGIC.byteLength).equals(MAGIC)) {
    return bad('not an artifact bundle (bad magic)');
  }
  const headerLength = buf.readUInt32LE(MAGIC.byteLength);
  const dataStart = MAGIC.byteLength + 4 + headerLength;
  if (dataStart > buf.byteLength) return bad('bundle header runs past the end of the file');
  let entries: unknown;
  try {
    entries = JSON.parse(buf.subarray(MAGIC.byteLength + 4, dataStart).toString('utf8'));
  } catch {
    return bad('bundle header is not valid JSON');
  }
  if (!Array.isArray(entries) || entries.length > MAX_FILES)
    return bad('bundle header must list at most 64 files');
  const files: BundleFile[] = [];
  let expectedOffset = 0;
  for (const [index, entry] of entries.entries()) {
    const { name, offset, length } = (entry ?? {}) as Record<string, unknown>;
    const path = `/${index}`;
    if (typeof name !== 'string' || !isSafeFileName(name)) {
      return fail('invalid_artifact_name', `unsafe file name in bundle: ${JSON.stringify(name)}`, [
        { path: `${path}/name`, message: 'must be a plain file name' },
      ]);
    }
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || (length as number) < 0) {
      return bad('bundle entry has a bad offset or length', [{ path, message: 'bad offset or length' }]);
    }
    if (offset !== expectedOffset || dataStart + (offset as number) + (length as number) > buf.byteLength) {
      return bad('bundle entry lies outside the data or overlaps another', [
        { path, message: 'out of range' },
      ]);
    }
    if (files.some((file) => file.name === name)) return bad(`duplicate file ${name} in bundle`);
    const start = dataStart + (offset as number);
    files.push({ name, data: buf.subarray(start, start + (length as number)) });
    expectedOffset += length as number;
  }
  if (dataStart + expectedOffset !== buf.byteLength) return bad('bundle has trailing bytes');
  return ok(files);
}
