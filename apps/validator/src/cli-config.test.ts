import { describe, expect, it } from 'vitest';
import { parseCliConfig } from './cli-config.js';

describe('CLI config', () => {
  it('reads flags and applies defaults', () => {
    const parsed = parseCliConfig(['--port', '0', '--data-dir', '/tmp/v', '--operator-token', 'tok'], {});
    expect(parsed.ok && parsed.value !== 'help' && parsed.value).toMatchObject({
      config: { port: 0, host: '127.0.0.1', dataDir: '/tmp/v', operatorToken: 'tok' },
    });
  });

  it('takes the token from ARENA_OPERATOR_TOKEN and leaves it unset when absent', () => {
    const fromEnv = parseCliConfig([], { ARENA_OPERATOR_TOKEN: 'env-token' });
    expect(fromEnv.ok && fromEnv.value !== 'help' && fromEnv.value.config.operatorToken).toBe('env-token');
    const absent = parseCliConfig([], {});
    if (!absent.ok || absent.value === 'help') throw new Error('expected a config');
    expect(absent.value.config.operatorToken).toBeUndefined();
    expect(absent.value.config.port).toBe(8787);
  });

  it('turns every limit into a flag with its range', () => {
    const parsed = parseCliConfig(['--handshake-timeout-ms', '2000', '--progress-per-second', '0.5'], {});
    expect(parsed.ok && parsed.value !== 'help' && parsed.value.config.limits).toEqual({
      handshakeTimeoutMs: 2000,
      progressPerSecond: 0.5,
    });
    for (const argv of [
      ['--handshake-timeout-ms', '1.5'],
      ['--max-body-bytes', '0'],
      ['--frames-per-second', ''],
    ]) {
      expect(parseCliConfig(argv, {}).ok, argv.join(' ')).toBe(false);
    }
  });

  it('reads the separate metrics address and turns the process metrics on', () => {
    const parsed = parseCliConfig(['--metrics-port', '9464'], { ARENA_METRICS_HOST: '10.0.0.5' });
    expect(parsed.ok && parsed.value !== 'help' && parsed.value.config.metrics).toEqual({
      process: true,
      port: 9464,
      host: '10.0.0.5',
    });
    const alone = parseCliConfig(['--metrics-host', '10.0.0.5'], {});
    expect(!alone.ok && alone.error.code).toBe('usage_error');
    const none = parseCliConfig([], {});
    expect(none.ok && none.value !== 'help' && none.value.config.metrics).toEqual({ process: true });
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
      if (!parsed.ok) expect(parsed.error.code).toBe('usage_error');
    }
    expect(parseCliConfig(['--help'], {})).toEqual({ ok: true, value: 'help' });
  });

  it('reads the evaluation pool settings and refuses zero workers', () => {
    const parsed = parseCliConfig(['--evaluation-workers', '2', '--evaluation-lease-ms', '5000'], {});
    expect(parsed.ok && parsed.value !== 'help' && parsed.value.config.evaluation).toEqual({
      poolSize: 2,
      leaseMs: 5000,
    });
    expect(parseCliConfig(['--evaluation-workers', '0'], {}).ok).toBe(false);
  });
});
