import { describe, expect, it } from 'vitest';
import { parseCliConfig } from './cli-config.js';

describe('CLI config', () => {
  it('reads flags and applies defaults', () => {
    const parsed = parseCliConfig(['--port', '0', '--data-dir', '/tmp/v', '--operator-token', 'tok'], {});
    expect(parsed.ok && parsed.value !== 'help' && parsed.value).toMatchObject({
      generatedToken: false,
      config: { port: 0, host: '127.0.0.1', dataDir: '/tmp/v', operatorToken: 'tok' },
    });
  });

  it('takes the token from ARENA_OPERATOR_TOKEN and generates one when absent', () => {
    const fromEnv = parseCliConfig([], { ARENA_OPERATOR_TOKEN: 'env-token' });
    expect(fromEnv.ok && fromEnv.value !== 'help' && fromEnv.value.config.operatorToken).toBe('env-token');
    const generated = parseCliConfig([], {});
    if (!generated.ok || generated.value === 'help') throw new Error('expected a config');
    expect(generated.value.generatedToken).toBe(true);
    expect(generated.value.config.operatorToken.length).toBeGreaterThanOrEqual(32);
    expect(generated.value.config.port).toBe(8787);
  });

  it('refuses bad numbers and unknown flags without throwing', () => {
    for (const argv of [
      ['--port', '70000'],
      ['--port', 'x'],
      ['--offer-ttl-seconds', '0'],
      ['--frobnicate'],
    ]) {
      const parsed = parseCliConfig(argv, {});
      expect(parsed.ok, argv.join(' ')).toBe(false);
    }
    expect(parseCliConfig(['--help'], {})).toEqual({ ok: true, value: 'help' });
  });
});
