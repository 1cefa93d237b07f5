// Turns datasets into token sequences with per-position targets, and packs them into padded batches.
// Examples: [bos] prompt [sep] answer [eos], loss on answer tokens and eos only. Plain text: [bos] text
// [eos] cut into windows of the context length, loss on every token. Over-long examples lose the start of
// their prompt first, then the end of their answer.

import type { Batch } from './gpt-runner.js';
import type { Tokenizer } from './tokenizer.js';

/** A prompt/answer pair (the shape packages/datasets produces). */
export interface Example {
  readonly prompt: string;
  readonly answer: string;
}

/** Plain text for pretraining: loss on all tokens, cut into context-length chunks. */
interface PlainText {
  readonly text: string;
}

/** Training or evaluation data: prompt/answer examples or plain text. */
export type Dataset = readonly Example[] | PlainText;

/** One model input: tokens[i] is fed at position i and must predict targets[i] (-1: no loss). */
export interface Sequence {
  readonly tokens: Int32Array;
  readonly targets: Int32Array;
  /** Index of the example this sequence came from (chunks of plain text count as examples). */
  readonly example: number;
}

function toSequence(ids: number[], lossFrom: number, example: number): Sequence {
  const n = ids.length - 1;
  const tokens = Int32Array.from(ids.slice(0, n));
  const targets = new Int32Array(n);
  for (let i = 0; i < n; i++) targets[i] = i + 1 >= lossFrom ? ids[i + 1]! : -1;
  return { tokens, targets, example };
}

/** Encodes one example for a context of `maxLen` positions. */
export function encodeExample(tok: Tokenizer, ex: Example, maxLen: number, index = 0): Sequence {
  let prompt = tok.encode(ex.prompt);
  let answer = [...tok.encode(ex.answer), tok.eosId];
  // ids = bos + prompt + sep + answer; inputs are ids minus the last one, so ids may hold maxLen + 1.
  const room = maxLen + 1 - 2;
  if (answer.length > room) answer = answer.slice(0, room);
  if (prompt.length + answer.length > room) prompt = prompt.slice(prompt.length + answer.length - room);
  const ids = [tok.bosId, ...prompt, tok.sepId, ...answer];
  return toSequence(ids, prompt.length + 2, index);
}

/** Cuts plain text into sequences of up to `maxLen` positions, every position a target. */
export function chunkText(tok: Tokenizer, text: string, maxLen: number): Sequence[] {
  const bytes = tok.encode(text);
  // ids = [bos, ...bytes, eos] without building it: id(i) reads through.
  const n = bytes.length + 2;
  const id = (i: number): number => (i === 0 ? tok.bosId : i === n - 1 ? tok.eosId : bytes[i - 1]!);
  const out: Sequence[] = [];
  for (let start = 0; start + 1 < n; start += maxLen) {
    const len = Math.min(maxLen, n - 1 - start);
    const tokens = new Int32Array(len);
    const targets = new Int32Array(len);
    for (let i = 0; i < len; i++) {
      tokens[i] = id(start + i);
      targets[i] = id(start + i + 1);
    }
    out.push({ tokens, targets, example: out.length });
  }
  return out;
}

/** Whether a dataset is plain text. */
export function isPlainText(data: Dataset): data is PlainText {
  return !Array.isArray(data) && typeof (data as PlainText).text === 'string';
}

/** Encodes a whole dataset into sequences of at most `maxLen` positions. */
export function encodeDataset(tok: Tokenizer, data: Dataset, maxLen: number): Sequence[] {
  if (isPlainText(data)) return chunkText(tok, data.text, maxLen);
  return (data as readonly Example[]).map((ex, i) => encodeExample(tok, ex, maxLen, i));
}

/** Reusable batch memory for up to `maxBatch` sequences of `maxLen` positions. */
interface BatchBuilder {
  /** Packs the chosen sequences, right-padded with `padId` to the longest of them. */
  build(seqs: readonly Sequence[], indices: readonly number[]): Batch;
}

/** Creates a batch builder with preallocated token and target buffers. */
export function createBatchBuilder(maxBatch: number, maxLen: number, padId: number): BatchBuilder {
  const tokens = new Int32Array(maxBatch * maxLen);
  const targets = new Int32Array(maxBatch * maxLen);
  return {
    build(seqs, indices) {
      let T = 1;
      for (const i of indices) T = Math.max(T, seqs[i]!.tokens.length);
      const B = indices.length;
      for (let b = 0; b < B; b++) {
        const s = seqs[indices[b]!]!;
        const o = b * T;
        tokens.set(s.tokens, o);
        targets.set(s.targets, o);
        tokens.fill(padId, o + s.tokens.length, o + T);
        targets.fill(-1, o + s.tokens.length, o + T);
      }
      return {
        tokens: tokens.subarray(0, B * T),
        targets: targets.subarray(0, B * T),
        batchSize: B,
        seqLen: T,
      };
    },
  };
}
