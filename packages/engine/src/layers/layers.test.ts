// Every layer's backward against central finite differences of a random projection of its output.
import { describe, expect, it } from 'vitest';
import { fusedKernels } from '../kernels/fused-kernels.js';
import { createReferenceKernels } from '../kernels/reference-kernels.js';
import { createWasmKernels } from '../kernels/wasm-kernels.js';
import { gradCheck, randomFill } from '../test-fd.js';
import { attentionBackward, attentionForward } from './attention.js';
import { softmaxCrossEntropyBackward, softmaxCrossEntropyForward } from './cross-entropy.js';
import { embeddingBackward, embeddingForward } from './embedding.js';
import { addBiasResidual, linearBackward } from './linear.js';

const kernels = createReferenceKernels();
const f32 = (n: number, seed: number, std = 1) => randomFill(new Float32Array(n), seed, std);
const dot = (a: Float32Array, w: Float32Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * w[i]!;
  return s;
};
const ok = (r: { maxAbsErr: number; scale: number }) =>
  expect(r.maxAbsErr).toBeLessThan(1e-3 + 1e-2 * r.scale);

describe('layer gradients', () => {
  // The element-wise layers run through the fused kernels in the model, so those are what is checked here,
  // on both backends, including the path that keeps gelu'(x) from the forward pass.
  describe.each([
    ['reference', createReferenceKernels()],
    ['wasm-simd', createWasmKernels()],
  ])('fused element-wise layers (%s)', (_backend, backend) => {
    const fused = fusedKernels(backend);

    it('layer norm: x, gamma, beta', () => {
      const [rows, cols] = [3, 8];
      const x = f32(rows * cols, 1);
      const g = f32(cols, 2, 0.5).map((v) => 1 + v);
      const b = f32(cols, 3);
      const w = f32(rows * cols, 4);
      const out = new Float32Array(rows * cols);
      const [mean, rstd] = [new Float32Array(rows), new Float32Array(rows)];
      const loss = () => {
        fused.layerNormForward(x, g, b, out, mean, rstd, rows, cols, 1e-5);
        return dot(out, w);
      };
      loss();
      const [dx, dg, db] = [new Float32Array(rows * cols), new Float32Array(cols), new Float32Array(cols)];
      fused.layerNormBackward(w, x, g, mean, rstd, dx, dg, db, rows, cols);
      for (const [p, d] of [
        [x, dx],
        [g, dg],
        [b, db],
      ] as const)
        ok(gradCheck(p, d, loss, { samples: 24, eps: 1e-3 }));
    });

    it('bias + GELU (tanh approximation), backward from the input or from the saved derivative', () => {
      const [rows, cols] = [2, 6];
      const x = f32(rows * cols, 5, 2);
      const bias = f32(cols, 6);
      const w = f32(rows * cols, 7);
      const pre = new Float32Array(rows * cols);
      const out = new Float32Array(rows * cols);
      const loss = () => {
        pre.set(x);
        fused.biasGeluForward(pre, bias, out, rows, cols);
        return dot(out, w);
      };
      loss();
      const dpre = new Float32Array(rows * cols);
      fused.geluBackward(pre, w, dpre, rows * cols);
      ok(gradCheck(x, dpre, loss, { samples: 12, eps: 1e-3 }));
      pre.set(x);
      fused.biasGeluForward(pre, bias, out, rows, cols, { saveDerivative: true });
      const viaDerivative = new Float32Array(rows * cols);
      fused.multiply(pre, w, viaDerivative, rows * cols);
      for (let i = 0; i < dpre.length; i++) expect(viaDerivative[i]).toBeCloseTo(dpre[i]!, 5);
    });
  });

  it('linear (Conv1D layout) with bias and residual', () => {
    const [rows, nIn, nOut] = [4, 5, 3];
    const x = f32(rows * nIn, 8);
    const W = f32(nIn * nOut, 9);
    const bias = f32(nOut, 10);
    const res = f32(rows * nOut, 11);
    const w = f32(rows * nOut, 12);
    const y = new Float32Array(rows * nOut);
    const loss = () => {
      kernels.matmul(x, W, y, rows, nOut, nIn);
      addBiasResidual(y, bias, res, rows, nOut);
      return dot(y, w);
    };
    const [dx, dW, db] = [new Float32Array(rows * nIn), new Float32Array(nIn * nOut), new Float32Array(nOut)];
    linearBackward(kernels, x, W, w, dx, dW, db, rows, nIn, nOut);
    for (const [p, d] of [
      [x, dx],
      [W, dW],
      [bias, db],
    ] as const)
      ok(gradCheck(p, d, loss, { samples: 15 }));
  });

  it('causal multi-head attention', () => {
    const s = { batch: 2, seqLen: 5, nEmbd: 8, nHead: 2 };
    const n = s.batch * s.seqLen;
    const qkv = f32(n * 3 * s.nEmbd, 13);
    const w = f32(n * s.nEmbd, 14);
    const mk = () => new Float32Array(n * s.nEmbd);
    const cache = { q: mk(), k: mk(), v: mk(), p: new Float32Array(s.batch * s.nHead * s.seqLen * s.seqLen) };
    const out = mk();
    const loss = () => {
      attentionForward(kernels, qkv, out, cache, mk(), s);
      return dot(out, w);
    };
    loss();
    const dqkv = new Float32Array(qkv.length);
    const dp = new Float32Array(cache.p.length);
    attentionBackward(kernels, w, dqkv, cache, { dO: mk(), dq: mk(), dk: mk(), dv: mk(), dp, o: mk() }, s);
    ok(gradCheck(qkv, dqkv, loss, { samples: 40, eps: 1e-3 }));
    // Causality: the first position's output depends on nothing after it.
    const before = out.slice(0, s.nEmbd);
    qkv[(s.seqLen - 1) * 3 * s.nEmbd + 2 * s.nEmbd]! += 5;
    loss();
    expect(out.slice(0, s.nEmbd)).toEqual(before);
  });

  it('attention gives the same result with buffers sharing one memory (native copy path)', () => {
    const s = { batch: 2, seqLen: 6, nEmbd: 8, nHead: 2 };
    const n = s.batch * s.seqLen;
    const sizes = [
      n * 3 * s.nEmbd,
      n * s.nEmbd,
      n * s.nEmbd,
      n * s.nEmbd,
      n * s.nEmbd,
      2 * 2 * 36,
      n * s.nEmbd,
    ];
    const run = (alloc: (len: number) => Float32Array) => {
      const [qkv, out, q, k, v, p, o] = sizes.map(alloc) as Float32Array[];
      randomFill(qkv!, 21);
      attentionForward(kernels, qkv!, out!, { q: q!, k: k!, v: v!, p: p! }, o!, s);
      return out!;
    };
    const memory = new Float32Array(sizes.reduce((a, b) => a + b, 0) + 7);
    let used = 3;
    const shared = run((len) => memory.subarray(used, (used += len)));
    expect(shared).toEqual(run((len) => new Float32Array(len)));
  });

  it('softmax cross-entropy', () => {
    const [rows, vocab] = [3, 7];
    const logits = f32(rows * vocab, 15, 2);
    const targets = Int32Array.from([1, 6, 0]);
    const work = new Float32Array(rows * vocab);
    const rowLoss = new Float64Array(rows);
    const loss = () => {
      work.set(logits);
      softmaxCrossEntropyForward(work, targets, rowLoss, rows, vocab);
      return rowLoss.reduce((a, b) => a + b, 0);
    };
    loss();
    softmaxCrossEntropyBackward(work, targets, rows, vocab, 1);
    ok(gradCheck(logits, work.slice(), loss, { samples: 21, eps: 1e-3 }));
  });

  it('token and position embeddings', () => {
    const [vocab, T, dim] = [6, 3, 4];
    const tokens = Int32Array.from([1, 4, 1, 0, 5, 5]);
    const wte = f32(vocab * dim, 16);
    const wpe = f32(T * dim, 17);
    const w = f32(2 * T * dim, 18);
    const x = new Float32Array(2 * T * dim);
    const loss = () => {
      embeddingForward(tokens, wte, wpe, x, 2, T, dim);
      return dot(x, w);
    };
    const [dwte, dwpe] = [new Float32Array(wte.length), new Float32Array(wpe.length)];
    embeddingBackward(tokens, w, dwte, dwpe, 2, T, dim);
    ok(gradCheck(wte, dwte, loss, { samples: 24 }));
    ok(gradCheck(wpe, dwpe, loss, { samples: 12 }));
  });
});
