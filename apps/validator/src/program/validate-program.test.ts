import { describe, expect, it } from 'vitest';
import { ValidatorError } from '../errors.js';
import { createProgramValidator } from './validate-program.js';

const phase = (startOffsetSeconds: number, models: string[], datasets: string[]) => ({
  name: `p${startOffsetSeconds}`,
  startOffsetSeconds,
  models,
  datasets,
  timeLimit: 60,
  minersWanted: 1,
});
const window = { startsAt: 0, endsAt: 86_400_000 };

describe('program validator', () => {
  it('checks each model and dataset once however many phases list it, and names the first bad one', async () => {
    const resolved: string[] = [];
    const checked: string[] = [];
    const validate = createProgramValidator({
      catalog: {
        resolve: async (id) => {
          resolved.push(id);
          return id.startsWith('m') ? ({ id } as never) : undefined;
        },
      },
      preparer: {
        check: async (dataset) => {
          checked.push(dataset);
          if (!dataset.startsWith('d')) throw new ValidatorError('unknown_dataset', `no ${dataset}`);
        },
      },
    });
    const phases = Array.from({ length: 50 }, (_, i) => phase(i * 60, ['m1', 'm2'], ['d1', 'd2']));
    await validate({ phases }, window);
    expect(resolved).toEqual(['m1', 'm2']);
    expect(checked).toEqual(['d1', 'd2']);

    const bad = validate({ phases: [...phases, phase(3600, ['m1', 'x'], ['d1'])] }, window, '/program');
    await expect(bad).rejects.toMatchObject({
      code: 'unknown_model',
      issues: [{ path: '/program/phases/50/models/1' }],
    });
  });
});
