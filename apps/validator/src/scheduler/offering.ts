// The scheduler's offering steps: store, arm and send one offer; offer a miner's free slots the oldest open
// jobs of its competition; and do that for miners whose slots just freed up. They run inside the
// scheduler's serial queue and keep its in-memory open jobs and miner loads in step with what they store.

import type { JobRow } from '../db/jobs-repo.js';
import type { OfferRow, OffersRepo } from '../db/offers-repo.js';
import type { MinerSession, SessionRegistry } from '../gateway/session-registry.js';
import type { Logger } from '../logger.js';
import type { MetricsEvents } from '../metrics/validator-metrics.js';
import { offerMessage } from './job-messages.js';
import type { MinerLoads } from './miner-loads.js';
import type { OpenJobs } from './open-jobs.js';
import { jobVerdict, type Windows } from './windows.js';

/** What the offering steps need; `arm` starts an offer's expiry timer. */
interface OfferingDeps {
  offers: OffersRepo;
  registry: SessionRegistry;
  loads: MinerLoads;
  open: OpenJobs;
  logger: Logger;
  now: () => number;
  windows: Windows;
  arm: (offer: OfferRow) => void;
  /** Counts each offer sent. */
  metrics?: Pick<MetricsEvents, 'offer'>;
}

/** The offering steps. */
export interface Offering {
  /** Stores, arms and sends one offer of `job` to a miner. */
  sendOffer(job: JobRow, minerId: string): Promise<void>;
  /** Offers a miner's free slots the oldest open jobs it was not offered yet (`offered`: its job ids). */
  offerOpenJobs(session: MinerSession, offered?: ReadonlySet<string>): Promise<void>;
  /** Offers open jobs to miners whose slots just freed up; miners not connected are skipped. */
  offerFreed(minerIds: Iterable<string>): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Creates the offering steps. */
export function createOffering(deps: OfferingDeps): Offering {
  const { offers, registry, loads, open, logger, now } = deps;

  async function sendOffer(job: JobRow, minerId: string): Promise<void> {
    const at = now();
    const offer: OfferRow = {
      job_id: job.id,
      miner_id: minerId,
      status: 'pending',
      reason: null,
      offered_at: iso(at),
      expires_at: iso(at + job.offer_ttl_seconds * 1000),
      decided_at: null,
      progress_step: null,
      progress_train_loss: null,
      progress_at: null,
    };
    await offers.insert(offer);
    loads.add(minerId, 1);
    deps.arm(offer);
    registry.send(minerId, offerMessage(job, offer));
    deps.metrics?.offer('sent');
    logger.info('offer.sent', { jobId: job.id, minerId, expiresAt: offer.expires_at });
  }

  async function offerOpenJobs(session: MinerSession, offered?: ReadonlySet<string>): Promise<void> {
    await loads.ready();
    let free = session.capacity - loads.busy(session.minerId);
    if (free <= 0) return;
    const waiting = await open.of(session.competitionId);
    if (waiting.length === 0) return;
    const window = await deps.windows.get(session.competitionId);
    const seen =
      offered ?? new Set((await offers.listLiveByMiner(session.minerId)).map((offer) => offer.job_id));
    for (const { job, needed } of waiting) {
      if (free <= 0) break;
      if (seen.has(job.id) || jobVerdict(window, job, now()) !== 'open') continue;
      await sendOffer(job, session.minerId);
      open.set(job, needed - 1);
      free--;
    }
  }

  async function offerFreed(minerIds: Iterable<string>): Promise<void> {
    for (const minerId of new Set(minerIds)) {
      const session = registry.get(minerId);
      if (session) await offerOpenJobs(session);
    }
  }

  return { sendOffer, offerOpenJobs, offerFreed };
}
