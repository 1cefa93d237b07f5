// Test helper (not part of the build): finds a Python that can import PyTorch the way a developer's machine
// has one, for the parity tests. It only probes interpreters; it installs nothing.

import { spawnSync } from 'node:child_process';

/** The child environment of every torch run: one BLAS thread, so results and load do not vary by machine. */
export function torchEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, OPENBLAS_NUM_THREADS: '1' };
}

/** Interpreters to try, in order: `TUNING_ARENA_PYTHON`, `python3` on PATH, then `/usr/bin/python3`. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const named = env.TUNING_ARENA_PYTHON?.trim();
  return [...new Set([...(named ? [named] : []), 'python3', '/usr/bin/python3'])];
}

/** Whether `python` runs and can `import torch`. */
export function importsTorch(python: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', env: torchEnv(env) });
  return probe.status === 0;
}

/** The first candidate that can import torch, or undefined when none can. */
export function findTorchPython(
  env: NodeJS.ProcessEnv = process.env,
  probe: (python: string) => boolean = (python) => importsTorch(python, env),
): string | undefined {
  return pythonCandidates(env).find(probe);
}
