// WAT of layer normalisation over rows: forward (saving mean and rstd) and backward (dx accumulates,
// dgamma/dbeta accumulate when given). Emits text only.

import { accumulate, add, at, get, hsum, locals, loop4, set, whileLoop } from './wat-dsl.js';

const ZERO = '(v128.const i32x4 0 0 0 0)';
const x = (l: { load(a: string): string }) => l.load(at(get('x'), get('j')));
const xhat = (l: { load(a: string): string }) => `(f32x4.mul (f32x4.sub ${x(l)} ${get('vm')}) ${get('vr')})`;

/** `ln_fwd(x, gamma, beta, out, mean, rstd, rows, cols, eps)`. */
function layerNormForward(): string {
  return `(func (export "ln_fwd") (param $x i32) (param $gamma i32) (param $beta i32) (param $out i32)
  (param $mean i32) (param $rstd i32) (param $rows i32) (param $cols i32) (param $eps f32)
  ${locals('i32', 'r', 'j', 'rowb')} ${locals('f32', 'st', 'm', 's', 'n')} ${locals('v128', 'vs', 'd', 'vm', 'vr')}
  ${set('rowb', `(i32.shl ${get('cols')} (i32.const 2))`)}
  ${set('n', `(f32.convert_i32_s ${get('cols')})`)}
  ${whileLoop(
    'rl',
    `(i32.lt_s ${get('r')} ${get('rows')})`,
    `${set('vs', ZERO)}
    ${set('st', '(f32.const 0)')}
    ${loop4('sl', 'j', '(i32.const 0)', get('cols'), (l) => accumulate(l, 'vs', 'st', x(l)))}
    ${set('m', `(f32.div (f32.add ${get('st')} ${hsum('vs')}) ${get('n')})`)}
    ${set('vm', `(f32x4.splat ${get('m')})`)}
    ${set('vs', ZERO)}
    ${set('st', '(f32.const 0)')}
    ${loop4(
      'ql',
      'j',
      '(i32.const 0)',
      get('cols'),
      (l) => `${set('d', `(f32x4.sub ${x(l)} ${get('vm')})`)}
      ${accumulate(l, 'vs', 'st', `(f32x4.mul ${get('d')} ${get('d')})`)}`,
    )}
    ${set('s', `(f32.div (f32.const 1) (f32.sqrt (f32.add (f32.div (f32.add ${get('st')} ${hsum('vs')}) ${get('n')}) ${get('eps')})))`)}
    ${set('vr', `(f32x4.splat ${get('s')})`)}
    (f32.store ${at(get('mean'), get('r'))} ${get('m')})
    (f32.store ${at(get('rstd'), get('r'))} ${get('s')})
    ${loop4('ol', 'j', '(i32.const 0)', get('cols'), (l) =>
      l.store(
        at(get('out'), get('j')),
        `(f32x4.add (f32x4.mul ${xhat(l)} ${l.load(at(get('gamma'), get('j')))}) ${l.load(at(get('beta'), get('j')))})`,
      ),
    )}
    ${add('x', get('rowb'))}
    ${add('out', get('rowb'))}
    ${add('r', 1)}`,
  )})`;
}

/** `ln_bwd(dout, x, gamma, mean, rstd, dx, dgamma, dbeta, rows, cols)`: dx += …; dgamma/dbeta (if ≠ 0) accumulate. */
function layerNormBackward(): string {
  const dout = (l: { load(a: string): string }) => l.load(at(get('dout'), get('j')));
  const g = (l: { load(a: string): string }) =>
    `(f32x4.mul ${dout(l)} ${l.load(at(get('gamma'), get('j')))})`;
  const dxLoop = (withParams: boolean) =>
    loop4(withParams ? 'xpl' : 'xl', 'j', '(i32.const 0)', get('cols'), (l) => {
      const upd = l.store(
        at(get('dx'), get('j')),
        `(f32x4.add ${l.load(at(get('dx'), get('j')))} (f32x4.mul ${get('vr')} (f32x4.sub (f32x4.sub ${g(l)} ${get('mg')}) (f32x4.mul ${xhat(l)} ${get('mgx')}))))`,
      );
      if (!withParams) return upd;
      return `${upd}
      ${l.store(at(get('dgamma'), get('j')), `(f32x4.add ${l.load(at(get('dgamma'), get('j')))} (f32x4.mul ${dout(l)} ${xhat(l)}))`)}
      ${l.store(at(get('dbeta'), get('j')), `(f32x4.add ${l.load(at(get('dbeta'), get('j')))} ${dout(l)})`)}`;
    });
  return `(func (export "ln_bwd") (param $dout i32) (param $x i32) (param $gamma i32) (param $mean i32) (param $rstd i32)
  (param $dx i32) (param $dgamma i32) (param $dbeta i32) (param $rows i32) (param $cols i32)
  ${locals('i32', 'r', 'j', 'rowb')} ${locals('f32', 'sg', 'sgx', 'n')} ${locals('v128', 'vg', 'vgx', 'vm', 'vr', 'mg', 'mgx', 'gv')}
  ${set('rowb', `(i32.shl ${get('cols')} (i32.const 2))`)}
  ${set('n', `(f32.convert_i32_s ${get('cols')})`)}
  ${whileLoop(
    'rl',
    `(i32.lt_s ${get('r')} ${get('rows')})`,
    `${set('vm', `(v128.load32_splat ${at(get('mean'), get('r'))})`)}
    ${set('vr', `(v128.load32_splat ${at(get('rstd'), get('r'))})`)}
    ${set('vg', ZERO)}
    ${set('vgx', ZERO)}
    ${set('sg', '(f32.const 0)')}
    ${set('sgx', '(f32.const 0)')}
    ${loop4(
      'sl',
      'j',
      '(i32.const 0)',
      get('cols'),
      (l) => `${set('gv', g(l))}
      ${accumulate(l, 'vg', 'sg', get('gv'))}
      ${accumulate(l, 'vgx', 'sgx', `(f32x4.mul ${get('gv')} ${xhat(l)})`)}`,
    )}
    ${set('mg', `(f32x4.splat (f32.div (f32.add ${get('sg')} ${hsum('vg')}) ${get('n')}))`)}
    ${set('mgx', `(f32x4.splat (f32.div (f32.add ${get('sgx')} ${hsum('vgx')}) ${get('n')}))`)}
    (if ${get('dgamma')} (then ${dxLoop(true)}) (else ${dxLoop(false)}))
    ${add('dout', get('rowb'))}
    ${add('x', get('rowb'))}
    ${add('dx', get('rowb'))}
    ${add('r', 1)}`,
  )})`;
}

/** WAT functions of the layer-norm kernels. */
export function layerNormWat(): string {
  return [layerNormForward(), layerNormBackward()].join('\n\n');
}
