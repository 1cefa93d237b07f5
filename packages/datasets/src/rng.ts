// Seeded randomness for splits, transforms and generators, keyed by secret string seeds: the project's one
// generator, named `SeededRng` here; sub-streams are derived by name with `fork`.

export { createSeededRng, type Rng as SeededRng } from '@tuning-arena/random';
