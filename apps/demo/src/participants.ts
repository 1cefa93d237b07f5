// The demo's participants: each a miner with its own owner, trainer strategy and accept policy, so a
// local competition shows different strategies side by side and one miner declining offers.

import type { EngineTrainerOptions } from '@tuning-arena/miner';

/** One demo participant. */
export interface Participant {
  name: string;
  owner: string;
  /** Built-in engine trainer settings (LoRA or full fine-tune). */
  trainer: EngineTrainerOptions;
  capacity: number;
  /** The default policy declines jobs with a shorter time limit than this. */
  minTimeLimitSeconds: number;
}

/** The default line-up: two LoRA strategies, a full fine-tune, and a miner that only takes long jobs. */
export const DEFAULT_PARTICIPANTS: Participant[] = [
  { name: 'ada', owner: 'ada', trainer: { method: 'lora', seed: 1 }, capacity: 2, minTimeLimitSeconds: 10 },
  {
    name: 'bo',
    owner: 'bo',
    trainer: {
      method: 'lora',
      lora: { r: 4, alpha: 16, targetModules: ['c_attn', 'c_fc'] },
      learningRate: 5e-3,
      seed: 2,
    },
    capacity: 2,
    minTimeLimitSeconds: 10,
  },
  {
    name: 'cy',
    owner: 'cy',
    trainer: { method: 'full', learningRate: 1e-3, seed: 3 },
    capacity: 2,
    minTimeLimitSeconds: 10,
  },
  { name: 'dee', owner: 'dee', trainer: { method: 'lora', seed: 4 }, capacity: 1, minTimeLimitSeconds: 600 },
];
