// The families a per-job transform draws from: prompt templates and answer formatting styles.
// Templates are short because the engine's models see only ~128-256 bytes of context.

/** Prompt templates: `{i}` is the instruction, `{x}` the input. Every template adds text of its own. */
export const PROMPT_TEMPLATES: readonly string[] = [
  '{i}: {x}\n',
  'Q: {i} {x}\nA: ',
  '{i}\n> {x}\n< ',
  '[{i}] {x} =',
  '{i}? {x} ->',
  '### {i}\n{x}\n### ',
  '<{i}>{x}</> ',
  '{x} | {i} |',
  'In: {x}\nDo: {i}\nOut: ',
  '({i}) {x} =>',
  '{i} -- {x} --',
  '@{i}: {x}\n= ',
];

/** Answer casings. */
export const CASINGS = ['keep', 'upper', 'lower'] as const;

/** How an answer's letters are cased. */
export type Casing = (typeof CASINGS)[number];

/** Replacements for the spaces inside an answer (kept plain three times in five). */
export const SEPARATORS: readonly string[] = [' ', ' ', ' ', '-', '_'];

/** Marks around an answer; each adds at least one byte, so a formatted answer never equals its source. */
export const WRAPPERS: readonly (readonly [string, string])[] = [
  ['', '.'],
  ['', ';'],
  ['[', ']'],
  ['<', '>'],
  ['"', '"'],
  ['', ' #'],
  ['(', ')'],
  ['', '!'],
  ['{', '}'],
  ['* ', ''],
];

/** Fills a template with an instruction and an input. */
export function fillTemplate(template: string, instruction: string, input: string): string {
  return template.replace('{i}', instruction).replace('{x}', input);
}
