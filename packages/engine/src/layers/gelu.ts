// GELU with the tanh approximation (Hugging Face "gelu_new"), fused with the preceding bias add.
// tanh is computed from one exp, which V8 runs faster than Math.tanh.

const K = Math.sqrt(2 / Math.PI);
const C3 = 0.044715;

/** pre[r,j] += bias[j]; out = gelu(pre). `pre` keeps the biased input for the backward pass. */
export function biasGeluForward(
  pre: Float32Array,
  bias: Float32Array,
  out: Float32Array,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) {
      const x = pre[o + j]! + bias[j]!;
      pre[o + j] = x;
      const u = K * (x + C3 * x * x * x);
      const t = 1 - 2 / (Math.exp(2 * u) + 1);
      out[o + j] = 0.5 * x * (1 + t);
    }
  }
}

/** dpre = dout · gelu'(pre), elementwise over n values (dpre may alias dout). */
export function geluBackward(pre: Float32Array, dout: Float32Array, dpre: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const x = pre[i]!;
    const u = K * (x + C3 * x * x * x);
    const t = 1 - 2 / (Math.exp(2 * u) + 1);
    const d = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * C3 * x * x);
    dpre[i] = dout[i]! * d;
  }
}
