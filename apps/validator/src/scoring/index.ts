// The judge's scoring room: pure functions over stored losses and verdicts (quality normalisation, one job's
// scores, the paired bootstrap, the standings). No I/O, so re-scoring after a rule change is a re-run.

export * from './bootstrap.js';
export * from './job-score.js';
export * from './quality.js';
export * from './standings.js';
