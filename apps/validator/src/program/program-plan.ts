// The program's arithmetic, pure and deterministic so a restart decides exactly what the first run would
// have: when each phase starts, which phase is current, the secret order of a phase's model-dataset pairs,
// which pair comes next given what has run, and each job's time limit (fixed, drawn, or scaled to its rows,
// then cut to fit the window). No I/O and no clock of its own; the runner (program-runner.ts) supplies both.

import type { CompetitionProgram, ProgramPhase, TimeLimitSpec } from '@tuning-arena/protocol';
import { createSeededRng } from '@tuning-arena/random';

/** A competition's window in ms since the epoch; `endsAt` null means no end. */
export interface Window {
  startsAt: number;
  endsAt: number | null;
}

/** One model-dataset pair. */
export interface Pair {
  model: string;
  dataset: string;
}

/** The key a pair is counted under. */
export const pairKey = (pair: Pair) => `${pair.model}\u0000${pair.dataset}`;

/** When a phase starts (ms): its `startsAt`, else the window's start plus its offset (0 by default). */
export function phaseStart(phase: ProgramPhase, window: Window): number {
  if (phase.startsAt !== undefined) return Date.parse(phase.startsAt);
  return window.startsAt + (phase.startOffsetSeconds ?? 0) * 1000;
}

/** Every phase's start (ms), in order. */
export function phaseStarts(program: CompetitionProgram, window: Window): number[] {
  return program.phases.map((phase) => phaseStart(phase, window));
}

/** The phase current at `now`: the last one started, or null before the first and after the window. */
export function currentPhase(starts: readonly number[], window: Window, now: number): number | null {
  if (window.endsAt !== null && now >= window.endsAt) return null;
  let current: number | null = null;
  for (let i = 0; i < starts.length; i++) if ((starts[i] ?? Number.POSITIVE_INFINITY) <= now) current = i;
  return current;
}

/** A phase's pairs in the secret order the program draws them in (a seeded shuffle per phase). */
export function phasePairs(seed: string, index: number, phase: ProgramPhase): Pair[] {
  const pairs = phase.models.flatMap((model) => phase.datasets.map((dataset) => ({ model, dataset })));
  return createSeededRng(seed).fork(`phase:${index}:pairs`).shuffle(pairs);
}

/**
 * The next pair: the first in the phase's secret order among those used least so far in the competition.
 * So no pair repeats until every pair of the pools has run, and then the least-run ones come round again.
 */
export function nextPair(order: readonly Pair[], used: ReadonlyMap<string, number>): Pair {
  let best: Pair | undefined;
  let fewest = Number.POSITIVE_INFINITY;
  for (const pair of order) {
    const count = used.get(pairKey(pair)) ?? 0;
    if (count < fewest) {
      best = pair;
      fewest = count;
    }
  }
  if (!best) throw new RangeError('a phase has no pairs');
  return best;
}

/** The time limit of the program's job `seq` (s): fixed, drawn from `[min, max]` with the seed, or scaled to `rows`. */
export function drawTimeLimit(spec: TimeLimitSpec, seed: string, seq: number, rows: number): number {
  if (typeof spec === 'number') return spec;
  if ('perThousandRows' in spec) {
    const scaled = Math.ceil((rows / 1000) * spec.perThousandRows);
    return Math.min(spec.max, Math.max(spec.min, scaled));
  }
  return createSeededRng(seed).fork(`job:${seq}:time`).range(spec.min, spec.max);
}

/** The shortest time limit a phase can give (what must still fit before the end for it to make a job). */
export function shortestTimeLimit(spec: TimeLimitSpec): number {
  return typeof spec === 'number' ? spec : spec.min;
}

/**
 * A time limit cut to fit the window: a job offered at `now` may wait `offerTtlSeconds` for its miners and
 * must then end by the competition's end. It is cut to what remains, but never below half its drawn value:
 * then there is no room and the result is null (the program makes no job).
 */
export function fitTimeLimit(
  seconds: number,
  window: Window,
  now: number,
  offerTtlSeconds: number,
): number | null {
  if (window.endsAt === null) return seconds;
  const room = Math.floor((window.endsAt - now) / 1000) - offerTtlSeconds;
  if (room >= seconds) return seconds;
  return room >= Math.ceil(seconds / 2) ? room : null;
}
