// How long to keep free before a deadline: a fixed cost for packing, hashing, the ledger and the commit's
// round trip, plus time that grows with the artifact's size (full weights are far bigger than an adapter).
// Pure estimates; nothing here measures the network.

/** Fixed cost of packing, recording and committing an artifact (ms). */
export const FIXED_RESERVE_MS = 1500;
/** Assumed bytes per second for encoding, hashing and writing the bundle. */
const PACK_BYTES_PER_SECOND = 50e6;
/** Assumed upload bytes per second (the validator accepts uploads for a grace period after the deadline). */
const UPLOAD_BYTES_PER_SECOND = 20e6;

/** Sizes an artifact is estimated from. */
export interface ArtifactSizeInput {
  readonly parameters: number;
  /** Sum of the in + out widths of the adapted modules (LoRA parameters per unit of rank). */
  readonly loraWidthSum: number;
  readonly loraRank?: number;
}

/** Estimated artifact bytes: float32 weights plus a little for headers and the tokenizer. */
export function artifactBytes(method: 'lora' | 'full', size: ArtifactSizeInput): number {
  const floats = method === 'full' ? size.parameters : size.loraWidthSum * (size.loraRank ?? 8);
  return 4 * floats + 64_000;
}

/** Time to keep before the deadline for an artifact of `bytes` (ms). */
export function reserveMs(bytes: number): number {
  return FIXED_RESERVE_MS + (1000 * bytes) / PACK_BYTES_PER_SECOND + (1000 * bytes) / UPLOAD_BYTES_PER_SECOND;
}
