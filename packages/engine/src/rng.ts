// The engine's seeded randomness (weight init, data order, LoRA init) is the project's one generator.

export { createRng, deriveSeed, type Rng } from '@tuning-arena/random';
