// WAT of the blocked matrix-product driver: loops over batch, K blocks and M blocks, packing each block and
// running the micro-kernel. In WASM so that worker threads run the very same loop on their share of rows.

import { add, get, locals, set, whileLoop } from './wat-dsl.js';
import { EDGE_TILE_BYTES } from './wat-matmul.js';

/** Flag bits of the driver's `flags` argument. */
export const MATMUL_FLAGS = { transA: 1, transB: 2, accumulate: 4 } as const;
/** Shift of the triangle mode (TRI in wat-matmul.ts) inside `flags`. */
export const TRI_SHIFT = 3;

/** Bytes of packed-A scratch one driver call needs (the edge-tile spill area included, before packed A). */
export const packABytes = (blockM: number, blockK: number) =>
  EDGE_TILE_BYTES + Math.ceil(blockM / 4) * 16 * blockK;
/** Bytes of packed-B scratch one driver call needs for `n` columns. */
export const packBBytes = (n: number, blockK: number) => Math.ceil(n / 8) * 32 * blockK;

const min = (a: string, b: string) => `(select ${a} ${b} (i32.lt_s ${a} ${b}))`;
const mulAdd4 = (base: string, row: string, ld: string, col: string) =>
  `(i32.add ${base} (i32.shl (i32.add (i32.mul ${row} ${ld}) ${col}) (i32.const 2)))`;

/**
 * `matmul(a, b, c, batch, sa, sb, sc, m, n, k, lda, ldb, ldc, flags, pa, pb, row0, col0)`: for each of `batch`
 * products (byte strides sa, sb, sc) C[m,n] (+)= op(A)·op(B) with leading dimensions lda, ldb, ldc (elements);
 * row0/col0 place this share inside the whole product for the triangle modes.
 */
export function driverWat(blockM: number, blockK: number): string {
  const flag = (bit: number) => `(i32.and ${get('flags')} (i32.const ${bit}))`;
  return `(func (export "block_m") (result i32) (i32.const ${blockM}))
(func (export "block_k") (result i32) (i32.const ${blockK}))
(func (export "matmul") (param $a i32) (param $b i32) (param $c i32) (param $batch i32)
  (param $sa i32) (param $sb i32) (param $sc i32) (param $m i32) (param $n i32) (param $k i32)
  (param $lda i32) (param $ldb i32) (param $ldc i32) (param $flags i32) (param $pa i32) (param $pb i32)
  (param $row0 i32) (param $col0 i32)
  ${locals('i32', 't', 'k0', 'kc', 'i0', 'mc', 'acc', 'tri')}
  ;; The edge-tile spill area of this thread sits in the first bytes of its packed-A scratch.
  ${set('pa', `(i32.add ${get('pa')} (i32.const ${EDGE_TILE_BYTES}))`)}
  ${set('tri', `(i32.and (i32.shr_u ${get('flags')} (i32.const ${TRI_SHIFT})) (i32.const 3))`)}
  ${whileLoop(
    'tl',
    `(i32.lt_s ${get('t')} ${get('batch')})`,
    `${set('k0', '(i32.const 0)')}
    ${whileLoop(
      'kl',
      `(i32.lt_s ${get('k0')} ${get('k')})`,
      `${set('kc', min(`(i32.const ${blockK})`, `(i32.sub ${get('k')} ${get('k0')})`))}
      (if ${flag(MATMUL_FLAGS.transB)}
        (then (call $pack_trans8 (i32.add ${get('b')} (i32.shl ${get('k0')} (i32.const 2))) ${get('ldb')} ${get('kc')} ${get('n')} ${get('pb')}))
        (else (call $pack_copy8 ${mulAdd4(get('b'), get('k0'), get('ldb'), '(i32.const 0)')} ${get('ldb')} ${get('kc')} ${get('n')} ${get('pb')})))
      ${set('acc', `(i32.or (i32.ne ${flag(MATMUL_FLAGS.accumulate)} (i32.const 0)) (i32.gt_s ${get('k0')} (i32.const 0)))`)}
      ${set('i0', '(i32.const 0)')}
      ${whileLoop(
        'il',
        `(i32.lt_s ${get('i0')} ${get('m')})`,
        `${set('mc', min(`(i32.const ${blockM})`, `(i32.sub ${get('m')} ${get('i0')})`))}
        (if ${flag(MATMUL_FLAGS.transA)}
          (then (call $pack_copy4 ${mulAdd4(get('a'), get('k0'), get('lda'), get('i0'))} ${get('lda')} ${get('kc')} ${get('mc')} ${get('pa')}))
          (else (call $pack_trans4 ${mulAdd4(get('a'), get('i0'), get('lda'), get('k0'))} ${get('lda')} ${get('kc')} ${get('mc')} ${get('pa')})))
        (call $gemm ${get('pa')} ${get('pb')} ${mulAdd4(get('c'), get('i0'), get('ldc'), '(i32.const 0)')} ${get('ldc')} ${get('mc')} ${get('n')} ${get('kc')} ${get('acc')}
          ${get('tri')} (i32.add ${get('row0')} ${get('i0')}) ${get('col0')} ${get('k0')})
        ${add('i0', blockM)}`,
      )}
      ${add('k0', blockK)}`,
    )}
    ${add('a', get('sa'))}
    ${add('b', get('sb'))}
    ${add('c', get('sc'))}
    ${add('t', 1)}`,
  )})`;
}
