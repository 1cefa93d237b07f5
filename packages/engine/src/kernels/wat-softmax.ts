// WAT of row softmax (optionally causal: row r keeps its first (r mod cols)+1 entries) and its backward.
// Serves attention probabilities and the LM-head cross-entropy. Emits text only.

import {
  accumulate,
  add,
  at,
  EXP_LOCALS,
  expInline,
  f4,
  get,
  hmax,
  hsum,
  locals,
  loop4,
  set,
  whileLoop,
} from './wat-dsl.js';

const ZERO = '(v128.const i32x4 0 0 0 0)';
const limit = () =>
  set(
    'len',
    `(select (i32.add (i32.rem_u ${get('r')} ${get('cols')}) (i32.const 1)) ${get('cols')} ${get('causal')})`,
  );

/** `softmax(x, rows, cols, scale, causal, stats)`: x[r] = softmax(scale·x[r]) in place; stats (if ≠ 0) gets [max·scale, sum] per row. */
function softmax(): string {
  return `(func (export "softmax") (param $x i32) (param $rows i32) (param $cols i32) (param $scale f32) (param $causal i32) (param $stats i32)
  ${locals('i32', 'r', 'j', 'len')} ${locals('f32', 'm', 'st')} ${locals('v128', 'vm', 'vs', 'e', 'sc', 'msc', 'inv')} ${EXP_LOCALS}
  ${set('sc', `(f32x4.splat ${get('scale')})`)}
  ${whileLoop(
    'rl',
    `(i32.lt_s ${get('r')} ${get('rows')})`,
    `${limit()}
    ${set('vm', f4(Number.NEGATIVE_INFINITY).replaceAll('-Infinity', '-inf'))}
    ${loop4('ml', 'j', '(i32.const 0)', get('len'), (l) => set('vm', `(f32x4.pmax ${get('vm')} ${l.load(at(get('x'), get('j')))})`))}
    ${set('m', `(f32.mul ${hmax('vm')} ${get('scale')})`)}
    ${set('msc', `(f32x4.splat ${get('m')})`)}
    ${set('vs', ZERO)}
    ${set('st', '(f32.const 0)')}
    ${loop4(
      'el',
      'j',
      '(i32.const 0)',
      get('len'),
      (
        l,
      ) => `${expInline('e', `(f32x4.sub (f32x4.mul ${l.load(at(get('x'), get('j')))} ${get('sc')}) ${get('msc')})`)}
      ${l.store(at(get('x'), get('j')), get('e'))}
      ${accumulate(l, 'vs', 'st', get('e'))}`,
    )}
    ${set('st', `(f32.add ${get('st')} ${hsum('vs')})`)}
    ${set('inv', `(f32x4.splat (f32.div (f32.const 1) ${get('st')}))`)}
    ${loop4('nl', 'j', '(i32.const 0)', get('len'), (l) =>
      l.store(at(get('x'), get('j')), `(f32x4.mul ${l.load(at(get('x'), get('j')))} ${get('inv')})`),
    )}
    ${loop4('zl', 'j', get('len'), get('cols'), (l) => l.store(at(get('x'), get('j')), ZERO))}
    (if ${get('stats')} (then
      (f32.store ${get('stats')} ${get('m')})
      (f32.store offset=4 ${get('stats')} ${get('st')})
      ${add('stats', 8)}))
    ${add('x', `(i32.shl ${get('cols')} (i32.const 2))`)}
    ${add('r', 1)}`,
  )})`;
}

/** `softmax_bwd(p, dp, rows, cols, scale, causal)`: dp = scale · p ⊙ (dp − Σ p·dp) in place. */
function softmaxBackward(): string {
  return `(func (export "softmax_bwd") (param $p i32) (param $dp i32) (param $rows i32) (param $cols i32) (param $scale f32) (param $causal i32)
  ${locals('i32', 'r', 'j', 'len', 'rowb')} ${locals('f32', 'st')} ${locals('v128', 'vs', 'sc', 'dot')}
  ${set('sc', `(f32x4.splat ${get('scale')})`)}
  ${set('rowb', `(i32.shl ${get('cols')} (i32.const 2))`)}
  ${whileLoop(
    'rl',
    `(i32.lt_s ${get('r')} ${get('rows')})`,
    `${limit()}
    ${set('vs', ZERO)}
    ${set('st', '(f32.const 0)')}
    ${loop4('dl', 'j', '(i32.const 0)', get('len'), (l) =>
      accumulate(
        l,
        'vs',
        'st',
        `(f32x4.mul ${l.load(at(get('p'), get('j')))} ${l.load(at(get('dp'), get('j')))})`,
      ),
    )}
    ${set('dot', `(f32x4.splat (f32.add ${get('st')} ${hsum('vs')}))`)}
    ${loop4('gl', 'j', '(i32.const 0)', get('len'), (l) =>
      l.store(
        at(get('dp'), get('j')),
        `(f32x4.mul (f32x4.mul ${get('sc')} ${l.load(at(get('p'), get('j')))}) (f32x4.sub ${l.load(at(get('dp'), get('j')))} ${get('dot')}))`,
      ),
    )}
    ${loop4('zl', 'j', get('len'), get('cols'), (l) => l.store(at(get('dp'), get('j')), ZERO))}
    ${add('p', get('rowb'))}
    ${add('dp', get('rowb'))}
    ${add('r', 1)}`,
  )})`;
}

/** WAT functions of the softmax kernels. */
export function softmaxWat(): string {
  return [softmax(), softmaxBackward()].join('\n\n');
}
