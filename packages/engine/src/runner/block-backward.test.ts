import { describe, expect, it } from 'vitest';
import { createParamSet, type ParamSet } from '../params.js';
import { gradCheck, randomFill } from '../test-fd.js';
import { blockBackward } from './block-backward.js';
import { blockForward } from './block-forward.js';
import type { PassRows } from './target-rows.js';
import { dot, runnerKit } from './test-runner-kit.js';

type Kit = ReturnType<typeof runnerKit>;

// Block `layer` as a function of its input and weights: loss = Σ c·output, over the rows the block outputs.
function blockLoss(kit: Kit, layer: number, pass: PassRows) {
  const { buffers, C } = kit;
  const x = randomFill(buffers.xs[layer]!, 31 + layer);
  const n = layer === 1 && pass.compact ? pass.targetRows : pass.rows;
  const c = randomFill(new Float32Array(n * C), 41);
  const common = { params: kit.params, adapter: kit.adapter, layer, buf: buffers.layers[layer]!, x };
  const loss = () => {
    const next = buffers.xs[layer + 1]!;
    blockForward(kit.ctx, { ...common, next, o: buffers.o, shape: kit.shape, pass });
    return dot(c, next, n * C);
  };
  const backward = (grads: ParamSet | null, adapterGrads: ParamSet | null) => {
    loss();
    const scratch = buffers.scratch!;
    scratch.dres.set(c);
    blockBackward(kit.ctx, { ...common, grads, adapterGrads, scratch, shape: kit.shape, pass });
    return scratch.dres.slice(0, pass.rows * C);
  };
  return { x, loss, backward };
}

const close = (value: Float32Array, analytic: Float32Array, loss: () => number, what: string) => {
  const r = gradCheck(value, analytic, loss, { samples: 6, seed: value.length });
  expect(r.maxAbsErr, what).toBeLessThan(2e-3 + 2e-2 * r.scale);
  expect(r.scale, what).toBeGreaterThan(0);
};

describe('block backward', () => {
  for (const compact of [false, true]) {
    it(`matches finite differences for the input and every weight of a block${compact ? ' (compact)' : ''}`, () => {
      const kit = runnerKit();
      const { x, loss, backward } = blockLoss(kit, 1, compact ? kit.pass : kit.fullPass);
      const grads = createParamSet(kit.params.specs);
      const dx = backward(grads, null);
      close(x, dx, loss, 'input');
      for (const spec of kit.params.specs.filter((s) => s.name.startsWith('h.1.'))) {
        close(kit.params.get(spec.name), grads.get(spec.name), loss, spec.name);
      }
      // Only this block's weights move.
      expect(grads.get('h.0.ln_1.weight').every((v) => v === 0)).toBe(true);
    });
  }

  it('matches finite differences for LoRA A and B with the base frozen, down to block 0', () => {
    const kit = runnerKit({ lora: true });
    const { loss, backward } = blockLoss(kit, 0, kit.fullPass);
    const adapter = kit.adapter!;
    const grads = createParamSet(adapter.params.specs);
    backward(null, grads);
    for (const spec of adapter.params.specs.filter((s) => s.name.startsWith('h.0.'))) {
      close(adapter.params.get(spec.name), grads.get(spec.name), loss, spec.name);
    }
  });

  it('skips the input gradient of block 0 when the base is frozen', () => {
    const kit = runnerKit({ lora: true });
    const frozen = blockLoss(kit, 0, kit.fullPass).backward(null, createParamSet(kit.adapter!.params.specs));
    const trained = blockLoss(kit, 0, kit.fullPass).backward(createParamSet(kit.params.specs), null);
    // Frozen: dres stops at d(x_mid), without ln_1's share; trained: the full d(x_in).
    expect(frozen.some((v, i) => Math.abs(v - trained[i]!) > 1e-4)).toBe(true);
    const { x, loss } = blockLoss(kit, 0, kit.fullPass);
    close(x, trained, loss, 'input');
  });
});
