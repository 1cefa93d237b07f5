// Test helper for integrity.calibration.test.ts: the calibration cases of one job, honest and cheating, built
// with the real engine on tiny models and measured as evaluation would measure them.

import { type Example, type GptModel, train } from '@tuning-arena/engine';
import type { BaseFacts, ExampleLosses } from '../evaluation/facts.js';
import {
  blend,
  type CalibrationJob,
  calibrationJob,
  type MeasuredSubmission,
  measureBase,
  measureSubmission,
  perturb,
} from './test-calibration-models.js';

/** What a case is meant to be. */
type CaseKind = 'honest' | 'impostor' | 'blend' | 'blend-ft' | 'base' | 'perturbed-base' | 'copy' | 'leak';

/** One calibration case: a submission and what it is. */
export interface CalibrationCase extends MeasuredSubmission {
  name: string;
  kind: CaseKind;
  /** For copies: the case it copies. */
  copyOf?: string;
}

/** A job's measured cases. */
export interface CalibrationRun {
  dataset: string;
  job: CalibrationJob;
  base: { facts: BaseFacts; losses: ExampleLosses };
  cases: CalibrationCase[];
}

const STEPS = 300;

/** Trains and measures every case of one job on the given base and impostor base. */
export async function runCalibration(
  dataset: string,
  base: GptModel,
  impostor: GptModel,
  rows = 300,
): Promise<CalibrationRun> {
  const job = await calibrationJob(dataset, rows);
  const others = [{ id: 'impostor', model: impostor }];
  const cases: CalibrationCase[] = [];
  let minute = 0;
  const add = (
    name: string,
    kind: CaseKind,
    submitted: { model: GptModel } | { adapter: NonNullable<Awaited<ReturnType<typeof train>>['adapter']> },
    copyOf?: string,
  ) => {
    const at = new Date(Date.UTC(2026, 11, 1, 11, minute++)).toISOString();
    const measured = measureSubmission(name, submitted, base, others, job, at);
    cases.push({ name, kind, ...measured, ...(copyOf !== undefined && { copyOf }) });
  };
  const full = (
    from: GptModel,
    data: readonly Example[],
    seed: number,
    learningRate: number,
    steps = STEPS,
  ) => train(from, data, { maxSteps: steps, batchSize: 16, learningRate, seed });
  const lora = (seed: number, r: number, learningRate: number) =>
    train(base, job.train, {
      method: 'lora',
      lora: { r, alpha: 2 * r, targetModules: ['c_attn', 'c_proj', 'c_fc'] },
      maxSteps: STEPS,
      batchSize: 16,
      learningRate,
      seed,
    });

  const full1 = await full(base, job.train, 1, 2e-3);
  add('full-1', 'honest', { model: full1.model });
  add('full-2', 'honest', { model: (await full(base, job.train, 2, 1e-3)).model });
  add('full-4', 'honest', { model: (await full(base, job.train, 4, 2e-3)).model });
  add('full-3', 'honest', { model: (await full(base, job.train, 3, 3e-3, 200)).model });
  const lora1 = await lora(1, 8, 3e-3);
  add('lora-1', 'honest', { adapter: lora1.adapter! });
  add('lora-2', 'honest', { adapter: (await lora(2, 4, 5e-3)).adapter! });
  const impostorFt = (await full(impostor, job.train, 1, 2e-3)).model;
  add('impostor-ft', 'impostor', { model: impostorFt });
  add('blend-impostor-ft', 'blend', { model: blend(base, impostorFt, 0.8) });
  add('blend-raw', 'blend', { model: blend(base, impostor, 0.8) });
  add('blend-then-ft', 'blend-ft', {
    model: (await full(blend(base, impostor, 0.8), job.train, 1, 2e-3)).model,
  });
  add('untouched-base', 'base', { model: base });
  add('perturbed-base', 'perturbed-base', { model: perturb(base, 1e-3, 5) });
  add('perturbed-copy', 'copy', { model: perturb(full1.model, 1e-3, 6) }, 'full-1');
  const retrained = await train(full1.model, job.train, {
    maxSteps: 30,
    batchSize: 16,
    learningRate: 5e-4,
    seed: 9,
    validationFraction: 0,
  });
  add('retrained-copy', 'copy', { model: retrained.model }, 'full-1');
  const loraCopy = await train(base, job.train, {
    method: 'lora',
    initialAdapter: lora1.adapter!,
    maxSteps: 30,
    batchSize: 16,
    learningRate: 1e-3,
    seed: 9,
    validationFraction: 0,
  });
  add('retrained-lora-copy', 'copy', { adapter: loraCopy.adapter! }, 'lora-1');
  add('leak-train+test', 'leak', { model: (await full(base, [...job.train, ...job.test], 1, 2e-3)).model });
  const heavy = [...job.train, ...job.test, ...job.test, ...job.test];
  add('leak-test-x3', 'leak', { model: (await full(base, heavy, 4, 2e-3)).model });
  return { dataset, job, base: measureBase(base, job), cases };
}
