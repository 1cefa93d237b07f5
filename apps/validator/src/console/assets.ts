// The console's static files: the browser bundle and stylesheet that @tuning-arena/console-ui builds with
// esbuild (read once from its dist/, found through package resolution), and the favicon. Served with an
// ETag; a validator started before the bundle was built serves the pages without a script and says so once.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../logger.js';

/** One served file. */
export interface Asset {
  body: Uint8Array;
  type: string;
  etag: string;
}

const FAVICON = new TextEncoder().encode(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d4ed8"/><path d="M4 12 8 4l4 8" stroke="#fff" stroke-width="2" fill="none"/></svg>',
);

const TYPES: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

const asset = (body: Uint8Array, type: string): Asset => ({
  body,
  type,
  etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
});

/** Where the built bundle lies (console-ui's dist/). */
export function bundleDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tuning-arena/console-ui/package.json')), 'dist');
}

/** The served files by name, read lazily and kept; a missing bundle file is logged once and not served. */
export function createAssets(
  logger: Logger,
  dir: () => string = bundleDir,
): (name: string) => Asset | undefined {
  const cache = new Map<string, Asset | null>([
    ['favicon.svg', asset(FAVICON, TYPES['favicon.svg'] as string)],
  ]);
  return (name) => {
    const type = TYPES[name];
    if (!type) return undefined;
    if (!cache.has(name)) {
      try {
        cache.set(name, asset(readFileSync(join(dir(), name)), type));
      } catch (error) {
        logger.warn('console.bundle_missing', { file: name, error, hint: 'run pnpm build' });
        cache.set(name, null);
      }
    }
    return cache.get(name) ?? undefined;
  };
}
