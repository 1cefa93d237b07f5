// Text tables of the operator CLI: competitions, miners, jobs (with each offer's progress) and models.
// Pure functions from the API's views to strings.

import { renderTable } from '@tuning-arena/node-kit';
import type { CompetitionView, JobView, MinerView, ModelView, SubmissionView } from '@tuning-arena/protocol';

const or = (value: string | number | null | undefined, fallback = '-') =>
  value === null || value === undefined ? fallback : value;

/** Competitions as a table. */
export function competitionTable(competitions: CompetitionView[]): string {
  return renderTable([
    ['id', 'name', 'miners max', 'per owner', 'starts', 'ends', 'program'],
    ...competitions.map((c) => [
      c.id,
      c.name,
      c.maxMiners,
      c.maxMinersPerOwner,
      c.startsAt,
      or(c.endsAt),
      or(c.program),
    ]),
  ]);
}

/** Miners as a table. */
export function minerTable(miners: MinerView[]): string {
  return renderTable([
    ['id', 'name', 'owner', 'connected', 'capacity', 'active jobs', 'last seen'],
    ...miners.map((m) => [
      m.id,
      m.displayName,
      m.owner,
      m.connected ? 'yes' : 'no',
      m.capacity,
      m.activeJobs,
      or(m.lastSeenAt),
    ]),
  ]);
}

/** Jobs as a table. */
export function jobTable(jobs: JobView[]): string {
  return renderTable([
    ['id', 'status', 'model', 'dataset', 'limit s', 'wanted', 'accepted', 'deadline'],
    ...jobs.map((j) => [
      j.id,
      j.status,
      j.model.id,
      j.dataset,
      j.timeLimitSeconds,
      j.minersWanted,
      j.offers.filter((o) => o.status === 'accepted').length,
      or(j.deadline),
    ]),
  ]);
}

/** One job: its settings, every offer with progress, and the submissions. */
export function jobDetail(job: JobView, submissions: SubmissionView[]): string {
  const head = `${job.id}  ${job.status}  ${job.model.id} on ${job.dataset}, ${job.timeLimitSeconds} s, ${job.minersWanted} wanted, deadline ${or(job.deadline)}`;
  const offers = renderTable([
    ['miner', 'offer', 'reason', 'step', 'train loss'],
    ...job.offers.map((o) => [
      o.minerId,
      o.status,
      or(o.reason),
      or(o.progress?.step),
      o.progress?.trainLoss === null || o.progress === null ? '-' : o.progress.trainLoss.toFixed(4),
    ]),
  ]);
  const subs =
    submissions.length === 0
      ? 'no submissions'
      : renderTable([
          ['miner', 'kind', 'sha256', 'uploaded', 'committed', 'note'],
          ...submissions.map((s) => [
            s.minerId,
            s.artifactKind,
            s.artifactSha256.slice(0, 12),
            s.uploaded ? 'yes' : 'no',
            s.committedAt,
            s.strategyNote.slice(0, 60),
          ]),
        ]);
  return [head, '', offers, '', subs].join('\n');
}

/** Models as a table. */
export function modelTable(models: ModelView[]): string {
  return renderTable([
    ['id', 'family', 'parameters', 'weights sha256', 'bundle bytes'],
    ...models.map((m) => [m.id, m.family, m.parameterCount, m.weightsSha256.slice(0, 16), m.bundleBytes]),
  ]);
}
