// The reference page of `GET /v1/docs`: the route table, every error code and every schema, rendered on the
// server as one self-contained HTML page (inline CSS, no scripts, nothing fetched), so it works offline.
// It is built from the same table and schemas as the OpenAPI document; it holds no data of a competition.

import { ErrorCode } from '@tuning-arena/protocol';
import { routeErrors, toJsonSchema } from './openapi.js';
import { API_SCHEMAS, HTTP_ERROR_STATUS, ROUTE_DOCS, type RouteDoc } from './route-docs.js';

/** The Content-Security-Policy the page is served with: nothing but its own inline style. */
export const DOCS_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text made safe for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

const code = (text: string) => `<code>${escapeHtml(text)}</code>`;
const schemaLink = (name: string) => `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;

function routeRow(doc: RouteDoc): string {
  const { body, response } = doc;
  const bodyCell = body
    ? `${schemaLink(body.schema)}${body.yaml ? ' (JSON or YAML)' : ''}${body.optional ? ' (optional)' : ''}`
    : '';
  const answer =
    'schema' in response
      ? `${response.status} ${schemaLink(response.schema)}`
      : `${response.status} ${code(response.media)}: ${escapeHtml(response.about)}`;
  const errors = routeErrors(doc)
    .map((name) => `${HTTP_ERROR_STATUS[name]}&nbsp;${code(name)}`)
    .join(', ');
  return `<tr><td>${code(`${doc.method} ${doc.path}`)}</td><td>${doc.access}</td><td>${escapeHtml(doc.summary)}</td><td>${bodyCell}</td><td>${answer}</td><td>${errors}</td></tr>`;
}

function errorCodeRows(): string {
  const status = HTTP_ERROR_STATUS as Partial<Record<string, number>>;
  return ErrorCode.anyOf
    .map((literal) => {
      const name = String(literal.const);
      return `<tr><td>${code(name)}</td><td>${status[name] ?? 'WebSocket error frame only'}</td></tr>`;
    })
    .join('\n');
}

function schemaSections(): string {
  return Object.entries(API_SCHEMAS)
    .map(
      ([name, schema]) =>
        `<details id="schema-${escapeHtml(name)}"><summary>${escapeHtml(name)}</summary><pre>${escapeHtml(
          JSON.stringify(toJsonSchema(schema), null, 2),
        )}</pre></details>`,
    )
    .join('\n');
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:90rem;color:#1b1f24}
table{border-collapse:collapse;width:100%;margin:1rem 0}td,th{border:1px solid #d0d7de;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f6f8fa}code{font-size:13px}pre{background:#f6f8fa;padding:.5rem;
overflow:auto}details{margin:.2rem 0}summary{cursor:pointer;font-family:monospace}`;

/** The whole page. */
export function renderDocsPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tuning Arena validator API</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body><h1>Tuning Arena validator API</h1>
<p>Machine-readable: <a href="/v1/openapi.json">/v1/openapi.json</a> (OpenAPI 3.1). Errors are always
${code('{"error":{"code","message","issues?"}}')}. Operator routes need ${code('Authorization: Bearer <operator token>')};
miner routes need the session token the miner got in ${code('welcome')}.</p>
<h2>Routes</h2>
<table><thead><tr><th>route</th><th>who</th><th>what</th><th>body</th><th>answer</th><th>error codes</th></tr></thead>
<tbody>
${ROUTE_DOCS.map(routeRow).join('\n')}
</tbody></table>
<h2>Error codes</h2>
<table><thead><tr><th>code</th><th>HTTP status</th></tr></thead><tbody>
${errorCodeRows()}
</tbody></table>
<h2>Schemas</h2>
${schemaSections()}
</body></html>
`;
}
