// Artifact bundles: a small, deterministic container for the files of a model directory (a base model, a
// PEFT adapter or full weights), so one content-addressed blob with one sha256 travels over HTTP.
// Layout: magic "TABUNDLE1\n", u32 LE header length, JSON header [{name, offset, length}], then the data.
// Files are sorted by name, so the same files always give the same bytes (and hash). The header is
// untrusted: it is bounded (MAX_BUNDLE_HEADER_BYTES) before it is parsed, and `decodeBundleHeader` checks the
// layout against the file size alone, so a bundle on disk is validated without reading its data. Pure: no I/O.

import { parseBoundedJson } from './bounded-json.js';
import { fail, type Issue, ok, type Result } from './result.js';

/** One file inside a bundle. */
export interface BundleFile {
  name: string;
  data: Uint8Array;
}

/** One file's place in a bundle's data section. */
export interface BundleEntry {
  name: string;
  offset: number;
  length: number;
}

/** A checked bundle layout: where the data starts and each file's range in it. */
export interface BundleLayout {
  dataStart: number;
  entries: BundleEntry[];
}

const MAGIC = Buffer.from('TABUNDLE1\n', 'ascii');
/** Bytes before the JSON header: the magic and the u32 LE header length. */
export const BUNDLE_PREFIX_BYTES = MAGIC.byteLength + 4;
/** Most files in one bundle. */
const MAX_BUNDLE_FILES = 64;
/** Largest bundle header in bytes (64 files with 128-character names need under 12 KiB). */
export const MAX_BUNDLE_HEADER_BYTES = 64 * 1024;
const ENTRY_KEYS = new Set(['name', 'offset', 'length']);
/** A bundle file name: a plain file name, no directories, no dot-files. */
const BUNDLE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Whether a name is safe to use as a file name inside a bundle (no paths, no traversal). */
export function isSafeFileName(name: string): boolean {
  return BUNDLE_FILE_NAME.test(name) && !name.includes('..');
}

/** Packs files into a bundle; throws a TypeError on an unsafe or duplicate name (a programming error). */
export function encodeBundle(files: BundleFile[]): Uint8Array {
  if (files.length > MAX_BUNDLE_FILES)
    throw new TypeError(`a bundle holds at most ${MAX_BUNDLE_FILES} files`);
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

/** Reads the prefix (magic + header length) of a bundle; refuses a bad magic or an oversized header. */
export function decodeBundlePrefix(prefix: Uint8Array): Result<{ headerBytes: number }> {
  const buf = Buffer.from(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (buf.byteLength < BUNDLE_PREFIX_BYTES || !buf.subarray(0, MAGIC.byteLength).equals(MAGIC)) {
    return fail('invalid_message', 'not an artifact bundle (bad magic)');
  }
  const headerBytes = buf.readUInt32LE(MAGIC.byteLength);
  if (headerBytes > MAX_BUNDLE_HEADER_BYTES) {
    return fail('invalid_message', `bundle header exceeds ${MAX_BUNDLE_HEADER_BYTES} bytes`, [
      { path: '/', message: `${headerBytes} bytes` },
    ]);
  }
  return ok({ headerBytes });
}

/** Checks a bundle's JSON header against the total file size: names, contiguous in-range data, no extras. */
export function decodeBundleHeader(header: Uint8Array, fileBytes: number): Result<BundleLayout> {
  const bad = (message: string, issues: Issue[] = []) => fail('invalid_message', message, issues);
  const dataStart = BUNDLE_PREFIX_BYTES + header.byteLength;
  if (dataStart > fileBytes) return bad('bundle header runs past the end of the file');
  const parsed = parseBoundedJson(header, {
    maxBytes: MAX_BUNDLE_HEADER_BYTES,
    maxDepth: 2,
    maxValues: 1 + MAX_BUNDLE_FILES * 4,
    maxStringLength: 128,
    maxNumberLength: 16,
  });
  if (!parsed.ok) return bad(`bundle header: ${parsed.error.message}`, parsed.error.issues);
  const entries = parsed.value;
  if (!Array.isArray(entries) || entries.length > MAX_BUNDLE_FILES) {
    return bad(`bundle header must list at most ${MAX_BUNDLE_FILES} files`);
  }
  const layout: BundleEntry[] = [];
  const names = new Set<string>();
  let expectedOffset = 0;
  for (const [index, entry] of entries.entries()) {
    const path = `/${index}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      return bad('bundle entry must be an object', [{ path, message: 'not an object' }]);
    }
    if (Object.keys(entry).some((key) => !ENTRY_KEYS.has(key))) {
      return bad('bundle entry has unknown properties', [{ path, message: 'only name, offset, length' }]);
    }
    const { name, offset, length } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || !isSafeFileName(name)) {
      return fail('invalid_artifact_name', `unsafe file name in bundle: ${JSON.stringify(name)}`, [
        { path: `${path}/name`, message: 'must be a plain file name' },
      ]);
    }
    if (typeof offset !== 'number' || typeof length !== 'number') {
      return bad('bundle entry has a bad offset or length', [{ path, message: 'bad offset or length' }]);
    }
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || length < 0) {
      return bad('bundle entry has a bad offset or length', [{ path, message: 'bad offset or length' }]);
    }
    if (offset !== expectedOffset || length > fileBytes - dataStart - offset) {
      return bad('bundle entry lies outside the data or overlaps another', [
        { path, message: 'out of range' },
      ]);
    }
    if (names.has(name)) return bad(`duplicate file ${name} in bundle`, [{ path, message: 'duplicate' }]);
    names.add(name);
    layout.push({ name, offset, length });
    expectedOffset += length;
  }
  if (dataStart + expectedOffset !== fileBytes) return bad('bundle has trailing bytes');
  return ok({ dataStart, entries: layout });
}

/** Unpacks a bundle, refusing a bad magic, a malformed header, unsafe names or out-of-range data. */
export function decodeBundle(bytes: Uint8Array, maxBytes = 2 ** 31): Result<BundleFile[]> {
  if (bytes.byteLength > maxBytes) return fail('artifact_too_large', `bundle exceeds ${maxBytes} bytes`);
  const prefix = decodeBundlePrefix(bytes.subarray(0, BUNDLE_PREFIX_BYTES));
  if (!prefix.ok) return prefix;
  const headerEnd = BUNDLE_PREFIX_BYTES + prefix.value.headerBytes;
  if (headerEnd > bytes.byteLength) {
    return fail('invalid_message', 'bundle header runs past the end of the file');
  }
  const layout = decodeBundleHeader(bytes.subarray(BUNDLE_PREFIX_BYTES, headerEnd), bytes.byteLength);
  if (!layout.ok) return layout;
  const { dataStart, entries } = layout.value;
  return ok(
    entries.map(({ name, offset, length }) => ({
      name,
      data: bytes.subarray(dataStart + offset, dataStart + offset + length),
    })),
  );
}
