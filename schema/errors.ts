/**
 * The error registry: every error a client can see carries one of these codes in
 * `extensions.code`, so a client can branch on it. Messages are for people; codes are for programs.
 */

/** Client-facing error codes with what each means (README.md lists them for clients, under "A tour for applications"). */
export const ERROR_CODES = {
  UNAUTHENTICATED: 'No valid credentials were presented.',
  FORBIDDEN: 'The caller may not read this product or field.',
  BAD_USER_INPUT: 'The request is malformed: unknown field, wrong type, bad cursor, limit out of range.',
  QUERY_TOO_COMPLEX: 'The operation exceeds a depth, cost, alias or size limit.',
  PRODUCT_UNAVAILABLE: 'The product cannot be served right now (its data is missing or its domain is down).',
  INTERNAL_SERVER_ERROR: 'Something failed inside meshgate; the request id identifies it in the logs.',
} as const;

/** One of the stable client-facing error codes. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Base class of every expected meshgate error: a stable code, a message safe to show, details in `cause`. */
export class MeshgateError extends Error {
  override readonly name: string = 'MeshgateError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A request the caller got wrong (BAD_USER_INPUT). */
export class BadUserInputError extends MeshgateError {
  override readonly name = 'BadUserInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('BAD_USER_INPUT', message, options);
  }
}

/** A product that cannot be served right now (PRODUCT_UNAVAILABLE). */
export class ProductUnavailableError extends MeshgateError {
  override readonly name = 'ProductUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('PRODUCT_UNAVAILABLE', message, options);
  }
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

/** Formats a declaration problem as one line a person can act on. */
export function formatProblem(p: DeclarationProblem): string {
  return p.path ? `${p.file}: ${p.path}: ${p.message}` : `${p.file}: ${p.message}`;
}
