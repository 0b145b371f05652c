import { BadUserInputError, ERROR_CODES, formattedError, ForbiddenError, InternalError, isErrorCode, MeshgateError, PROTOCOL_CODES, registryCode } from '../../schema/index.js';

describe('the registry code of an error', () => {
  it("keeps meshgate's own codes", () => {
    for (const code of Object.keys(ERROR_CODES)) expect(registryCode(code, 'whatever')).toBe(code);
  });

  it("reads Apollo Server's and graphql-js's codes for a request the client got wrong as BAD_USER_INPUT", () => {
    for (const code of [
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'BAD_REQUEST',
      'OPERATION_RESOLUTION_FAILURE',
      'PERSISTED_QUERY_NOT_FOUND',
      'PERSISTED_QUERY_NOT_SUPPORTED',
    ]) {
      expect([code, registryCode(code, 'x')]).toEqual([code, 'BAD_USER_INPUT']);
    }
  });

  it("reads GraphQL Armor's and graphql-js's limit refusals as QUERY_TOO_COMPLEX, whatever their code", () => {
    expect(registryCode('GRAPHQL_VALIDATION_FAILED', 'Syntax Error: Query depth limit of 12 exceeded, found 13.')).toBe('QUERY_TOO_COMPLEX');
    expect(registryCode('BAD_USER_INPUT', 'Aliases limit of 15 exceeded, found 16.')).toBe('QUERY_TOO_COMPLEX');
    expect(registryCode('GRAPHQL_PARSE_FAILED', 'Syntax Error: Document contains more that 2000 tokens. Parsing aborted.')).toBe('QUERY_TOO_COMPLEX');
    expect(registryCode(undefined, 'Document contains more than 2000 tokens.')).toBe('QUERY_TOO_COMPLEX');
  });

  it('knows no code for an error that says nothing of what it is, or whose code is not a string', () => {
    expect(registryCode(undefined, 'Cannot read properties of undefined')).toBeUndefined();
    expect(registryCode('SOMETHING_ELSE', 'x')).toBeUndefined();
    expect(registryCode(403, 'x')).toBeUndefined();
  });

  it('knows no code for a code that names a property every object has', () => {
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect([code, registryCode(code, 'x'), isErrorCode(code)]).toEqual([code, undefined, false]);
    }
  });

  it('passes the persisted-query protocol codes to clients that speak it', () => {
    expect([...PROTOCOL_CODES].sort()).toEqual(['PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED']);
  });
});

describe('meshgate errors', () => {
  it('carry their code in extensions, and an HTTP status only when given one', () => {
    expect(new ForbiddenError('no').extensions).toEqual({ code: 'FORBIDDEN' });
    expect(new BadUserInputError('bad', { httpStatus: 400 }).extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
  });

  it('keep their cause for the logs, out of what a client sees', () => {
    const cause = new Error('duckdb said something internal');
    const error = new InternalError(undefined, { cause });
    expect(error).toBeInstanceOf(MeshgateError);
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('Internal server error: the request could not be completed.');
    expect(JSON.stringify(error.toJSON())).not.toContain('duckdb');
  });
});

describe('a formatted error', () => {
  it('keeps the path and locations, replaces every extension with the code, and may replace the message', () => {
    const base = { message: 'raw', path: ['orders', 0], locations: [{ line: 1, column: 2 }], extensions: { code: 'X', stacktrace: ['at a.js:1'] } };
    expect(formattedError(base, 'FORBIDDEN', 'You may not.')).toEqual({
      message: 'You may not.',
      path: ['orders', 0],
      locations: [{ line: 1, column: 2 }],
      extensions: { code: 'FORBIDDEN' },
    });
    expect(formattedError({ message: 'raw' }, 'BAD_USER_INPUT')).toEqual({ message: 'raw', extensions: { code: 'BAD_USER_INPUT' } });
  });
});
