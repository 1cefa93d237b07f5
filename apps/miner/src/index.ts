// The miner daemon's public surface: `createMiner`, its ports (accept policy, trainer, logger), the
// ledger reader and the CLI entry. The barrel only re-exports; nothing here has behaviour of its own.

export type { AcceptPolicy, Decision } from './accept-policy.js';
export { createDefaultAcceptPolicy } from './accept-policy.js';
export type { Backoff, BackoffOptions } from './backoff.js';
export { createBackoff } from './backoff.js';
export { type CliIo, runCli, USAGE } from './cli.js';
export { createCommandTrainer } from './command-trainer.js';
export { LEDGER_FILE, MINER_VERSION, type MinerConfig } from './config.js';
export { createEngineTrainer, type EngineTrainerOptions, readExamples } from './engine-trainer.js';
export { isMinerError, MinerError } from './errors.js';
export type { LinkState } from './gateway-client.js';
export type { JobState } from './job-table.js';
export {
  generateKeyFiles,
  loadIdentity,
  type MinerIdentity,
  PRIVATE_KEY_FILE,
} from './keys.js';
export type { LedgerEntry, LedgerRepo, OfferRow, ResultRow, SubmissionRow } from './ledger/ledger-repo.js';
export { formatHistory, readLedgerHistory } from './ledger/read-history.js';
export type { JobLedgerStatus } from './ledger/schema.js';
export { createLogger, createMemoryLogger, type Logger, type LogLevel, silentLogger } from './logger.js';
export { createMiner, type Miner } from './miner.js';
export {
  createRedTeamTrainer,
  RED_TEAM_ATTEMPTS,
  RED_TEAM_NAMES,
  type RedTeamOptions,
} from './red-team/index.js';
export type { Trainer, TrainOutput, TrainProgress, TrainRequest } from './trainer.js';
