import { describe, expect, it } from 'vitest';
import { detokenizeBrown } from './detokenize.js';

describe('detokenizeBrown', () => {
  it('strips tags and restores punctuation and quote spacing', () => {
    const tagged = "The/at jury/nn said/vbd ``/`` it/pps did/dod n't/* know/vb ''/'' ,/, and/cc left/vbd ./.";
    expect(detokenizeBrown(tagged)).toBe('The jury said "it didn\'t know", and left.');
  });
});
