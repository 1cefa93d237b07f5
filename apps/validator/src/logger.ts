// The validator logs through the one structured logger shared by every app (@tuning-arena/node-kit);
// this module only re-exports it so the validator's modules keep one local import path.

export {
  createLogger,
  type Logger,
  type LoggerOptions,
  type LogLevel,
  silentLogger,
} from '@tuning-arena/node-kit';
