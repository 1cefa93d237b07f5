// WAT of the optimiser passes: one fused AdamW update over a flat run of values, and a float64 sum of
// squares for global gradient norms. Emits text only.

import { at, f4, get, locals, loop4, set } from './wat-dsl.js';

/** `adamw(p, g, m, v, n, beta1, beta2, eps, decay, stepSize, bc2Sqrt, gradScale)`: one AdamW step in place. */
function adamw(): string {
  const splat = (name: string) => `(f32x4.splat ${get(name)})`;
  return `(func (export "adamw") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
  (param $beta1 f32) (param $beta2 f32) (param $eps f32) (param $decay f32) (param $stepSize f32)
  (param $bc2Sqrt f32) (param $gradScale f32)
  ${locals('i32', 'j')} ${locals('v128', 'gi', 'mi', 'vi', 'b1', 'c1', 'b2', 'c2', 've', 'vd', 'vs', 'vb', 'vg')}
  ${set('b1', splat('beta1'))}
  ${set('c1', `(f32x4.sub ${f4(1)} ${get('b1')})`)}
  ${set('b2', splat('beta2'))}
  ${set('c2', `(f32x4.sub ${f4(1)} ${get('b2')})`)}
  ${set('ve', splat('eps'))}
  ${set('vd', splat('decay'))}
  ${set('vs', splat('stepSize'))}
  ${set('vb', splat('bc2Sqrt'))}
  ${set('vg', splat('gradScale'))}
  ${loop4(
    'al',
    'j',
    '(i32.const 0)',
    get('n'),
    (l) => `${set('gi', `(f32x4.mul ${l.load(at(get('g'), get('j')))} ${get('vg')})`)}
    ${set('mi', `(f32x4.add (f32x4.mul ${get('b1')} ${l.load(at(get('m'), get('j')))}) (f32x4.mul ${get('c1')} ${get('gi')}))`)}
    ${set('vi', `(f32x4.add (f32x4.mul ${get('b2')} ${l.load(at(get('v'), get('j')))}) (f32x4.mul ${get('c2')} (f32x4.mul ${get('gi')} ${get('gi')})))`)}
    ${l.store(at(get('m'), get('j')), get('mi'))}
    ${l.store(at(get('v'), get('j')), get('vi'))}
    ${l.store(
      at(get('p'), get('j')),
      `(f32x4.sub (f32x4.mul ${l.load(at(get('p'), get('j')))} ${get('vd')})
        (f32x4.div (f32x4.mul ${get('vs')} ${get('mi')}) (f32x4.add (f32x4.div (f32x4.sqrt ${get('vi')}) ${get('vb')}) ${get('ve')})))`,
    )}`,
  )})`;
}

/** `sum_squares(x, n) -> f64`: Σ x² accumulated in float64. */
function sumSquares(): string {
  const sq = (v: string) => `(f64x2.mul ${v} ${v})`;
  return `(func (export "sum_squares") (param $x i32) (param $n i32) (result f64)
  ${locals('i32', 'j')} ${locals('v128', 'v', 'lo', 'hi', 'a0', 'a1')} ${locals('f64', 't')}
  ${loop4('sl', 'j', '(i32.const 0)', get('n'), (l) =>
    l.tail
      ? set(
          't',
          `(f64.add ${get('t')} (f64.mul (f64.promote_f32 (f32.load ${at(get('x'), get('j'))})) (f64.promote_f32 (f32.load ${at(get('x'), get('j'))}))))`,
        )
      : `${set('v', l.load(at(get('x'), get('j'))))}
    ${set('lo', `(f64x2.promote_low_f32x4 ${get('v')})`)}
    ${set('hi', `(f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 ${get('v')} ${get('v')}))`)}
    ${set('a0', `(f64x2.add ${get('a0')} ${sq(get('lo'))})`)}
    ${set('a1', `(f64x2.add ${get('a1')} ${sq(get('hi'))})`)}`,
  )}
  ${set('a0', `(f64x2.add ${get('a0')} ${get('a1')})`)}
  (f64.add ${get('t')} (f64.add (f64x2.extract_lane 0 ${get('a0')}) (f64x2.extract_lane 1 ${get('a0')}))))`;
}

/** WAT functions of the optimiser kernels. */
export function optimizerWat(): string {
  return [adamw(), sumSquares()].join('\n\n');
}
