// Plain TypeScript fused element-wise kernels: the reference the WASM versions are tested against.
// Float64 accumulation, straightforward loops; no attempt at speed.

import type { FusedKernels } from './types.js';

const K = Math.sqrt(2 / Math.PI);
const C3 = 0.044715;
const tanhGelu = (x: number) => 1 - 2 / (Math.exp(2 * K * (x + C3 * x * x * x)) + 1);
const geluDerivative = (x: number) => {
  const t = tanhGelu(x);
  return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * C3 * x * x);
};
const limit = (r: number, cols: number, causal: boolean | undefined) => (causal ? (r % cols) + 1 : cols);

/** Creates the reference implementations of every fused kernel. */
export function createReferenceFused(): FusedKernels {
  return {
    biasGeluForward(pre, bias, out, rows, cols, opts = {}) {
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < cols; j++) {
          const x = pre[r * cols + j]! + bias[j]!;
          pre[r * cols + j] = opts.saveDerivative ? geluDerivative(x) : x;
          out[r * cols + j] = 0.5 * x * (1 + tanhGelu(x));
        }
      }
    },
    geluBackward(pre, dout, dpre, n) {
      for (let i = 0; i < n; i++) dpre[i] = dout[i]! * geluDerivative(pre[i]!);
    },
    multiply(a, b, out, n) {
      for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
    },
    addBiasResidual(y, bias, residual, rows, cols) {
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < cols; j++) {
          y[r * cols + j]! += (bias ? bias[j]! : 0) + (residual ? residual[r * cols + j]! : 0);
        }
      }
    },
    sumRows(x, rows, cols, out) {
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += x[r * cols + j]!;
        out[j]! += s;
      }
    },
    softmaxRows(x, rows, cols, opts = {}) {
      const scale = opts.scale ?? 1;
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        const len = limit(r, cols, opts.causal);
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < len; j++) max = Math.max(max, x[o + j]!);
        let sum = 0;
        for (let j = 0; j < len; j++) {
          const e = Math.exp((x[o + j]! - max) * scale);
          x[o + j] = e;
          sum += e;
        }
        for (let j = 0; j < len; j++) x[o + j]! /= sum;
        x.fill(0, o + len, o + cols);
      }
    },
    softmaxRowsBackward(p, dp, rows, cols, opts = {}) {
      const scale = opts.scale ?? 1;
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        const len = limit(r, cols, opts.causal);
        let dot = 0;
        for (let j = 0; j < len; j++) dot += p[o + j]! * dp[o + j]!;
        for (let j = 0; j < len; j++) dp[o + j] = scale * p[o + j]! * (dp[o + j]! - dot);
        dp.fill(0, o + len, o + cols);
      }
    },
    softmaxCrossEntropyForward(logits, targets, rowLoss, rows, vocab) {
      for (let r = 0; r < rows; r++) {
        const o = r * vocab;
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0; j < vocab; j++) max = Math.max(max, logits[o + j]!);
        const shifted = logits[o + targets[r]!]! - max;
        let sum = 0;
        for (let j = 0; j < vocab; j++) {
          const e = Math.exp(logits[o + j]! - max);
          logits[o + j] = e;
          sum += e;
        }
        rowLoss[r] = Math.log(sum) - shifted;
        for (let j = 0; j < vocab; j++) logits[o + j]! /= sum;
      }
    },
    layerNormForward(x, gamma, beta, out, mean, rstd, rows, cols, eps) {
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let sum = 0;
        for (let j = 0; j < cols; j++) sum += x[o + j]!;
        const m = sum / cols;
        let sq = 0;
        for (let j = 0; j < cols; j++) sq += (x[o + j]! - m) ** 2;
        const s = 1 / Math.sqrt(sq / cols + eps);
        mean[r] = m;
        rstd[r] = s;
        for (let j = 0; j < cols; j++) out[o + j] = (x[o + j]! - m) * s * gamma[j]! + beta[j]!;
      }
    },
    adamwUpdate(p, g, m, v, n, step) {
      const gs = step.gradScale ?? 1;
      for (let i = 0; i < n; i++) {
        const gi = g[i]! * gs;
        const mi = step.beta1 * m[i]! + (1 - step.beta1) * gi;
        const vi = step.beta2 * v[i]! + (1 - step.beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = p[i]! * step.decay - (step.stepSize * mi) / (Math.sqrt(vi) / step.bc2Sqrt + step.eps);
      }
    },
    copyStrided(src, dst, counts, ss, ds, len) {
      for (let i = 0; i < counts[0]; i++) {
        for (let j = 0; j < counts[1]; j++) {
          for (let k = 0; k < counts[2]; k++) {
            const so = i * ss[0] + j * ss[1] + k * ss[2];
            const d0 = i * ds[0] + j * ds[1] + k * ds[2];
            for (let q = 0; q < len; q++) dst[d0 + q] = src[so + q]!;
          }
        }
      }
    },
    sumSquares(x, n) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i]! * x[i]!;
      return s;
    },
    layerNormBackward(dout, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, cols) {
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        const m = mean[r]!;
        const s = rstd[r]!;
        let sumG = 0;
        let sumGX = 0;
        for (let j = 0; j < cols; j++) {
          const g = dout[o + j]! * gamma[j]!;
          sumG += g;
          sumGX += g * (x[o + j]! - m) * s;
        }
        for (let j = 0; j < cols; j++) {
          const xhat = (x[o + j]! - m) * s;
          dx[o + j]! += s * (dout[o + j]! * gamma[j]! - sumG / cols - (xhat * sumGX) / cols);
          if (dgamma && dbeta) {
            dgamma[j]! += dout[o + j]! * xhat;
            dbeta[j]! += dout[o + j]!;
          }
        }
      }
    },
  };
}
