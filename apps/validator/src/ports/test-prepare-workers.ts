// Test-only helpers for the prepare pool (excluded from the build): builds the validator so the compiled
// worker entry exists (incremental `tsc -b`, as the engine's worker tests do), and writes a wrapper entry
// whose worker dies on the dataset named `boom` and otherwise behaves as the real one.

import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { preparerWorkerEntry } from './prepare-pool.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** Builds the validator (other packages' type errors do not stop the emit) and returns the worker entry. */
export function buildWorkerEntry(): string {
  spawnSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'apps/validator'], { cwd: root, stdio: 'ignore' });
  const entry = preparerWorkerEntry();
  if (!entry) throw new Error('the compiled prepare worker is missing after tsc -b');
  return entry;
}

/** Writes `<dir>/crashing-worker.mjs`: exits on dataset `boom`, else runs `entry`. */
export async function writeCrashingEntry(dir: string, entry: string): Promise<string> {
  const path = join(dir, 'crashing-worker.mjs');
  await writeFile(
    path,
    [
      "import { parentPort } from 'node:worker_threads';",
      // The real entry's listener goes first: a message that arrives before any listener waits on the port.
      `await import(${JSON.stringify(pathToFileURL(entry).href)});`,
      "parentPort.on('message', (task) => { if (task.request.dataset === 'boom') process.exit(7); });",
    ].join('\n'),
  );
  return path;
}
