// The built-in trainer: fine-tunes a GPT-2-family base with @tuning-arena/engine on the job's
// `{prompt, answer}` rows as the strategy plans it (strategy/: method, hyperparameters, a search over
// trials when time is left, checkpoint commits), finishing before the deadline with room to pack and
// commit. Training runs in a worker thread (`trainInWorker`) so the daemon keeps answering; it reads the
// files the miner downloaded and returns PEFT adapter or full-weight files with their recipe; no I/O else.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BYTE_TOKENIZER,
  type TrainProgress as EngineProgress,
  type Example,
  loadModelDir,
  MODEL_FILES,
  type Tokenizer,
  type TrainCheckpoint,
  type TrainResult,
  train,
  trainInWorker,
} from '@tuning-arena/engine';
import { sha256Hex } from '@tuning-arena/protocol';
import { MinerError } from './errors.js';
import { createCheckpointPolicy } from './strategy/checkpoint-policy.js';
import type { EngineTrainerOptions } from './strategy/engine-options.js';
import {
  engineVersion,
  outputOf,
  planInputFor,
  type RunContext,
  trialOptions,
} from './strategy/engine-run.js';
import { planRun } from './strategy/plan-run.js';
import { runSearch } from './strategy/search.js';
import type { Trainer, TrainRequest } from './trainer.js';

/** Options of the engine trainer (defined with the strategy's knobs). */
export type { EngineTrainerOptions } from './strategy/engine-options.js';

/** The knobs with their axolotl names and defaults, for printing the effective config. */

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

/** Creates the built-in engine trainer; every option left unset is chosen by the strategy per job. */
export function createEngineTrainer(options: EngineTrainerOptions = {}): Trainer {
  if (options.lora?.dropout !== undefined && options.lora.dropout !== 0) {
    throw new MinerError('invalid_config', 'lora_dropout: the engine implements no LoRA dropout; use 0');
  }
  const forced = options.strategy ?? options.method ?? 'auto';
  return {
    name: forced === 'auto' ? 'engine' : `engine-${forced}`,
    async train(request) {
      const { model, tokenizer, name } = await loadModelDir(request.baseModelDir);
      const examples = await readExamples(request);
      const startMs = Date.now();
      const input = planInputFor(model, examples.length, request.deadline.getTime() - startMs);
      const decision = planRun(input, options);
      const endMs = request.deadline.getTime() - decision.reserveMs;
      const weights = await readFile(join(request.baseModelDir, MODEL_FILES.weights));
      const ctx: RunContext = {
        decision,
        tokenizer,
        base: { name, sha256: sha256Hex(weights), parameters: input.parameters },
        rows: examples.length,
        engineVersion: await engineVersion(),
      };
      const policy = createCheckpointPolicy({ startMs, endMs });
      const inWorker = (options.inWorker ?? true) && isDefaultTokenizer(tokenizer);
      let stepOffset = 0;
      const search = await runSearch<TrainResult & { plannedSteps: number }>({
        decision,
        trainRows: examples.length - Math.floor(examples.length * decision.validationFraction),
        endMs,
        now: Date.now,
        runTrial: async (plan) => {
          let plannedSteps = plan.maxSteps;
          const shared = {
            ...trialOptions(decision, plan, endMs),
            signal: request.signal,
            onProgress: (p: EngineProgress) => {
              plannedSteps = p.plannedSteps;
              const eta = Math.min(Number.isFinite(p.etaMs) ? p.etaMs : endMs, endMs - Date.now());
              request.onProgress({
                step: stepOffset + p.step,
                trainLoss: p.loss,
                etaSeconds: Math.max(0, eta) / 1000,
              });
            },
            // A new best inside a long trial: commit it when the policy says so (insurance, then better ones).
            onCheckpoint: (c: TrainCheckpoint) => {
              if (!request.submitCheckpoint || !policy.offer(Date.now(), c.validationLoss)) return;
              const shipped = {
                ...c,
                steps: c.step,
                keptStep: c.step,
                stoppedBy: 'checkpoint',
                plannedSteps,
              };
              void request.submitCheckpoint(
                outputOf(ctx, { ...shipped, bestValidationLoss: c.validationLoss }, plan, [], true),
              );
            },
          };
          const result = inWorker
            ? await trainInWorker(model, examples, shared)
            : await train(model, examples, { ...shared, tokenizer });
          stepOffset += result.steps;
          return { ...result, plannedSteps };
        },
        onNewBest: (outcome, _record, plan) => {
          if (!request.submitCheckpoint || outcome.bestValidationLoss === undefined) return;
          if (!policy.offer(Date.now(), outcome.bestValidationLoss)) return;
          void request.submitCheckpoint(outputOf(ctx, outcome, plan, [], true));
        },
      });
      return outputOf(ctx, search.best, search.plan, search.history, false);
    },
  };
}
