// A small client of the validator's operator API (bearer token, JSON in and out) for the demo.
// Non-2xx answers become a DemoError carrying the API's error code; it does no retries.

import { DemoError } from './errors.js';

/** Operator API calls the demo makes. */
export interface OperatorClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
}

/** Creates an operator client for a validator URL and token. */
export function createOperatorClient(baseUrl: string, token: string): OperatorClient {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const payload = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string };
    };
    if (!response.ok) {
      const code = payload.error?.code ?? `http_${response.status}`;
      throw new DemoError(
        'operator_call_failed',
        `${method} ${path}: ${code} ${payload.error?.message ?? ''}`,
      );
    }
    return payload as T;
  }
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) };
}
