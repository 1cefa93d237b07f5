// The secret per-job transform: one prompt wording for train/test, held-out wordings for synthetic rows,
// and one answer format for all of them. Chosen from the job seed; the same seed always gives the same transform.
import { createSeededRng, type SeededRng } from '../rng.js';
import type { Example, InstructRow } from '../rows.js';
import type { InstructionVariants } from '../source.js';
import { CASINGS, type Casing, fillTemplate, PROMPT_TEMPLATES, SEPARATORS, WRAPPERS } from './wordings.js';

/** The choices a transform made; secret, kept by the validator only. */
interface TransformChoice {
  readonly template: number;
  readonly variant: number;
  readonly casing: Casing;
  readonly separator: string;
  readonly wrapper: readonly [string, string];
}

/** A job's transform of raw rows into prompt/answer examples. */
export interface JobTransform {
  readonly choice: TransformChoice;
  /** The training wording: used for train, test and procedural synthetic rows. */
  apply(row: InstructRow): Example;
  /** A wording never used in training (another template and instruction phrasing), drawn from `rng`. */
  reword(row: InstructRow, rng: SeededRng): Example;
}

function formatAnswer(output: string, choice: TransformChoice): string {
  let text = output.replaceAll(' ', choice.separator);
  if (choice.casing === 'upper') text = text.toUpperCase();
  if (choice.casing === 'lower') text = text.toLowerCase();
  return `${choice.wrapper[0]}${text}${choice.wrapper[1]}`;
}

function phrasing(row: InstructRow, variants: InstructionVariants | undefined, index: number): string {
  const list = variants?.[row.instruction];
  return list === undefined || list.length === 0 ? row.instruction : list[index % list.length]!;
}

/** Creates the transform for a job seed; `variants` are the dataset's instruction phrasings. */
export function createJobTransform(seed: string, variants?: InstructionVariants): JobTransform {
  const rng = createSeededRng(seed).fork('transform');
  const choice: TransformChoice = {
    template: rng.int(PROMPT_TEMPLATES.length),
    variant: rng.int(1 << 20),
    casing: rng.pick(CASINGS),
    separator: rng.pick(SEPARATORS),
    wrapper: rng.pick(WRAPPERS),
  };
  const example = (row: InstructRow, template: number, variant: number): Example => ({
    // Callers pass template indices reduced modulo the template count.
    prompt: fillTemplate(PROMPT_TEMPLATES[template]!, phrasing(row, variants, variant), row.input),
    answer: formatAnswer(row.output, choice),
  });
  return {
    choice,
    apply: (row) => example(row, choice.template, choice.variant),
    reword: (row, wordRng) => {
      const template =
        (choice.template + 1 + wordRng.int(PROMPT_TEMPLATES.length - 1)) % PROMPT_TEMPLATES.length;
      const count = variants?.[row.instruction]?.length ?? 1;
      const shift = count > 1 ? 1 + wordRng.int(count - 1) : 0;
      return example(row, template, (choice.variant % count) + shift);
    },
  };
}
