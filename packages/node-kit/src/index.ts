// The Node.js process plumbing every app and CLI of Tuning Arena shares: the structured logger,
// command-line parsing (`--help` everywhere, one usage-error code) and the shell that runs a program of
// subcommands, a progress bar and text tables.
// It knows nothing of competitions, models or the wire.

export * from './args.js';
export * from './logger.js';
export * from './progress-bar.js';
export * from './run-program.js';
export * from './table.js';
