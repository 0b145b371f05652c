/**
 * The subgraph's last word on errors: a meshgate error keeps its code and message; DuckDB's refusal
 * of a value becomes BAD_USER_INPUT; anything else is logged with the request id and reaches the
 * client as INTERNAL_SERVER_ERROR with no detail (no SQL, no path, no stack).
 */
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { ERROR_CODES, MeshgateError } from '../../schema/index.js';

const CLIENT_CODES = new Set<string>(Object.keys(ERROR_CODES));
const INPUT_CODES = new Set(['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND']);
const DUCKDB_INPUT = /^(Conversion|Invalid Input|Out of Range) Error/;

/** Builds Apollo's `formatError` for a subgraph, logging unexpected errors through `log`. */
export function formatSubgraphError(log: (line: string) => void) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { message: formatted.message, ...(formatted.path && { path: formatted.path }), ...(formatted.locations && { locations: formatted.locations }) };
    if (original instanceof MeshgateError) return { ...base, message: original.message, extensions: { code: original.code } };
    const code = String(formatted.extensions?.code ?? '');
    if (INPUT_CODES.has(code)) return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
    if (CLIENT_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') return { ...base, extensions: { code } };
    const message = original instanceof Error ? original.message : String(original);
    if (DUCKDB_INPUT.test(message)) return { ...base, message: 'A value in the request cannot be used for its field (for example a number out of range or a LIKE pattern ending in the escape character).', extensions: { code: 'BAD_USER_INPUT' } };
    log(`internal error: ${message}`);
    return { ...base, message: 'Internal error: the request could not be completed.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
