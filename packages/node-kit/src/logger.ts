// The one structured logger of every app: an event is a dotted name (`offer.accepted`) plus fields. As JSON
// lines (`{"at","level","event",...fields}`) when the output is not a terminal or `json` is asked for; as short
// readable lines (`12:00:01 warn  offer.expired jobId=job_1`) on a terminal. No buffering, rotation or filtering
// beyond a minimum level; errors in fields are reduced to their name, message and code.

/** Severity of a log event. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** How lines are written: JSON objects, readable text, or `auto` (text on a TTY, else JSON). */
export type LogFormat = 'json' | 'text' | 'auto';

/** The log levels, least severe first (for CLI choices). */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** The log formats (for CLI choices). */
export const LOG_FORMATS: readonly LogFormat[] = ['auto', 'json', 'text'];

/** Fields of an event: JSON-serialisable values (Errors are reduced to name, message and code). */
type LogFields = Record<string, unknown>;

/** A structured logger: an event name plus fields. */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

/** One logged event as the sink sees it. */
interface LogEntry {
  at: string;
  level: LogLevel;
  event: string;
  fields: LogFields;
}

/** Options of createLogger. */
export interface LoggerOptions {
  /** Least severe level written (default info). */
  level?: LogLevel;
  /** Line format (default auto: text when the stream is a TTY). */
  format?: LogFormat;
  /** Where lines go (default process.stderr). */
  stream?: { write(text: string): unknown; isTTY?: boolean };
  /** Receives each formatted line (without its newline) instead of the stream; JSON unless `format: 'text'`. */
  write?: (line: string) => void;
  /** Receives every entry instead of a stream (tests, in-memory logs). */
  sink?: (entry: LogEntry) => void;
  /** Fields added to every event (e.g. the miner's id). */
  bindings?: LogFields;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function serialise(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { name: value.name, message: value.message, ...(code === undefined ? {} : { code }) };
  }
  return value;
}

function textValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** Formats an entry as one JSON line. */
export function jsonLine(entry: LogEntry): string {
  return JSON.stringify({ at: entry.at, level: entry.level, event: entry.event, ...entry.fields });
}

/** Formats an entry as one short readable line. */
export function textLine(entry: LogEntry): string {
  const fields = Object.entries(entry.fields)
    .map(([key, value]) => `${key}=${textValue(value)}`)
    .join(' ');
  return `${entry.at.slice(11, 19)} ${entry.level.padEnd(5)} ${entry.event}${fields ? ` ${fields}` : ''}`;
}

/** Creates a logger; see LoggerOptions for the defaults. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const min = ORDER[options.level ?? 'info'];
  const stream = options.stream ?? process.stderr;
  const format = options.format ?? 'auto';
  const text = format === 'text' || (format === 'auto' && !options.write && stream.isTTY === true);
  const line = (entry: LogEntry) => (text ? textLine(entry) : jsonLine(entry));
  const write = options.write;
  const sink =
    options.sink ??
    (write ? (entry: LogEntry) => write(line(entry)) : (entry: LogEntry) => stream.write(`${line(entry)}\n`));
  const make = (bindings: LogFields): Logger => {
    const log =
      (level: LogLevel) =>
      (event: string, fields: LogFields = {}) => {
        if (ORDER[level] < min) return;
        const all: LogFields = {};
        for (const [key, value] of Object.entries({ ...bindings, ...fields })) all[key] = serialise(value);
        sink({ at: new Date().toISOString(), level, event, fields: all });
      };
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  };
  return make(options.bindings ?? {});
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger({ sink: () => {} });

/** A logger that keeps every entry in memory (for tests and for callers that show logs themselves). */
export function createMemoryLogger(level: LogLevel = 'debug'): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return { logger: createLogger({ level, sink: (entry) => entries.push(entry) }), entries };
}
