// Softmax cross-entropy over logits rows: losses in nats, and the logits gradient computed in place.
// Probabilities overwrite the logits in the forward pass so the backward needs no extra buffer.

/** Turns logits rows into probabilities in place; writes each row's loss (nats) for its target. */
export function softmaxCrossEntropyForward(
  logits: Float32Array,
  targets: Int32Array,
  rowLoss: Float64Array,
  rows: number,
  vocab: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * vocab;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < vocab; j++) if (logits[o + j]! > max) max = logits[o + j]!;
    const target = targets[r]!;
    const shifted = logits[o + target]! - max;
    let sum = 0;
    for (let j = 0; j < vocab; j++) {
      const e = Math.exp(logits[o + j]! - max);
      logits[o + j] = e;
      sum += e;
    }
    rowLoss[r] = Math.log(sum) - shifted;
    const inv = 1 / sum;
    for (let j = 0; j < vocab; j++) logits[o + j]! *= inv;
  }
}

/** Turns probabilities (from the forward) into dLoss/dlogits in place: (p - onehot) · scale. */
export function softmaxCrossEntropyBackward(
  probs: Float32Array,
  targets: Int32Array,
  rows: number,
  vocab: number,
  scale: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * vocab;
    for (let j = 0; j < vocab; j++) probs[o + j]! *= scale;
    probs[o + targets[r]!]! -= scale;
  }
}
