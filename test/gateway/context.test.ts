import { createRequestContext } from '../../gateway/index.js';

describe('createRequestContext', () => {
  it('starts every request without a principal', () => {
    expect(createRequestContext({}).principal).toBeNull();
  });

  it('keeps a short, safe request id from the caller', () => {
    expect(createRequestContext({ 'x-request-id': 'abc-123_x.y' }).requestId).toBe('abc-123_x.y');
  });

  it.each(['', 'a b', 'a'.repeat(65), 'id\r\nset-cookie: x', '../etc', '<script>'])('replaces the unsafe request id %j with a UUID', (offered) => {
    expect(createRequestContext({ 'x-request-id': offered }).requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reads the Apollo client name and version, dropping overlong or binary values', () => {
    const ctx = createRequestContext({ 'apollographql-client-name': 'notebook', 'apollographql-client-version': 'v'.repeat(200) });
    expect(ctx.clientName).toBe('notebook');
    expect(ctx.clientVersion).toBeUndefined();
    expect(createRequestContext({ 'apollographql-client-name': 'a\u0000b' }).clientName).toBeUndefined();
  });

  it('stamps the arrival time', () => {
    expect(createRequestContext({}, 1_700_000_000_000).startedAt).toBe(1_700_000_000_000);
  });
});
