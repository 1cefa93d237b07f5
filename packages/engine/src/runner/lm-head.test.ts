import { describe, expect, it } from 'vitest';
import { createParamSet } from '../params.js';
import { gradCheck, randomFill } from '../test-fd.js';
import { headBackward, headForward } from './lm-head.js';
import { gatherRowsInto, type PassRows } from './target-rows.js';
import { runnerKit } from './test-runner-kit.js';

type Kit = ReturnType<typeof runnerKit>;

// The tail on a random residual stream (compact: its target rows gathered first, as the last block leaves them).
function head(kit: Kit, pass = kit.pass) {
  const { buffers, rows, C } = kit;
  const full = randomFill(new Float32Array(rows * C), 51);
  const x = buffers.xs.at(-1)!;
  if (pass.compact) gatherRowsInto(full, x, pass.rowIndex, pass.targetRows, C);
  else x.set(full);
  const rowLoss = new Float64Array(rows);
  const io = { params: kit.params, x, buffers, targets: kit.compactTargets, pass };
  const loss = () => headForward(kit.ctx, { ...io, rowLoss });
  return { full, x, loss, rowLoss, io };
}

// Reference loss of one row: log Σ exp(z) − z[target], with z = LN(x)·wteᵀ in float64.
function rowLossByHand(kit: Kit, x: Float32Array, row: number, target: number): number {
  const { params, C } = kit;
  const v = x.subarray(row * C, row * C + C);
  const mean = v.reduce((a, b) => a + b, 0) / C;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / C;
  const w = params.get('ln_f.weight');
  const b = params.get('ln_f.bias');
  const h = Array.from(v, (value, j) => ((value - mean) / Math.sqrt(variance + 1e-5)) * w[j]! + b[j]!);
  const wte = params.get('wte.weight');
  const z = Array.from({ length: 20 }, (_, t) => h.reduce((s, hj, j) => s + hj * wte[t * C + j]!, 0));
  const max = Math.max(...z);
  return Math.log(z.reduce((s, zt) => s + Math.exp(zt - max), 0)) + max - z[target]!;
}

describe('LM head', () => {
  for (const targets of ['some', 'all'] as const) {
    it(`sums the cross-entropy of the target rows only (${targets} rows with a target)`, () => {
      const kit = runnerKit({ targets });
      expect(kit.pass.compact).toBe(targets === 'some');
      const { full, loss, rowLoss } = head(kit);
      const sum = loss();
      const { targetRows, rowIndex } = kit.pass;
      let want = 0;
      for (let q = 0; q < targetRows; q++) {
        const byHand = rowLossByHand(kit, full, rowIndex[q]!, kit.compactTargets[q]!);
        expect(rowLoss[q]).toBeCloseTo(byHand, 4);
        want += byHand;
      }
      expect(sum).toBeCloseTo(want, 3);
    });
  }

  it('is zero with no target rows, and its backward then leaves zero gradient', () => {
    const kit = runnerKit();
    const none: PassRows = { ...kit.pass, targetRows: 0, compact: false };
    const { io, loss } = head(kit, none);
    expect(loss()).toBe(0);
    const { dres, dh } = kit.buffers.scratch!;
    dres.fill(5);
    dh.fill(5);
    headBackward(kit.ctx, { ...io, grads: null, dh, dres, scale: 1 });
    expect(dres.subarray(0, kit.rows * kit.C).every((v) => v === 0)).toBe(true);
    expect(dh.subarray(0, kit.rows * kit.C).every((v) => v === 0)).toBe(true);
  });

  for (const targets of ['some', 'all'] as const) {
    it(`matches finite differences of scale·loss for its input, ln_f and wte (${targets} rows with a target)`, () => {
      const kit = runnerKit({ targets });
      const { x, loss, io } = head(kit);
      const scaled = () => 0.5 * loss();
      scaled();
      const grads = createParamSet(kit.params.specs);
      const { dres, dh } = kit.buffers.scratch!;
      headBackward(kit.ctx, { ...io, grads, dh, dres, scale: 0.5 });
      const rows = kit.pass.targetRows;
      const dx = dres.slice(0, rows * kit.C);
      const check = (value: Float32Array, analytic: Float32Array, what: string) => {
        const r = gradCheck(value, analytic, scaled, { samples: 8, seed: value.length });
        expect(r.maxAbsErr, what).toBeLessThan(2e-3 + 2e-2 * r.scale);
        expect(r.scale, what).toBeGreaterThan(0);
      };
      check(x.subarray(0, rows * kit.C), dx, 'input');
      for (const name of ['ln_f.weight', 'ln_f.bias', 'wte.weight'])
        check(kit.params.get(name), grads.get(name), name);
    });
  }
});
