// WAT text of the matrix-product core: SIMD packing passes and the 4×8 register-tiled micro-kernel.
// Emits text only; blocking over K and M lives in wat-driver.ts, bookkeeping in the JS driver.

import { add, get, repeat, set, whileLoop } from './wat-dsl.js';

/** Bytes of the 4×8 edge-tile spill area that sits just below packed A (one per thread). */
export const EDGE_TILE_BYTES = 128;

/** Triangle modes of the micro-kernel: C needed only on/below the diagonal, op(A) lower or upper triangular. */
export const TRI = { none: 0, lowerC: 1, lowerA: 2, upperA: 3 } as const;

// x clamped to [0, hi].
const clamp = (x: string, hi: string) =>
  `(select (i32.const 0) (select ${hi} ${x} (i32.gt_s ${x} ${hi})) (i32.lt_s ${x} (i32.const 0)))`;

/** i8x16.shuffle picking four f32 lanes (0–3 from the first operand, 4–7 from the second). */
function shuffle(x: string, y: string, lanes: readonly number[]): string {
  const bytes = lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]).join(' ');
  return `(i8x16.shuffle ${bytes} ${x} ${y})`;
}

// c += s·b: f32x4.mul + f32x4.add, or one fused relaxed multiply-add (relaxed SIMD) when `fma`.
const madd = (c: string, b: string, fma: boolean) =>
  fma
    ? set(c, `(f32x4.relaxed_madd ${get('s')} ${get(b)} ${get(c)})`)
    : set(c, `(f32x4.add ${get(c)} (f32x4.mul ${get('s')} ${get(b)}))`);

function microKernelStep(t: number, fma: boolean): string {
  let s = `${set('b0', `(v128.load offset=${32 * t} ${get('b')})`)}
${set('b1', `(v128.load offset=${32 * t + 16} ${get('b')})`)}\n`;
  for (let r = 0; r < 4; r++) {
    s += `${set('s', `(v128.load32_splat offset=${16 * t + 4 * r} ${get('a')})`)}
${madd(`c${r}0`, 'b0', fma)}
${madd(`c${r}1`, 'b1', fma)}\n`;
  }
  return s;
}

const ACCS = [0, 1, 2, 3].flatMap((r) => [`c${r}0`, `c${r}1`]);

