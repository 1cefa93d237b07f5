// Evaluates one job in this thread: the untouched base (BaseFacts) and each submission (SubmissionFacts) as
// named steps: unpack the bundle privately, parse it strictly, measure its weights against every base, then
// score it on the three sets. A submission that fails any step gets failed FormatFacts, never an exception;
// only a broken base or job is the caller's error. Worker threads and timeouts live in evaluation-thread.ts.

import type { ArtifactKind, ArtifactLimits, ArtifactResult, FormatFailure } from './artifact-limits.js';
import { refuse } from './artifact-limits.js';
import { type BaseModel, type BaseRef, loadBaseModel } from './base-model.js';
import type { BaseFacts, ExampleLosses, FormatFacts, SubmissionFacts, WeightFacts } from './facts.js';
import type { JobSets } from './job-sets.js';
import { type LoadedWithShape, loadArtifact } from './load-artifact.js';
import { createEngineEvaluator, type ModelEvaluator, type SetEvaluation } from './model-evaluator.js';
import { unpackArtifact } from './unpack-artifact.js';
import { computeWeightFacts } from './weight-facts.js';

/** A job to evaluate, all serialisable (it crosses into the worker). */
export interface JobEvaluationInput {
  base: BaseRef;
  /** Every other known base (those of another architecture are skipped). */
  otherBases: BaseRef[];
  sets: JobSets;
  /** Where artifacts are unpacked (private temp directories, removed afterwards). */
  workDir: string;
  limits?: Partial<ArtifactLimits>;
}

/** One committed submission. */
export interface SubmissionInput {
  minerId: string;
  artifactSha256: string;
  artifactKind: ArtifactKind;
  /** The uploaded, hash-verified bundle (<dataDir>/artifacts/<sha256>); ignored when not uploaded. */
  artifactPath: string;
  uploaded: boolean;
  committedAt: string;
  deadline: string;
  firstCommittedAt: string;
}

/** A submission's facts and, when it was scored, its per-example losses. */
export interface SubmissionEvaluation {
  facts: SubmissionFacts;
  exampleLosses?: ExampleLosses;
  /** Answer tokens scored (0 when refused). */
  tokens: number;
}

/** The base's facts and per-example losses. */
export interface BaseEvaluation {
  facts: BaseFacts;
  exampleLosses: ExampleLosses;
  tokens: number;
}

/** A job with its bases loaded, ready for many submissions. */
export interface LoadedJob {
  base: BaseModel;
  otherBases: BaseModel[];
  sets: JobSets;
  workDir: string;
  limits: Partial<ArtifactLimits>;
  evaluator: ModelEvaluator;
}

/** Loads the job's bases (throws when a base directory is broken: the validator's fault, not a miner's). */
export async function loadJob(input: JobEvaluationInput, evaluator?: ModelEvaluator): Promise<LoadedJob> {
  const [base, ...otherBases] = await Promise.all([input.base, ...input.otherBases].map(loadBaseModel));
  return {
    base: base!,
    otherBases,
    sets: input.sets,
    workDir: input.workDir,
    limits: input.limits ?? {},
    evaluator: evaluator ?? createEngineEvaluator(),
  };
}

/** Scores the untouched base on the job's sets. */
export async function evaluateBase(job: LoadedJob): Promise<BaseEvaluation> {
  const { losses, exampleLosses, tokens } = await job.evaluator.evaluate(
    job.base,
    { kind: 'base' },
    job.sets,
  );
  return {
    facts: { modelId: job.base.modelId, weightsSha256: job.base.weightsSha256, losses },
    exampleLosses,
    tokens,
  };
}

/** FormatFacts of a refused artifact. */
export function failedFormat(failure: FormatFailure, bytes = 0, files: string[] = []): FormatFacts {
  return { ok: false, code: failure.code, detail: failure.detail, bytes, files, tensors: 0, parameters: 0 };
}

/** The submission's commit facts with the given format and, optionally, what was measured. */
export function submissionFacts(
  input: SubmissionInput,
  format: FormatFacts,
  measured: Pick<SubmissionFacts, 'losses' | 'weights'> = {},
): SubmissionFacts {
  const { minerId, artifactSha256, artifactKind, committedAt, deadline, firstCommittedAt, uploaded } = input;
  return {
    minerId,
    artifactSha256,
    artifactKind,
    committedAt,
    deadline,
    firstCommittedAt,
    uploaded,
    format,
    ...measured,
  };
}

interface Measured {
  weights: WeightFacts;
  scored: SetEvaluation;
}

async function measure(job: LoadedJob, parsed: LoadedWithShape): Promise<ArtifactResult<Measured>> {
  const weights = computeWeightFacts(job.base, parsed.loaded, job.otherBases);
  if (!Number.isFinite(weights.deltaNorm)) {
    return refuse('non_finite_weights', 'the merged weights are not finite');
  }
  const scored = await job.evaluator.evaluate(job.base, parsed.loaded, job.sets);
  if (!Number.isFinite(scored.losses.test)) {
    return refuse('evaluation_failed', `test loss is ${scored.losses.test}`);
  }
  return { ok: true, value: { weights, scored } };
}

/** Evaluates one submission; every failure of the artifact becomes failed FormatFacts. */
export async function evaluateSubmission(
  job: LoadedJob,
  input: SubmissionInput,
): Promise<SubmissionEvaluation> {
  const refused = (format: FormatFacts): SubmissionEvaluation => ({
    facts: submissionFacts(input, format),
    tokens: 0,
  });
  if (!input.uploaded) return refused(failedFormat({ code: 'not_uploaded', detail: 'no upload' }));
  const unpacked = await unpackArtifact({
    artifactPath: input.artifactPath,
    kind: input.artifactKind,
    workDir: job.workDir,
    limits: job.limits,
  });
  if (!unpacked.ok) return refused(failedFormat(unpacked.error));
  await using artifact = unpacked.value;
  const { bytes, files } = artifact;
  const parsed = await loadArtifact(artifact.dir, files, input.artifactKind, job.base, job.limits);
  if (!parsed.ok) return refused(failedFormat(parsed.error, bytes, files));
  let measured: ArtifactResult<Measured>;
  try {
    measured = await measure(job, parsed.value);
  } catch (error) {
    measured = refuse('evaluation_failed', (error as Error)?.message ?? String(error));
  }
  if (!measured.ok) return refused(failedFormat(measured.error, bytes, files));
  const { weights, scored } = measured.value;
  const format: FormatFacts = { ok: true, bytes, files, ...parsed.value.shape };
  return {
    facts: submissionFacts(input, format, { losses: scored.losses, weights }),
    exampleLosses: scored.exampleLosses,
    tokens: scored.tokens,
  };
}
