// How `public-source` rebuilds a job's data from the public source, as a participant who found it would:
// it finds which bundled dataset the train rows come from and which prompt template and instruction
// phrasing they use (the templates are public), reads the answer format (casing, separator, wrapper) off
// rows it can match, and renders the whole source in that format. It trains nothing.

import {
  BUNDLED_DATASETS,
  createSeededRng,
  type DatasetSource,
  type Example,
  fits,
  type InstructRow,
  PROMPT_TEMPLATES,
  rowKey,
} from '@tuning-arena/datasets';

type TaskSource = Extract<DatasetSource, { kind: 'instruct' | 'procedural' }>;

/** How a job's answers are written. */
interface AnswerFormat {
  casing: 'keep' | 'upper' | 'lower';
  separator: string;
  prefix: string;
  suffix: string;
}

/** What was learnt about a job's rows. */
export interface LearnedFormat {
  source: TaskSource;
  template: string;
  /** Canonical instruction -> the phrasing the job uses. */
  phrases: Map<string, string>;
  answer: AnswerFormat;
}

/** One train row read as template + instruction + input. */
interface Parse {
  template: string;
  instruction: string;
  phrase: string;
  input: string;
  row?: InstructRow;
}

const CASINGS = ['keep', 'upper', 'lower'] as const;
const SEPARATORS = [' ', '-', '_'];

function phrasings(source: TaskSource): [string, string][] {
  const variants = source.instructionVariants ?? {};
  // Every bundled source lists its instructions with their phrasings; reading its rows is the fallback.
  const canon = new Set(Object.keys(variants));
  if (canon.size === 0 && source.kind === 'instruct')
    for (const row of source.rows()) canon.add(row.instruction);
  return [...canon].flatMap((c) =>
    [...new Set([c, ...(variants[c] ?? [])])].map((p) => [c, p] as [string, string]),
  );
}

function parseRow(prompt: string, phrases: [string, string][], rows?: Map<string, InstructRow>) {
  const found: Parse[] = [];
  for (const template of PROMPT_TEMPLATES) {
    for (const [instruction, phrase] of phrases) {
      const [pre = '', post = ''] = template.replace('{i}', phrase).split('{x}');
      if (prompt.length <= pre.length + post.length || !prompt.startsWith(pre) || !prompt.endsWith(post))
        continue;
      const input = prompt.slice(pre.length, prompt.length - post.length);
      const row = rows?.get(rowKey({ instruction, input }));
      if (rows && !row) continue;
      found.push({ template, instruction, phrase, input, ...(row ? { row } : {}) });
    }
  }
  // The longest phrasing that fits is the real one ("What is" inside "What is the capital of").
  return found.sort((a, b) => b.phrase.length - a.phrase.length)[0];
}

function formatAnswer(output: string, f: AnswerFormat): string {
  let text = output.replaceAll(' ', f.separator);
  if (f.casing === 'upper') text = text.toUpperCase();
  if (f.casing === 'lower') text = text.toLowerCase();
  return `${f.prefix}${text}${f.suffix}`;
}

