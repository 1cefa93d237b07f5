// Calibration of the integrity rules on tiny real models (engine-trained, measured with evaluation's own
// computeWeightFacts): every honest fine-tune passes every rule, each cheat fails the rule meant for it. With
// CALIBRATION_PRINT=1 it prints the measured signals as the markdown rows of CALIBRATION.md.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../scoring/job-score.js';
import { duplicateRule } from './duplicate.js';
import type { PriorSubmission, RuleContext } from './rule.js';
import { defaultRuleSettings, judgeSubmission } from './rules.js';
import { cosine, round } from './stats.js';
import { type CalibrationCase, type CalibrationRun, runCalibration } from './test-calibration-cases.js';
import { pretrain } from './test-calibration-models.js';

const runs: CalibrationRun[] = [];

beforeAll(async () => {
  const base = await pretrain('brown', 1, 300);
  const impostor = await pretrain('moby-dick', 2, 300);
  runs.push(await runCalibration('country-facts', base, impostor));
  runs.push(await runCalibration('arithmetic', base, impostor));
}, 120_000);

function contextOf(run: CalibrationRun, judged: CalibrationCase): Omit<RuleContext<unknown>, 'params'> {
  const byMiner = new Map(run.cases.map((c) => [c.name, c]));
  return {
    jobId: `job-${run.dataset}`,
    base: run.base.facts,
    submission: judged.facts,
    pool: run.cases.map((c) => c.facts),
    exampleLosses: (minerId) => (minerId === 'base' ? run.base.losses : byMiner.get(minerId)?.losses),
    ownerOf: (minerId) => `owner of ${minerId}`,
    limits: {
      maxMiners: 20,
      maxMinersPerOwner: 5,
      minersOfOwner: (key) => [key.replace('owner of ', '')],
      minersInCompetition: run.cases.length,
    },
    priors: [],
    datasetKind: run.dataset === 'arithmetic' ? 'procedural' : 'knowledge',
  };
}

function judge(run: CalibrationRun, name: string): { failed: string[]; verdicts: Verdict[] } {
  const judged = run.cases.find((c) => c.name === name)!;
  const verdicts = judgeSubmission(defaultRuleSettings(), contextOf(run, judged));
  return { failed: verdicts.filter((v) => !v.passed).map((v) => v.rule), verdicts };
}

/** What each case must fail (nothing for honest fine-tunes and originals). */
const EXPECTED: Record<string, string[]> = {
  'full-1': [],
  'full-2': [],
  'full-4': [],
  'full-3': [],
  'lora-1': [],
  'lora-2': [],
  'impostor-ft': ['lineage'],
  'blend-impostor-ft': ['lineage', 'duplicate'],
  'blend-raw': ['lineage'],
  'untouched-base': ['not-base'],
  'perturbed-base': ['not-base'],
  'perturbed-copy': ['duplicate'],
  'retrained-copy': ['duplicate'],
  'retrained-lora-copy': ['duplicate'],
  // One unrepeated copy of 30 test rows among 270 train rows: an excess of 0.06-0.09 nats at z 2.4-2.7, the
  // size an honest miner reached in the demo competition (0.067, z 2.8). Not caught by default (CALIBRATION.md).
  'leak-train+test': [],
  'leak-test-x3': ['test-leak'],
};

function row(run: CalibrationRun, c: CalibrationCase): string {
  const w = c.facts.weights!;
  const l = c.facts.losses!;
  const o = w.otherBases[0]!;
  const { failed, verdicts } = judge(run, c.name);
  const evidence = (rule: string) =>
    verdicts.find((v) => v.rule === rule)!.evidence as Record<string, unknown>;
  const leak = evidence('test-leak');
  const duplicate = evidence('duplicate');
  const notBase = evidence('not-base');
  const original = c.copyOf ? run.cases.find((x) => x.name === c.copyOf)! : undefined;
  const copyCos = original ? cosine(w.deltaSketch, original.facts.weights!.deltaSketch) : Number.NaN;
  const nearest = duplicate.nearestDelta as { cosine: number } | null;
  const cells = [
    c.name,
    `${round(l.test, 3)} / ${round(l.synthetic, 3)}`,
    round(w.relativeDistance, 3),
    round(w.cosineToBase, 3),
    round(w.minTensorCosine, 3),
    round(o.relativeDistance, 3),
    `${round(o.deltaDirectionCosine, 3)} / ${round(o.blendFraction ?? Number.NaN, 3)}`,
    notBase.meanAbsLossChange,
    original ? (1 - copyCos).toExponential(1) : nearest ? (1 - nearest.cosine).toExponential(1) : '-',
    leak.familiarityRatio,
    leak.syntheticExcess,
    leak.trainExcess,
    leak.excess,
    leak.z,
    failed.length === 0 ? 'pass' : `fail: ${failed.join(', ')}`,
  ];
  return `| ${cells.join(' | ')} |`;
}

