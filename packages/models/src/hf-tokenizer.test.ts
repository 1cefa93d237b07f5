import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUNDLED_DATASETS,
  createJobTransform,
  createSeededRng,
  type DatasetSource,
  type Example,
} from '@tuning-arena/datasets';
import { BYTE_TOKENIZER, encodeExample } from '@tuning-arena/engine';
import { Tokenizer as HfTokenizer } from 'tokenizers';
import { afterAll, describe, expect, it } from 'vitest';
import { pretrainBaseModel } from './pretrain.js';

// Every row of every bundled dataset, checked with Hugging Face's own tokenizers library (npm binding)
// against the tokenizer.json that pretraining writes into a base model folder.

const PROCEDURAL_ROWS = 2000;

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A dataset's rows as a job sees them (procedural ones: a fixed number of fresh rows). */
function examplesOf(source: Exclude<DatasetSource, { kind: 'text' }>): Example[] {
  const transform = createJobTransform(`hf-${source.name}`, source.instructionVariants);
  if (source.kind === 'instruct') return source.rows().map((row) => transform.apply(row));
  const rng = createSeededRng(`hf-${source.name}`);
  return Array.from({ length: PROCEDURAL_ROWS }, () => transform.apply(source.generate(rng)));
}

const sameIds = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.prototype.every.call(a, (v, i) => v === b[i]);

/** Rows checked through the pair template itself (the rest via its two halves, batched: far faster). */
const PAIR_ROWS = 1000;

/** Ids of [bos] prompt [sep] answer [eos] through the pair template, for the first PAIR_ROWS rows. */
async function pairIds(hf: HfTokenizer, examples: readonly Example[]) {
  const encodings = await Promise.all(
    examples.slice(0, PAIR_ROWS).map((ex) => hf.encode(ex.prompt, ex.answer)),
  );
  return encodings.map((e) => e.getIds());
}

/** Rows whose library ids or decoded answer differ from the engine's. */
async function exampleMismatches(hf: HfTokenizer, examples: readonly Example[]) {
  // [bos] prompt [sep] is the single-sequence template; the answer is encoded without specials.
  const prompts = await hf.encodeBatch(examples.map((ex) => ex.prompt));
  const answers = await hf.encodeBatch(
    examples.map((ex) => ex.answer),
    { addSpecialTokens: false },
  );
  const answerIds = answers.map((e) => e.getIds());
  const decoded = await hf.decodeBatch(answerIds, false);
  const pairs = await pairIds(hf, examples);
  return examples.filter((ex, i) => {
    const seq = encodeExample(BYTE_TOKENIZER, ex, 1 << 20);
    const ids = [...seq.tokens, seq.targets[seq.targets.length - 1]!];
    const halves = [...prompts[i]!.getIds(), ...answerIds[i]!, BYTE_TOKENIZER.eosId];
    return (
      !sameIds(halves, ids) || decoded[i] !== ex.answer || (i < pairs.length && !sameIds(pairs[i]!, ids))
    );
  });
}

/** Documents whose library bytes differ from the engine's. */
async function textMismatches(hf: HfTokenizer, documents: readonly string[]) {
  const encodings = await hf.encodeBatch([...documents], { addSpecialTokens: false });
  return documents.filter((doc, i) => !sameIds(encodings[i]!.getIds(), BYTE_TOKENIZER.encode(doc)));
}

describe('a pretrained base model folder in the Hugging Face tokenizers library', () => {
  it('gives the engine ids on every row of every bundled dataset, and decodes each answer back', async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), 'arena-hf-'));
    dirs.push(modelsDir);
    const spec = {
      name: 'hf-check',
      preset: 'nano',
      overrides: { nLayer: 1, nEmbd: 16, nHead: 2, nPositions: 32 },
      corpus: ['moby-dick'],
      seed: 1,
      steps: 1,
      batchSize: 2,
      learningRate: 1e-3,
      description: 'test only',
    } as const;
    const base = await pretrainBaseModel(spec, { modelsDir });
    const config = JSON.parse(await readFile(join(base.dir, 'config.json'), 'utf8'));
    expect(config._name_or_path).toBe('hf-check');
    const hf = HfTokenizer.fromString(await readFile(join(base.dir, 'tokenizer.json'), 'utf8'));
    const checked: Record<string, number> = {};
    for (const source of BUNDLED_DATASETS) {
      if (source.kind === 'text') {
        const documents = source.documents();
        expect(await textMismatches(hf, documents)).toEqual([]);
        checked[source.name] = documents.length;
      } else {
        const examples = examplesOf(source);
        expect((await exampleMismatches(hf, examples)).slice(0, 3)).toEqual([]);
        checked[source.name] = examples.length;
      }
    }
    expect(Object.keys(checked)).toHaveLength(BUNDLED_DATASETS.length);
    expect(Object.values(checked).reduce((a, b) => a + b, 0)).toBeGreaterThan(250_000);
  }, 120_000);
});
