// The in-memory registry of authenticated miner connections: who is connected, with what capacity, how to
// reach them, and which session token maps to which miner. Nothing here is persisted; sessions die with
// their connection (and with the process).

import type { ValidatorMessage } from '@tuning-arena/protocol';

/** One authenticated connection of a miner. */
export interface MinerSession {
  minerId: string;
  competitionId: string;
  publicKey: string;
  capacity: number;
  tokenSha256: string;
  connectedAt: number;
  send(message: ValidatorMessage): void;
  close(code: number, reason: string): void;
}

/** Connected miners by id and by session token hash. */
export interface SessionRegistry {
  /** Adds a session; returns the session of the same miner it replaces, if any. */
  add(session: MinerSession): MinerSession | undefined;
  /** Removes a session if it is still the current one of its miner; true when removed. */
  remove(session: MinerSession): boolean;
  get(minerId: string): MinerSession | undefined;
  byTokenSha256(tokenSha256: string): MinerSession | undefined;
  /** Connected miners of a competition, oldest connection first. */
  connected(competitionId: string): MinerSession[];
  /** Sends to a miner if connected; false when it is not. */
  send(minerId: string, message: ValidatorMessage): boolean;
  all(): MinerSession[];
}

/** Creates an empty registry. */
export function createSessionRegistry(): SessionRegistry {
  const byMiner = new Map<string, MinerSession>();
  const byToken = new Map<string, MinerSession>();
  return {
    add: (session) => {
      const previous = byMiner.get(session.minerId);
      if (previous) byToken.delete(previous.tokenSha256);
      byMiner.set(session.minerId, session);
      byToken.set(session.tokenSha256, session);
      return previous;
    },
    remove: (session) => {
      if (byMiner.get(session.minerId) !== session) return false;
      byMiner.delete(session.minerId);
      byToken.delete(session.tokenSha256);
      return true;
    },
    get: (minerId) => byMiner.get(minerId),
    byTokenSha256: (tokenSha256) => byToken.get(tokenSha256),
    connected: (competitionId) =>
      [...byMiner.values()]
        .filter((session) => session.competitionId === competitionId)
        .sort((a, b) => a.connectedAt - b.connectedAt),
    send: (minerId, message) => {
      const session = byMiner.get(minerId);
      if (!session) return false;
      session.send(message);
      return true;
    },
    all: () => [...byMiner.values()],
  };
}
