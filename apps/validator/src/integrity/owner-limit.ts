// Rule `owner-limit`: the registration limits re-checked at scoring: at most `maxMinersPerOwner` miners per
// owner (owners compared by their normalised key, owner-key.ts) and `maxMiners` in the competition. Owner
// lists come in registration order, so an owner's first miners keep their scores and only the extra ones fail.

import { Type } from '@sinclair/typebox';
import { ownerKey } from '../owner-key.js';
import type { Rule } from './rule.js';

/** Parameters of the owner-limit rule (the limits themselves come with the competition). */
const OwnerLimitParams = Type.Object(
  {
    /** Whether a competition over its miner limit fails every submission (default: shown only). */
    enforceCompetitionLimit: Type.Boolean({ default: false }),
  },
  { additionalProperties: false },
);

/** An owner's miners beyond the per-owner limit fail; the competition limit is reported. */
export const ownerLimitRule: Rule<typeof OwnerLimitParams> = {
  id: 'owner-limit',
  summary:
    "At most the competition's miners per owner (owners compared by normalised key) and miners in all, re-checked at scoring; an owner's miners beyond the limit, in registration order, fail.",
  toPass:
    'Register no more miners per person than allowed; a re-spelled owner name normalises to the same key.',
  params: OwnerLimitParams,
  defaults: { enforceCompetitionLimit: false },
  defaultAction: 'zero',
  check({ params, submission, ownerOf, limits }) {
    const key = ownerKey(ownerOf(submission.minerId));
    const miners = limits.minersOfOwner(key);
    const position = miners.indexOf(submission.minerId);
    const withinOwner = position >= 0 && position < limits.maxMinersPerOwner;
    const withinCompetition = limits.minersInCompetition <= limits.maxMiners;
    return {
      passed: withinOwner && (withinCompetition || !params.enforceCompetitionLimit),
      evidence: {
        ownerKey: key,
        ownerMiners: miners.length,
        registrationPosition: position >= 0 ? position + 1 : null,
        maxMinersPerOwner: limits.maxMinersPerOwner,
        minersInCompetition: limits.minersInCompetition,
        maxMiners: limits.maxMiners,
        withinOwnerLimit: withinOwner,
        withinCompetitionLimit: withinCompetition,
        enforceCompetitionLimit: params.enforceCompetitionLimit,
      },
    };
  },
};
