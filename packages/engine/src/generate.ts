// Answer generation for prompts: [bos] prompt [sep], then greedy or sampled bytes until eos. Recomputes
// the whole context per token (no KV cache): meant for demos and spot checks on small models, not serving.

import { encodeExample } from './data.js';
import { defaultKernels } from './default-kernels.js';
import { EngineError } from './errors.js';
import { createGptRunner } from './gpt-runner.js';
import type { Kernels } from './kernels/types.js';
import type { LoraAdapter } from './lora.js';
import type { GptModel } from './model.js';
import { createRng } from './rng.js';
import { BYTE_TOKENIZER, type Tokenizer } from './tokenizer.js';

/** Options of `generate`. */
interface GenerateOptions {
  /** Most answer tokens to produce (default 64; also bounded by the context length). */
  readonly maxTokens?: number;
  /** 0 (default) picks the most likely token; above 0 samples from softmax(logits / temperature). */
  readonly temperature?: number;
  readonly seed?: number;
  readonly adapter?: LoraAdapter | null;
  readonly kernels?: Kernels;
  readonly tokenizer?: Tokenizer;
}

/** The model's answer to `prompt` (text after the separator, up to eos). */
export function generate(model: GptModel, prompt: string, options: GenerateOptions = {}): string {
  const tok = options.tokenizer ?? BYTE_TOKENIZER;
  const temperature = options.temperature ?? 0;
  if (!(temperature >= 0)) throw new EngineError('invalid_input', 'temperature must be >= 0');
  const T = model.config.nPositions;
  // Keep room for at least one answer token: the encoder drops the prompt's start when it is too long.
  const tokens = Array.from(encodeExample(tok, { prompt, answer: '' }, T).tokens);
  const rng = createRng(options.seed ?? 0);
  const runner = createGptRunner(options.kernels ?? defaultKernels(), model.config, {
    maxBatch: 1,
    maxSeqLen: T,
    training: false,
    ...(options.adapter ? { lora: { sites: options.adapter.sites, r: options.adapter.config.r } } : {}),
  });
  const answer: number[] = [];
  try {
    const maxTokens = options.maxTokens ?? 64;
    while (answer.length < maxTokens && tokens.length <= T) {
      const n = tokens.length;
      const targets = new Int32Array(n).fill(-1);
      targets[n - 1] = 0; // any id: only the last position's distribution is wanted
      runner.forward(
        model.params,
        { tokens: Int32Array.from(tokens), targets, batchSize: 1, seqLen: n },
        options.adapter,
      );
      const probs = runner.probabilities();
      const next = temperature === 0 ? argmax(probs) : sample(probs, temperature, rng.uniform());
      if (next === tok.eosId) break;
      answer.push(next);
      tokens.push(next);
    }
  } finally {
    runner.release();
  }
  return tok.decode(answer);
}

function argmax(p: Float32Array): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

// Sampling at temperature t from probabilities p: weights p^(1/t), renormalised.
function sample(p: Float32Array, t: number, u: number): number {
  const w = Array.from(p, (x) => x ** (1 / t));
  const total = w.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let i = 0; i < w.length; i++) {
    acc += w[i]! / total;
    if (u < acc) return i;
  }
  return w.length - 1;
}
