// The bundled dataset catalogue: lookup by name and the listing `pnpm datasets list` prints.
// Sources load lazily, so importing the catalogue reads no data files.
import { DatasetError } from './errors.js';
import { arithmeticSource } from './procedural/arithmetic.js';
import { dateFormatsSource } from './procedural/date-formats.js';
import { stringTransformsSource } from './procedural/string-transforms.js';
import { unitConversionSource } from './procedural/unit-conversion.js';
import type { DatasetKind, DatasetSource } from './source.js';
import { brownSource } from './sources/brown.js';
import { cmudictSource } from './sources/cmudict.js';
import { countriesSource } from './sources/countries.js';
import { emojiSource } from './sources/emoji.js';
import { firstNamesSource } from './sources/first-names.js';
import { mobyDickSource } from './sources/moby-dick.js';
import { wordnetSource } from './sources/wordnet.js';

/** Every bundled dataset, in listing order. */
export const BUNDLED_DATASETS: readonly DatasetSource[] = [
  cmudictSource,
  wordnetSource,
  firstNamesSource,
  countriesSource,
  emojiSource,
  arithmeticSource,
  stringTransformsSource,
  dateFormatsSource,
  unitConversionSource,
  brownSource,
  mobyDickSource,
];

/** One line of `datasets list --json`; `rows` is null for procedural (unlimited) datasets. */
interface DatasetListing {
  readonly name: string;
  readonly kind: DatasetKind;
  readonly source: string;
  readonly rows: number | null;
  readonly license: string;
}

/** Finds a bundled dataset by name; throws DatasetError('unknown_dataset') when there is none. */
export function getDataset(name: string): DatasetSource {
  const found = BUNDLED_DATASETS.find((dataset) => dataset.name === name);
  if (found === undefined) {
    const names = BUNDLED_DATASETS.map((dataset) => dataset.name).join(', ');
    throw new DatasetError('unknown_dataset', `no dataset named ${name}; bundled: ${names}`);
  }
  return found;
}

/** Row count of a dataset: rows, paragraphs for corpora, null when unlimited. */
export function countRows(dataset: DatasetSource): number | null {
  if (dataset.kind === 'instruct') return dataset.rows().length;
  if (dataset.kind === 'text') return dataset.documents().length;
  return null;
}

/** Lists bundled datasets (loading each to count its rows). */
export function listDatasets(datasets: readonly DatasetSource[] = BUNDLED_DATASETS): DatasetListing[] {
  return datasets.map((dataset) => ({
    name: dataset.name,
    kind: dataset.kind,
    source: dataset.source,
    rows: countRows(dataset),
    license: dataset.license,
  }));
}
