// Wire constants both sides agree on: the protocol version and the limits that bound untrusted input.

/** Version of the wire protocol; a `hello` with another version is refused. */
export const PROTOCOL_VERSION = 1;

/** Largest WebSocket frame either side accepts, in bytes (1 MiB). */
export const MAX_FRAME_BYTES = 1024 * 1024;

/** Longest strategy note a submission may carry, in characters. */
export const MAX_NOTE_CHARS = 4000;

/** The WebSocket path of the miner gateway. */
export const GATEWAY_PATH = '/v1/ws';

/** WebSocket close code for a policy violation (bad frame, failed auth). */
export const CLOSE_POLICY_VIOLATION = 1008;
