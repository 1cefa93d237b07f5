import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseCliConfig } from './cli-config.js';
import { DEFAULT_LIMITS, LIMIT_SPECS, resolveLimits } from './limits.js';

describe('limits', () => {
  it('documents every limit with its default in the README', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const spec of Object.values(LIMIT_SPECS)) {
      expect(readme, spec.flag).toMatch(new RegExp(`\\| \`--${spec.flag}\`\\s*\\| ${spec.value}\\s*\\|`));
    }
  });

  it('has a default inside its own range, and a flag that takes it', () => {
    for (const [name, spec] of Object.entries(LIMIT_SPECS)) {
      expect(spec.value, name).toBeGreaterThanOrEqual(spec.min);
      expect(spec.value, name).toBeLessThanOrEqual(spec.max);
      const parsed = parseCliConfig([`--${spec.flag}`, String(spec.value)], {});
      expect(parsed.ok, name).toBe(true);
    }
    expect(resolveLimits({ framesPerSecond: 7 })).toEqual({ ...DEFAULT_LIMITS, framesPerSecond: 7 });
  });
});
