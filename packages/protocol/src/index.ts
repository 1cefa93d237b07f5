// The typed wire protocol of Tuning Arena: every WebSocket frame and HTTP body as a TypeBox schema with its
// static type, compiled decoders returning Results, the protocol version, and ed25519 signing.
// It imports nothing else of ours and does no I/O. Shared test fixtures are the `/fixtures` subpath, not here.

export * from './artifact-files.js';
export * from './body-codec.js';
export * from './bounded-json.js';
export * from './bounded-yaml.js';
export * from './bundle.js';
export * from './codec.js';
export * from './common.js';
export * from './console-events.js';
export * from './constants.js';
export * from './error-codes.js';
export * from './hash.js';
export * from './http-bodies.js';
export * from './http-lists.js';
export * from './miner-key.js';
export * from './miner-messages.js';
export * from './program.js';
export * from './recipe.js';
export * from './result.js';
export * from './signing.js';
export * from './text-formats.js';
export * from './validator-messages.js';
