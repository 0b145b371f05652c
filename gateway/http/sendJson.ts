import type { ServerResponse } from 'node:http';
import type { MeshgateError } from '../../schema/index.js';

/** Writes `value` as a JSON response with `status` and returns the status (for metrics). */
export function sendJson(res: ServerResponse, status: number, value: unknown): number {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return status;
}

/** Writes a GraphQL-style error response (`{ errors: [{ message, extensions: { code } }] }`), so clients parse every failure alike. */
export function sendGraphQLError(res: ServerResponse, status: number, code: string, message: string): number {
  return sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/** Writes a meshgate error (its code and message, nothing else) as a GraphQL-style error response with `status`. */
export function sendError(res: ServerResponse, status: number, error: MeshgateError): number {
  return sendGraphQLError(res, status, error.code, error.message);
}
