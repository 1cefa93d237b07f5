// The machine API's description: `GET /v1/openapi.json` (OpenAPI 3.1) and `GET /v1/docs` (the same as a
// readable page, no scripts, offline). Both are public: they describe routes, never a competition's data.
// Each is rendered once, on its first request.

import { Hono } from 'hono';
import { DOCS_PAGE_CSP, renderDocsPage } from './api-docs-page.js';
import { createOpenApiDocument } from './openapi.js';

/** Builds the two description routes. */
export function docsRoutes(): Hono {
  const app = new Hono();
  let document: string | undefined;
  let page: string | undefined;
  app.get('/v1/openapi.json', (c) => {
    document ??= JSON.stringify(createOpenApiDocument());
    return c.body(document, 200, { 'content-type': 'application/json; charset=utf-8' });
  });
  app.get('/v1/docs', (c) => {
    page ??= renderDocsPage();
    return c.html(page, 200, { 'content-security-policy': DOCS_PAGE_CSP });
  });
  return app;
}
