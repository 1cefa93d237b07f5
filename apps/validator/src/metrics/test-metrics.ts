// Test-only helper (excluded from the build): reads one sample of a Prometheus text. It asserts nothing.

/** The value of one sample line (`name{labels}`) of a Prometheus text, or undefined when absent. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
