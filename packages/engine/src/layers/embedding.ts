// Token + learned position embeddings, forward and backward (scatter-add into the tables).
// Token ids are trusted to be inside the vocabulary (the data encoder checks them).

/** x[b·T+t] = wte[token] + wpe[t]. */
export function embeddingForward(
  tokens: Int32Array,
  wte: Float32Array,
  wpe: Float32Array,
  x: Float32Array,
  batch: number,
  seqLen: number,
  dim: number,
): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < seqLen; t++) {
      const row = b * seqLen + t;
      const to = tokens[row]! * dim;
      const po = t * dim;
      const xo = row * dim;
      for (let j = 0; j < dim; j++) x[xo + j] = wte[to + j]! + wpe[po + j]!;
    }
  }
}

/** dwte[token] += dx; dwpe[t] += dx (each may be null when frozen). */
export function embeddingBackward(
  tokens: Int32Array,
  dx: Float32Array,
  dwte: Float32Array | null,
  dwpe: Float32Array | null,
  batch: number,
  seqLen: number,
  dim: number,
): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < seqLen; t++) {
      const row = b * seqLen + t;
      const xo = row * dim;
      if (dwte) {
        const to = tokens[row]! * dim;
        for (let j = 0; j < dim; j++) dwte[to + j]! += dx[xo + j]!;
      }
      if (dwpe) {
        const po = t * dim;
        for (let j = 0; j < dim; j++) dwpe[po + j]! += dx[xo + j]!;
      }
    }
  }
}
