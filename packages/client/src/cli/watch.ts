// `tuning-arena job watch`: follows one job until it ends, redrawing a line per miner (offer state, step,
// train loss, upload) in place on a terminal, or printing a line whenever something changed otherwise.
// It polls the operator API at a fixed interval; it never writes anything to the validator.

import { setTimeout as sleep } from 'node:timers/promises';
import type { JobView, SubmissionView } from '@tuning-arena/protocol';
import type { ArenaClient } from '../arena-client.js';

const ENDED = new Set(['submitted', 'closed', 'cancelled', 'evaluating', 'scored', 'failed']);

/** One line per offer: the miner, its offer state, its latest step and loss, and its upload. */
function watchLines(job: JobView, submissions: SubmissionView[], now: number): string[] {
  const left =
    job.deadline === null
      ? ''
      : `, ${Math.max(0, Math.round((Date.parse(job.deadline) - now) / 1000))} s left`;
  const lines = [`${job.id} ${job.status}${left}`];
  for (const offer of job.offers) {
    const submission = submissions.find((s) => s.minerId === offer.minerId);
    const progress =
      offer.progress === null
        ? ''
        : ` step ${offer.progress.step ?? '-'} loss ${offer.progress.trainLoss?.toFixed(4) ?? '-'}`;
    const upload = submission
      ? ` committed ${submission.artifactSha256.slice(0, 12)}${submission.uploaded ? ' uploaded' : ''}`
      : '';
    lines.push(`  ${offer.minerId} ${offer.status}${progress}${upload}`);
  }
  return lines;
}

/** Polls until the job ends; `redraw` rewrites the lines in place (a terminal). */
export async function watchJob(
  client: ArenaClient,
  jobId: string,
  options: { intervalMs: number; out: (text: string) => void; redraw: boolean },
): Promise<JobView> {
  let shown: string[] = [];
  for (;;) {
    const [job, submissions] = await Promise.all([client.jobs.get(jobId), client.jobs.submissions(jobId)]);
    const lines = watchLines(job, submissions, Date.now());
    if (options.redraw) {
      const up = shown.length > 0 ? `\u001b[${shown.length}F` : '';
      options.out(`${up}${lines.map((line) => `${line}\u001b[K`).join('\n')}\n`);
    } else if (lines.join('\n') !== shown.join('\n')) {
      options.out(`${lines.join('\n')}\n`);
    }
    shown = lines;
    if (ENDED.has(job.status)) return job;
    await sleep(options.intervalMs);
  }
}
