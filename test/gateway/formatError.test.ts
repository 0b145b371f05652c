import { formatError } from '../../gateway/formatError.js';

describe('formatError', () => {
  it('gives an error without a code INTERNAL_SERVER_ERROR', () => {
    expect(formatError({ message: 'boom' }, new Error('boom'))).toEqual({ message: 'boom', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
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
    const formatted = formatError({ message: 'connect ECONNREFUSED 127.0.0.1:4002' }, null);
    expect(formatted.message).toBe('Internal server error');
  });
});
