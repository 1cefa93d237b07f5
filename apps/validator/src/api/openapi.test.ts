import { decodeBody, ErrorCode } from '@tuning-arena/protocol';
import { describe, expect, it } from 'vitest';
import { createTempDirs, createTestApp } from '../test-fixtures.js';
import { createOpenApiDocument, type OpenApiDocument, openApiPath } from './openapi.js';
import { API_SCHEMAS, ROUTE_DOCS, type SchemaName } from './route-docs.js';

/**
 * The routes the table must describe: every route under /v1/ and /metrics. Other paths (the console's
 * pages at / and /console...) are HTML for people, not the machine API; `ALL` entries are middleware.
 */
const isMachineRoute = (route: { method: string; path: string }) =>
  route.method !== 'ALL' && (route.path.startsWith('/v1/') || route.path === '/metrics');

const key = (method: string, path: string) => `${method} ${path}`;

describe('OpenAPI document', () => {
  it('describes every registered /v1 route and /metrics, and nothing that is not registered', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const registered = new Set(t.app.routes.filter(isMachineRoute).map((r) => key(r.method, r.path)));
    const documented = new Set(
      ROUTE_DOCS.flatMap((doc) => [doc.path, ...(doc.covers ?? [])].map((path) => key(doc.method, path))),
    );
    expect(registered.size).toBeGreaterThan(30);
    expect([...registered].filter((route) => !documented.has(route))).toEqual([]);
    const inApp = ROUTE_DOCS.filter((doc) => !doc.outsideApp).map((doc) => key(doc.method, doc.path));
    expect(inApp.filter((route) => !registered.has(route))).toEqual([]);
    expect(new Set(inApp).size).toBe(inApp.length);
  });

  it('serves every documented route and method with resolvable schema references', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const response = await t.request('GET', '/v1/openapi.json', undefined, null);
    expect(response.status).toBe(200);
    const served = (await response.json()) as OpenApiDocument;
    expect(served).toEqual(JSON.parse(JSON.stringify(createOpenApiDocument())));
    expect(served.openapi).toBe('3.1.0');
    for (const doc of ROUTE_DOCS) {
      expect(
        served.paths[openApiPath(doc.path)]?.[doc.method.toLowerCase()],
        key(doc.method, doc.path),
      ).toBeDefined();
    }
    const refs = JSON.stringify(served).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? [];
    for (const ref of new Set(refs))
      expect(served.components.schemas[ref.split('/').at(-1) as string], ref).toBeDefined();
  });

  it('names each error code of the protocol, and only those, in the error responses', () => {
    const document = createOpenApiDocument();
    const known = new Set(ErrorCode.anyOf.map((literal) => literal.const as string));
    expect(document.components).toMatchObject({ schemas: { ErrorCode: { anyOf: expect.any(Array) } } });
    const named = JSON.stringify(document.paths).match(/"enum":\[[^\]]*\]/g) ?? [];
    const codes = named.flatMap((list) => JSON.parse(list.slice(7)) as string[]);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.filter((code) => !known.has(code))).toEqual([]);
    const upload = document.paths['/v1/artifacts/{sha256}']?.put as { responses: Record<string, unknown> };
    expect(Object.keys(upload.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '408', '413', '429']),
    );
  });

  it('declares response schemas that the routes really answer with', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const created = await t.request('POST', '/v1/competitions', { name: 'cup' });
    const { id } = (await created.json()) as { id: string };
    const job = await t.request('POST', `/v1/competitions/${id}/jobs`, {
      model: 'tiny',
      dataset: 'sums',
      timeLimitSeconds: 60,
      minersWanted: 1,
    });
    const jobId = ((await job.json()) as { id: string }).id;
    const paths: Record<string, string> = {
      ':id': id,
      ':rule': 'not-base',
    };
    const checked: string[] = [];
    for (const doc of ROUTE_DOCS) {
      if (doc.method !== 'GET' || doc.access !== 'operator' || !('schema' in doc.response)) continue;
      const path = doc.path.startsWith('/v1/jobs/')
        ? doc.path.replace(':id', jobId)
        : doc.path.replace(/:[a-z]+/gi, (p) => paths[p] ?? p);
      const response = await t.request('GET', path);
      if (response.status === 404) continue; // e.g. no program: the error side is checked above
      const schema = API_SCHEMAS[doc.response.schema as SchemaName];
      const decoded = decodeBody(schema, await response.json());
      expect(decoded.ok ? 'fits' : decoded.error.issues, `${doc.path} as ${doc.response.schema}`).toBe(
        'fits',
      );
      checked.push(doc.path);
    }
    expect(checked.length).toBeGreaterThan(10);
  });

  it('serves a self-contained reference page that lists every route and error code', async () => {
    await using dirs = await createTempDirs();
    await using t = await createTestApp(dirs.root);
    const response = await t.request('GET', '/v1/docs', undefined, null);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await response.text();
    expect(page).not.toMatch(/<script|<link|src=|https?:\/\/(?!json-schema\.org)/i);
    for (const doc of ROUTE_DOCS) expect(page).toContain(`<code>${doc.method} ${doc.path}</code>`);
    for (const literal of ErrorCode.anyOf) expect(page).toContain(`<code>${literal.const}</code>`);
  });
});
