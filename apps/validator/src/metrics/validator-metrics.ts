// The validator's Prometheus metrics on one prom-client registry per validator: counters bumped where the
// events happen (offers by outcome, upload bytes, limits that refused something, evaluations and their
// duration) and gauges read at scrape time (scrape-gauges.ts). It serves nothing; metrics-routes.ts does.

import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { createScrapeGauges, type ScrapeSource } from './scrape-gauges.js';

/** What became of an offer: sent, or how it was decided. */
export type OfferOutcome = 'sent' | 'accepted' | 'rejected' | 'expired' | 'cancelled';

/** Where the validator reports events; services take it optionally, so tests need not count. */
export interface MetricsEvents {
  /** `count` offers (default 1) reached `outcome`. */
  offer(outcome: OfferOutcome, count?: number): void;
  /** Artifact upload bytes were received (streamed to disk). */
  uploadBytes(bytes: number): void;
  /** A defensive limit refused something (every hit, also those the limit log throttles). */
  limitHit(limit: string): void;
  /** A job's evaluation ended after `seconds`. */
  evaluation(outcome: 'done' | 'failed', seconds: number): void;
}

/** The metrics of one validator. */
export interface ValidatorMetrics extends MetricsEvents {
  /** Sets where the scrape-time gauges read from (the composition's registry and database). */
  observe(source: ScrapeSource): void;
  /** Every metric in the Prometheus text format. */
  text(): Promise<string>;
  /** The Content-Type of `text()`. */
  readonly contentType: string;
}

/** Options of createValidatorMetrics. */
interface MetricsOptions {
  /** Also the process metrics of prom-client (CPU, memory, event loop lag); once per process (the CLI). */
  process?: boolean;
}

/** Evaluations take seconds to hours: buckets from 1 s to 4 h. */
const EVALUATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400];

/** Creates the metrics of one validator on a registry of its own. */
export function createValidatorMetrics(options: MetricsOptions = {}): ValidatorMetrics {
  const registry = new Registry();
  if (options.process) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const offers = new Counter({
    name: 'arena_offers_total',
    help: 'Job offers by outcome: sent, accepted, rejected, expired, cancelled (withdrawn)',
    labelNames: ['outcome'] as const,
    registers,
  });
  const uploadBytes = new Counter({
    name: 'arena_upload_bytes_total',
    help: 'Artifact upload bytes received',
    registers,
  });
  const limitHits = new Counter({
    name: 'arena_limit_hits_total',
    help: 'Refusals by the defensive limit that bit (the limit.* log lines, unthrottled)',
    labelNames: ['limit'] as const,
    registers,
  });
  const evaluations = new Histogram({
    name: 'arena_evaluation_duration_seconds',
    help: "Duration of one job's evaluation attempt, by outcome",
    labelNames: ['outcome'] as const,
    buckets: EVALUATION_BUCKETS,
    registers,
  });
  const gauges = createScrapeGauges(registry);
  return {
    offer: (outcome, count = 1) => {
      if (count > 0) offers.inc({ outcome }, count);
    },
    uploadBytes: (bytes) => uploadBytes.inc(bytes),
    limitHit: (limit) => limitHits.inc({ limit }),
    evaluation: (outcome, seconds) => evaluations.observe({ outcome }, seconds),
    observe: (source) => gauges.observe(source),
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
