// Country facts from countries-list: country -> capital, -> currency name, -> continent.
// Dependent territories are kept; rows with an empty capital or currency are skipped.
import type { InstructRow } from '../rows.js';
import { type InstructSource, lazy } from '../source.js';
import { readPackageFile } from './package-dir.js';

const PACKAGE = 'countries-list';

interface Country {
  readonly name: string;
  readonly capital: string;
  readonly currency: readonly string[];
  readonly continent: string;
}

function load(): InstructRow[] {
  const countries = JSON.parse(readPackageFile(PACKAGE, 'countries.min.json')) as Record<string, Country>;
  const continents = JSON.parse(readPackageFile(PACKAGE, 'continents.min.json')) as Record<string, string>;
  const currencies = JSON.parse(readPackageFile(PACKAGE, 'currencies.min.json')) as Record<
    string,
    { name: string }
  >;
  const rows: InstructRow[] = [];
  for (const country of Object.values(countries)) {
    if (country.capital)
      rows.push({ instruction: 'Capital of', input: country.name, output: country.capital });
    const currency = currencies[country.currency[0] ?? ''];
    if (currency) rows.push({ instruction: 'Currency of', input: country.name, output: currency.name });
    const continent = continents[country.continent];
    if (continent) rows.push({ instruction: 'Continent of', input: country.name, output: continent });
  }
  return rows;
}

/** Country -> capital / currency / continent (about 740 rows). */
export const countriesSource: InstructSource = {
  name: 'country-facts',
  kind: 'instruct',
  source: `${PACKAGE}@3.4.1`,
  license: 'MIT',
  description: 'Country -> capital, currency name or continent',
  rows: lazy(load),
  instructionVariants: {
    'Capital of': ['Capital of', 'Capital city of', 'What is the capital of', 'Seat of government of'],
    'Currency of': ['Currency of', 'Money used in', 'What currency does this use', 'Legal tender of'],
    'Continent of': [
      'Continent of',
      'Which continent is this in',
      'Located on the continent',
      'Continent for',
    ],
  },
};
