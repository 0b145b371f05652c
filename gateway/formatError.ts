/** The gateway's last word on errors: a registry code on every error, nothing internal in it. */
import type { GraphQLFormattedError } from 'graphql';
import { PROTOCOL_CODES, registryCode } from '../schema/index.js';

// Extensions that could reveal internals: stacks, the failing subgraph's address or raw response, its service name.
const HIDDEN_EXTENSIONS = new Set(['stacktrace', 'exception', 'serviceName', 'response']);
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>)]+/gi;
const SYSTEM_ERROR = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|EPIPE|EAI_AGAIN)\b/;

function safeMessage(message: string): string {
  if (SYSTEM_ERROR.test(message)) return 'Internal server error';
  return message.replace(URL_IN_TEXT, '[address hidden]');
}

/** The code a client sees: the registry's (schema/errors.ts), or a persisted-query protocol code unchanged. */
function clientCode(code: unknown, message: string): string {
  if (typeof code === 'string' && PROTOCOL_CODES.has(code)) return code;
  return registryCode(code, message) ?? 'INTERNAL_SERVER_ERROR';
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
