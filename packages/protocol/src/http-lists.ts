// Response envelopes of the HTTP routes that answer with a wrapper around views defined elsewhere: the
// competition, miner, job, submission, commit, model, rule and audit lists, a competition re-score, the
// miner's own results and an upload receipt. Single views live in http-bodies.ts and program.ts; this module
// only wraps them.

import { type Static, Type } from '@sinclair/typebox';
import { Id, Sha256 } from './common.js';
import {
  AuditEntryView,
  CommitView,
  CompetitionView,
  JobView,
  MinerView,
  ModelView,
  RuleView,
  SubmissionView,
} from './http-bodies.js';
import { JobResult } from './validator-messages.js';

/** `GET /v1/competitions`. */
export const CompetitionList = Type.Object({ competitions: Type.Array(CompetitionView) });
/** `GET /v1/competitions`. */
export type CompetitionList = Static<typeof CompetitionList>;

/** `GET /v1/competitions/:id/miners`. */
export const MinerList = Type.Object({ miners: Type.Array(MinerView) });
/** `GET /v1/competitions/:id/miners`. */
export type MinerList = Static<typeof MinerList>;

/** `GET /v1/competitions/:id/jobs`. */
export const JobList = Type.Object({ jobs: Type.Array(JobView) });
/** `GET /v1/competitions/:id/jobs`. */
export type JobList = Static<typeof JobList>;

/** `GET /v1/jobs/:id/submissions`. */
export const SubmissionList = Type.Object({ submissions: Type.Array(SubmissionView) });
/** `GET /v1/jobs/:id/submissions`. */
export type SubmissionList = Static<typeof SubmissionList>;

/** `GET /v1/jobs/:id/commits`. */
export const CommitList = Type.Object({ commits: Type.Array(CommitView) });
/** `GET /v1/jobs/:id/commits`. */
export type CommitList = Static<typeof CommitList>;

/** `GET /v1/models`. */
export const ModelList = Type.Object({ models: Type.Array(ModelView) });
/** `GET /v1/models`. */
export type ModelList = Static<typeof ModelList>;

/** `GET /v1/competitions/:id/rules`. */
export const RuleList = Type.Object({ rules: Type.Array(RuleView) });
/** `GET /v1/competitions/:id/rules`. */
export type RuleList = Static<typeof RuleList>;

/** `GET /v1/competitions/:id/audit`. */
export const AuditList = Type.Object({ entries: Type.Array(AuditEntryView) });
/** `GET /v1/competitions/:id/audit`. */
export type AuditList = Static<typeof AuditList>;

/** `POST /v1/competitions/:id/rescore`: the jobs that were re-scored. */
export const RescoredJobs = Type.Object({ jobs: Type.Array(Id) });
/** `POST /v1/competitions/:id/rescore`. */
export type RescoredJobs = Static<typeof RescoredJobs>;

/** `GET /v1/me/results`: the `job.result` frames the miner was sent. */
export const MinerResultList = Type.Object({ results: Type.Array(JobResult) });
/** `GET /v1/me/results`. */
export type MinerResultList = Static<typeof MinerResultList>;

/** `PUT /v1/artifacts/:sha256`: the stored artifact. */
export const ArtifactReceipt = Type.Object({ sha256: Sha256, bytes: Type.Integer({ minimum: 0 }) });
/** `PUT /v1/artifacts/:sha256`. */
export type ArtifactReceipt = Static<typeof ArtifactReceipt>;
