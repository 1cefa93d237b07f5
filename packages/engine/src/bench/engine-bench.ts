// `pnpm bench:engine`: training and evaluation tokens/s of the reference model (4 layers, d=128, 4 heads,
// context 128, byte vocab, batch 8) in this engine and, in the same run, in PyTorch (python/bench.py).
// Prints both and their ratio; `--json FILE` writes {"train":{ours,torch,ratio},"eval":{...}}.
// Flags: --steps N, --eval-batches N, --backend wasm-simd|reference, --threads N (matmul threads), --no-torch.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createModelConfig } from '../config.js';
import { evaluate } from '../evaluate.js';
import { createKernels } from '../kernels/create-kernels.js';
import type { KernelBackend } from '../kernels/types.js';
import { createModel } from '../model.js';
import { createRng } from '../rng.js';
import { train } from '../train/trainer.js';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '20' },
    'eval-batches': { type: 'string', default: '20' },
    backend: { type: 'string' },
    threads: { type: 'string', default: '1' },
    json: { type: 'string' },
    'no-torch': { type: 'boolean', default: false },
  },
});
const steps = Number(args.steps);
const evalBatches = Number(args['eval-batches']);
const WARMUP = 3;
const BATCH = 8;
const CTX = 128;

function randomText(chunks: number): string {
  // Printable bytes so every chunk has exactly CTX positions and no multi-byte characters.
  const rng = createRng(1);
  const n = chunks * CTX - 1;
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(32 + rng.int(95));
  return s;
}

async function benchOurs() {
  const threads = Number(args.threads);
  const kernels = createKernels({
    ...(args.backend ? { backend: args.backend as KernelBackend } : {}),
    ...(threads > 1 ? { threads } : {}),
  });
  // Matmul worker threads boot asynchronously; time only once they take work.
  const active = (kernels as { activeThreads?: () => number }).activeThreads;
  while (active && active() < threads) await new Promise((resolve) => setTimeout(resolve, 10));
  const config = createModelConfig({ preset: 'reference' });
  const model = createModel(config, { seed: 0 });
  const text = { text: randomText(BATCH * (steps + WARMUP)) };
  let t0 = 0;
  let t1 = 0;
  await train(model, text, {
    kernels,
    maxSteps: steps + WARMUP,
    batchSize: BATCH,
    onProgress: (p) => {
      if (p.step === WARMUP) t0 = performance.now();
      if (p.step === steps + WARMUP) t1 = performance.now();
    },
  });
  const trainTps = (steps * BATCH * CTX * 1000) / (t1 - t0);
  evaluate(model, { text: randomText(BATCH * 2) }, { kernels, batchSize: BATCH });
  const evalText = { text: randomText(BATCH * evalBatches) };
  const e0 = performance.now();
  evaluate(model, evalText, { kernels, batchSize: BATCH });
  const evalTps = (evalBatches * BATCH * CTX * 1000) / (performance.now() - e0);
  return { train: trainTps, eval: evalTps, backend: `${kernels.name} x${threads}` };
}

function benchTorch(): { train: number; eval: number } | undefined {
  if (args['no-torch']) return undefined;
  const script = fileURLToPath(new URL('../../python/bench.py', import.meta.url));
  const r = spawnSync(
    '/usr/bin/python3',
    [script, '--steps', String(steps), '--eval-batches', String(evalBatches)],
    {
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) {
    console.error(`PyTorch baseline unavailable: ${r.stderr?.trim().split('\n').pop() ?? r.error?.message}`);
    return undefined;
  }
  return JSON.parse(r.stdout);
}

const ours = await benchOurs();
const torch = benchTorch();
const fmt = (n: number) => n.toFixed(0).padStart(8);
const row = (name: 'train' | 'eval') => {
  const ratio = torch ? ours[name] / torch[name] : Number.NaN;
  console.log(
    `${name.padEnd(6)} ours ${fmt(ours[name])} tok/s   torch ${torch ? fmt(torch[name]) : '     n/a'} tok/s   ratio ${ratio.toFixed(2)}`,
  );
  return { ours: ours[name], torch: torch?.[name] ?? null, ratio: torch ? ratio : null };
};
console.log(`reference model, batch ${BATCH}x${CTX}, kernels ${ours.backend}, ${steps} timed steps`);
const result = { train: row('train'), eval: row('eval') };
if (args.json) writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
