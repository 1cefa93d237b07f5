// The competition program: the phases an operator writes (JSON or YAML) and the validator turns into jobs on
// its own, and the view of where a program stands. Structure only; the validator checks what needs state
// (phase times inside the window, models in its catalog, datasets it can prepare).

import { type Static, Type } from '@sinclair/typebox';
import { Id, JobStatus, Name, Timestamp } from './common.js';

const closed = { additionalProperties: false } as const;
/** Longest time limit of one job (as a manual job). */
const MAX_TIME_LIMIT_SECONDS = 7 * 24 * 3600;
/** Longest offset or pause: a year. */
const MAX_OFFSET_SECONDS = 366 * 24 * 3600;
const seconds = (doc: string) =>
  Type.Integer({ minimum: 1, maximum: MAX_TIME_LIMIT_SECONDS, description: doc });

/**
 * A phase's time limit: a fixed number of seconds; a range `{min, max}` drawn per job with the secret seed;
 * or scaled to the job's training rows, `{perThousandRows, min, max}`: `rows / 1000 * perThousandRows`
 * seconds, clamped to `[min, max]` (as real competitions scale hours with rows).
 */
export const TimeLimitSpec = Type.Union([
  seconds('fixed time limit in seconds'),
  Type.Object({ min: seconds('shortest time limit'), max: seconds('longest time limit') }, closed),
  Type.Object(
    {
      perThousandRows: Type.Number({ exclusiveMinimum: 0, maximum: MAX_TIME_LIMIT_SECONDS }),
      min: seconds('shortest time limit'),
      max: seconds('longest time limit'),
    },
    closed,
  ),
]);
/** A phase's time limit. */
export type TimeLimitSpec = Static<typeof TimeLimitSpec>;

/** One phase: when it starts, the pools its pairs are drawn from, and how its jobs run. */
export const ProgramPhase = Type.Object(
  {
    name: Name(100),
    /** Seconds after the competition's start (the first phase defaults to 0). */
    startOffsetSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OFFSET_SECONDS })),
    /** An absolute start instead of an offset. */
    startsAt: Type.Optional(Timestamp),
    models: Type.Array(Name(128), { minItems: 1, maxItems: 64, uniqueItems: true }),
    datasets: Type.Array(Name(128), { minItems: 1, maxItems: 64, uniqueItems: true }),
    timeLimit: TimeLimitSpec,
    minersWanted: Type.Integer({ minimum: 1, maximum: 10_000 }),
    /** Program jobs offering or running at once while this phase is current (default 1). */
    concurrentJobs: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /** Seconds between a program job's end and the next job taking its place (default 0). */
    pauseSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OFFSET_SECONDS })),
    /** At most this many jobs in the phase (default: until the next phase or the end). */
    maxJobs: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    /** Caps each job's dataset rows (as `maxRows` of a manual job). */
    maxRows: Type.Optional(Type.Integer({ minimum: 10 })),
    offerTtlSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
  },
  closed,
);
/** One phase of a program. */
export type ProgramPhase = Static<typeof ProgramPhase>;

/** `PUT /v1/competitions/:id/program` (JSON or YAML), or `program` in the competition body. */
export const CompetitionProgram = Type.Object(
  { phases: Type.Array(ProgramPhase, { minItems: 1, maxItems: 100 }) },
  closed,
);
/** A competition program. */
export type CompetitionProgram = Static<typeof CompetitionProgram>;

/** Whether a program makes jobs: `active`, `paused` by the operator, or `ended` (for good). */
export const ProgramStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('paused'),
  Type.Literal('ended'),
]);
/** Whether a program makes jobs. */
export type ProgramStatus = Static<typeof ProgramStatus>;

/** `POST /v1/competitions/:id/program/end`: why the operator ends it early. */
export const EndProgramBody = Type.Object({ reason: Type.Optional(Name(500)) }, closed);
/** Body of `POST /v1/competitions/:id/program/end`. */
export type EndProgramBody = Static<typeof EndProgramBody>;

/** A job the program made. */
export const ProgramJobView = Type.Object({
  seq: Type.Integer(),
  phase: Type.Integer(),
  jobId: Id,
  model: Type.String(),
  dataset: Type.String(),
  timeLimitSeconds: Type.Integer(),
  status: JobStatus,
  createdAt: Timestamp,
});
/** A job the program made. */
export type ProgramJobView = Static<typeof ProgramJobView>;

/** Where a phase stands. */
export const PhaseState = Type.Union([
  Type.Literal('done'),
  Type.Literal('current'),
  Type.Literal('upcoming'),
]);
/** Where a phase stands. */
export type PhaseState = Static<typeof PhaseState>;

/** A phase as the program view shows it: its spec, resolved start and end, state and job count. */
export const ProgramPhaseView = Type.Object({
  index: Type.Integer(),
  spec: ProgramPhase,
  startsAt: Timestamp,
  endsAt: Type.Union([Timestamp, Type.Null()]),
  state: PhaseState,
  jobsMade: Type.Integer(),
});
/** A phase as the program view shows it. */
export type ProgramPhaseView = Static<typeof ProgramPhaseView>;

/** What the program waits for before its next job. */
export const ProgramWait = Type.Union([
  Type.Literal('now'),
  Type.Literal('window_opens'),
  Type.Literal('phase_starts'),
  Type.Literal('pause_ends'),
  Type.Literal('a_job_ends'),
  Type.Literal('retry'),
  Type.Literal('nothing'),
]);
/** What the program waits for. */
export type ProgramWait = Static<typeof ProgramWait>;

/** `GET /v1/competitions/:id/program`: phases, what has run, what runs now and what comes next. */
export const ProgramView = Type.Object({
  competitionId: Id,
  status: ProgramStatus,
  endReason: Type.Union([Type.String(), Type.Null()]),
  phases: Type.Array(ProgramPhaseView),
  /** Index of the current phase, or null before the first and after the window. */
  currentPhase: Type.Union([Type.Integer(), Type.Null()]),
  /** Program jobs offering or running now. */
  activeJobs: Type.Integer(),
  jobs: Type.Array(ProgramJobView),
  next: Type.Object({ wait: ProgramWait, at: Type.Union([Timestamp, Type.Null()]) }),
  /** The last failure to make a job (a dataset that would not prepare), retried later. */
  lastError: Type.Union([Type.Object({ at: Timestamp, message: Type.String() }), Type.Null()]),
  updatedAt: Timestamp,
});
/** Where a program stands. */
export type ProgramView = Static<typeof ProgramView>;
