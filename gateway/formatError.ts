import type { GraphQLFormattedError } from 'graphql';
import { ERROR_CODES } from '../schema/index.js';

// Apollo's own codes for a request the client got wrong: clients branch on BAD_USER_INPUT alone.
const INPUT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE']);
// The automatic-persisted-query protocol: clients react to these exact codes, so they pass unchanged.
const PROTOCOL_CODES = new Set(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

// GraphQL Armor's refusals (depth, aliases, tokens, cost, directives) arrive as parse or validation errors.
// graphql-js 16.15 spells its token refusal "more that 2000 tokens": match either spelling.
const LIMIT_EXCEEDED = /\blimit of \d+ exceeded\b|Document contains more th[ae][nt] \d+ tokens/i;

/** The registry code (schema/errors.ts) for any code an error arrives with. */
function clientCode(code: unknown, message: string): string {
  if (LIMIT_EXCEEDED.test(message)) return 'QUERY_TOO_COMPLEX';
  if (typeof code !== 'string') return 'INTERNAL_SERVER_ERROR';
  if (code in ERROR_CODES || PROTOCOL_CODES.has(code)) return code;
  return INPUT_CODES.has(code) ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR';
}

// Extensions that could reveal internals: stacks, the failing subgraph's address or raw response, its service name.
const HIDDEN_EXTENSIONS = new Set(['stacktrace', 'exception', 'serviceName', 'response']);
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi;
const SYSTEM_ERROR = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|EPIPE|EAI_AGAIN)\b/;

function safeMessage(message: string): string {
  if (SYSTEM_ERROR.test(message)) return 'Internal server error';
  return message.replace(URL_IN_TEXT, '[address hidden]');
}

/**
 * Apollo Server's `formatError`: every error leaves with an `extensions.code` from the registry
 * (Apollo's parse and validation codes become BAD_USER_INPUT; INTERNAL_SERVER_ERROR when none was set), without stack traces, subgraph names or addresses in its extensions, and without URLs
 * or socket error names in its message.
 */
export function formatError(formatted: GraphQLFormattedError, _error: unknown): GraphQLFormattedError {
  const extensions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(formatted.extensions ?? {})) {
    if (!HIDDEN_EXTENSIONS.has(key)) extensions[key] = value;
  }
  const code = clientCode(extensions['code'], formatted.message);
  extensions['code'] = code;
  // An error nobody gave a registry code is a bug: its message may describe internals, so it is not shown.
  const unexpected = code === 'INTERNAL_SERVER_ERROR' && formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR';
  return {
    message: unexpected ? 'Internal server error: the request could not be completed.' : safeMessage(formatted.message),
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions,
  };
}
