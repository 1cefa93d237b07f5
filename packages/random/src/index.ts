// The one seeded random generator of the project (sfc32), for everything that must be reproducible: weight
// initialisation, data order, per-job splits and transforms, synthetic sets, bootstrap resamples. Seeded from
// a number (splitmix32) or from a secret string (sha256); never for cryptography.

export * from './rng.js';
