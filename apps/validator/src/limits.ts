// The validator's defensive limits in one table: every bound on untrusted input that an operator may tune
// (connections, handshakes, frame rates, uploads, bodies), with its default, its allowed range, its CLI flag
// and its documentation. config.ts resolves them, cli-config.ts turns each row into a flag, and the README's
// Security section lists them. Limits that are part of the wire protocol (frame size, bundle header size)
// live in the protocol package instead.

/** One tunable limit. */
interface LimitSpec {
  /** CLI flag without the leading dashes. */
  flag: string;
  /** Default value. */
  value: number;
  /** Smallest value the flag accepts. */
  min: number;
  /** Largest value the flag accepts. */
  max: number;
  /** What it bounds (one line, shown in --help and the README). */
  doc: string;
}

const MiB = 1024 * 1024;

/** Every tunable limit with its default. Add a row here to add a limit; config and flags follow. */
export const LIMIT_SPECS = {
  handshakeTimeoutMs: {
    flag: 'handshake-timeout-ms',
    value: 5_000,
    min: 100,
    max: 120_000,
    doc: 'a WebSocket that has not authenticated within this time is closed',
  },
  maxUnauthenticated: {
    flag: 'max-unauthenticated',
    value: 1_024,
    min: 1,
    max: 100_000,
    doc: 'sockets still in the handshake, in total (authenticated miners are not counted)',
  },
  maxUnauthenticatedPerAddress: {
    flag: 'max-unauthenticated-per-address',
    value: 64,
    min: 1,
    max: 100_000,
    doc: 'sockets still in the handshake from one remote address',
  },
  maxHttpConnections: {
    flag: 'max-http-connections',
    value: 16_000,
    min: 16,
    max: 1_000_000,
    doc: 'open TCP connections in total (HTTP and WebSocket); keep it below the process file-descriptor limit',
  },
  maxConnectionsPerAddress: {
    flag: 'max-connections-per-address',
    value: 1_024,
    min: 1,
    max: 1_000_000,
    doc: 'open TCP connections from one remote address (IPv6: per /64), HTTP and WebSocket together',
  },
  headersTimeoutMs: {
    flag: 'headers-timeout-ms',
    value: 10_000,
    min: 100,
    max: 300_000,
    doc: 'an HTTP request (or upgrade) whose headers have not all arrived within this time is dropped',
  },
  authFailuresPerMinute: {
    flag: 'auth-failures-per-minute',
    value: 20,
    min: 1,
    max: 100_000,
    doc: 'failed handshakes (unknown key, bad signature) per remote address and per key before throttling',
  },
  authsPerMinute: {
    flag: 'auths-per-minute',
    value: 60,
    min: 1,
    max: 100_000,
    doc: 'successful handshakes of one key per minute (reconnect storms); past it a hello is refused',
  },
  nonceTtlSeconds: {
    flag: 'nonce-ttl-seconds',
    value: 60,
    min: 1,
    max: 3_600,
    doc: 'unanswered challenge nonces are forgotten after this long',
  },
  framesPerSecond: {
    flag: 'frames-per-second',
    value: 50,
    min: 1,
    max: 100_000,
    doc: 'sustained frames per second per miner connection (bursts of twice this are allowed)',
  },
  progressPerSecond: {
    flag: 'progress-per-second',
    value: 2,
    min: 0.01,
    max: 1_000,
    doc: 'job.progress frames stored per second per miner and job; extra ones are dropped',
  },
  maxCommitsPerJob: {
    flag: 'max-commits-per-job',
    value: 100,
    min: 1,
    max: 100_000,
    doc: 'signed job.submit commits one miner may make for one job',
  },
  maxOutboundBytes: {
    flag: 'max-outbound-bytes',
    value: 8 * MiB,
    min: 64 * 1024,
    max: 1024 * MiB,
    doc: 'bytes queued for one socket that does not read; past this the socket is dropped',
  },
  maxBodyBytes: {
    flag: 'max-body-bytes',
    value: 1 * MiB,
    min: 1024,
    max: 1024 * MiB,
    doc: 'largest JSON request body on any route (artifact uploads have their own limit)',
  },
  maxConcurrentUploads: {
    flag: 'max-concurrent-uploads',
    value: 8,
    min: 1,
    max: 10_000,
    doc: 'artifact uploads in progress at once, in total',
  },
  maxConcurrentUploadsPerMiner: {
    flag: 'max-concurrent-uploads-per-miner',
    value: 2,
    min: 1,
    max: 10_000,
    doc: 'artifact uploads in progress at once from one miner',
  },
  maxUploadBytesPerJob: {
    flag: 'max-upload-bytes-per-job',
    value: 2048 * MiB,
    min: 1024,
    max: Number.MAX_SAFE_INTEGER,
    doc: 'bytes one miner may upload for one job, counting refused uploads',
  },
  uploadIdleTimeoutMs: {
    flag: 'upload-idle-timeout-ms',
    value: 15_000,
    min: 100,
    max: 3_600_000,
    doc: 'a request body that sends nothing for this long is cut off',
  },
  uploadMinBytesPerSecond: {
    flag: 'upload-min-bytes-per-second',
    value: 16 * 1024,
    min: 0,
    max: 1024 * MiB,
    doc: 'a request body slower than this on average (after its first idle-timeout period) is cut off',
  },
} as const satisfies Record<string, LimitSpec>;

/** The limit names. */
export type LimitName = keyof typeof LIMIT_SPECS;

/** A value for every limit. */
export type Limits = { [K in LimitName]: number };

/** The default limits. */
export const DEFAULT_LIMITS: Limits = Object.fromEntries(
  Object.entries(LIMIT_SPECS).map(([name, spec]) => [name, spec.value]),
) as Limits;

/** Applies defaults to a partial set of limits. */
export function resolveLimits(given: Partial<Limits> = {}): Limits {
  return { ...DEFAULT_LIMITS, ...given };
}
