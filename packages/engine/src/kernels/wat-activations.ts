// WAT of the fused element-wise kernels around the linear layers: bias + GELU (forward and backward),
// bias + residual add, and column sums for bias gradients. Emits text only.

import { add, at, EXP_LOCALS, expInline, f4, get, locals, loop4, set, whileLoop } from './wat-dsl.js';

const K = Math.sqrt(2 / Math.PI);
const C3 = 0.044715;

// 0.5·(1 + tanh(u)) = sigmoid(2u) with u = K·(x + C3·x³): local `sg` = 1 / (1 + exp(-2u)), x in local `x`.
const sigmoidOfX = () => {
  const x = get('x');
  return `${expInline('sg', `(f32x4.mul ${f4(-2 * K)} (f32x4.add ${x} (f32x4.mul ${f4(C3)} (f32x4.mul ${x} (f32x4.mul ${x} ${x})))))`)}
  ${set('sg', `(f32x4.div ${f4(1)} (f32x4.add ${get('sg')} ${f4(1)}))`)}`;
};

// d/dx [x·σ(2u)] = σ + 2K·x·σ·(1 − σ)·(1 + 3·C3·x²), from locals `x` and `sg`.
const geluDerivative = () => {
  const x = get('x');
  const sg = get('sg');
  return `(f32x4.add ${sg} (f32x4.mul (f32x4.mul (f32x4.mul ${f4(2 * K)} ${x}) (f32x4.mul ${sg} (f32x4.sub ${f4(1)} ${sg})))
    (f32x4.add ${f4(1)} (f32x4.mul ${f4(3 * C3)} (f32x4.mul ${x} ${x})))))`;
};

/**
 * `gelu_fwd(pre, bias, out, rows, cols, save)`: x = pre + bias; out = gelu_tanh(x); pre keeps x, or, when
 * `save` ≠ 0, gelu'(x) (so the backward is a plain product).
 */
function geluForward(): string {
  const rowLoop = (label: string, save: boolean) =>
    whileLoop(
      label,
      `(i32.lt_s ${get('r')} ${get('rows')})`,
      `${loop4(
        `${label}j`,
        'j',
        '(i32.const 0)',
        get('cols'),
        (
          l,
        ) => `${set('x', `(f32x4.add ${l.load(at(get('pre'), get('j')))} ${l.load(at(get('bias'), get('j')))})`)}
        ${sigmoidOfX()}
        ${l.store(at(get('pre'), get('j')), save ? geluDerivative() : get('x'))}
        ${l.store(at(get('out'), get('j')), `(f32x4.mul ${get('x')} ${get('sg')})`)}`,
      )}
      ${add('pre', get('rowb'))}
      ${add('out', get('rowb'))}
      ${add('r', 1)}`,
    );
  return `(func (export "gelu_fwd") (param $pre i32) (param $bias i32) (param $out i32) (param $rows i32) (param $cols i32) (param $save i32)
  ${locals('i32', 'r', 'j', 'rowb')} ${locals('v128', 'x', 'sg')} ${EXP_LOCALS}
  ${set('rowb', `(i32.shl ${get('cols')} (i32.const 2))`)}
  (if ${get('save')} (then ${rowLoop('sl', true)}) (else ${rowLoop('rl', false)})))`;
}

/** `mul(a, b, out, n)`: out = a ⊙ b (out may alias either). */
function multiply(): string {
  return `(func (export "mul") (param $a i32) (param $b i32) (param $out i32) (param $n i32)
  ${locals('i32', 'j')}
  ${loop4('ml', 'j', '(i32.const 0)', get('n'), (l) =>
    l.store(
      at(get('out'), get('j')),
      `(f32x4.mul ${l.load(at(get('a'), get('j')))} ${l.load(at(get('b'), get('j')))})`,
    ),
  )})`;
}

/** `gelu_bwd(pre, dout, dpre, n)`: dpre = dout · gelu'(pre) (dpre may alias dout). */
function geluBackward(): string {
  return `(func (export "gelu_bwd") (param $pre i32) (param $dout i32) (param $dpre i32) (param $n i32)
  ${locals('i32', 'j')} ${locals('v128', 'x', 'sg')} ${EXP_LOCALS}
  ${loop4(
    'jl',
    'j',
    '(i32.const 0)',
    get('n'),
    (l) => `${set('x', l.load(at(get('pre'), get('j'))))}
    ${sigmoidOfX()}
    ${l.store(at(get('dpre'), get('j')), `(f32x4.mul ${l.load(at(get('dout'), get('j')))} ${geluDerivative()})`)}`,
  )})`;
}

