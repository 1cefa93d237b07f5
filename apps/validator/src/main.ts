#!/usr/bin/env node
// CLI entry of the validator (`tuning-arena-validator`, compiled to dist/main.js): decodes flags and env,
// starts the validator, logs to stderr (JSON lines, or text on a terminal) and closes gracefully on SIGINT/SIGTERM.

import { USAGE_EXIT_CODE } from '@tuning-arena/node-kit';
import { parseCliConfig, USAGE } from './cli-config.js';
import { createLogger } from './logger.js';
import { loadOrCreateOperatorToken } from './operator-token.js';
import { createValidator } from './validator.js';

async function main(): Promise<void> {
  const parsed = parseCliConfig(process.argv.slice(2), process.env);
  const logger = createLogger(parsed.ok && parsed.value !== 'help' ? parsed.value.log : {});
  if (!parsed.ok) {
    logger.error('config.invalid', { code: parsed.error.code, message: parsed.error.message });
    process.stderr.write(`${parsed.error.message}\n\n${parsed.error.usage}`);
    process.exitCode = USAGE_EXIT_CODE;
    return;
  }
  if (parsed.value === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const { config } = parsed.value;
  let operatorToken = config.operatorToken;
  if (operatorToken === undefined) {
    const stored = await loadOrCreateOperatorToken(config.dataDir);
    operatorToken = stored.token;
    if (stored.created) process.stdout.write(`ARENA_OPERATOR_TOKEN=${operatorToken}\n`);
    logger.info(stored.created ? 'operator_token.generated' : 'operator_token.reused', { path: stored.path });
  }
  const validator = createValidator({ ...config, operatorToken, logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('validator.stopping', { signal });
    validator.close().then(
      () => process.exit(0),
      (error) => {
        logger.error('validator.close_failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const address = await validator.start();
  // The one-time link goes to stdout like a new operator token, never into the log.
  process.stdout.write(`console: ${address.consoleUrl}\n`);
}

main().catch((error) => {
  createLogger().error('validator.crashed', { error, stack: (error as Error).stack });
  process.exit(1);
});
