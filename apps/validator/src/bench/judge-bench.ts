// Judging benchmark: the wall time of judging every submission of one job by every default rule, on
// synthetic facts and per-example losses, for pools of several sizes, and the share of it the test-leak
// rule's bootstrap takes. Judging runs on the validator's main thread, so this is how long a job's scoring
// holds the event loop. Prints one line per pool size; asserts nothing. Run from the build:
// `node apps/validator/dist/bench/judge-bench.js [--pools 16,64,256,1000] [--rows 100]`.

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createRng } from '@tuning-arena/random';
import type { BaseFacts, ExampleLosses, SubmissionFacts } from '../evaluation/facts.js';
import { defaultRuleSettings, judgeSubmission } from '../integrity/rules.js';
import { submissionFacts, weightFacts } from '../integrity/sample-facts.js';

const { values } = parseArgs({
  options: { pools: { type: 'string', default: '16,64,256,1000' }, rows: { type: 'string', default: '100' } },
});
const sizes = values.pools.split(',').map(Number);
const rows = Number(values.rows);

function job(size: number) {
  const rng = createRng(size);
  const perRow = (mean: number) =>
    Float32Array.from({ length: rows }, () => mean * Math.exp(0.3 * rng.normal()));
  const sets = (gain: number): ExampleLosses => ({
    test: perRow(4 * Math.exp(-1.4 * gain)),
    synthetic: perRow(4 * Math.exp(-gain)),
    trainSample: perRow(4 * Math.exp(-1.05 * gain)),
  });
  const mean = (values: Float32Array) => values.reduce((sum, x) => sum + x, 0) / values.length;
  const losses = new Map<string, ExampleLosses>([['base', sets(0)]]);
  const base: BaseFacts = {
    modelId: 'bench-base',
    weightsSha256: 'sha-base',
    losses: { test: 4, synthetic: 4, trainSample: 4 },
  };
  const pool: SubmissionFacts[] = Array.from({ length: size }, (_, i) => {
    const minerId = `m${i}`;
    const rowsOf = sets(0.3 + 1.5 * rng.uniform());
    losses.set(minerId, rowsOf);
    return submissionFacts(minerId, {
      artifactSha256: `sha-${i}`,
      losses: {
        test: mean(rowsOf.test),
        synthetic: mean(rowsOf.synthetic),
        trainSample: mean(rowsOf.trainSample),
      },
      weights: weightFacts({ otherBases: [], deltaSketch: Array.from({ length: 256 }, () => rng.normal()) }),
    });
  });
  return { base, pool, losses };
}

function judgeAll(data: ReturnType<typeof job>, rules: ReturnType<typeof defaultRuleSettings>) {
  const pool = [...data.pool]; // a fresh pool array: the leak rule measures each judged pool once
  for (const submission of pool) {
    judgeSubmission(rules, {
      jobId: 'bench-job',
      base: data.base,
      submission,
      pool,
      exampleLosses: (minerId) => data.losses.get(minerId),
      ownerOf: (minerId) => minerId,
      limits: {
        maxMiners: 100_000,
        maxMinersPerOwner: 5,
        minersOfOwner: (key) => [key],
        minersInCompetition: pool.length,
      },
      priors: [],
      datasetKind: 'knowledge',
    });
  }
}

const all = defaultRuleSettings();
const withoutLeak = all.filter(({ rule }) => rule.id !== 'test-leak');
for (const size of sizes) {
  const data = job(size);
  const time = (rules: typeof all) => {
    const started = performance.now();
    judgeAll(data, rules);
    return performance.now() - started;
  };
  const whole = time(all);
  const rest = time(withoutLeak);
  console.log(
    `${size} submissions, ${rows} rows a set: judging ${whole.toFixed(0)} ms, of which test-leak ${Math.max(0, whole - rest).toFixed(0)} ms`,
  );
}
