// The Evaluator port: the seam where scoring plugs in. The validator calls `submitJob` once per submitted
// job after its deadline plus the upload grace. The default implementation records nothing: no fake scores.

/** Scores a submitted job (and later sends `job.result`); called once per job, also after a restart. */
export interface Evaluator {
  submitJob(jobId: string): Promise<void>;
}

/** The evaluation seam until scoring lands: it accepts the hand-off and does nothing with it. */
export function createNoopEvaluator(): Evaluator {
  return { submitJob: async () => {} };
}
