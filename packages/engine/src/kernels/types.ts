// The kernel interface: matrix products (and, optionally, fused element-wise passes) over float32 buffers.
// Implementations live beside this file; this module only declares shapes and does no work.

/** Options of one matrix product. */
export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
  accumulate?: boolean;
}

/** Element strides between consecutive matrices of a batched product. */
export interface BatchStrides {
  a: number;
  b: number;
  c: number;
}

/** Name of a kernel backend. */
export type KernelBackend = 'wasm-simd' | 'reference';

/** Matrix-product kernels over row-major float32 matrices. */
export interface Kernels {
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
