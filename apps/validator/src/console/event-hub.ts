// The console's event hub: validator events in, one ConsoleEvent out to every open console stream. Events
// that name only a job or a miner get their competition looked up (cached, bounded) so a page can match on
// it. Subscribers are capped; a subscriber that throws is dropped. It keeps no events: pages render the
// current state from the database, the hub only says "this changed".

import type { ConsoleEvent, ConsoleTopic, ProgressPoint } from '@tuning-arena/protocol';
import type { Logger } from '../logger.js';

/** What a feed knows when it publishes; the hub fills in the competition and the time. */
export interface HubInput {
  type: ConsoleTopic;
  event: string;
  competitionId?: string | undefined;
  jobId?: string | undefined;
  minerId?: string | undefined;
  progress?: ProgressPoint | undefined;
}

/** Looks up the competition of a job or a miner (undefined: unknown). */
export interface CompetitionLookup {
  ofJob(jobId: string): Promise<string | undefined>;
  ofMiner(minerId: string): Promise<string | undefined>;
}

/** The hub. */
export interface EventHub {
  /** Resolves the event's competition and hands it to every subscriber; never throws. */
  publish(input: HubInput): void;
  /** Adds a subscriber, or returns undefined when `maxSubscribers` are open; call the result to leave. */
  subscribe(listener: (event: ConsoleEvent) => void): (() => void) | undefined;
  /** Open subscribers now. */
  size(): number;
}

/** What the hub needs. */
interface EventHubDeps {
  lookup: CompetitionLookup;
  logger: Logger;
  now: () => number;
  maxSubscribers: number;
  /** Job and miner ids whose competition is remembered (default 10,000). */
  maxCached?: number;
}

/** A Map that forgets its oldest entry past `max`. */
function boundedCache(max: number) {
  const map = new Map<string, string>();
  return {
    get: (key: string) => map.get(key),
    set: (key: string, value: string) => {
      map.set(key, value);
      if (map.size > max) map.delete(map.keys().next().value as string);
    },
  };
}

/** Creates the hub. */
export function createEventHub(deps: EventHubDeps): EventHub {
  const listeners = new Set<(event: ConsoleEvent) => void>();
  const cache = boundedCache(deps.maxCached ?? 10_000);

  const competitionOf = async (input: HubInput): Promise<string | null> => {
    if (input.competitionId) return input.competitionId;
    const key = input.jobId ? `j ${input.jobId}` : input.minerId ? `m ${input.minerId}` : undefined;
    if (!key) return null;
    const cached = cache.get(key);
    if (cached) return cached;
    const found = input.jobId
      ? await deps.lookup.ofJob(input.jobId)
      : await deps.lookup.ofMiner(input.minerId as string);
    if (found) cache.set(key, found);
    return found ?? null;
  };

  const deliver = (event: ConsoleEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        listeners.delete(listener);
        deps.logger.warn('console.subscriber_failed', { error });
      }
    }
  };

  return {
    publish: (input) => {
      // Nobody watching: no lookup, no work on the validator's paths.
      if (listeners.size === 0) return;
      competitionOf(input).then(
        (competitionId) =>
          deliver({
            type: input.type,
            event: input.event,
            competitionId,
            jobId: input.jobId ?? null,
            minerId: input.minerId ?? null,
            at: new Date(deps.now()).toISOString(),
            progress: input.progress ?? null,
          }),
        (error) => deps.logger.warn('console.lookup_failed', { error }),
      );
    },
    subscribe: (listener) => {
      if (listeners.size >= deps.maxSubscribers) return undefined;
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    size: () => listeners.size,
  };
}
