// Chooses which connected miners a job is offered to: miners of its competition not offered it yet, with a
// free slot, least busy first and then longest connected. One pass over the sessions, no full sort when
// only a few miners are needed.

import type { MinerSession } from '../gateway/session-registry.js';

/** What decides a choice: the job's competition, how many miners, the busy slots and who was offered it. */
interface CandidateQuery {
  competitionId: string;
  needed: number;
  busy: (minerId: string) => number;
  offered: ReadonlySet<string>;
}

/** Up to `needed` sessions in offer order. */
export function pickCandidates(sessions: Iterable<MinerSession>, query: CandidateQuery): MinerSession[] {
  const { needed, busy, offered } = query;
  if (needed <= 0) return [];
  const ranked: { session: MinerSession; busy: number }[] = [];
  const worse = (a: { session: MinerSession; busy: number }, b: { session: MinerSession; busy: number }) =>
    a.busy - b.busy || a.session.connectedAt - b.session.connectedAt;
  for (const session of sessions) {
    if (session.competitionId !== query.competitionId || offered.has(session.minerId)) continue;
    const load = busy(session.minerId);
    if (load >= session.capacity) continue;
    const entry = { session, busy: load };
    // Keep the best `needed` so far in order: an insertion into a short sorted list.
    if (ranked.length === needed && worse(entry, ranked[needed - 1]!) >= 0) continue;
    let at = ranked.length;
    while (at > 0 && worse(entry, ranked[at - 1]!) < 0) at--;
    ranked.splice(at, 0, entry);
    if (ranked.length > needed) ranked.pop();
  }
  return ranked.map((entry) => entry.session);
}
