// The local demo competition as a library: `runDemo` and its report, used by the CLI and by tests.

export { DEFAULT_JOBS, type DemoSummary, runDemo } from './demo.js';
export { DemoError } from './errors.js';
export { DEFAULT_PARTICIPANTS, type Participant } from './participants.js';
export { formatReport } from './report.js';