/** `gemm(pa, pb, c, ldc, m, n, kc, acc)`: C[m,n] (+)= packedA · packedB over one K block. */
function gemmFunc(unroll: number, fma: boolean): string {
  const fullStore = (accumulate: boolean) =>
    repeat(4, (r) => {
      const store = (h: number) => {
        const value = accumulate
          ? `(f32x4.add (v128.load offset=${16 * h} ${get('cr')}) ${get(`c${r}${h}`)})`
          : get(`c${r}${h}`);
        return `(v128.store offset=${16 * h} ${get('cr')} ${value})`;
      };
      return `${store(0)}\n${store(1)}\n${add('cr', get('ldcb'))}`;
    });
  return `(func $gemm (export "gemm") (param $pa i32) (param $pb i32) (param $c i32) (param $ldc i32)
  (param $m i32) (param $n i32) (param $kc i32) (param $acc i32) (param $tri i32) (param $gi i32) (param $gj i32) (param $k0 i32)
  (local $i i32) (local $j i32) (local $a i32) (local $b i32) (local $ai i32) (local $pbj i32) (local $kk i32)
  (local $kb i32) (local $ke i32)
  (local $cr i32) (local $ldcb i32) (local $as i32) (local $bs i32)
  (local $s v128) (local $b0 v128) (local $b1 v128)
  ${ACCS.map((c) => `(local $${c} v128)`).join(' ')}
  ${set('ldcb', `(i32.shl ${get('ldc')} (i32.const 2))`)}
  ${set('as', `(i32.shl ${get('kc')} (i32.const 4))`)}
  ${set('bs', `(i32.shl ${get('kc')} (i32.const 5))`)}
  ${set('pbj', get('pb'))}
  ${set('j', '(i32.const 0)')}
  ${whileLoop(
    'jl',
    `(i32.lt_u ${get('j')} ${get('n')})`,
    `${set('ai', get('pa'))}
    ${set('i', '(i32.const 0)')}
    ${whileLoop(
      'il',
      `(i32.lt_u ${get('i')} ${get('m')})`,
      `(block $tile
      ;; Causal shapes: skip tiles right of the diagonal, or the K range where op(A) is known to be zero.
      (br_if $tile (i32.and (i32.eq ${get('tri')} (i32.const ${TRI.lowerC}))
        (i32.ge_s (i32.add ${get('gj')} ${get('j')}) (i32.add (i32.add ${get('gi')} ${get('i')}) (i32.const 4)))))
      ${set('kb', '(i32.const 0)')}
      ${set('ke', get('kc'))}
      (if (i32.eq ${get('tri')} (i32.const ${TRI.lowerA}))
        (then ${set('ke', clamp(`(i32.sub (i32.add (i32.add ${get('gi')} ${get('i')}) (i32.const 4)) ${get('k0')})`, get('kc')))}))
      (if (i32.eq ${get('tri')} (i32.const ${TRI.upperA}))
        (then ${set('kb', clamp(`(i32.sub (i32.add ${get('gi')} ${get('i')}) ${get('k0')})`, get('kc')))}))
      ${set('a', `(i32.add ${get('ai')} (i32.shl ${get('kb')} (i32.const 4)))`)}
      ${set('b', `(i32.add ${get('pbj')} (i32.shl ${get('kb')} (i32.const 5)))`)}
      ${ACCS.map((c) => set(c, '(v128.const i32x4 0 0 0 0)')).join('\n')}
      ${set('kk', `(i32.sub ${get('ke')} ${get('kb')})`)}
      ${whileLoop(
        'ul',
        `(i32.ge_u ${get('kk')} (i32.const ${unroll}))`,
        `${repeat(unroll, (t) => microKernelStep(t, fma))}
        ${add('a', 16 * unroll)}
        ${add('b', 32 * unroll)}
        ${set('kk', `(i32.sub ${get('kk')} (i32.const ${unroll}))`)}`,
      )}
      ${whileLoop(
        'rl',
        get('kk'),
        `${microKernelStep(0, fma)}
        ${add('a', 16)}
        ${add('b', 32)}
        ${set('kk', `(i32.sub ${get('kk')} (i32.const 1))`)}`,
      )}
      ${set('cr', `(i32.add ${get('c')} (i32.shl (i32.add (i32.mul ${get('i')} ${get('ldc')}) ${get('j')}) (i32.const 2)))`)}
      (if (i32.and (i32.le_u (i32.add ${get('i')} (i32.const 4)) ${get('m')})
                   (i32.le_u (i32.add ${get('j')} (i32.const 8)) ${get('n')}))
        (then (if ${get('acc')} (then ${fullStore(true)}) (else ${fullStore(false)})))
        (else
          ${ACCS.map((c, q) => `(v128.store offset=${16 * q} (i32.sub ${get('pa')} (i32.const ${EDGE_TILE_BYTES})) ${get(c)})`).join('\n')}
          (call $edge_store (i32.sub ${get('pa')} (i32.const ${EDGE_TILE_BYTES})) ${get('cr')} ${get('ldcb')}
            (select (i32.const 4) (i32.sub ${get('m')} ${get('i')}) (i32.le_u (i32.add ${get('i')} (i32.const 4)) ${get('m')}))
            (select (i32.const 8) (i32.sub ${get('n')} ${get('j')}) (i32.le_u (i32.add ${get('j')} (i32.const 8)) ${get('n')}))
            ${get('acc')}))))
      ${add('i', 4)}
      ${add('ai', get('as'))}`,
    )}
    ${add('j', 8)}
    ${add('pbj', get('bs'))}`,
  )})`;
}

