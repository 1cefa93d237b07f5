import { describe, expect, it } from 'vitest';
import { randomFill } from '../test-fd.js';
import { blockForward } from './block-forward.js';
import { runnerKit } from './test-runner-kit.js';

// Runs the last block (layer 1) of the kit on a random residual stream; returns a copy of its output.
function lastBlock(kit: ReturnType<typeof runnerKit>, pass = kit.fullPass, withAdapter = true) {
  const { buffers, rows, C } = kit;
  const x = buffers.xs[1]!;
  randomFill(x, 21);
  blockForward(kit.ctx, {
    params: kit.params,
    adapter: withAdapter ? kit.adapter : null,
    layer: 1,
    buf: buffers.layers.at(-1)!,
    x,
    next: buffers.xs[2]!,
    o: buffers.o,
    shape: kit.shape,
    pass,
  });
  return buffers.xs[2]!.slice(0, rows * C);
}

const rowsOf = (y: Float32Array, C: number, index: Iterable<number>) =>
  [...index].map((r) => Array.from(y.subarray(r * C, r * C + C)));

describe('block forward', () => {
  it('gives the target rows alone, as a full pass gives them, when the pass is compact', () => {
    for (const lora of [false, true]) {
      const kit = runnerKit({ lora });
      const full = lastBlock(kit);
      const compact = lastBlock(kit, kit.pass);
      const { targetRows, rowIndex } = kit.pass;
      expect(targetRows).toBeGreaterThan(0);
      const want = rowsOf(full, kit.C, rowIndex.subarray(0, targetRows));
      const got = rowsOf(compact, kit.C, want.keys());
      for (let q = 0; q < targetRows; q++)
        for (let j = 0; j < kit.C; j++) expect(got[q]![j]).toBeCloseTo(want[q]![j]!, 5);
    }
  });

  it('gives the same output whether or not it keeps activations for backward', () => {
    const training = lastBlock(runnerKit({ lora: true }));
    const inference = lastBlock(runnerKit({ lora: true, training: false }));
    expect(Array.from(inference)).toEqual(Array.from(training));
  });

  it('adds the share of every adapted site, and nothing with B at zero', () => {
    const kit = runnerKit({ lora: true });
    const adapter = kit.adapter!;
    const base = lastBlock(kit, kit.fullPass, false);
    const saved = adapter.params.data.slice();
    for (const kind of ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj']) {
      // Only this site's B is non-zero: the output moves off the base one.
      adapter.params.data.set(saved);
      for (const spec of adapter.params.specs) {
        if (spec.name.includes('lora_B') && !spec.name.includes(kind)) adapter.params.get(spec.name).fill(0);
      }
      const adapted = lastBlock(kit);
      expect(
        adapted.some((v, i) => Math.abs(v - base[i]!) > 1e-4),
        kind,
      ).toBe(true);
    }
    for (const spec of adapter.params.specs) {
      if (spec.name.includes('lora_B')) adapter.params.get(spec.name).fill(0);
    }
    expect(Array.from(lastBlock(kit))).toEqual(Array.from(base));
  });
});
