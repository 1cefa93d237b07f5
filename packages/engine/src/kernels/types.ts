// The kernel interface: matrix products (and, optionally, fused element-wise passes) over float32 buffers.
// Implementations live beside this file; this module only declares shapes and does no work.

/**
 * Triangular structure of a product (causal attention), letting kernels skip work: 'lower-c' needs only
 * C[i][j] with j ≤ i (entries above the diagonal are left unspecified); 'lower-a' / 'upper-a' promise that
 * op(A)[i][p] = 0 for p > i / p < i (the result is the full product).
 */
export type MatmulTriangle = 'lower-c' | 'lower-a' | 'upper-a';

/** Options of one matrix product. */
export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
  accumulate?: boolean;
  /** Optional triangular structure (see MatmulTriangle); backends may ignore it. */
  triangle?: MatmulTriangle;
}

/** Element strides between consecutive matrices of a batched product. */
export interface BatchStrides {
  a: number;
  b: number;
  c: number;
}

/** Name of a kernel backend. */
export type KernelBackend = 'wasm-simd' | 'reference';

/** Options of a row softmax. */
interface SoftmaxOptions {
  /** Multiplies the inputs before the softmax (default 1; must be > 0). */
  scale?: number;
  /** Row r keeps only its first (r mod cols) + 1 entries, as causal attention over [.., T, T]; the rest become 0. */
  causal?: boolean;
}

/** One AdamW update (torch.optim.AdamW) with its per-step factors precomputed. */
interface AdamWStep {
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay factor: 1 − lr·weightDecay, or 1 for tensors without decay. */
  decay: number;
  /** lr / (1 − beta1^t). */
  stepSize: number;
  /** √(1 − beta2^t). */
  bc2Sqrt: number;
  /** Multiplies the gradients first, e.g. a clipping factor (default 1). */
  gradScale?: number;
}

/** Fused element-wise passes over row-major float32 buffers; both built-in backends implement all of them. */
export interface FusedKernels {
  /**
   * x = pre[r,j] + bias[j]; out = gelu_tanh(x) (Hugging Face "gelu_new"); pre keeps x, or gelu'(x) when
   * `saveDerivative` (the backward is then `multiply(pre, dout, dpre)`, no exp).
   */
  biasGeluForward(
    pre: Float32Array,
    bias: Float32Array,
    out: Float32Array,
    rows: number,
    cols: number,
    opts?: { saveDerivative?: boolean },
  ): void;
  /** dpre = dout · gelu_tanh'(pre) over n values (dpre may alias dout). */
  geluBackward(pre: Float32Array, dout: Float32Array, dpre: Float32Array, n: number): void;
  /** out = a ⊙ b over n values (out may alias a or b). */
  multiply(a: Float32Array, b: Float32Array, out: Float32Array, n: number): void;
  /** y[r,j] += bias[j] + residual[r,j]; either may be null. */
  addBiasResidual(
    y: Float32Array,
    bias: Float32Array | null,
    residual: Float32Array | null,
    rows: number,
    cols: number,
  ): void;
  /** out[j] += Σ_r x[r,j] (bias gradients). */
  sumRows(x: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /** In place x[r] = softmax(scale · x[r]) over each row (masked entries become 0). */
  softmaxRows(x: Float32Array, rows: number, cols: number, opts?: SoftmaxOptions): void;
  /** In place dp = scale · p ⊙ (dp − Σ p ⊙ dp) per row: the backward of `softmaxRows` (masked entries 0). */
  softmaxRowsBackward(
    p: Float32Array,
    dp: Float32Array,
    rows: number,
    cols: number,
    opts?: SoftmaxOptions,
  ): void;
  /** Logits rows become probabilities in place; rowLoss[r] = logsumexp(row) − row[targets[r]] (nats). */
  softmaxCrossEntropyForward(
    logits: Float32Array,
    targets: Int32Array,
    rowLoss: Float64Array,
    rows: number,
    vocab: number,
  ): void;
  /** out = (x − mean)·rstd·gamma + beta per row; saves mean and rstd (rows values each). */
  layerNormForward(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    out: Float32Array,
    mean: Float32Array,
    rstd: Float32Array,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  /** AdamW in place over n values: g' = g·gradScale, m, v updated, p = p·decay − stepSize·m / (√v / bc2Sqrt + eps). */
  adamwUpdate(
    p: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    n: number,
    step: AdamWStep,
  ): void;
  /**
   * Strided block copy: for i, j, k below counts, `len` values from src[i·s0 + j·s1 + k·s2] to
   * dst[i·d0 + j·d1 + k·d2] (strides in elements; e.g. splitting attention heads out of rows).
   */
  copyStrided(
    src: Float32Array,
    dst: Float32Array,
    counts: readonly [number, number, number],
    srcStrides: readonly [number, number, number],
    dstStrides: readonly [number, number, number],
    len: number,
  ): void;
  /** Σ x² over the first n values, accumulated in float64 (global gradient norms). */
  sumSquares(x: Float32Array, n: number): number;
  /** dx += LN'(x)ᵀ·dout; dgamma and dbeta accumulate when given (null when the norm is frozen). */
  layerNormBackward(
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
  ): void;
}

/** Matrix-product kernels over row-major float32 matrices, optionally with fused element-wise passes. */
export interface Kernels extends Partial<FusedKernels> {
  readonly name: KernelBackend;
  /** C[m,n] = op(A)[m,k] · op(B)[k,n] (+ C when accumulate). op = transpose when transA/transB (A stored [k,m], B stored [n,k]). */
  matmul(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    n: number,
    k: number,
    opts?: MatmulOptions,
  ): void;
  /** batch independent products with strides (elements) between consecutive A, B, C matrices. */
  matmulBatched(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    batch: number,
    m: number,
    n: number,
    k: number,
    strides: BatchStrides,
    opts?: MatmulOptions,
  ): void;
  /** A float32 buffer that the kernels can use without copying (for WASM: a view into its memory that is never detached). */
  alloc(length: number): Float32Array;
  /** Optionally returns a buffer from `alloc` for reuse; the view must not be used afterwards. */
  free?(buffer: Float32Array): void;
}

/** Options of `createKernels`. */
export interface CreateKernelsOptions {
  backend?: KernelBackend;
  threads?: number;
}
