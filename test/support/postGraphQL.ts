/**
 * Raw GraphQL-over-HTTP calls for security tests: to the gateway as any caller (no default token),
 * or straight to a subgraph, with exactly the headers a test chooses.
 */
import type { GraphQLResponse } from './startTestMesh.js';

/** What must never appear in a response a client gets: SQL, file paths, internal addresses, socket errors, stacks. */
export const LEAK = /SELECT|read_parquet|\/tmp\/|\/work\/|127\.0\.0\.1|localhost:\d|ECONNREFUSED|stack/i;

/** The `authorization` header of a bearer token. */
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** POSTs `body` (an operation, or raw text sent as is) to `url` with only `headers` and a JSON content type. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  body: { query: string; variables?: Record<string, unknown> } | string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: { data?: T | null; errors?: GraphQLResponse['errors'] } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // Not JSON: the test asserts on `text` and `status`.
  }
  return { status: res.status, data: parsed.data, errors: parsed.errors, text };
}

/** The `extensions.code` of every error of a response. */
export const errorCodes = (r: GraphQLResponse<unknown>): unknown[] => (r.errors ?? []).map((e) => e.extensions?.['code']);
