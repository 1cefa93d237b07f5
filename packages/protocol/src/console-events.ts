// What the operator's web console receives besides HTML: the server-sent events that tell an open page
// something changed, and the chart data a page embeds for its client script. Both sides take their types
// from here; the client imports types only, so no schema code reaches the browser bundle.

import { type Static, Type } from '@sinclair/typebox';
import { Id, Timestamp } from './common.js';

/** What changed: the topics a console page listens to. */
export const ConsoleTopic = Type.Union([
  Type.Literal('offer'),
  Type.Literal('progress'),
  Type.Literal('submission'),
  Type.Literal('score'),
  Type.Literal('job'),
  Type.Literal('miner'),
  Type.Literal('rule'),
  Type.Literal('program'),
  Type.Literal('competition'),
]);
/** What changed. */
export type ConsoleTopic = Static<typeof ConsoleTopic>;

/** One training progress report of a miner on a job, as the console keeps and draws it. */
export const ProgressPoint = Type.Object({
  step: Type.Union([Type.Integer(), Type.Null()]),
  trainLoss: Type.Union([Type.Number(), Type.Null()]),
  etaSeconds: Type.Union([Type.Number(), Type.Null()]),
  at: Timestamp,
});
/** One progress report. */
export type ProgressPoint = Static<typeof ProgressPoint>;

/** One server-sent event of the console (`event: change`, this object as its JSON data). */
export const ConsoleEvent = Type.Object({
  type: ConsoleTopic,
  /** The validator's event name behind it, e.g. `job.started`. */
  event: Type.String({ maxLength: 64 }),
  competitionId: Type.Union([Id, Type.Null()]),
  jobId: Type.Union([Id, Type.Null()]),
  minerId: Type.Union([Id, Type.Null()]),
  at: Timestamp,
  /** The report itself, on `progress` events. */
  progress: Type.Union([ProgressPoint, Type.Null()]),
});
/** One console event. */
export type ConsoleEvent = Static<typeof ConsoleEvent>;

/** A line chart a page embeds: x values and one named series of y values (null: no point) per line. */
export const ConsoleLineChart = Type.Object({
  type: Type.Literal('line'),
  xLabel: Type.String(),
  yLabel: Type.String(),
  /** x as seconds since the epoch when true (time axis), plain numbers otherwise. */
  time: Type.Boolean(),
  x: Type.Array(Type.Number()),
  series: Type.Array(
    Type.Object({ label: Type.String(), y: Type.Array(Type.Union([Type.Number(), Type.Null()])) }),
  ),
});
/** A line chart. */
export type ConsoleLineChart = Static<typeof ConsoleLineChart>;

/** Points with error bars: each submission's loss difference to the job mean and its bootstrap interval. */
export const ConsoleIntervalChart = Type.Object({
  type: Type.Literal('interval'),
  yLabel: Type.String(),
  points: Type.Array(
    Type.Object({ label: Type.String(), value: Type.Number(), lo: Type.Number(), hi: Type.Number() }),
  ),
});
/** An interval chart. */
export type ConsoleIntervalChart = Static<typeof ConsoleIntervalChart>;

/** Any chart a console page embeds. */
export const ConsoleChart = Type.Union([ConsoleLineChart, ConsoleIntervalChart]);
/** Any chart. */
export type ConsoleChart = Static<typeof ConsoleChart>;
