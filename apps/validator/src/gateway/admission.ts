// Admission of sockets that have not authenticated yet: a cap in total and per remote address, so idle or
// half-open handshakes cannot use up the process's file descriptors. A slot is held from the upgrade until
// the connection authenticates or its socket closes; authenticated miners are not counted here.

/** A taken handshake slot; `release` is idempotent. */
export interface HandshakeSlot {
  release(): void;
}

/** Which cap refused a socket. */
type AdmissionLimit = 'maxUnauthenticated' | 'maxUnauthenticatedPerAddress';

/** Counts unauthenticated sockets. */
export interface Admission {
  /** Takes a slot for `address`, or names the cap that is full. */
  admit(address: string): { ok: true; slot: HandshakeSlot } | { ok: false; limit: AdmissionLimit };
  /** Unauthenticated sockets now. */
  count(): number;
}

/** Creates an admission counter with the two caps. */
export function createAdmission(maxTotal: number, maxPerAddress: number): Admission {
  let total = 0;
  const perAddress = new Map<string, number>();
  return {
    admit: (address) => {
      if (total >= maxTotal) return { ok: false, limit: 'maxUnauthenticated' };
      const held = perAddress.get(address) ?? 0;
      if (held >= maxPerAddress) return { ok: false, limit: 'maxUnauthenticatedPerAddress' };
      total++;
      perAddress.set(address, held + 1);
      let released = false;
      return {
        ok: true,
        slot: {
          release: () => {
            if (released) return;
            released = true;
            total--;
            const left = (perAddress.get(address) ?? 1) - 1;
            if (left > 0) perAddress.set(address, left);
            else perAddress.delete(address);
          },
        },
      };
    },
    count: () => total,
  };
}
