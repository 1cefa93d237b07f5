// The miner logs through the one structured logger shared by every app (@tuning-arena/node-kit);
// this module only re-exports it so the miner's modules keep one local import path.

export {
  createLogger,
  createMemoryLogger,
  type Logger,
  type LogLevel,
  silentLogger,
} from '@tuning-arena/node-kit';
