/**
 * The subgraph's last word on errors: a meshgate error keeps its code and message; DuckDB's refusal
 * of a value becomes BAD_USER_INPUT; anything else is logged with the request id and reaches the
 * client as INTERNAL_SERVER_ERROR with no detail (no SQL, no path, no stack).
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { formattedError, MeshgateError, registryCode, type Log } from '../../schema/index.js';

const DUCKDB_INPUT = /^(Conversion|Invalid Input|Out of Range) Error/;

/** Builds Apollo's `formatError` for a subgraph, logging unexpected errors through `log`. */
export function formatSubgraphError(log: Log) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof MeshgateError) return formattedError(formatted, original.code, original.message);
    const code = registryCode(formatted.extensions?.code, formatted.message);
    if (code && code !== 'INTERNAL_SERVER_ERROR') return formattedError(formatted, code);
    const message = original instanceof Error ? original.message : String(original);
    if (DUCKDB_INPUT.test(message))
      return formattedError(
        formatted,
        'BAD_USER_INPUT',
        'A value in the request cannot be used for its field (for example a number out of range or a LIKE pattern ending in the escape character).',
      );
    log(`internal error: ${message}`, { level: 'error' });
    return formattedError(formatted, 'INTERNAL_SERVER_ERROR', 'Internal error: the request could not be completed.');
  };
}
