import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatCompletionsRowSource, decodeLlmRows } from './llm-rows.js';
import { prepareJob } from './prepare-job.js';
import { makeSyntheticSet } from './synthetic.js';

interface Received {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: { model: string; messages: { role: string; content: string }[] };
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

/** Starts a real chat-completions server on 127.0.0.1:0 that answers with `content` (or a status code). */
async function startServer(reply: string | number): Promise<{ baseUrl: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer(async (request, response) => {
    received.push({
      url: request.url ?? '',
      authorization: request.headers.authorization,
      body: JSON.parse(await readBody(request)),
    });
    if (typeof reply === 'number') {
      response.writeHead(reply).end('{}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: reply } }] }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, received };
}

const REPLY = [
  '```json',
  '{"instruction":"Capital of","input":"Atlantis","output":"Poseidonia"}',
  '{"instruction":"Capital of","input":"Lemuria","output":"Mu City"}',
  'not json at all',
  '{"instruction":"Capital of","input":"Avalon"}',
  '{"instruction":"Tell a joke","input":"x","output":"y"}',
  '```',
].join('\n');

describe('chat-completions synthetic rows', () => {
  it('posts the held-out examples to /chat/completions and decodes the JSON-lines reply', async () => {
    const { baseUrl, received } = await startServer(REPLY);
    const llm = createChatCompletionsRowSource({ baseUrl, model: 'local-model', apiKey: 'k-1' });
    const rows = await llm.generateRows({
      examples: [{ instruction: 'Capital of', input: 'France', output: 'Paris' }],
      count: 2,
    });
    expect(rows.map((row) => row.input)).toEqual(['Atlantis', 'Lemuria', 'x']);
    expect(received[0]?.url).toBe('/v1/chat/completions');
    expect(received[0]?.authorization).toBe('Bearer k-1');
    expect(received[0]?.body.model).toBe('local-model');
    expect(received[0]?.body.messages.at(-1)?.content).toContain('"input":"France"');
  });

  it('adds LLM rows to a synthetic set in a held-out wording, dropping rows of other tasks', async () => {
    const { baseUrl } = await startServer(REPLY);
    const job = prepareJob({ dataset: 'country-facts', seed: 'llm-job', rows: 200 });
    const llm = createChatCompletionsRowSource({ baseUrl, model: 'm' });
    const synthetic = await makeSyntheticSet(job, { seed: 'after', count: 40, llm, llmShare: 0.5 });
    expect(synthetic.fromLlm).toBe(2);
    expect(synthetic.fromHeldOut).toBe(38);
    const llmPrompts = synthetic.examples.filter((example) => /Atlantis|Lemuria/.test(example.prompt));
    expect(llmPrompts).toHaveLength(2);
    const trainPrompts = new Set(job.train.map((example) => example.prompt));
    for (const example of synthetic.examples) expect(trainPrompts.has(example.prompt)).toBe(false);
  });

  it('fills the set from held-out rows and reports the error when the endpoint fails', async () => {
    const { baseUrl } = await startServer(500);
    const job = prepareJob({ dataset: 'country-facts', seed: 'llm-job', rows: 200 });
    const llm = createChatCompletionsRowSource({ baseUrl, model: 'm' });
    const synthetic = await makeSyntheticSet(job, { seed: 'after', count: 20, llm });
    expect(synthetic.fromLlm).toBe(0);
    expect(synthetic.examples).toHaveLength(20);
    expect(synthetic.llmError).toContain('HTTP 500');
    await expect(llm.generateRows({ examples: [], count: 1 })).rejects.toMatchObject({ code: 'llm_failed' });
  });

  it('refuses a reply with no usable rows', () => {
    const decoded = decodeLlmRows('Sorry, I cannot help with that.', 'x');
    expect(!decoded.ok && decoded.error.code).toBe('no_rows');
  });
});