function mostCommon<T>(values: T[], key: (value: T) => string): T | undefined {
  const counts = new Map<string, { value: T; n: number }>();
  for (const value of values) {
    const k = key(value);
    const seen = counts.get(k) ?? { value, n: 0 };
    seen.n++;
    counts.set(k, seen);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.value;
}

/** The answer format that maps matched source outputs onto the job's answers. */
function answerFromPairs(pairs: { output: string; answer: string }[]): AnswerFormat | undefined {
  const guesses: AnswerFormat[] = [];
  for (const { output, answer } of pairs) {
    for (const casing of CASINGS) {
      for (const separator of SEPARATORS) {
        const text = formatAnswer(output, { casing, separator, prefix: '', suffix: '' });
        const at = answer.indexOf(text);
        if (at >= 0)
          guesses.push({
            casing,
            separator,
            prefix: answer.slice(0, at),
            suffix: answer.slice(at + text.length),
          });
      }
    }
  }
  return mostCommon(guesses, (g) => JSON.stringify(g));
}

/** Without source outputs (procedural rows): the punctuation every answer starts and ends with. */
function answerFromAffixes(answers: string[]): AnswerFormat {
  const common = (a: string, b: string) => {
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    return a.slice(0, i);
  };
  const reverse = (text: string) => [...text].reverse().join('');
  const prefix = answers.reduce(common, answers[0] ?? '').match(/^[^\p{L}\p{N}]*/u)?.[0] ?? '';
  const suffix = reverse(
    answers
      .map(reverse)
      .reduce(common, reverse(answers[0] ?? ''))
      .match(/^[^\p{L}\p{N}]*/u)?.[0] ?? '',
  );
  return { casing: 'keep', separator: ' ', prefix, suffix };
}

/** Finds the source and format of `train` among `candidates`; undefined when no candidate fits. */
export function learnFormat(
  train: readonly Example[],
  candidates: readonly TaskSource[],
): LearnedFormat | undefined {
  const sample = train.slice(0, 40);
  let best: { source: TaskSource; parses: Parse[]; answers: string[] } | undefined;
  for (const source of candidates) {
    const phrases = phrasings(source);
    // Only a source whose wording fits the prompts has its rows loaded (some hold 150k rows).
    if (!sample.some((example) => parseRow(example.prompt, phrases))) {
      continue;
    }
    const rows =
      source.kind === 'instruct' ? new Map(source.rows().map((row) => [rowKey(row), row])) : undefined;
    const parses: Parse[] = [];
    const answers: string[] = [];
    for (const example of sample) {
      const parse = parseRow(example.prompt, phrases, rows);
      if (parse) {
        parses.push(parse);
        answers.push(example.answer);
      }
    }
    if (parses.length > (best?.parses.length ?? 0)) best = { source, parses, answers };
  }
  if (!best || best.parses.length < sample.length / 2) return undefined;
  const template = mostCommon(best.parses, (p) => p.template)!.template;
  const phrases = new Map<string, string>();
  for (const parse of best.parses) phrases.set(parse.instruction, parse.phrase);
  const pairs = best.parses.flatMap((p, i) =>
    p.row ? [{ output: p.row.output, answer: best.answers[i]! }] : [],
  );
  const answer = (pairs.length > 0 ? answerFromPairs(pairs) : undefined) ?? answerFromAffixes(best.answers);
  return { source: best.source, template, phrases, answer };
}

/** The whole public source (or `generated` fresh rows of a procedural one) in the learnt format. */
export function renderSource(format: LearnedFormat, generated: number, seed: number): Example[] {
  const { source } = format;
  const rows =
    source.kind === 'instruct'
      ? source.rows()
      : Array.from(
          { length: generated },
          (
            (rng) => () =>
              source.generate(rng)
          )(createSeededRng(`public-${seed}`)),
        );
  return rows.flatMap((row) => {
    const phrase = format.phrases.get(row.instruction);
    if (phrase === undefined) return [];
    const example = {
      prompt: format.template.replace('{i}', phrase).replace('{x}', row.input),
      answer: formatAnswer(row.output, format.answer),
    };
    return fits(example, 112) ? [example] : [];
  });
}

/** The source's public wording: the first template, canonical instructions, answers as the source writes them. */
export function publicFormat(source: TaskSource): LearnedFormat {
  const phrases = new Map(phrasings(source).map(([instruction]) => [instruction, instruction]));
  return {
    source,
    template: PROMPT_TEMPLATES[0]!,
    phrases,
    answer: { casing: 'keep', separator: ' ', prefix: '', suffix: '' },
  };
}

/** Every bundled task dataset (instruction and procedural). */
export function taskDatasets(names?: readonly string[]): TaskSource[] {
  return BUNDLED_DATASETS.filter(
    (source): source is TaskSource =>
      (source.kind === 'instruct' || source.kind === 'procedural') && (!names || names.includes(source.name)),
  );
}
