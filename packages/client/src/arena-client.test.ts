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

  it('sends the judge calls to their routes, escaping ids, with the rule patch as the body', async () => {
    const seen: string[] = [];
    const fetchSpy = (async (url: string, init: RequestInit) => {
      seen.push(`${init.method} ${url}${init.body === undefined ? '' : ` ${init.body}`}`);
      return new Response('{"error":{"code":"not_found","message":"no"}}', { status: 404 });
    }) as unknown as typeof fetch;
    const client = createArenaClient({ baseUrl: 'http://x', fetch: fetchSpy });
    await failure(client.jobs.results('j/1'));
    await failure(client.jobs.rescore('j/1'));
    await failure(client.competitions.leaderboard('c/1'));
    await failure(client.competitions.rescore('c/1'));
    await failure(client.competitions.audit('c/1'));
    await failure(client.rules.list('c/1'));
    await failure(client.rules.set('c/1', 'not/base', { enabled: false, params: { a: 1 } }));
    expect(seen).toEqual([
      'GET http://x/v1/jobs/j%2F1/results',
      'POST http://x/v1/jobs/j%2F1/rescore {}',
      'GET http://x/v1/competitions/c%2F1/leaderboard',
      'POST http://x/v1/competitions/c%2F1/rescore {}',
      'GET http://x/v1/competitions/c%2F1/audit',
      'GET http://x/v1/competitions/c%2F1/rules',
      'PATCH http://x/v1/competitions/c%2F1/rules/not%2Fbase {"enabled":false,"params":{"a":1}}',
    ]);
  });

  it('refuses a judge list whose entries break the protocol view', async () => {
    const rules = createArenaClient({ baseUrl: 'http://x', fetch: answering(200, '{"rules":[{"id":"x"}]}') });
    expect(await failure(rules.rules.list('c'))).toEqual({ code: 'invalid_response', status: 200 });
    const audit = createArenaClient({
      baseUrl: 'http://x',
      fetch: answering(200, '{"entries":[{"id":"1"}]}'),
    });
    expect(await failure(audit.competitions.audit('c'))).toEqual({ code: 'invalid_response', status: 200 });
    const rescore = createArenaClient({ baseUrl: 'http://x', fetch: answering(200, '{"jobs":[""]}') });
    expect(await failure(rescore.competitions.rescore('c'))).toEqual({
      code: 'invalid_response',
      status: 200,
    });
  });
});
