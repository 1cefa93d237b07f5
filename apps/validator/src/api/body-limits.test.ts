import { describe, expect, it } from 'vitest';
import { createTempDirs, startCompetition, TEST_TOKEN } from '../test-fixtures.js';
import { chunk, LAST_CHUNK, rawHttp } from './test-raw-http.js';

const MAX = 4096;

/** A validator with small body limits, one competition, and a check that it still serves normal requests. */
async function arena(root: string, limits: Record<string, number> = {}) {
  const base = await startCompetition(root, {
    limits: { maxBodyBytes: MAX, uploadIdleTimeoutMs: 300, uploadMinBytesPerSecond: 0, ...limits },
  });
  const stillServed = async () => {
    const listed = await base.operator.get('/v1/competitions');
    expect(listed.status).toBe(200);
    expect(listed.body.competitions.map((c: { id: string }) => c.id)).toEqual([base.competition.id]);
    const created = await base.operator.post(`/v1/competitions/${base.competition.id}/jobs`, {
      model: 'tiny',
      dataset: 'sums',
      timeLimitSeconds: 60,
      minersWanted: 1,
    });
    expect(created.status).toBe(201);
  };
  return { ...base, stillServed, [Symbol.asyncDispose]: () => base.validator.close() };
}

describe('operator API body limits', () => {
  it('refuses a declared Content-Length over maxBodyBytes with 413 body_too_large before reading it', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    const routes: [method: string, path: string][] = [
      ['POST', '/v1/competitions'],
      ['POST', `/v1/competitions/${a.competition.id}/miners`],
      ['POST', `/v1/competitions/${a.competition.id}/jobs`],
      ['POST', '/v1/jobs/job_x/cancel'],
      ['GET', '/v1/competitions'],
      ['DELETE', '/v1/competitions'],
    ];
    for (const [method, path] of routes) {
      await using raw = rawHttp(a.validator.port, method, path, {
        'content-length': String(300 * 1024 ** 2),
      });
      const response = await raw.response;
      expect(response.status, `${method} ${path}`).toBe(413);
      expect(response.body.error.code).toBe('body_too_large');
      expect(response.headers.connection).toBe('close');
      await raw.closed;
    }
    await a.stillServed();
  });

  it('refuses a chunked body without a length as soon as it passes maxBodyBytes, and closes', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    await using fine = rawHttp(a.validator.port, 'POST', '/v1/competitions', {
      'transfer-encoding': 'chunked',
    });
    fine.write(Buffer.concat([chunk('{"name":'), chunk('"chunked"}'), Buffer.from(LAST_CHUNK)]));
    expect((await fine.response).status).toBe(201);
    const rss = process.memoryUsage().rss;
    await using raw = rawHttp(a.validator.port, 'POST', '/v1/competitions', {
      'transfer-encoding': 'chunked',
    });
    raw.write(chunk('{"name":"'));
    let sent = 0;
    let answered = false;
    void raw.response.then(() => {
      answered = true;
    });
    const piece = chunk('x'.repeat(1024));
    while (!answered && sent < 64 * 1024 ** 2) {
      if (!raw.write(piece)) break;
      sent += 1024;
      if (raw.socket.writableLength > 1024 ** 2)
        await Promise.race([new Promise((r) => raw.socket.once('drain', r)), raw.response, raw.closed]);
    }
    const response = await raw.response;
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('body_too_large');
    await raw.closed;
    console.log(
      `chunked body: ${sent} bytes sent before the 413, rss +${(process.memoryUsage().rss - rss) >> 20} MiB`,
    );
    expect(sent).toBeLessThan(64 * 1024 ** 2);
  });

  it('cuts off a JSON body that stalls (declared or chunked) with 408 upload_stalled', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    await using declared = rawHttp(a.validator.port, 'POST', '/v1/competitions', { 'content-length': '100' });
    declared.write('{"name":"st');
    await using chunked = rawHttp(a.validator.port, 'POST', `/v1/competitions/${a.competition.id}/miners`, {
      'transfer-encoding': 'chunked',
    });
    chunked.write(chunk('{"publicKey":'));
    for (const raw of [declared, chunked]) {
      const response = await raw.response;
      expect(response.status).toBe(408);
      expect(response.body.error.code).toBe('upload_stalled');
      await raw.closed;
    }
    await a.stillServed();
  });

  it('cuts off a body that trickles below uploadMinBytesPerSecond', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root, { uploadMinBytesPerSecond: 1000 });
    await using raw = rawHttp(a.validator.port, 'POST', '/v1/competitions', { 'content-length': '4000' });
    const timer = setInterval(() => raw.write('x'), 50);
    try {
      const response = await raw.response;
      expect(response.status).toBe(408);
      expect(response.body.error.code).toBe('upload_stalled');
    } finally {
      clearInterval(timer);
    }
    await raw.closed;
  });

  it('answers a GET that carries an endless body without reading it, then closes the connection', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    await using raw = rawHttp(a.validator.port, 'GET', '/v1/competitions', {
      'transfer-encoding': 'chunked',
    });
    raw.write(chunk('x'.repeat(1000)));
    const response = await raw.response;
    expect(response.status).toBe(200);
    expect(response.headers.connection).toBe('close');
    await raw.closed;
  });

  it('leaves artifact uploads to their own limits', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    await using raw = rawHttp(a.validator.port, 'PUT', `/v1/artifacts/${'a'.repeat(64)}`, {
      authorization: 'Bearer no-such-session',
      'content-length': String(10 * MAX),
    });
    const response = await raw.response;
    expect(response.body.error.code).toBe('unauthorized');
  });

  it('reads no body before the operator token checks out', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    await using raw = rawHttp(a.validator.port, 'POST', '/v1/competitions', {
      authorization: 'Bearer wrong',
      'transfer-encoding': 'chunked',
    });
    raw.write(chunk('{"name":'));
    const response = await raw.response;
    expect(response.status).toBe(401);
    expect(response.body.error.code).toBe('unauthorized');
  });

  it('refuses invalid UTF-8, duplicate keys and __proto__ in a body with invalid_body, storing nothing', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    const bodies = [
      Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
      Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('{"name":"bom"}')]),
      Buffer.from('{"name":"a","name":"b"}'),
      Buffer.from('{"name":"a","__proto__":{"maxMiners":1}}'),
      Buffer.from(`{"name":${'['.repeat(100)}${']'.repeat(100)}}`),
      Buffer.from(''),
    ];
    for (const body of bodies) {
      const response = await fetch(`${a.validator.url}/v1/competitions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
        body,
      });
      const json = (await response.json()) as { error: { code: string; issues: unknown[] } };
      expect(response.status, body.toString('latin1')).toBe(400);
      expect(json.error.code).toBe('invalid_body');
      expect(json.error.issues.length).toBeGreaterThan(0);
    }
    expect((await a.operator.get('/v1/competitions')).body.competitions).toHaveLength(1);
  });

  it('refuses lone surrogates and controls in every operator text field with invalid_body naming it', async () => {
    await using dirs = await createTempDirs();
    await using a = await arena(dirs.root);
    const miners = `/v1/competitions/${a.competition.id}/miners`;
    const jobs = `/v1/competitions/${a.competition.id}/jobs`;
    const job = { model: 'tiny', dataset: 'sums', timeLimitSeconds: 60, minersWanted: 1 };
    const miner = { publicKey: 'k'.repeat(43), owner: 'ann', displayName: 'Ann' };
    for (const bad of ['\uD800', 'ok\uDFFF', 'a\u0000b', 'line\nbreak', '\u202Eevil']) {
      const cases: [string, object, string][] = [
        ['/v1/competitions', { name: bad }, '/name'],
        [miners, { ...miner, owner: bad }, '/owner'],
        [miners, { ...miner, displayName: bad }, '/displayName'],
        [jobs, { ...job, model: bad }, '/model'],
        [jobs, { ...job, dataset: bad }, '/dataset'],
      ];
      for (const [path, body, field] of cases) {
        const response = await a.operator.post(path, body);
        expect(response.status, `${field} ${JSON.stringify(bad)}`).toBe(400);
        expect(response.body.error.code).toBe('invalid_body');
        expect(response.body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
      }
    }
    expect((await a.operator.get(miners)).body.miners).toEqual([]);
    await a.stillServed();
  });
});