/** `edge_store(t, cr, ldcb, mr, nr, acc)`: writes the valid mr×nr corner of the edge tile spilled at t. */
function edgeStoreFunc(): string {
  return `(func $edge_store (param $t i32) (param $cr i32) (param $ldcb i32) (param $mr i32) (param $nr i32) (param $acc i32)
  (local $r i32) (local $h i32) (local $p i32) (local $v f32)
  ${whileLoop(
    'rl',
    `(i32.lt_u ${get('r')} ${get('mr')})`,
    `${set('h', '(i32.const 0)')}
    ${whileLoop(
      'hl',
      `(i32.lt_u ${get('h')} ${get('nr')})`,
      `${set('p', `(i32.add ${get('cr')} (i32.shl ${get('h')} (i32.const 2)))`)}
      ${set('v', `(f32.load (i32.add ${get('t')} (i32.shl ${get('h')} (i32.const 2))))`)}
      (if ${get('acc')} (then ${set('v', `(f32.add ${get('v')} (f32.load ${get('p')}))`)}))
      (f32.store ${get('p')} ${get('v')})
      ${add('h', 1)}`,
    )}
    ${add('r', 1)}
    ${add('t', 32)}
    ${add('cr', get('ldcb'))}`,
  )})`;
}

/** `pack_copy{w}(src, ld, kc, cols, dst)`: src [kc][ld] → dst [cols/w][kc][w], zero-padding the last panel. */
function packCopyFunc(w: 4 | 8): string {
  const vecs = w / 4;
  return `(func $pack_copy${w} (export "pack_copy${w}") (param $src i32) (param $ld i32) (param $kc i32)
  (param $cols i32) (param $dst i32)
  (local $col i32) (local $s i32) (local $kk i32) (local $ldb i32) (local $rem i32) (local $c i32)
  ${set('ldb', `(i32.shl ${get('ld')} (i32.const 2))`)}
  ${whileLoop(
    'pl',
    `(i32.lt_u ${get('col')} ${get('cols')})`,
    `${set('s', `(i32.add ${get('src')} (i32.shl ${get('col')} (i32.const 2)))`)}
    ${set('kk', get('kc'))}
    (if (i32.le_u (i32.add ${get('col')} (i32.const ${w})) ${get('cols')})
      (then ${whileLoop(
        'fl',
        get('kk'),
        `${repeat(vecs, (q) => `(v128.store offset=${16 * q} ${get('dst')} (v128.load offset=${16 * q} ${get('s')}))`)}
        ${add('s', get('ldb'))}
        ${add('dst', 4 * w)}
        ${set('kk', `(i32.sub ${get('kk')} (i32.const 1))`)}`,
      )})
      (else
        ${set('rem', `(i32.sub ${get('cols')} ${get('col')})`)}
        ${whileLoop(
          'el',
          get('kk'),
          `${repeat(vecs, (q) => `(v128.store offset=${16 * q} ${get('dst')} (v128.const i32x4 0 0 0 0))`)}
          ${set('c', '(i32.const 0)')}
          ${whileLoop(
            'cl',
            `(i32.lt_u ${get('c')} ${get('rem')})`,
            `(f32.store (i32.add ${get('dst')} (i32.shl ${get('c')} (i32.const 2)))
              (f32.load (i32.add ${get('s')} (i32.shl ${get('c')} (i32.const 2)))))
            ${add('c', 1)}`,
          )}
          ${add('s', get('ldb'))}
          ${add('dst', 4 * w)}
          ${set('kk', `(i32.sub ${get('kk')} (i32.const 1))`)}`,
        )}))
    ${add('col', w)}`,
  )})`;
}

