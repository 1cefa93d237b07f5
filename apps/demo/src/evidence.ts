// One readable line per failed rule, from the evidence the validator recorded: the numbers the rule
// compared and the threshold it used. Unknown rules fall back to their evidence as clipped JSON.

type Evidence = Record<string, unknown>;

const num = (value: unknown, digits = 3) =>
  typeof value === 'number' ? value.toFixed(digits) : String(value);

function duplicate(e: Evidence, name: (id: string) => string): string {
  const matches = (e.duplicates as { signal: string; value: unknown; cutoff: unknown }[] | undefined) ?? [];
  const original = e.original as { jobId: string; minerId: string } | null;
  const signals = [
    ...new Set(
      matches.map((m) =>
        m.signal === 'hash'
          ? 'identical artifact hash'
          : `${m.signal} ${num(m.value, 6)} vs cut-off ${num(m.cutoff, 6)}`,
      ),
    ),
  ];
  return `${signals.join(', ')}; the original is ${original ? `${name(original.minerId)}'s in job ${original.jobId}` : 'unknown'}, committed earlier`;
}

function lineage(e: Evidence): string {
  const others =
    (e.otherBases as
      | { modelId: string; relativeDistance: number; deltaDirectionCosine: number }[]
      | undefined) ?? [];
  const other = others[0];
  return (
    `problems ${((e.problems as string[] | undefined) ?? []).join(', ')}: cos(W, base) ${num(e.cosineToBase)} (min ${num((e.thresholds as Evidence | undefined)?.minCosineToBase, 2)}), ` +
    `distance to base ${num(e.relativeDistance)}` +
    (other
      ? ` vs to ${other.modelId} ${num(other.relativeDistance)}, change towards it cos ${num(other.deltaDirectionCosine)}`
      : '')
  );
}

function notBase(e: Evidence): string {
  return `weights moved ${num(e.relativeDistance, 4)} (needs > ${num(e.minRelativeDistance, 2)}), mean |loss change| ${num(e.meanAbsLossChange, 4)} nats (needs > ${num(e.minMeanAbsLossChange, 2)})`;
}

function testLeak(e: Evidence): string {
  const thresholds = (e.thresholds as Evidence | undefined) ?? {};
  const familiarity = `test/train-sample loss ratio ${num(e.familiarityRatio)} (min ${num(thresholds.minFamiliarityRatio, 2)})`;
  if (e.excess === undefined) return `${familiarity}; ${String(e.reference)}`;
  return (
    `test gain ${num(e.excess)} nats beyond what its synthetic and train-sample gains predict ` +
    `(fails at ${num(thresholds.minExcess, 2)}), z ${e.z === null ? 'unknown' : num(e.z, 1)} (needs ${num(thresholds.minZ, 0)}); ${familiarity}`
  );
}

/** One line of a rule's evidence; `name` turns miner ids into names. */
export function describeEvidence(rule: string, evidence: Evidence, name: (id: string) => string): string {
  if (rule === 'duplicate') return duplicate(evidence, name);
  if (rule === 'lineage') return lineage(evidence);
  if (rule === 'not-base') return notBase(evidence);
  if (rule === 'test-leak') return testLeak(evidence);
  const text = JSON.stringify(evidence);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}