/** `bias_residual(y, bias, res, rows, cols)`: y[r,j] += bias[j] + res[r,j]; bias or res may be 0 (absent). */
function biasResidual(): string {
  const variant = (label: string, withBias: boolean, withRes: boolean) =>
    whileLoop(
      label,
      `(i32.lt_s ${get('r')} ${get('rows')})`,
      `${loop4(`${label}j`, 'j', '(i32.const 0)', get('cols'), (l) => {
        let v = l.load(at(get('y'), get('j')));
        if (withBias) v = `(f32x4.add ${v} ${l.load(at(get('bias'), get('j')))})`;
        if (withRes) v = `(f32x4.add ${v} ${l.load(at(get('res'), get('j')))})`;
        return l.store(at(get('y'), get('j')), v);
      })}
      ${add('y', get('rowb'))}
      ${add('res', get('rowb'))}
      ${add('r', 1)}`,
    );
  return `(func (export "bias_residual") (param $y i32) (param $bias i32) (param $res i32) (param $rows i32) (param $cols i32)
  ${locals('i32', 'r', 'j', 'rowb')}
  ${set('rowb', `(i32.shl ${get('cols')} (i32.const 2))`)}
  (if (i32.and (i32.ne ${get('bias')} (i32.const 0)) (i32.ne ${get('res')} (i32.const 0)))
    (then ${variant('both', true, true)})
    (else (if ${get('bias')} (then ${variant('bias', true, false)}) (else ${variant('res', false, true)}))))
)`;
}

/** `sum_rows(dy, rows, cols, out)`: out[j] += Σ_r dy[r,j] (bias gradients). */
function sumRows(): string {
  return `(func (export "sum_rows") (param $dy i32) (param $rows i32) (param $cols i32) (param $out i32)
  ${locals('i32', 'r', 'j')}
  ${whileLoop(
    'rl',
    `(i32.lt_s ${get('r')} ${get('rows')})`,
    `${loop4('jl', 'j', '(i32.const 0)', get('cols'), (l) =>
      l.store(
        at(get('out'), get('j')),
        `(f32x4.add ${l.load(at(get('out'), get('j')))} ${l.load(at(get('dy'), get('j')))})`,
      ),
    )}
    ${add('dy', `(i32.shl ${get('cols')} (i32.const 2))`)}
    ${add('r', 1)}`,
  )})`;
}

/** `copy3(src, dst, n0, n1, n2, s0, s1, s2, d0, d1, d2, len)`: strided block copy (strides in bytes). */
function copyStrided(): string {
  const level = (i: string, count: string, sStride: string, dStride: string, body: string) =>
    `${set(`${i}s`, get(`${i}s0`))}
    ${set(`${i}d`, get(`${i}d0`))}
    ${set(i, '(i32.const 0)')}
    ${whileLoop(
      `${i}l`,
      `(i32.lt_s ${get(i)} ${get(count)})`,
      `${body}
      ${add(`${i}s`, get(sStride))}
      ${add(`${i}d`, get(dStride))}
      ${add(i, 1)}`,
    )}`;
  const inner = loop4('cl', 'j', '(i32.const 0)', get('len'), (l) =>
    l.store(at(get('kd'), get('j')), l.load(at(get('ks'), get('j')))),
  );
  return `(func (export "copy3") (param $src i32) (param $dst i32) (param $n0 i32) (param $n1 i32) (param $n2 i32)
  (param $s0 i32) (param $s1 i32) (param $s2 i32) (param $d0 i32) (param $d1 i32) (param $d2 i32) (param $len i32)
  ${locals('i32', 'i', 'is', 'id', 'is0', 'id0', 'h', 'hs', 'hd', 'hs0', 'hd0', 'k', 'ks', 'kd', 'ks0', 'kd0', 'j')}
  ${set('is0', get('src'))}
  ${set('id0', get('dst'))}
  ${level(
    'i',
    'n0',
    's0',
    'd0',
    `${set('hs0', get('is'))}
    ${set('hd0', get('id'))}
    ${level(
      'h',
      'n1',
      's1',
      'd1',
      `${set('ks0', get('hs'))}
${set('kd0', get('hd'))}
${level('k', 'n2', 's2', 'd2', inner)}`,
    )}`,
  )})`;
}

/** WAT functions of the activation kernels. */
export function activationsWat(): string {
  return [geluForward(), geluBackward(), multiply(), biasResidual(), sumRows(), copyStrided()].join('\n\n');
}
