import { describe, expect, it } from 'vitest';
import { ownerLimitRule } from './owner-limit.js';
import { contextFor, submissionFacts } from './test-facts.js';

const owners = { m1: 'Ada', m2: 'ada ', m3: 'ADA', m4: 'Bob' };
const judge = (minerId: string, options: Parameters<typeof contextFor>[3] = {}, enforce = false) =>
  ownerLimitRule.check(
    contextFor(
      ownerLimitRule,
      submissionFacts(minerId),
      { enforceCompetitionLimit: enforce },
      { owners, ...options },
    ),
  );

describe('owner-limit rule', () => {
  it("passes an owner's miners up to the limit, counting spellings of one owner together", () => {
    const outcome = judge('m2', { maxMinersPerOwner: 2 });
    expect(outcome.passed).toBe(true);
    expect(outcome.evidence).toMatchObject({ ownerKey: 'ada', ownerMiners: 3, registrationPosition: 2 });
  });

  it("fails an owner's miners beyond the limit, in registration order", () => {
    const outcome = judge('m3', { maxMinersPerOwner: 2 });
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence).toMatchObject({
      registrationPosition: 3,
      maxMinersPerOwner: 2,
      withinOwnerLimit: false,
    });
    expect(judge('m4', { maxMinersPerOwner: 1 }).passed).toBe(true);
  });

  it('fails a miner its owner does not list', () => {
    expect(judge('ghost').passed).toBe(false);
  });

  it('reports a competition over its miner limit, and fails it only when enforced', () => {
    expect(judge('m1', { maxMiners: 3, minersInCompetition: 4 }).evidence).toMatchObject({
      withinCompetitionLimit: false,
    });
    expect(judge('m1', { maxMiners: 3, minersInCompetition: 4 }).passed).toBe(true);
    expect(judge('m1', { maxMiners: 3, minersInCompetition: 4 }, true).passed).toBe(false);
  });
});
