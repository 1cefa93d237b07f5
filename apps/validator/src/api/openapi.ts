// Builds the OpenAPI 3.1 document of `GET /v1/openapi.json` from the route table (route-docs.ts) and the
// protocol's TypeBox schemas, which are JSON Schema already: every route, its body, response and error codes.
// It serves nothing and reads no routes itself; the test compares the table with `app.routes`.

import { ErrorCode, PROTOCOL_VERSION } from '@tuning-arena/protocol';
import {
  API_SCHEMAS,
  HTTP_ERROR_STATUS,
  type HttpErrorCode,
  ROUTE_DOCS,
  type RouteDoc,
} from './route-docs.js';

/** A JSON value as it goes into the document. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** The document, as plain JSON. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: Json;
  jsonSchemaDialect: string;
  tags: Json;
  components: { securitySchemes: Record<string, Json>; schemas: Record<string, Json> };
  paths: Record<string, Record<string, Json>>;
}

/** Hono's `/v1/jobs/:id` as OpenAPI's `/v1/jobs/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The `:params` of a Hono path. */
function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] as string);
}

/** Every code a route can answer: its own, plus those of its access rule, body and path parameters. */
export function routeErrors(doc: RouteDoc): HttpErrorCode[] {
  const codes = new Set<HttpErrorCode>(doc.errors);
  if (doc.access !== 'anyone') codes.add('unauthorized');
  if (doc.body)
    for (const code of ['invalid_body', 'body_too_large', 'upload_stalled'] as const) codes.add(code);
  if (pathParams(doc.path).length > 0) codes.add('not_found');
  if (!doc.outsideApp) codes.add('internal_error');
  return [...codes].sort((a, b) => HTTP_ERROR_STATUS[a] - HTTP_ERROR_STATUS[b] || a.localeCompare(b));
}

/**
 * A TypeBox schema as JSON Schema 2020-12: symbols dropped (JSON), and TypeBox's draft-07 tuples
 * (`items: [...]`, `additionalItems`) rewritten as `prefixItems`.
 */
export function toJsonSchema(schema: unknown): Json {
  const walk = (value: Json): Json => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'items' && Array.isArray(inner)) {
        out.prefixItems = inner.map(walk);
        out.items = false;
      } else if (key !== 'additionalItems') out[key] = walk(inner);
    }
    return out;
  };
  return walk(JSON.parse(JSON.stringify(schema)) as Json);
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

function errorResponses(doc: RouteDoc): Record<string, Json> {
  const byStatus = new Map<number, HttpErrorCode[]>();
  for (const code of routeErrors(doc)) {
    const status = HTTP_ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]): [string, Json] => [
      String(status),
      {
        description: codes.join(', '),
        content: {
          'application/json': {
            schema: {
              allOf: [ref('ErrorBody')],
              properties: { error: { properties: { code: { enum: codes } } } },
            },
          },
        },
      },
    ]),
  );
}

function operation(doc: RouteDoc): Json {
  const { response } = doc;
  const success: Json =
    'schema' in response
      ? { description: doc.summary, content: { 'application/json': { schema: ref(response.schema) } } }
      : { description: response.about, content: { [response.media]: {} } };
  const body = doc.body;
  const bodyContent: Record<string, Json> = {};
  if (body) {
    bodyContent['application/json'] = { schema: ref(body.schema) };
    if (body.yaml) bodyContent['application/yaml'] = { schema: ref(body.schema) };
  }
  return {
    operationId: `${doc.method.toLowerCase()}${doc.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string) => (c ?? '').toUpperCase())}`,
    summary: doc.summary,
    tags: [doc.access],
    security: doc.access === 'anyone' ? [] : [{ [doc.access]: [] }],
    parameters: pathParams(doc.path).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string' },
    })),
    ...(body ? { requestBody: { required: !body.optional, content: bodyContent } } : {}),
    responses: { [String(response.status)]: success, ...errorResponses(doc) },
  };
}

/** The OpenAPI 3.1 document of `routes` (default: every route of the validator). */
export function createOpenApiDocument(routes: readonly RouteDoc[] = ROUTE_DOCS): OpenApiDocument {
  const paths: Record<string, Record<string, Json>> = {};
  for (const doc of routes) {
    const path = openApiPath(doc.path);
    paths[path] = { ...paths[path], [doc.method.toLowerCase()]: operation(doc) };
  }
  const schemas: Record<string, Json> = { ErrorCode: toJsonSchema(ErrorCode) };
  for (const [name, schema] of Object.entries(API_SCHEMAS)) schemas[name] = toJsonSchema(schema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tuning Arena validator',
      version: `protocol ${PROTOCOL_VERSION}`,
      description:
        'Errors are always {"error":{"code","message","issues?"}} with a machine-readable code (ErrorCode).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [
      { name: 'anyone', description: 'no token' },
      { name: 'operator', description: 'Authorization: Bearer <operator token>' },
      { name: 'miner', description: "Authorization: Bearer <the session token of the miner's welcome>" },
    ],
    components: {
      securitySchemes: {
        operator: { type: 'http', scheme: 'bearer', description: 'the operator token' },
        miner: { type: 'http', scheme: 'bearer', description: 'the session token of a connected miner' },
      },
      schemas,
    },
    paths,
  };
}
