// The Evaluator port: how the scheduler hands a job to evaluation once its deadline plus the upload grace has
// passed. The validator's own implementation is the judge's durable queue (compose.ts); tests may replace it.

/** Takes a submitted job for evaluation, durably; called once per job, also after a restart. */
export interface Evaluator {
  submitJob(jobId: string): Promise<void>;
}