describe('integrity calibration on tiny real models', () => {
  it('passes every honest fine-tune and catches each cheat with the rule meant for it', () => {
    for (const run of runs) {
      if (process.env.CALIBRATION_PRINT) {
        console.log(`\n${run.dataset}: base losses ${JSON.stringify(run.base.facts.losses)}`);
        console.log(run.cases.map((c) => row(run, c)).join('\n'));
        const judged = judge(run, 'full-1').verdicts.find((v) => v.rule === 'duplicate')!;
        console.log(JSON.stringify(judged.evidence.deltaCutoff));
      }
      for (const c of run.cases.filter((x) => x.kind !== 'blend-ft')) {
        expect.soft(judge(run, c.name).failed, `${run.dataset} ${c.name}`).toEqual(EXPECTED[c.name]);
      }
    }
  });

  it('names the original of a copy', () => {
    for (const run of runs) {
      for (const c of run.cases.filter((x) => x.kind === 'copy')) {
        const verdict = judge(run, c.name).verdicts.find((v) => v.rule === 'duplicate')!;
        expect(verdict.evidence.original, `${run.dataset} ${c.name}`).toMatchObject({ minerId: c.copyOf });
      }
    }
  });

  it('across jobs on one base: honest runs of another job pass, the same weights resubmitted fail', () => {
    const [first, second] = runs as [CalibrationRun, CalibrationRun];
    const priors: PriorSubmission[] = first.cases.map((c) => ({
      jobId: 'job-first',
      minerId: c.name,
      ownerKey: `owner of ${c.name}`,
      artifactSha256: `${c.facts.artifactSha256}-first-job`,
      firstCommittedAt: '2026-11-30T10:00:00.000Z',
      baseWeightsSha256: second.base.facts.weightsSha256,
      deltaSketch: c.facts.weights!.deltaSketch,
    }));
    const duplicate = duplicateRule.check({
      ...contextOf(second, second.cases[0]!),
      params: duplicateRule.defaults,
    });
    const across = (judged: CalibrationCase) =>
      duplicateRule.check({ ...contextOf(second, judged), priors, params: duplicateRule.defaults });
    expect(duplicate.passed).toBe(true);
    const nearest: number[] = [];
    for (const c of second.cases.filter((x) => x.kind === 'honest')) {
      const outcome = across(c);
      expect.soft(outcome.passed, `${c.name} ${JSON.stringify(outcome.evidence.duplicates)}`).toBe(true);
      nearest.push(
        round(
          Math.max(
            ...priors
              .map((prior) => cosine(c.facts.weights!.deltaSketch, prior.deltaSketch!))
              .filter(Number.isFinite),
          ),
          4,
        ),
      );
    }
    if (process.env.CALIBRATION_PRINT)
      console.log('highest cross-job sketch cosine of each honest run', nearest);
    // The first job's full-1 weights, submitted again in the second job by another miner.
    const resubmitted = first.cases.find((c) => c.name === 'full-1')!;
    const again = {
      ...resubmitted,
      facts: { ...resubmitted.facts, minerId: 'again', artifactSha256: 'sha-again' },
    };
    const outcome = across(again);
    expect(outcome.passed).toBe(false);
    expect(outcome.evidence.original).toMatchObject({ jobId: 'job-first', minerId: 'full-1' });
  });
});
