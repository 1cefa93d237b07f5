// Maps stored rows to the API's view shapes (the protocol's CompetitionView, MinerView, JobView, OfferView,
// SubmissionView, CommitView): the services answer in them, the routes only serialise. No queries, no I/O.

import {
  type CommitView,
  type CompetitionView,
  decodeRecipe,
  type JobView,
  type MinerView,
  type OfferView,
  type ProgramStatus,
  type Recipe,
  type SubmissionView,
} from '@tuning-arena/protocol';
import type { CompetitionRow } from '../db/competitions-repo.js';
import type { JobRow } from '../db/jobs-repo.js';
import type { MinerRow } from '../db/miners-repo.js';
import type { OfferRow } from '../db/offers-repo.js';
import type { CommitRow, SubmissionRow } from '../db/submissions-repo.js';

/** A competition row and its program's status (null without one) as the API shows it. */
export function competitionView(row: CompetitionRow, program: ProgramStatus | null): CompetitionView {
  return {
    id: row.id,
    name: row.name,
    maxMiners: row.max_miners,
    maxMinersPerOwner: row.max_miners_per_owner,
    weightTest: row.weight_test,
    tau: row.tau,
    missFactor: row.miss_factor,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    program,
    createdAt: row.created_at,
  };
}

/** A miner row plus its live state as the API shows it. */
export function minerView(row: MinerRow, live: { connected: boolean; activeJobs: number }): MinerView {
  return {
    id: row.id,
    competitionId: row.competition_id,
    publicKey: row.public_key,
    owner: row.owner,
    displayName: row.display_name,
    connected: live.connected,
    capacity: row.capacity,
    activeJobs: live.activeJobs,
    lastSeenAt: row.last_seen_at,
    createdAt: row.created_at,
  };
}

/** An offer row as the API shows it (with the latest progress report). */
function offerView(row: OfferRow): OfferView {
  return {
    jobId: row.job_id,
    minerId: row.miner_id,
    status: row.status,
    reason: row.reason,
    offeredAt: row.offered_at,
    expiresAt: row.expires_at,
    decidedAt: row.decided_at,
    progress:
      row.progress_at === null
        ? null
        : { step: row.progress_step, trainLoss: row.progress_train_loss, at: row.progress_at },
  };
}

/** A job row and its offers as the API shows them. */
export function jobView(row: JobRow, offers: OfferRow[]): JobView {
  return {
    id: row.id,
    competitionId: row.competition_id,
    status: row.status,
    model: { id: row.model_id, family: row.model_family, parameterCount: row.model_parameter_count },
    dataset: row.dataset,
    taskKind: row.task_kind,
    timeLimitSeconds: row.time_limit_seconds,
    minersWanted: row.miners_wanted,
    deadline: row.deadline,
    createdAt: row.created_at,
    offers: offers.map(offerView),
    offerTtlSeconds: row.offer_ttl_seconds,
    trainRows: row.train_rows,
    trainSha256: row.train_sha256,
    baseModelSha256: row.model_weights_sha256,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    evaluationRequestedAt: row.evaluation_requested_at,
  };
}

/** The `recipe` field of a commit's view: the stored JSON object, nothing when the commit had none. */
export function recipeField(text: string | null | undefined): { recipe?: Recipe } {
  if (text === null || text === undefined) return {};
  const decoded = decodeRecipe(text);
  return decoded.ok ? { recipe: decoded.value } : {};
}

/** A latest commit as the API shows it: the commit's view plus when it was first committed and its upload. */
export function submissionView(row: SubmissionRow): SubmissionView {
  return {
    ...commitView(row),
    firstCommittedAt: row.first_committed_at,
    uploaded: row.artifact_bytes !== null,
    artifactBytes: row.artifact_bytes,
  };
}

/** Any commit as the API shows it in a job's commit history. */
export function commitView(row: CommitRow): CommitView {
  return {
    id: row.id,
    jobId: row.job_id,
    minerId: row.miner_id,
    artifactSha256: row.artifact_sha256,
    artifactKind: row.artifact_kind,
    strategyNote: row.strategy_note,
    ...recipeField(row.recipe),
    committedAt: row.committed_at,
  };
}
