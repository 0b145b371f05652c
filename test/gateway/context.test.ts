import { createRequestContext } from '../../gateway/index.js';

describe('createRequestContext', () => {
  it('starts every request without a principal', () => {
    expect(createRequestContext({}).principal).toBeNull();
  });

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('assigns its own request id and keeps a short, safe one from the caller beside it', () => {
    const ctx = createRequestContext({ 'x-request-id': 'abc-123_x.y' });
    expect(ctx.requestId).toMatch(UUID);
    expect(ctx.clientRequestId).toBe('abc-123_x.y');
  });

  it('gives two requests with the same client id two server ids', () => {
    expect(createRequestContext({ 'x-request-id': 'same' }).requestId).not.toBe(createRequestContext({ 'x-request-id': 'same' }).requestId);
  });

  it.each(['', 'a b', 'a'.repeat(65), 'id\r\nset-cookie: x', '../etc', '<script>'])('drops the unsafe client request id %j', (offered) => {
    const ctx = createRequestContext({ 'x-request-id': offered });
    expect(ctx.requestId).toMatch(UUID);
    expect(ctx.clientRequestId).toBeUndefined();
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
