// A minimal structured logger port; the daemon writes lines to stderr, tests pass a silent one.

/** Log levels, least to most severe. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Logs one event with optional structured fields. */
export type Logger = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** A logger writing `time level message {fields}` lines to stderr, dropping levels below `min`. */
export function createStderrLogger(min: LogLevel = 'info'): Logger {
  return (level, message, fields) => {
    if (ORDER[level] < ORDER[min]) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}${extra}\n`);
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = () => {};
