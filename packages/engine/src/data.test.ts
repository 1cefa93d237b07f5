import { describe, expect, it } from 'vitest';
import { chunkText, createBatchBuilder, encodeExample } from './data.js';
import { BYTE_TOKENIZER as tok } from './tokenizer.js';

describe('data encoding', () => {
  it('takes loss on answer tokens and eos only', () => {
    const s = encodeExample(tok, { prompt: 'ab', answer: 'xy' }, 32);
    // ids: bos a b sep x y eos; inputs drop the last id.
    expect(Array.from(s.tokens)).toEqual([256, 97, 98, 259, 120, 121]);
    expect(Array.from(s.targets)).toEqual([-1, -1, -1, 120, 121, 257]);
  });

  it('drops the start of an over-long prompt first, then the end of the answer', () => {
    const s = encodeExample(tok, { prompt: 'abcdefgh', answer: 'xy' }, 6);
    expect(tok.decode(s.tokens)).toBe('ghxy');
    expect(s.tokens.length).toBe(6);
    const long = encodeExample(tok, { prompt: 'p', answer: 'abcdefghij' }, 6);
    expect(long.tokens.length).toBe(6);
    expect(Array.from(long.tokens.slice(0, 2))).toEqual([256, 259]);
  });

  it('chunks plain text to the context length with loss everywhere', () => {
    const seqs = chunkText(tok, 'abcdefghij', 4);
    expect(seqs.map((s) => s.tokens.length)).toEqual([4, 4, 3]);
    expect(seqs.every((s) => Array.from(s.targets).every((t) => t >= 0))).toBe(true);
    expect(seqs[1]!.tokens[0]).toBe(seqs[0]!.targets[3]);
  });

  it('pads batches to the longest sequence with pad tokens and no targets', () => {
    const a = encodeExample(tok, { prompt: 'a', answer: 'b' }, 16);
    const b = encodeExample(tok, { prompt: 'long prompt', answer: 'c' }, 16);
    const batch = createBatchBuilder(2, 16, tok.padId).build([a, b], [0, 1]);
    expect(batch.seqLen).toBe(b.tokens.length);
    expect(batch.tokens[a.tokens.length]).toBe(tok.padId);
    expect(batch.targets[a.tokens.length]).toBe(-1);
  });
});
