// The compiled validator CLI (apps/validator/dist/main.js) as a real child process, for tests that must kill
// it with SIGKILL: it is built first (incrementally), started on a free port, and its listening URL is read
// from its JSON log lines on stderr.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const validatorDir = fileURLToPath(new URL('../../../apps/validator', import.meta.url));
const mainJs = join(validatorDir, 'dist', 'main.js');

/** A running validator process. */
export interface ValidatorProcess {
  process: ChildProcess;
  url: string;
  /** Kills it with SIGKILL and waits until it is gone. */
  kill(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Builds the validator's dist (cheap when fresh); fails loudly when the build does. */
export function buildValidatorCli(): void {
  execFileSync('pnpm', ['exec', 'tsc', '-b', validatorDir], { cwd: validatorDir, stdio: 'pipe' });
  if (!existsSync(mainJs)) throw new Error(`build did not produce ${mainJs}`);
}

/** Starts `node dist/main.js --port=0 ...args` and resolves once it listens. */
export async function spawnValidatorCli(args: string[]): Promise<ValidatorProcess> {
  const child = spawn(process.execPath, [mainJs, '--port=0', '--log-format=json', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
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
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    process: child,
    url,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    [Symbol.asyncDispose]: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
