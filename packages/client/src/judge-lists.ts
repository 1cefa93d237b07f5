// Response envelopes of the judge's list routes, built from the protocol's own views: the protocol has
// schemas for one rule, one audit entry and a job's results, but not for the `{rules}`, `{entries}` and
// `{jobs}` wrappers these routes answer with. It defines no view of its own.

import { type Static, Type } from '@sinclair/typebox';
import { AuditEntryView, Id, RuleView } from '@tuning-arena/protocol';

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
