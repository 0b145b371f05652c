/**
 * The gateway's subgraph calls, with a transport that records what it is sent: identical calls in
 * flight merge only between requests holding the same grant (never across grants, never for a
 * request without a signed context, never when merging is off); each merged caller gets its own
 * copy of the answer and its own row counts; and the subgraph always gets the caller's headers
 * built from scratch.
 */
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { createRequestContext, type RequestContext } from '../../gateway/index.js';
import { SubgraphDataSource } from '../../gateway/SubgraphDataSource.js';
import { TransportError, type SubgraphReply, type SubgraphRequest, type SubgraphTransport } from '../../gateway/index.js';

/** A transport answering after `ms` with a body naming the grant it was sent, recording every request. */
function recordingTransport(ms = 30): SubgraphTransport & { sent: SubgraphRequest[] } {
  const sent: SubgraphRequest[] = [];
  return {
    sent,
    async send(request): Promise<SubgraphReply> {
      sent.push(request);
      await new Promise((r) => setTimeout(r, ms));
      const context = request.headers['x-meshgate-context'] ?? 'none';
      return { status: 200, body: { data: { orders: [{ orderId: 'o1', seenWith: context }] }, extensions: { meshgate: { rows: { orders: 1 } } } } };
    },
  };
}

const failures: string[] = [];

function source(transport: SubgraphTransport, mergeInFlight = true): SubgraphDataSource {
  return new SubgraphDataSource({
    name: 'commerce',
    transport,
    timeoutMs: 1_000,
    headersForSubgraph: () => ({}),
    accessContext: (ctx) => (ctx.access.token === undefined ? undefined : ['x-meshgate-context', ctx.access.token]),
    mergeInFlight,
    onFailure: (_name, reason, _cause, ctx) => void failures.push(`${reason} ${ctx?.requestId}`),
  });
}

/** A request context as the enforcement plugin leaves it: a principal, a signed token (unique per request) and its grant. */
function signedContext(grant: string | undefined, id: string): RequestContext {
  // The test names the request: the server's id is otherwise a fresh UUID.
  const ctx: RequestContext = { ...createRequestContext({}), requestId: id };
  ctx.principal = { sub: id, roles: [], attributes: {} } as unknown as RequestContext['principal'];
  ctx.access.token = `token-of-${id}-${grant ?? 'unsigned'}`;
  if (grant !== undefined) ctx.access.grant = grant;
  return ctx;
}

const ask = (ds: SubgraphDataSource, ctx: RequestContext, variables: Record<string, unknown> = { first: 20 }) =>
  ds.process({
    kind: 'incoming operation',
    request: { query: 'query($first: Int){ orders(limit: $first) { orderId } }', variables },
    context: ctx,
    incomingRequestContext: {} as never,
  } as GraphQLDataSourceProcessOptions<RequestContext>);

describe('SubgraphDataSource', () => {
  it('merges identical calls in flight under one grant, and never across grants', async () => {
    const t = recordingTransport();
    const ds = source(t);
    const contexts = ['A', 'B', 'A', 'B', 'A'].map((g, i) => signedContext(g, `r${i}`));
    const answers = await Promise.all(contexts.map((c) => ask(ds, c)));
    expect(t.sent).toHaveLength(2);
    expect(t.sent.map((r) => r.headers['x-meshgate-context'])).toEqual(['token-of-r0-A', 'token-of-r1-B']);
    // Each caller got the answer of a call made with a context of its own grant.
    answers.forEach((a, i) => expect((a.data as { orders: { seenWith: string }[] }).orders[0]!.seenWith).toMatch(new RegExp(`-${['A', 'B', 'A', 'B', 'A'][i]}$`)));
    for (const c of contexts) expect(c.audit.rows.get('orders')).toBe(1);
  });

  it('gives each merged caller its own copy of the answer', async () => {
    const ds = source(recordingTransport());
    const [a, b] = await Promise.all([ask(ds, signedContext('A', 'r1')), ask(ds, signedContext('A', 'r2'))]);
    (a.data as { orders: { orderId: string }[] }).orders[0]!.orderId = 'changed';
    expect((b.data as { orders: { orderId: string }[] }).orders[0]!.orderId).toBe('o1');
  });

  it('does not merge calls whose variables differ, nor calls made one after the other', async () => {
    const t = recordingTransport(5);
    const ds = source(t);
    await Promise.all([ask(ds, signedContext('A', 'r1'), { first: 20 }), ask(ds, signedContext('A', 'r2'), { first: 21 })]);
    await ask(ds, signedContext('A', 'r3'));
    expect(t.sent).toHaveLength(3);
  });

  it('never merges a request whose grant is unknown, nor any call when merging is off', async () => {
    const t = recordingTransport();
    await Promise.all([ask(source(t), signedContext(undefined, 'r1')), ask(source(t), signedContext(undefined, 'r2'))]);
    expect(t.sent).toHaveLength(2);
    const off = recordingTransport();
    const ds = source(off, false);
    await Promise.all([ask(ds, signedContext('A', 'r1')), ask(ds, signedContext('A', 'r2'))]);
    expect(off.sent).toHaveLength(2);
  });

  it('sends the request id and the access context it builds, nothing else', async () => {
    const t = recordingTransport(0);
    await ask(source(t), signedContext('A', 'req-1'));
    expect(t.sent[0]!.headers).toEqual({ 'x-meshgate-context': 'token-of-req-1-A', 'x-request-id': 'req-1' });
  });

  it('reports a failed call once however many requests waited for it, and answers each with an error of its own', async () => {
    failures.length = 0;
    const down: SubgraphTransport = {
      send: async () => {
        await new Promise((r) => setTimeout(r, 20));
        throw new TransportError('unreachable', 'ECONNREFUSED 10.0.0.7:4002');
      },
    };
    const ds = source(down);
    const contexts = [1, 2, 3].map((i) => signedContext('A', `r${i}`));
    const errors = await Promise.all(
      contexts.map((c) =>
        ask(ds, c).then(
          () => null,
          (e: unknown) => e as Error,
        ),
      ),
    );
    expect(errors.map((e) => e?.message)).toEqual(Array(3).fill('The "commerce" domain is unavailable'));
    expect(new Set(errors).size).toBe(3);
    expect(failures).toEqual(['unreachable r1']);
  });
});