/** `pack_trans{w}(src, ld, kc, rows, dst)`: src [rows][ld] → dst [rows/w][kc][w] (4×4 SIMD transposes). */
function packTransFunc(w: 4 | 8): string {
  const rowLocals = repeat(w, (c) => `(local $r${c} i32)`);
  const block4 = (g: number) => {
    const loads = repeat(
      4,
      (q) => `(local.set $v${q} (v128.load (i32.add ${get(`r${4 * g + q}`)} ${get('ko')})))`,
    );
    const t = [
      shuffle(get('v0'), get('v1'), [0, 4, 1, 5]),
      shuffle(get('v0'), get('v1'), [2, 6, 3, 7]),
      shuffle(get('v2'), get('v3'), [0, 4, 1, 5]),
      shuffle(get('v2'), get('v3'), [2, 6, 3, 7]),
    ];
    const ts = t.map((v, q) => set(`t${q}`, v)).join('\n');
    const outs = [
      shuffle(get('t0'), get('t2'), [0, 1, 4, 5]),
      shuffle(get('t0'), get('t2'), [2, 3, 6, 7]),
      shuffle(get('t1'), get('t3'), [0, 1, 4, 5]),
      shuffle(get('t1'), get('t3'), [2, 3, 6, 7]),
    ];
    const stores = repeat(4, (q) => `(v128.store offset=${q * w * 4 + g * 16} ${get('dk')} ${outs[q]})`);
    return `${loads}\n${ts}\n${stores}`;
  };
  return `(func $pack_trans${w} (export "pack_trans${w}") (param $src i32) (param $ld i32) (param $kc i32)
  (param $rows i32) (param $dst i32)
  (local $row i32) (local $kk i32) (local $ko i32) (local $dk i32) (local $ldb i32) (local $rem i32) (local $c i32)
  (local $rp i32) ${rowLocals}
  (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
  (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
  ${set('ldb', `(i32.shl ${get('ld')} (i32.const 2))`)}
  ${set('rp', get('src'))}
  ${whileLoop(
    'pl',
    `(i32.lt_u ${get('row')} ${get('rows')})`,
    `(if (i32.le_u (i32.add ${get('row')} (i32.const ${w})) ${get('rows')})
      (then
        ${repeat(w, (c) => set(`r${c}`, `(i32.add ${get('rp')} (i32.mul ${get('ldb')} (i32.const ${c})))`))}
        ${set('kk', '(i32.const 0)')}
        ${set('dk', get('dst'))}
        ${whileLoop(
          'bl',
          `(i32.le_u (i32.add ${get('kk')} (i32.const 4)) ${get('kc')})`,
          `${set('ko', `(i32.shl ${get('kk')} (i32.const 2))`)}
          ${repeat(w / 4, block4)}
          ${add('kk', 4)}
          ${add('dk', 16 * w)}`,
        )}
        ${whileLoop(
          'tl',
          `(i32.lt_u ${get('kk')} ${get('kc')})`,
          `${set('ko', `(i32.shl ${get('kk')} (i32.const 2))`)}
          ${repeat(w, (c) => `(f32.store offset=${4 * c} ${get('dk')} (f32.load (i32.add ${get(`r${c}`)} ${get('ko')})))`)}
          ${add('kk', 1)}
          ${add('dk', 4 * w)}`,
        )})
      (else
        ${set('rem', `(i32.sub ${get('rows')} ${get('row')})`)}
        ${set('kk', '(i32.const 0)')}
        ${set('dk', get('dst'))}
        ${whileLoop(
          'el',
          `(i32.lt_u ${get('kk')} ${get('kc')})`,
          `${repeat(w / 4, (q) => `(v128.store offset=${16 * q} ${get('dk')} (v128.const i32x4 0 0 0 0))`)}
          ${set('c', '(i32.const 0)')}
          ${whileLoop(
            'cl',
            `(i32.lt_u ${get('c')} ${get('rem')})`,
            `(f32.store (i32.add ${get('dk')} (i32.shl ${get('c')} (i32.const 2)))
              (f32.load (i32.add (i32.add ${get('rp')} (i32.mul ${get('c')} ${get('ldb')})) (i32.shl ${get('kk')} (i32.const 2)))))
            ${add('c', 1)}`,
          )}
          ${add('kk', 1)}
          ${add('dk', 4 * w)}`,
        )}))
    ${add('dst', `(i32.mul ${get('kc')} (i32.const ${4 * w}))`)}
    ${add('rp', `(i32.mul ${get('ldb')} (i32.const ${w}))`)}
    ${add('row', w)}`,
  )})`;
}

/** WAT functions of the matrix-product core (no module wrapper). */
export function matmulWat(opts: { unroll?: number; fma?: boolean } = {}): string {
  return [
    edgeStoreFunc(),
    gemmFunc(opts.unroll ?? 1, opts.fma ?? false),
    packCopyFunc(4),
    packCopyFunc(8),
    packTransFunc(4),
    packTransFunc(8),
  ].join('\n\n');
}
