// JS side of the fused WASM element-wise kernels: stages foreign operands and calls the exports.
// Argument checks are limited to lengths; semantics are those of reference-fused.ts.

import { EngineError } from '../errors.js';
import type { FusedKernels } from './types.js';
import type { WasmArena } from './wasm-arena.js';
import { createStager } from './wasm-stager.js';

/** The fused-kernel exports of the generated module. */
export interface FusedExports {
  gelu_fwd(pre: number, bias: number, out: number, rows: number, cols: number): void;
  gelu_bwd(pre: number, dout: number, dpre: number, n: number): void;
  bias_residual(y: number, bias: number, res: number, rows: number, cols: number): void;
  sum_rows(dy: number, rows: number, cols: number, out: number): void;
  softmax(x: number, rows: number, cols: number, scale: number, causal: number, stats: number): void;
  softmax_bwd(p: number, dp: number, rows: number, cols: number, scale: number, causal: number): void;
  ln_fwd(
    x: number,
    gamma: number,
    beta: number,
    out: number,
    mean: number,
    rstd: number,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  ln_bwd(
    dout: number,
    x: number,
    gamma: number,
    mean: number,
    rstd: number,
    dx: number,
    dgamma: number,
    dbeta: number,
    rows: number,
    cols: number,
  ): void;
}

function need(array: ArrayLike<number> | null, length: number, name: string): void {
  if (array && array.length < length)
    throw new EngineError('shape_mismatch', `${name} is too short for its shape`);
}

/** Creates the WASM fused kernels over the module's exports and memory. */
export function createWasmFused(x: FusedExports, arena: WasmArena): FusedKernels {
  const st = createStager(arena);
  let stats = 0;
  let statsRows = 0;
  const statsFor = (rows: number) => {
    if (rows > statsRows) {
      if (statsRows) arena.freeBytes(stats);
      statsRows = Math.max(rows, statsRows * 2);
      stats = arena.allocBytes(statsRows * 8);
    }
    return stats;
  };
  return {
    biasGeluForward(pre, bias, out, rows, cols) {
      need(pre, rows * cols, 'pre');
      need(bias, cols, 'bias');
      need(out, rows * cols, 'out');
      x.gelu_fwd(
        st.ptr(pre, rows * cols, 'inout'),
        st.ptr(bias, cols, 'in'),
        st.ptr(out, rows * cols, 'out'),
        rows,
        cols,
      );
      st.done();
    },
    geluBackward(pre, dout, dpre, n) {
      need(pre, n, 'pre');
      need(dout, n, 'dout');
      need(dpre, n, 'dpre');
      x.gelu_bwd(st.ptr(pre, n, 'in'), st.ptr(dout, n, 'in'), st.ptr(dpre, n, 'out'), n);
      st.done();
    },
    addBiasResidual(y, bias, residual, rows, cols) {
      if (!bias && !residual) return;
      need(y, rows * cols, 'y');
      need(bias, cols, 'bias');
      need(residual, rows * cols, 'residual');
      x.bias_residual(
        st.ptr(y, rows * cols, 'inout'),
        st.ptr(bias, cols, 'in'),
        st.ptr(residual, rows * cols, 'in'),
        rows,
        cols,
      );
      st.done();
    },
    sumRows(dy, rows, cols, out) {
      need(dy, rows * cols, 'x');
      need(out, cols, 'out');
      x.sum_rows(st.ptr(dy, rows * cols, 'in'), rows, cols, st.ptr(out, cols, 'inout'));
      st.done();
    },
    softmaxRows(v, rows, cols, opts = {}) {
      need(v, rows * cols, 'x');
      x.softmax(st.ptr(v, rows * cols, 'inout'), rows, cols, opts.scale ?? 1, opts.causal ? 1 : 0, 0);
      st.done();
    },
    softmaxRowsBackward(p, dp, rows, cols, opts = {}) {
      need(p, rows * cols, 'p');
      need(dp, rows * cols, 'dp');
      x.softmax_bwd(
        st.ptr(p, rows * cols, 'in'),
        st.ptr(dp, rows * cols, 'inout'),
        rows,
        cols,
        opts.scale ?? 1,
        opts.causal ? 1 : 0,
      );
      st.done();
    },
    softmaxCrossEntropyForward(logits, targets, rowLoss, rows, vocab) {
      need(logits, rows * vocab, 'logits');
      need(targets, rows, 'targets');
      need(rowLoss, rows, 'rowLoss');
      // The target logits are read before the softmax overwrites them with probabilities.
      for (let r = 0; r < rows; r++) rowLoss[r] = logits[r * vocab + targets[r]];
      const s = statsFor(rows);
      x.softmax(st.ptr(logits, rows * vocab, 'inout'), rows, vocab, 1, 0, s);
      st.done();
      const view = new Float32Array(arena.buffer(), s, rows * 2);
      for (let r = 0; r < rows; r++) rowLoss[r] = view[2 * r] + Math.log(view[2 * r + 1]) - rowLoss[r];
    },
    layerNormForward(v, gamma, beta, out, mean, rstd, rows, cols, eps) {
      need(v, rows * cols, 'x');
      need(gamma, cols, 'gamma');
      need(beta, cols, 'beta');
      need(out, rows * cols, 'out');
      need(mean, rows, 'mean');
      need(rstd, rows, 'rstd');
      x.ln_fwd(
        st.ptr(v, rows * cols, 'in'),
        st.ptr(gamma, cols, 'in'),
        st.ptr(beta, cols, 'in'),
        st.ptr(out, rows * cols, 'out'),
        st.ptr(mean, rows, 'out'),
        st.ptr(rstd, rows, 'out'),
        rows,
        cols,
        eps,
      );
      st.done();
    },
    layerNormBackward(dout, v, gamma, mean, rstd, dx, dgamma, dbeta, rows, cols) {
      need(dout, rows * cols, 'dout');
      need(v, rows * cols, 'x');
      need(gamma, cols, 'gamma');
      need(mean, rows, 'mean');
      need(rstd, rows, 'rstd');
      need(dx, rows * cols, 'dx');
      const grads = dgamma && dbeta;
      need(grads ? dgamma : null, cols, 'dgamma');
      need(grads ? dbeta : null, cols, 'dbeta');
      x.ln_bwd(
        st.ptr(dout, rows * cols, 'in'),
        st.ptr(v, rows * cols, 'in'),
        st.ptr(gamma, cols, 'in'),
        st.ptr(mean, rows, 'in'),
        st.ptr(rstd, rows, 'in'),
        st.ptr(dx, rows * cols, 'inout'),
        grads ? st.ptr(dgamma, cols, 'inout') : 0,
        grads ? st.ptr(dbeta, cols, 'inout') : 0,
        rows,
        cols,
      );
      st.done();
    },
  };
}
