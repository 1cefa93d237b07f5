// The model's tail: final layer norm, the LM head tied to wte, and the cross-entropy over the target rows,
// forward and backward. Only target rows reach the LM head; the blocks and the embedding are not here.

import { softmaxCrossEntropyBackward } from '../layers/cross-entropy.js';
import type { ParamSet } from '../params.js';
import type { RunnerContext } from './runner-context.js';
import { headRows, type PassRows } from './target-rows.js';

/** The buffers the tail writes in forward and reads in backward. */
export interface HeadBuffers {
  /** Final-norm output [rows, C]. */
  readonly hf: Float32Array;
  readonly meanF: Float32Array;
  readonly rstdF: Float32Array;
  /** Logits, then probabilities, then dlogits of the target rows [targetRows, vocab]. */
  readonly logits: Float32Array;
}

/** The inputs of the tail's forward. */
export interface HeadForwardInput {
  readonly params: ParamSet;
  /** Residual stream out of the last block (compact: the target rows only). */
  readonly x: Float32Array;
  readonly buffers: HeadBuffers;
  /** Target of each target row, in row order. */
  readonly targets: Int32Array;
  /** Written: the loss (nats) of each target row. */
  readonly rowLoss: Float64Array;
  readonly pass: PassRows;
}

/** The inputs of the tail's backward, after the forward it follows. */
export interface HeadBackwardInput extends Omit<HeadForwardInput, 'rowLoss'> {
  /** Base gradients (null: base frozen). */
  readonly grads: ParamSet | null;
  /** Scratch [rows, C]. */
  readonly dh: Float32Array;
  /** Written: d(loss)/d(x), one row per final-norm row. */
  readonly dres: Float32Array;
  /** Multiplier of the loss sum. */
  readonly scale: number;
}

/** Final norm, LM head and loss; returns the summed loss of the target rows (0 when there are none). */
export function headForward(ctx: RunnerContext, io: HeadForwardInput): number {
  const { kernels, fused, config } = ctx;
  const { params, buffers: b, pass } = io;
  const C = config.nEmbd;
  const V = config.vocabSize;
  const R = pass.targetRows;
  fused.layerNormForward(
    io.x,
    params.get('ln_f.weight'),
    params.get('ln_f.bias'),
    b.hf,
    b.meanF,
    b.rstdF,
    headRows(pass),
    C,
    config.layerNormEpsilon,
  );
  let lossSum = 0;
  if (R > 0) {
    kernels.matmul(b.hf, params.get('wte.weight'), b.logits, R, V, C, { transB: true });
    fused.softmaxCrossEntropyForward(b.logits, io.targets, io.rowLoss, R, V);
    for (let q = 0; q < R; q++) lossSum += io.rowLoss[q]!;
  }
  return lossSum;
}

/** Backward of `scale · lossSum` through the LM head and the final norm into `dres` (overwritten). */
export function headBackward(ctx: RunnerContext, io: HeadBackwardInput): void {
  const { kernels, fused, config } = ctx;
  const { params, grads, buffers: b, pass, dh, dres } = io;
  const C = config.nEmbd;
  const V = config.vocabSize;
  const R = pass.targetRows;
  const fRows = headRows(pass);
  // LM head (tied to wte): dlogits -> dh, one row per final-norm row.
  if (R > 0) {
    softmaxCrossEntropyBackward(b.logits, io.targets, R, V, io.scale);
    kernels.matmul(b.logits, params.get('wte.weight'), dh, R, C, V);
    if (grads)
      kernels.matmul(b.logits, b.hf, grads.get('wte.weight'), V, C, R, { transA: true, accumulate: true });
  } else {
    dh.fill(0, 0, pass.rows * C);
  }
  dres.fill(0, 0, fRows * C);
  fused.layerNormBackward(
    dh,
    io.x,
    params.get('ln_f.weight'),
    b.meanF,
    b.rstdF,
    dres,
    grads ? grads.get('ln_f.weight') : null,
    grads ? grads.get('ln_f.bias') : null,
    fRows,
    C,
  );
}
