// The Node.js process plumbing every app and CLI of Tuning Arena shares: command-line parsing with
// `--help` on every command and one usage-error code, a progress bar and text tables for terminals. It knows nothing of competitions, models or the wire.

export * from './args.js';
export * from './progress-bar.js';
export * from './table.js';
