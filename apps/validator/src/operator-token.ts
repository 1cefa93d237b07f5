// The operator token of a validator started without one: generated once, kept in `<dataDir>/operator-token`
// (mode 0600) and reused on every restart, so an operator's scripts keep working. It never logs the token.

import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a data directory keeps its generated operator token. */
function operatorTokenPath(dataDir: string): string {
  return join(dataDir, 'operator-token');
}

/** The stored token, or a new one written with mode 0600; `created` says which. */
export async function loadOrCreateOperatorToken(
  dataDir: string,
): Promise<{ token: string; created: boolean; path: string }> {
  const path = operatorTokenPath(dataDir);
  await mkdir(dataDir, { recursive: true });
  const existing = await readFile(path, 'utf8').then(
    (text) => text.trim(),
    () => undefined,
  );
  if (existing) return { token: existing, created: false, path };
  const token = randomBytes(32).toString('base64url');
  // `wx` fails if two validators race on one data dir; the loser reads the winner's token.
  const handle = await open(path, 'wx', 0o600).catch(() => undefined);
  if (!handle) return { token: (await readFile(path, 'utf8')).trim(), created: false, path };
  try {
    await handle.writeFile(`${token}\n`);
  } finally {
    await handle.close();
  }
  return { token, created: true, path };
}
