import { describe, expect, it } from 'vitest';
import { isApiError } from './api-error.js';
import { createArenaClient } from './arena-client.js';

/** A fetch that answers every request with one fixed status and body text. */
const answering = (status: number, text: string) =>
  (async () => new Response(text, { status })) as typeof fetch;

const failure = async (call: Promise<unknown>) => {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return isApiError(error) ? { code: error.code, status: error.status } : error;
};

describe('operator client answers it cannot trust', () => {
  it('refuses a 2xx answer that breaks its schema as invalid_response', async () => {
    const client = createArenaClient({ baseUrl: 'http://x', fetch: answering(200, '{"ok":"yes"}') });
    expect(await failure(client.health())).toEqual({ code: 'invalid_response', status: 200 });
    const jobs = createArenaClient({ baseUrl: 'http://x', fetch: answering(200, '{"jobs":[{"id":1}]}') });
    expect(await failure(jobs.jobs.list('cmp_1'))).toEqual({ code: 'invalid_response', status: 200 });
  });

  it('refuses an error status without an error body, or a body that is not JSON', async () => {
    for (const [status, text] of [
      [502, '<html>bad gateway</html>'],
      [500, '{"error":{"code":"made_up","message":"x"}}'],
      [200, 'not json'],
    ] as const) {
      const client = createArenaClient({ baseUrl: 'http://x', fetch: answering(status, text) });
      expect(await failure(client.health()), text).toEqual({ code: 'invalid_response', status });
    }
  });

  it('escapes path parameters', async () => {
    const seen: string[] = [];
    const fetchSpy = (async (url: string) => {
      seen.push(url);
      return new Response('{"error":{"code":"not_found","message":"no"}}', { status: 404 });
    }) as unknown as typeof fetch;
    const client = createArenaClient({ baseUrl: 'http://x/', fetch: fetchSpy });
    await failure(client.jobs.get('../competitions'));
    expect(seen).toEqual(['http://x/v1/jobs/..%2Fcompetitions']);
  });
});
