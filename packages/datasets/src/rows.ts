// Row shapes shared by every dataset: instruction rows, text documents and engine-ready examples.
// Only types and tiny helpers live here; loading and transforming rows happens elsewhere.

/** One instruction-task row: what to do, the input to do it on, and the expected output. */
export interface InstructRow {
  readonly instruction: string;
  readonly input: string;
  readonly output: string;
}

/** One prompt/answer pair, the unit the engine trains and evaluates on. */
export interface Example {
  readonly prompt: string;
  readonly answer: string;
}

/** Identity of a row's question, used to keep train, test and synthetic rows disjoint. */
export function rowKey(row: Pick<InstructRow, 'instruction' | 'input'>): string {
  return `${row.instruction}\u0000${row.input}`;
}

/** UTF-8 length of a string in bytes (the engine's tokens are bytes). */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
