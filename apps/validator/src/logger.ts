// A tiny structured logger: one JSON object per line (time, level, event, fields), written to stderr by
// default. It does no buffering, rotation or filtering beyond a minimum level.

/** Severity of a log event. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Structured logger: an event name plus JSON-serialisable fields. */
export interface Logger {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

/** Options of createLogger: minimum level and where lines go (default: stderr). */
export interface LoggerOptions {
  level?: LogLevel;
  write?: (line: string) => void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, ...(code === undefined ? {} : { code }) };
  }
  return value;
}

/** Creates a logger that writes one JSON line per event. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log =
    (level: LogLevel) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[level] < min) return;
      const entry: Record<string, unknown> = { at: new Date().toISOString(), level, event };
      for (const [key, value] of Object.entries(fields)) entry[key] = serialise(value);
      write(JSON.stringify(entry));
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = createLogger({ write: () => {} });
