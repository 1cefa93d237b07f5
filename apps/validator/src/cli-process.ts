// The compiled validator CLI (dist/main.js) as a real child process, for tests that kill it with SIGKILL and
// start it again: built first (incrementally), started on a free port, its URL read from its JSON log lines
// on stderr. Shared by the validator's and the end-to-end tests as the `./cli-process` subpath export; it is
// not part of the app's barrel and the validator itself never uses it.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GATEWAY_PATH } from '@tuning-arena/protocol';

// `..` of src/ and of dist/ alike.
const appDir = fileURLToPath(new URL('..', import.meta.url));
const mainJs = join(appDir, 'dist', 'main.js');

/** A running validator process. */
export interface ValidatorProcess {
  process: ChildProcess;
  /** Its HTTP base URL. */
  url: string;
  /** Its miners' WebSocket gateway. */
  wsUrl: string;
  /** Kills it with SIGKILL and waits until it is gone. */
  kill(): Promise<void>;
  /** Stops it with SIGTERM and waits until it is gone. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Builds the validator's dist (cheap when fresh); fails loudly when the build does. */
export function buildValidatorCli(): void {
  execFileSync('pnpm', ['exec', 'tsc', '-b', appDir], { cwd: appDir, stdio: 'pipe' });
  if (!existsSync(mainJs)) throw new Error(`build did not produce ${mainJs}`);
}

/** Where a test validator keeps its state and reads its models and datasets, and its operator token. */
export interface TestValidatorDirs {
  dataDir: string;
  modelsDir: string;
  datasetDir: string;
  operatorToken: string;
}

/** The flags of a test validator over `dirs`, with 1 s heartbeats and a 2 s upload grace. */
export function testValidatorArgs(dirs: TestValidatorDirs): string[] {
  return [
    `--data-dir=${dirs.dataDir}`,
    `--models-dir=${dirs.modelsDir}`,
    `--dataset-dir=${dirs.datasetDir}`,
    `--operator-token=${dirs.operatorToken}`,
    '--heartbeat-interval-ms=1000',
    '--upload-grace-seconds=2',
  ];
}

/** Resolves with the URL of the `validator.listening` log line; rejects when the process exits first. */
function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const lines: string[] = [];
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      buffer += chunk;
      for (let index = buffer.indexOf('\n'); index >= 0; index = buffer.indexOf('\n')) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        lines.push(line);
        try {
          const event = JSON.parse(line) as { event?: string; url?: string };
          if (event.event === 'validator.listening' && event.url) resolve(event.url);
        } catch {
          // not a log line
        }
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`validator exited (${code}) before listening:\n${lines.join('\n')}`)),
    );
  });
}

/** Starts `node dist/main.js --port=0 --log-format=json ...args` and resolves once it listens. */
export async function spawnValidatorCli(args: string[]): Promise<ValidatorProcess> {
  const child = spawn(process.execPath, [mainJs, '--port=0', '--log-format=json', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await listeningUrl(child);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const stop = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  const gateway = new URL(GATEWAY_PATH, url);
  gateway.protocol = gateway.protocol === 'https:' ? 'wss:' : 'ws:';
  return {
    process: child,
    url,
    wsUrl: gateway.toString(),
    kill: () => stop('SIGKILL'),
    [Symbol.asyncDispose]: () => stop('SIGTERM'),
  };
}
