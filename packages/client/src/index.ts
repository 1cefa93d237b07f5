// The typed client of a validator's operator API: every call takes and returns the protocol's TypeBox types,
// checks responses against their schemas, and turns error bodies into an ApiError carrying the API's `code`.
// It is what the demo, the tests and operators' own scripts use; it holds no state beyond its options.

export * from './api-error.js';
export * from './arena-client.js';
export { type CliIo, OPERATOR_PROGRAM, runOperatorCli } from './cli/operator-cli.js';
