import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../kernels/reference-kernels.js';
import { createLoraAdapter } from '../lora.js';
import { createParamSet } from '../params.js';
import { gradCheck, randomFill } from '../test-fd.js';
import { createLoraSites, type LoraCall } from './lora-sites.js';
import { dot, KIT_CONFIG } from './test-runner-kit.js';

const kernels = createReferenceKernels();
const C = KIT_CONFIG.nEmbd;
// c_attn and c_fc only: c_proj (attn and mlp) stays unadapted.
const adapter = createLoraAdapter(KIT_CONFIG, { r: 2, alpha: 6, targetModules: ['c_attn', 'c_fc'] }, 1);
randomFill(adapter.params.data, 2, 0.5);
const all = new Set(adapter.sites.map((s) => s.kind));
const rows = 3;
const call = (x: Float32Array, u = new Float32Array(rows * 2)): LoraCall => ({
  layer: 1,
  kind: 'mlp.c_fc',
  x,
  rows,
  nIn: C,
  nOut: 4 * C,
  u,
});

describe('lora sites', () => {
  it('finds a site only with an adapter, a kind the buffers hold and tensors for that layer', () => {
    const sites = createLoraSites(kernels, all);
    const w = sites.weights(adapter, 1, 'mlp.c_fc');
    expect(w?.A).toBe(adapter.params.get('h.1.mlp.c_fc.lora_A.weight'));
    expect(w?.B).toBe(adapter.params.get('h.1.mlp.c_fc.lora_B.weight'));
    expect([w?.rank, w?.scale]).toEqual([2, 3]);
    expect(sites.weights(null, 1, 'mlp.c_fc')).toBeNull();
    expect(sites.weights(adapter, 1, 'attn.c_proj')).toBeNull();
    expect(createLoraSites(kernels, new Set(['attn.c_attn'])).weights(adapter, 1, 'mlp.c_fc')).toBeNull();
    // Buffers sized for a kind this adapter does not adapt (another adapter's layout).
    expect(createLoraSites(kernels, new Set(['attn.c_proj'])).weights(adapter, 1, 'attn.c_proj')).toBeNull();
  });

  it('adds scale·(x·Aᵀ)·Bᵀ to the output of an adapted site and nothing elsewhere', () => {
    const sites = createLoraSites(kernels, all);
    const x = randomFill(new Float32Array(rows * C), 3);
    const y = new Float32Array(rows * 4 * C).fill(1);
    sites.forward(adapter, call(x), y);
    const A = adapter.params.get('h.1.mlp.c_fc.lora_A.weight');
    const B = adapter.params.get('h.1.mlp.c_fc.lora_B.weight');
    for (const [r, j] of [
      [0, 0],
      [2, 63],
      [1, 17],
    ] as const) {
      let want = 0;
      for (let k = 0; k < 2; k++) {
        let xa = 0;
        for (let i = 0; i < C; i++) xa += x[r * C + i]! * A[k * C + i]!;
        want += 3 * xa * B[j * 2 + k]!;
      }
      expect(y[r * 4 * C + j]).toBeCloseTo(1 + want, 5);
    }
    const untouched = new Float32Array(rows * C).fill(1);
    sites.forward(adapter, { ...call(x), kind: 'attn.c_proj', nOut: C }, untouched);
    sites.forward(null, { ...call(x), nOut: C }, untouched);
    expect(untouched.every((v) => v === 1)).toBe(true);
  });

  it('backpropagates into dx, dA and dB as finite differences say', () => {
    const sites = createLoraSites(kernels, all);
    const x = randomFill(new Float32Array(rows * C), 4);
    const c = randomFill(new Float32Array(rows * 4 * C), 5);
    const u = new Float32Array(rows * 2);
    const loss = () => {
      const y = new Float32Array(rows * 4 * C);
      sites.forward(adapter, call(x, u), y);
      return dot(c, y);
    };
    loss();
    const grads = createParamSet(adapter.params.specs);
    const dx = new Float32Array(rows * C);
    sites.backward(adapter, grads, call(x, u), c, dx, new Float32Array(rows * 2));
    const check = (value: Float32Array, analytic: Float32Array) => {
      const r = gradCheck(value, analytic, loss, { samples: 8 });
      expect(r.maxAbsErr).toBeLessThan(2e-3 + 2e-2 * r.scale);
      expect(r.scale).toBeGreaterThan(0);
    };
    check(x, dx);
    for (const t of ['A', 'B']) {
      const name = `h.1.mlp.c_fc.lora_${t}.weight`;
      check(adapter.params.get(name), grads.get(name));
    }
  });

  it('leaves dx and the gradients alone for a site without adapter', () => {
    const sites = createLoraSites(kernels, all);
    const grads = createParamSet(adapter.params.specs);
    const dx = new Float32Array(rows * C).fill(2);
    const dy = new Float32Array(rows * C).fill(1);
    sites.backward(
      adapter,
      grads,
      { ...call(dx), kind: 'attn.c_proj', nOut: C },
      dy,
      dx,
      new Float32Array(6),
    );
    expect(dx.every((v) => v === 2) && grads.data.every((v) => v === 0)).toBe(true);
  });
});
