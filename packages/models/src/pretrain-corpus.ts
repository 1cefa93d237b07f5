// Builds the text a base model is pretrained on from bundled corpora: a seeded mix of training paragraphs,
// plus fixed held-out and validation paragraphs (every 40th, never trained on) shared by all seeds.
import { createSeededRng, getDataset } from '@tuning-arena/datasets';
import { ModelError } from './errors.js';

/** Pretraining text split three ways. */
interface PretrainCorpus {
  readonly train: string;
  /** For the reported held-out loss. */
  readonly heldOut: string;
  /** For checkpoint selection during training. */
  readonly validation: string;
}

/** Bytes of held-out text scored for the reported loss. */
const HELD_OUT_BYTES = 32_768;
const VALIDATION_BYTES = 8_192;
const STRIDE = 40;

function takeRoundRobin(pools: readonly string[][], maxBytes: number): string {
  const out: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < maxBytes && pools.some((pool) => i < pool.length); i++) {
    for (const pool of pools) {
      const text = pool[i];
      if (text !== undefined && bytes < maxBytes) {
        out.push(text);
        bytes += text.length + 2;
      }
    }
  }
  return out.join('\n\n').slice(0, maxBytes);
}

/** Assembles train text of about `trainBytes` from the named corpora, shuffled by `seed`. */
export function buildPretrainCorpus(
  corpus: readonly string[],
  seed: number,
  trainBytes: number,
): PretrainCorpus {
  const trainPool: string[] = [];
  const heldOutPools: string[][] = [];
  const validationPools: string[][] = [];
  for (const name of corpus) {
    const dataset = getDataset(name);
    if (dataset.kind !== 'text') throw new ModelError('wrong_dataset_kind', `${name} is not a text corpus`);
    const heldOut: string[] = [];
    const validation: string[] = [];
    dataset.documents().forEach((doc, index) => {
      if (index % STRIDE === 0) heldOut.push(doc);
      else if (index % STRIDE === STRIDE / 2) validation.push(doc);
      else trainPool.push(doc);
    });
    heldOutPools.push(heldOut);
    validationPools.push(validation);
  }
  createSeededRng(`pretrain-corpus:${seed}`).shuffle(trainPool);
  const train: string[] = [];
  let bytes = 0;
  for (const doc of trainPool) {
    if (bytes >= trainBytes) break;
    train.push(doc);
    bytes += doc.length + 2;
  }
  return {
    train: train.join('\n\n'),
    heldOut: takeRoundRobin(heldOutPools, HELD_OUT_BYTES),
    validation: takeRoundRobin(validationPools, VALIDATION_BYTES),
  };
}
