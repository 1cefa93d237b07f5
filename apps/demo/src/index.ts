// The local demo competition as a library: `runDemo`, its line-up and schedule, the summary and the report,
// used by the CLI and by tests.

export { type DemoOptions, type DemoRun, runDemo } from './demo.js';
export { DemoError } from './errors.js';
export { DEFAULT_PARTICIPANTS, HONEST, type Participant, RED_TEAM } from './participants.js';
export { DEFAULT_SCHEDULE, type DemoSchedule, demoProgram } from './program.js';
export { formatReport } from './report.js';
export { buildSummary, type DemoSummary } from './summary.js';
