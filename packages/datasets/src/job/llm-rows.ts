// Optional synthetic rows from an OpenAI-compatible chat-completions endpoint (POST {baseUrl}/chat/completions).
// The model is shown a few held-out rows and asked for new ones as JSON lines; replies are decoded, never trusted.
import type { Result } from '@tuning-arena/protocol';
import { DatasetError, type RowIssue, type RowsFailure, rowsFailure } from '../errors.js';
import type { InstructRow } from '../rows.js';

/** Where to reach the endpoint; `apiKey` is sent as a Bearer token when set. */
interface ChatCompletionsConfig {
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  /** Request timeout in milliseconds (default 60 000). */
  readonly timeoutMs?: number;
  readonly temperature?: number;
}

/** A request for new rows of the same task as `examples`. */
interface LlmRowRequest {
  readonly examples: readonly InstructRow[];
  readonly count: number;
}

/** Something that proposes new instruction rows. */
export interface LlmRowSource {
  generateRows(request: LlmRowRequest): Promise<InstructRow[]>;
}

/** Decodes a reply's text: one JSON object `{instruction?, input, output}` per line; bad lines become issues. */
export function decodeLlmRows(
  content: string,
  defaultInstruction: string,
): Result<{ rows: InstructRow[]; issues: RowIssue[] }, RowsFailure> {
  const rows: InstructRow[] = [];
  const issues: RowIssue[] = [];
  content.split('\n').forEach((raw, index) => {
    const line = raw.trim().replace(/,$/, '');
    if (!line.startsWith('{')) return;
    try {
      const value = JSON.parse(line) as Record<string, unknown>;
      const { input, output } = value;
      const instruction = typeof value.instruction === 'string' ? value.instruction : defaultInstruction;
      if (typeof input === 'string' && typeof output === 'string' && output.trim() !== '') {
        rows.push({ instruction, input: input.trim(), output: output.trim() });
      } else {
        issues.push({ row: index + 1, code: 'missing_field', message: 'input and output must be strings' });
      }
    } catch {
      issues.push({ row: index + 1, code: 'invalid_json', message: 'not a JSON object' });
    }
  });
  if (rows.length === 0)
    return rowsFailure(
      'no_rows',
      issues.length > 0 ? issues : [{ row: 0, code: 'no_rows', message: 'the reply held no rows' }],
    );
  return { ok: true, value: { rows, issues } };
}

function buildMessages(request: LlmRowRequest) {
  const shown = request.examples.map((row) => JSON.stringify(row)).join('\n');
  return [
    {
      role: 'system',
      content:
        'You write new rows for a small supervised dataset. Reply with JSON lines only, one object per line, no prose.',
    },
    {
      role: 'user',
      content: `Here are example rows:\n${shown}\n\nWrite ${request.count} new, different rows of exactly the same task, correct and short, as JSON objects with the keys "instruction", "input" and "output", one per line.`,
    },
  ];
}

/** Creates a row source backed by a chat-completions endpoint; failures throw DatasetError('llm_failed'). */
export function createChatCompletionsRowSource(
  config: ChatCompletionsConfig,
  deps: { fetch?: typeof fetch } = {},
): LlmRowSource {
  const doFetch = deps.fetch ?? fetch;
  const url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    async generateRows(request) {
      let body: unknown;
      try {
        const response = await doFetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(config.apiKey !== undefined && { authorization: `Bearer ${config.apiKey}` }),
          },
          body: JSON.stringify({
            model: config.model,
            messages: buildMessages(request),
            temperature: config.temperature ?? 0.7,
          }),
          signal: AbortSignal.timeout(config.timeoutMs ?? 60_000),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        body = await response.json();
      } catch (error) {
        throw new DatasetError(
          'llm_failed',
          `chat completions request to ${url} failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
      const content = (body as { choices?: { message?: { content?: unknown } }[] }).choices?.[0]?.message
        ?.content;
      if (typeof content !== 'string')
        throw new DatasetError('llm_failed', 'chat completions reply has no choices[0].message.content');
      const decoded = decodeLlmRows(content, request.examples[0]?.instruction ?? '');
      if (!decoded.ok)
        throw new DatasetError(
          'llm_failed',
          `chat completions reply held no usable rows (${decoded.error.code})`,
          { cause: decoded.error },
        );
      return decoded.value.rows;
    },
  };
}
