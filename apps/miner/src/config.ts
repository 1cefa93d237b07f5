// The miner's configuration: what `createMiner` takes, with the defaults filled in one place.
// The knobs a participant sets (config file and flags) are config-knobs.ts's; the CLI maps them onto this.

import type { AcceptPolicy } from './accept-policy.js';
import type { BackoffOptions } from './backoff.js';
import type { Logger } from './logger.js';
import type { Trainer } from './trainer.js';

/** Everything `createMiner` takes; only the URL, data directory and trainer are required. */
export interface MinerConfig {
  /** The validator's base URL, e.g. `http://127.0.0.1:8080`. */
  validatorUrl: string;
  /** Holds the key (`miner-key.pem`), the ledger (`ledger.sqlite`) and per-job work dirs (`jobs/`). */
  dataDir: string;
  /** The training engine. */
  trainer: Trainer;
  /** Jobs held at once, announced in `hello` (default 1). */
  capacity?: number;
  /** The default policy declines jobs with a shorter time limit (default 30 s). */
  minTimeLimitSeconds?: number;
  /** The trainer, strategy and hyperparameters in effect, stored in the ledger with every decided offer. */
  settings?: Record<string, unknown>;
  /** Replaces the default accept policy. */
  acceptPolicy?: AcceptPolicy;
  /** Announced in `hello` (default `tuning-arena-miner/0.1.0 (<trainer>)`). */
  software?: string;
  /** Reconnect schedule. */
  backoff?: BackoffOptions;
  /** Logger (default: silent). */
  log?: Logger;
  /** Least time between two `job.progress` frames of one job (default 1 000 ms). */
  progressIntervalMs?: number;
  /** How long past the deadline a trainer may run before it is aborted (default 60 000 ms). */
  trainerOverrunMs?: number;
  /** How long to wait for the answer to a `job.submit` before sending it again (default 15 000 ms). */
  submitTimeoutMs?: number;
}

/** Name of the ledger database file inside the data directory. */
export const LEDGER_FILE = 'ledger.sqlite';

/** Version string of the miner software. */
export const MINER_VERSION = '0.1.0';
