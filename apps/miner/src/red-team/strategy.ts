// What every red-team strategy is: a name, the one line the README shows about what it attempts, and a
// factory from the shared options to a Trainer (or why the options do not suffice). No strategy here.

import type { Result } from '@tuning-arena/protocol';
import type { EngineTrainerOptions } from '../engine-trainer.js';
import type { Trainer } from '../trainer.js';

/** Everything a red-team strategy can be told; each reads only its own fields. */
export interface RedTeamOptions {
  /** The engine trainer settings used by the strategies that train (default: the engine's defaults). */
  engine?: EngineTrainerOptions;
  /** `duplicate`: a folder the owner's miners share, where the one training is kept. */
  stashDir?: string;
  /** `perturbed-copy`: the data directory of the miner whose artifacts its owner shares. */
  sourceDataDir?: string;
  /** `perturbed-copy`: relative noise put on every weight (default 1e-3). */
  noise?: number;
  /** `perturbed-copy`: engine steps re-trained on top of a full copy (default 0: noise only). */
  retrainSteps?: number;
  /** `impostor`, `blend`: a model directory of another pretrained base of the same architecture. */
  impostorModelDir?: string;
  /** `impostor`, `blend`: engine steps fine-tuning the impostor on the job first (default 0: raw weights). */
  impostorSteps?: number;
  /** `blend`: the impostor's share of the mix (default 0.2). */
  blendFraction?: number;
  /** `test-leak`: JSONL of leaked rows in the job's format; `{jobId}` in the path becomes the job id. */
  leakFile?: string;
  /** `test-leak`: how many times the leaked rows are repeated in the training data (default 3). */
  leakRepeats?: number;
  /** `public-source`: bundled datasets it looks for the job's source among (default: every task dataset). */
  publicDatasets?: readonly string[];
  /** `public-source`: rebuild the job's secret template and answer format from its train rows (default false). */
  recoverFormat?: boolean;
  /** `public-source`: rows generated when the source is procedural (default 2000). */
  generatedRows?: number;
  /** `lazy`: engine steps it bothers to train (default 5). */
  lazySteps?: number;
  /** Seed of the strategy's own randomness (noise). */
  seed?: number;
}

/** One red-team strategy. */
export interface RedTeamStrategy {
  /** The bare name (`impostor`); the CLI spells it `red:impostor`. */
  readonly name: string;
  /** What it attempts, and which rule should catch it, in one line. */
  readonly attempts: string;
  /** Builds its trainer, or says which option is missing. */
  create(options: RedTeamOptions): Result<Trainer>;
}
