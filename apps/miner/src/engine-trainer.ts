// The built-in trainer: LoRA (or full) fine-tuning of a GPT-2-family base with @tuning-arena/engine on the
// job's `{prompt, answer}` rows, planned to finish before the deadline with room left to pack, commit and
// upload. Training runs in a worker thread (the engine's `trainInWorker`) so the daemon's event loop keeps
// answering heartbeats and offers; it reads the files the miner downloaded and returns PEFT adapter or
// full-weight files; no I/O else.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BYTE_TOKENIZER,
  DEFAULT_LORA_CONFIG,
  type Example,
  encodeAdapterFiles,
  encodeModelFiles,
  type LoraConfig,
  loadModelDir,
  MODEL_FILES,
  type Tokenizer,
  type TrainOptions,
  type TrainResult,
  train,
  trainInWorker,
} from '@tuning-arena/engine';
import { sha256Hex } from '@tuning-arena/protocol';
import { MinerError } from './errors.js';
import type { EngineTrainerOptions } from './strategy/engine-options.js';
import type { Trainer, TrainRequest } from './trainer.js';

/** Options of the engine trainer (defined with the strategy's knobs). */
export type { EngineTrainerOptions } from './strategy/engine-options.js';
/** The knobs with their axolotl names and defaults, for printing the effective config. */
export { ENGINE_KNOBS, type EngineKnob } from './strategy/engine-options.js';

/** The byte tokenizer the engine's worker assumes; another tokenizer must train in-process. */
function isDefaultTokenizer(tokenizer: Tokenizer): boolean {
  const byte = BYTE_TOKENIZER;
  return (
    tokenizer.vocabSize === byte.vocabSize &&
    tokenizer.bosId === byte.bosId &&
    tokenizer.eosId === byte.eosId &&
    tokenizer.padId === byte.padId &&
    tokenizer.sepId === byte.sepId
  );
}

/** Reads the train rows, mapping the job's field names onto prompt/answer. */
export async function readExamples(
  request: Pick<TrainRequest, 'trainDataPath' | 'promptFormat'>,
): Promise<Example[]> {
  const { promptField, answerField } = request.promptFormat;
  const examples: Example[] = [];
  const text = await readFile(request.trainDataPath, 'utf8');
  for (const [index, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (cause) {
      throw new MinerError('trainer_failed', `train data line ${index + 1} is not JSON`, cause);
    }
    const prompt = row?.[promptField];
    const answer = row?.[answerField];
    if (typeof prompt !== 'string' || typeof answer !== 'string') {
      throw new MinerError(
        'trainer_failed',
        `train data line ${index + 1} lacks ${promptField}/${answerField}`,
      );
    }
    examples.push({ prompt, answer });
  }
  if (examples.length === 0) throw new MinerError('trainer_failed', 'train data is empty');
  return examples;
}

/** Creates the built-in engine trainer. */
export function createEngineTrainer(options: EngineTrainerOptions = {}): Trainer {
  const forced = options.strategy ?? options.method ?? 'auto';
  const method: 'lora' | 'full' = forced === 'full' ? 'full' : 'lora';
  const lora: LoraConfig = {
    r: options.lora?.r ?? DEFAULT_LORA_CONFIG.r,
    alpha: options.lora?.alpha ?? DEFAULT_LORA_CONFIG.alpha,
    targetModules: options.lora?.targetModules ?? DEFAULT_LORA_CONFIG.targetModules,
  };
  return {
    name: `engine-${method}`,
    async train(request) {
      const { model, tokenizer, name } = await loadModelDir(request.baseModelDir);
      const examples = await readExamples(request);
      const left = request.deadline.getTime() - Date.now();
      const reserve = options.reserveMs ?? Math.max(3000, 0.1 * left);
      const shared = {
        method,
        lora,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
        ...(options.learningRate === undefined ? {} : { learningRate: options.learningRate }),
        ...(options.maxSteps === undefined ? {} : { maxSteps: options.maxSteps }),
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.warmupSteps === undefined ? {} : { warmupSteps: options.warmupSteps }),
        ...(options.epochs === undefined ? {} : { epochs: options.epochs }),
        ...(options.validationFraction === undefined
          ? {}
          : { validationFraction: options.validationFraction }),
        deadline: request.deadline.getTime() - reserve,
        signal: request.signal,
        onProgress: (p: Parameters<NonNullable<TrainOptions['onProgress']>>[0]) =>
          request.onProgress({
            step: p.step,
            trainLoss: p.loss,
            etaSeconds: Number.isFinite(p.etaMs) ? p.etaMs / 1000 : 0,
          }),
      };
      const result: TrainResult =
        (options.inWorker ?? true) && isDefaultTokenizer(tokenizer)
          ? await trainInWorker(model, examples, shared)
          : await train(model, examples, { ...shared, tokenizer });
      const summary =
        `${result.steps} steps (${result.stoppedBy}) on ${examples.length} rows, kept step ${result.keptStep}` +
        (result.bestValidationLoss === undefined
          ? ''
          : `, best validation loss ${result.bestValidationLoss.toFixed(4)}`) +
        `, final train loss ${result.finalTrainLoss.toFixed(4)}`;
      if (method === 'lora') {
        if (!result.adapter) throw new MinerError('trainer_output_invalid', 'engine returned no adapter');
        // PEFT loaders find the base by name; the weights hash pins which base that name meant.
        const weights = await readFile(join(request.baseModelDir, MODEL_FILES.weights));
        const files = encodeAdapterFiles(result.adapter, { name, sha256: sha256Hex(weights) });
        return {
          kind: 'lora',
          strategyNote: `engine LoRA r=${lora.r} alpha=${lora.alpha} on ${lora.targetModules.join('/')}, AdamW + cosine; ${summary}`,
          files: [
            { name: 'adapter_config.json', data: files.config },
            { name: 'adapter_model.safetensors', data: files.weights },
          ],
        };
      }
      const files = encodeModelFiles(result.model, tokenizer);
      return {
        kind: 'full',
        strategyNote: `engine full fine-tune, AdamW + cosine; ${summary}`,
        files: [
          { name: 'config.json', data: files.config },
          { name: 'model.safetensors', data: files.weights },
          { name: 'tokenizer.json', data: files.tokenizer },
        ],
      };
    },
  };
}
