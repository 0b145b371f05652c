import { formatError } from '../../gateway/formatError.js';

describe('formatError', () => {
  it('gives an error without a code INTERNAL_SERVER_ERROR and hides its message, which may describe internals', () => {
    expect(formatError({ message: 'object is not iterable (cannot read property Symbol(Symbol.iterator))' }, new TypeError('x'))).toEqual({
      message: 'Internal server error: the request could not be completed.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('gives an error whose code names a property of every object INTERNAL_SERVER_ERROR, and hides its message', () => {
    for (const code of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(formatError({ message: 'select failed at /srv/app/x.ts:12', extensions: { code } }, null)).toEqual({
        message: 'Internal server error: the request could not be completed.',
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    }
  });

  it('keeps the code, path and locations a subgraph set', () => {
    const formatted = { message: 'bad email', path: ['customer'], locations: [{ line: 1, column: 3 }], extensions: { code: 'BAD_USER_INPUT' } };
    expect(formatError(formatted, null)).toEqual(formatted);
  });

  it('strips stack traces, exceptions, the subgraph name and the raw subgraph response', () => {
    const formatted = formatError(
      {
        message: 'x',
        extensions: { code: 'FORBIDDEN', stacktrace: ['at a.js:1'], exception: { stacktrace: [] }, serviceName: 'commerce', response: { url: 'http://10.0.0.1' } },
      },
      null,
    );
    expect(formatted.extensions).toEqual({ code: 'FORBIDDEN' });
  });

  it('hides URLs in messages', () => {
    const formatted = formatError({ message: 'request to http://10.1.2.3:4002/graphql failed, see https://x.example/y', extensions: { code: 'X' } }, null);
    expect(formatted.message).not.toMatch(/https?:|10\.1\.2\.3|x\.example/);
  });

  it('replaces a message that names a socket error', () => {
    const formatted = formatError({ message: 'connect ECONNREFUSED 127.0.0.1:4002', extensions: { code: 'PRODUCT_UNAVAILABLE' } }, null);
    expect(formatted.message).toBe('Internal server error');
  });
});
