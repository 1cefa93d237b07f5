// Rule `commit`: the counted commit was made before the job's deadline, and the uploaded bytes hash to the
// committed sha256. It trusts the gateway's recorded times and upload check; it does not verify signatures.

import { Type } from '@sinclair/typebox';
import type { Rule } from './rule.js';
import { timeOf } from './stats.js';

/** Parameters of the commit rule. */
const CommitParams = Type.Object(
  {
    /** Tolerance for clock skew between the gateway and the scheduler, in ms (default 0: strictly before). */
    graceMs: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

/** Commit before the deadline, and the upload matches the committed hash. */
export const commitRule: Rule<typeof CommitParams> = {
  id: 'commit',
  summary:
    'The counted commit was made before the deadline and the uploaded bytes hash to the committed sha256.',
  toPass:
    "Commit in time and upload exactly the committed artifact; there is nothing to game short of the gateway's clock.",
  params: CommitParams,
  defaults: { graceMs: 0 },
  defaultAction: 'miss',
  check({ params, submission }) {
    const committed = timeOf(submission.committedAt);
    const deadline = timeOf(submission.deadline);
    const inTime =
      Number.isFinite(committed) && Number.isFinite(deadline) && committed < deadline + params.graceMs;
    return {
      passed: inTime && submission.uploaded,
      evidence: {
        committedAt: submission.committedAt,
        deadline: submission.deadline,
        graceMs: params.graceMs,
        marginMs: Number.isFinite(committed - deadline) ? deadline - committed : null,
        beforeDeadline: inTime,
        uploaded: submission.uploaded,
      },
    };
  },
};
