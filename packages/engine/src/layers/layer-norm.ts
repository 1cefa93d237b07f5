// Layer normalisation over the last dimension, forward and backward, as fused single-pass loops.
// Rows are independent; statistics are kept for the backward pass.

/** out = (x - mean) * rstd * gamma + beta per row; saves mean and rstd per row. */
export function layerNormForward(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  out: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  rows: number,
  cols: number,
  eps: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += x[o + j]!;
    const m = sum / cols;
    let sq = 0;
    for (let j = 0; j < cols; j++) {
      const d = x[o + j]! - m;
      sq += d * d;
    }
    const s = 1 / Math.sqrt(sq / cols + eps);
    mean[r] = m;
    rstd[r] = s;
    for (let j = 0; j < cols; j++) out[o + j] = (x[o + j]! - m) * s * gamma[j]! + beta[j]!;
  }
}

/** dx += LN'(x)ᵀ·dout; dgamma/dbeta accumulate when given (null when the norm is frozen). */
export function layerNormBackward(
  dout: Float32Array,
  x: Float32Array,
  gamma: Float32Array,
  mean: Float32Array,
  rstd: Float32Array,
  dx: Float32Array,
  dgamma: Float32Array | null,
  dbeta: Float32Array | null,
  rows: number,
  cols: number,
): void {
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
    const meanG = sumG / cols;
    const meanGX = sumGX / cols;
    for (let j = 0; j < cols; j++) {
      const xhat = (x[o + j]! - m) * s;
      const d = dout[o + j]!;
      dx[o + j] += s * (d * gamma[j]! - meanG - xhat * meanGX);
    }
    if (dgamma && dbeta) {
      for (let j = 0; j < cols; j++) {
        const d = dout[o + j]!;
        dgamma[j] += d * (x[o + j]! - m) * s;
        dbeta[j] += d;
      }
    }
  }
}
