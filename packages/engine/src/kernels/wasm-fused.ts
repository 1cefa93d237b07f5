// JS side of the fused WASM element-wise kernels: stages foreign operands and calls the exports.
// Argument checks are limited to lengths; semantics are those of reference-fused.ts.

import { EngineError } from '../errors.js';
import type { FusedKernels } from './types.js';
import type { WasmArena } from './wasm-arena.js';
import { createStager } from './wasm-stager.js';

/** The fused-kernel exports of the generated module. */
export interface FusedExports {
  gelu_fwd(pre: number, bias: number, out: number, rows: number, cols: number, save: number): void;
  mul(a: number, b: number, out: number, n: number): void;
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
  adamw(
    p: number,
    g: number,
    m: number,
    v: number,
    n: number,
    beta1: number,
    beta2: number,
    eps: number,
    decay: number,
    stepSize: number,
    bc2Sqrt: number,
    gradScale: number,
  ): void;
  sum_squares(x: number, n: number): number;
  copy3(...args: number[]): void;
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

/** Runs export `fn` over `rows` rows, possibly split into bands across threads (see kernel-pool.ts). */
export type RowRunner = (
  fn: RowFn,
  args: number[],
  strides: number[],
  countArg: number,
  rows: number,
  quantum: number,
) => void;

/** Exports that split into independent row bands (sum_rows and ln_bwd with parameter grads do not). */
export const ROW_FNS = [
  'gelu_fwd',
  'gelu_bwd',
  'mul',
  'bias_residual',
  'softmax',
  'softmax_bwd',
  'ln_fwd',
  'ln_bwd',
  'adamw',
  'copy3',
] as const;
/** Name of a row-splittable export. */
type RowFn = (typeof ROW_FNS)[number];

function need(array: ArrayLike<number> | null, length: number, name: string): void {
  if (array && array.length < length)
    throw new EngineError('shape_mismatch', `${name} is too short for its shape`);
}

/** Creates the WASM fused kernels over the module's exports and memory; `rows` may split work across threads. */
export function createWasmFused(x: FusedExports, arena: WasmArena, rows?: RowRunner): FusedKernels {
  const st = createStager(arena);
  const run: RowRunner = rows ?? ((fn, args) => (x[fn] as (...a: number[]) => void)(...args));
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
  const fused: FusedKernels = {
    biasGeluForward(pre, bias, out, rows, cols, opts = {}) {
      need(pre, rows * cols, 'pre');
      need(bias, cols, 'bias');
      need(out, rows * cols, 'out');
      const c4 = cols * 4;
      const args = [
        st.ptr(pre, rows * cols, 'inout'),
        st.ptr(bias, cols, 'in'),
        st.ptr(out, rows * cols, 'out'),
        rows,
        cols,
        opts.saveDerivative ? 1 : 0,
      ];
      run('gelu_fwd', args, [c4, 0, c4, 0, 0, 0], 3, rows, 1);
      st.done();
    },
    geluBackward(pre, dout, dpre, n) {
      need(pre, n, 'pre');
      need(dout, n, 'dout');
      need(dpre, n, 'dpre');
      run(
        'gelu_bwd',
        [st.ptr(pre, n, 'in'), st.ptr(dout, n, 'in'), st.ptr(dpre, n, 'out'), n],
        [4, 4, 4, 0],
        3,
        n,
        4,
      );
      st.done();
    },
    multiply(a, b, out, n) {
      need(a, n, 'a');
      need(b, n, 'b');
      need(out, n, 'out');
      run('mul', [st.ptr(a, n, 'in'), st.ptr(b, n, 'in'), st.ptr(out, n, 'out'), n], [4, 4, 4, 0], 3, n, 4);
      st.done();
    },
    addBiasResidual(y, bias, residual, rows, cols) {
      if (!bias && !residual) return;
      need(y, rows * cols, 'y');
      need(bias, cols, 'bias');
      need(residual, rows * cols, 'residual');
      const c4 = cols * 4;
      const args = [
        st.ptr(y, rows * cols, 'inout'),
        st.ptr(bias, cols, 'in'),
        st.ptr(residual, rows * cols, 'in'),
        rows,
        cols,
      ];
      run('bias_residual', args, [c4, 0, residual ? c4 : 0, 0, 0], 3, rows, 1);
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
      // Causal bands must start on a multiple of cols: the mask depends on the row index mod cols.
      const args = [st.ptr(v, rows * cols, 'inout'), rows, cols, opts.scale ?? 1, opts.causal ? 1 : 0, 0];
      run('softmax', args, [cols * 4, 0, 0, 0, 0, 0], 1, rows, opts.causal ? cols : 1);
      st.done();
    },
    softmaxRowsBackward(p, dp, rows, cols, opts = {}) {
      need(p, rows * cols, 'p');
      need(dp, rows * cols, 'dp');
      const c4 = cols * 4;
      const args = [
        st.ptr(p, rows * cols, 'in'),
        st.ptr(dp, rows * cols, 'inout'),
        rows,
        cols,
        opts.scale ?? 1,
        opts.causal ? 1 : 0,
      ];
      run('softmax_bwd', args, [c4, c4, 0, 0, 0, 0], 2, rows, opts.causal ? cols : 1);
      st.done();
    },
    softmaxCrossEntropyForward(logits, targets, rowLoss, rows, vocab) {
      need(logits, rows * vocab, 'logits');
      need(targets, rows, 'targets');
      need(rowLoss, rows, 'rowLoss');
      // The target logits are read before the softmax overwrites them with probabilities.
      for (let r = 0; r < rows; r++) rowLoss[r] = logits[r * vocab + targets[r]!]!;
      const s = statsFor(rows);
      run(
        'softmax',
        [st.ptr(logits, rows * vocab, 'inout'), rows, vocab, 1, 0, s],
        [vocab * 4, 0, 0, 0, 0, 8],
        1,
        rows,
        1,
      );
      st.done();
      const view = new Float32Array(arena.buffer(), s, rows * 2);
      for (let r = 0; r < rows; r++) rowLoss[r] = view[2 * r]! + Math.log(view[2 * r + 1]!) - rowLoss[r]!;
    },
    layerNormForward(v, gamma, beta, out, mean, rstd, rows, cols, eps) {
      need(v, rows * cols, 'x');
      need(gamma, cols, 'gamma');
      need(beta, cols, 'beta');
      need(out, rows * cols, 'out');
      need(mean, rows, 'mean');
      need(rstd, rows, 'rstd');
      const c4 = cols * 4;
      const args = [
        st.ptr(v, rows * cols, 'in'),
        st.ptr(gamma, cols, 'in'),
        st.ptr(beta, cols, 'in'),
        st.ptr(out, rows * cols, 'out'),
        st.ptr(mean, rows, 'out'),
        st.ptr(rstd, rows, 'out'),
        rows,
        cols,
        eps,
      ];
      run('ln_fwd', args, [c4, 0, 0, c4, 4, 4, 0, 0, 0], 6, rows, 1);
      st.done();
    },
    adamwUpdate(p, g, m, v, n, step) {
      need(p, n, 'p');
      need(g, n, 'g');
      need(m, n, 'm');
      need(v, n, 'v');
      const args = [
        st.ptr(p, n, 'inout'),
        st.ptr(g, n, 'in'),
        st.ptr(m, n, 'inout'),
        st.ptr(v, n, 'inout'),
        n,
        step.beta1,
        step.beta2,
        step.eps,
        step.decay,
        step.stepSize,
        step.bc2Sqrt,
        step.gradScale ?? 1,
      ];
      run('adamw', args, [4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0], 4, n, 4);
      st.done();
    },
    copyStrided(src, dst, counts, ss, ds, len) {
      if (counts[0] * counts[1] * counts[2] * len === 0) return;
      const span = (strides: readonly number[]) =>
        strides.reduce((t, st, i) => t + (counts[i]! - 1) * st, len);
      need(src, span(ss), 'src');
      need(dst, span(ds), 'dst');
      const args = [
        st.ptr(src, span(ss), 'in'),
        st.ptr(dst, span(ds), 'inout'),
        ...counts,
        ...ss.map((v) => v * 4),
      ];
      args.push(...ds.map((v) => v * 4), len);
      // Bands over the outermost count; every value of a band is `len` per inner block.
      run('copy3', args, [ss[0] * 4, ds[0] * 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 2, counts[0], 1);
      st.done();
    },
    sumSquares(v, n) {
      need(v, n, 'x');
      const s = x.sum_squares(st.ptr(v, n, 'in'), n);
      st.done();
      return s;
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
      const args = [
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
      ];
      // Parameter gradients sum over all rows, so only the pass without them splits into bands.
      if (grads) x.ln_bwd(...(args as Parameters<FusedExports['ln_bwd']>));
      else {
        const c4 = cols * 4;
        run('ln_bwd', args, [c4, c4, 0, 4, 4, c4, 0, 0, 0, 0], 8, rows, 1);
      }
      st.done();
    },
  };
  // A failed call must not leave staged outputs behind for the next call's done() to copy back.
  for (const name of Object.keys(fused) as (keyof FusedKernels)[]) {
    const call = fused[name] as (...args: unknown[]) => unknown;
    (fused as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      try {
        return call(...args);
      } catch (error) {
        st.reset();
        throw error;
      }
    };
  }
  return fused;
}
