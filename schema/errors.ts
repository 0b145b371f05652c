/**
 * The error registry: every error a client can see carries one of these codes in
 * `extensions.code`, so a client can branch on it. Messages are for people; codes are for programs.
 * Errors are built here only: one base class with a stable code, a subclass per code, and the one
 * table that says what the codes of other libraries (Apollo Server, graphql-js, GraphQL Armor) mean.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** Client-facing error codes with what each means (README.md lists them for clients, under "A tour for applications"). */
export const ERROR_CODES = {
  UNAUTHENTICATED: 'No valid credentials were presented.',
  FORBIDDEN: 'The caller may not read this product or field.',
  BAD_USER_INPUT: 'The request is malformed: unknown field, wrong type, bad cursor, limit out of range.',
  QUERY_TOO_COMPLEX: 'The operation exceeds a depth, cost, alias or size limit.',
  PRODUCT_UNAVAILABLE:
    'The product cannot be served right now: its data is missing, its domain is down, or the gateway cannot check tokens (its key set cannot be fetched) or record the request; retry later (see Retry-After).',
  INTERNAL_SERVER_ERROR: 'Something failed inside meshgate; the request id identifies it in the logs.',
} as const;

/** One of the stable client-facing error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Whether a value is one of the registry's codes. */
export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);

/** How an error is built: its cause (for logs, never shown) and the HTTP status a refusal before execution answers with. */
export interface MeshgateErrorOptions {
  readonly cause?: unknown;
  /** Set on refusals made before any subgraph is called (Apollo Server answers with it); omitted otherwise. */
  readonly httpStatus?: number;
}

/**
 * Base class of every expected meshgate error: a stable code, a message safe to show, details in
 * `cause`. It is a GraphQLError, so Apollo Server, graphql-js and the gateway's plugins all read its
 * code from `extensions.code` wherever it is thrown.
 */
export class MeshgateError extends GraphQLError {
  override readonly name: string = 'MeshgateError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options: MeshgateErrorOptions = {},
  ) {
    super(message, { extensions: { code, ...(options.httpStatus !== undefined && { http: { status: options.httpStatus } }) } });
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** No valid credentials (UNAUTHENTICATED). */
export class UnauthenticatedError extends MeshgateError {
  override readonly name = 'UnauthenticatedError';
  constructor(message: string, options?: MeshgateErrorOptions) {
    super('UNAUTHENTICATED', message, options);
  }
}

/** The caller may not read this (FORBIDDEN). */
export class ForbiddenError extends MeshgateError {
  override readonly name: string = 'ForbiddenError';
  constructor(message: string, options?: MeshgateErrorOptions) {
    super('FORBIDDEN', message, options);
  }
}

/** A request the caller got wrong (BAD_USER_INPUT). */
export class BadUserInputError extends MeshgateError {
  override readonly name = 'BadUserInputError';
  constructor(message: string, options?: MeshgateErrorOptions) {
    super('BAD_USER_INPUT', message, options);
  }
}

/** An operation over a depth, cost, size or time limit (QUERY_TOO_COMPLEX). */
export class QueryTooComplexError extends MeshgateError {
  override readonly name = 'QueryTooComplexError';
  constructor(message: string, options?: MeshgateErrorOptions) {
    super('QUERY_TOO_COMPLEX', message, options);
  }
}

/** A product that cannot be served right now (PRODUCT_UNAVAILABLE). */
export class ProductUnavailableError extends MeshgateError {
  override readonly name = 'ProductUnavailableError';
  constructor(message: string, options?: MeshgateErrorOptions) {
    super('PRODUCT_UNAVAILABLE', message, options);
  }
}

/** A failure inside meshgate (INTERNAL_SERVER_ERROR): its message must describe nothing internal. */
export class InternalError extends MeshgateError {
  override readonly name = 'InternalError';
  constructor(message = 'Internal server error: the request could not be completed.', options?: MeshgateErrorOptions) {
    super('INTERNAL_SERVER_ERROR', message, options);
  }
}

/**
 * What the codes other libraries set mean here. Apollo Server's and graphql-js's codes for a request
 * the client got wrong are BAD_USER_INPUT (clients branch on that alone); so are the
 * persisted-query protocol's, except where a gateway client speaks that protocol (see
 * {@link PROTOCOL_CODES}).
 */
const FOREIGN_CODES: Readonly<Record<string, ErrorCode>> = {
  GRAPHQL_PARSE_FAILED: 'BAD_USER_INPUT',
  GRAPHQL_VALIDATION_FAILED: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_USER_INPUT',
  OPERATION_RESOLUTION_FAILURE: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_FOUND: 'BAD_USER_INPUT',
  PERSISTED_QUERY_NOT_SUPPORTED: 'BAD_USER_INPUT',
};

/** The automatic-persisted-query protocol: the gateway's clients react to these exact codes, so the gateway passes them unchanged. */
export const PROTOCOL_CODES: ReadonlySet<string> = new Set(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);

// GraphQL Armor's refusals (depth, aliases, tokens, cost, directives) arrive as parse or validation errors.
// graphql-js 16.15 spells its token refusal "more that 2000 tokens": match either spelling.
const LIMIT_EXCEEDED = /\blimit of \d+ exceeded\b|Document contains more th[ae][nt] \d+ tokens/i;

/** The registry code of an error that arrives with `code` and `message`, or undefined when nothing says what it is (a bug). */
export function registryCode(code: unknown, message: string): ErrorCode | undefined {
  if (LIMIT_EXCEEDED.test(message)) return 'QUERY_TOO_COMPLEX';
  if (isErrorCode(code)) return code;
  // Own keys only: a code such as "constructor" must not find Object's.
  return typeof code === 'string' && Object.hasOwn(FOREIGN_CODES, code) ? FOREIGN_CODES[code] : undefined;
}

/** A formatted error with a registry code, keeping the path and locations of `base`. */
export function formattedError(base: GraphQLFormattedError, code: ErrorCode, message = base.message): GraphQLFormattedError {
  return {
    message,
    ...(base.locations && { locations: base.locations }),
    ...(base.path && { path: base.path }),
    extensions: { code },
  };
}

/** One problem found in a declaration file: which file, where inside it, and what was expected. */
export interface DeclarationProblem {
  readonly file: string;
  /** Path inside the file, e.g. `outputs[0].format`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** Expected failures are returned, not thrown (exceptions are for bugs). */
export type Result<T> = { readonly value: T; readonly errors?: undefined } | { readonly errors: readonly DeclarationProblem[]; readonly value?: undefined };

/**
 * A result that, when refused, may still carry what could be read (`partial`): the governance rules
 * check it too, so one `meshgate check` run reports every problem of a declaration, not only the
 * first ones that stopped the loader. A partial value is never served.
 */
export type Loaded<T> = Result<T> & { readonly partial?: T };

/** Formats a declaration problem as one line a person can act on. */
export function formatProblem(p: DeclarationProblem): string {
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}
