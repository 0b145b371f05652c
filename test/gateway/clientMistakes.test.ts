/**
 * An operation the graph cannot run is the client's mistake: HTTP 400 with BAD_USER_INPUT and a
 * sentence saying what to do, never a 500, on the enforced gateway and on an open one alike, and
 * the refusal is in the access log like any answer.
 */
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

const MISTAKES: [string, { query: string; operationName?: string }, RegExp][] = [
  ['a mutation', { query: 'mutation { x }' }, /^This graph has no mutations: its data products are read through queries only\.$/],
  ['a subscription', { query: 'subscription { x }' }, /^This graph has no subscriptions/],
  ['an unknown operationName', { query: 'query A { orders(limit: 1) { orderId } }', operationName: 'Nope' }, /^The document has no operation named "Nope"\.$/],
  [
    'two operations and no operationName',
    { query: 'query A { orders(limit: 1) { orderId } } query B { payments(limit: 1) { paymentId } }' },
    /name the one to run in "operationName"/,
  ],
];

let enforced: TestMesh;
let open: TestMesh;
const logged: string[] = [];
beforeAll(async () => {
  [enforced, open] = await Promise.all([startTestMesh({ log: (line) => logged.push(line) }), startTestMesh({ env: { MESHGATE_ACCESS: 'off', MESHGATE_ACCESS_LOG: 'off' } })]);
}, 120_000);
afterAll(() => Promise.all([enforced?.close(), open?.close()]));

async function post(mesh: TestMesh, body: object): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const token = await mesh.token({ roles: ['analyst'] });
  const res = await fetch(mesh.running.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as never };
}

describe.each([
  ['the enforced gateway', () => enforced],
  ['an open gateway', () => open],
])('%s', (_name, mesh) => {
  test.each(MISTAKES)('refuses %s with 400 BAD_USER_INPUT', async (_what, body, message) => {
    const r = await post(mesh(), body);
    expect(r.status).toBe(400);
    expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(r.body.errors?.[0]?.message).toMatch(message);
  });

  test('still runs the operation named among several', async () => {
    const r = await post(mesh(), { query: 'query A { orders(limit: 1) { orderId } } query B { payments(limit: 1) { paymentId } }', operationName: 'B' });
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual({ payments: [{ paymentId: expect.any(String) }] });
  });
});

test.each(MISTAKES)('logs %s with its request id and what the client was told', async (_what, body, message) => {
  const token = await enforced.token({ roles: ['analyst'] });
  const res = await fetch(enforced.running.gateway.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const line = logged.find((l) => l.startsWith(`request ${res.headers.get('x-request-id')}: `));
  expect(line).toMatch(/: refused with 400 BAD_USER_INPUT: /);
  expect(line?.replace(/^.*: refused with 400 BAD_USER_INPUT: /, '')).toMatch(message);
});

test('the refusal is an access-log entry', async () => {
  const written = async (): Promise<number> =>
    Number(/^meshgate_access_log_entries_total\{result="written"\} (\d+)$/m.exec(await (await fetch(new URL('/metrics', enforced.running.gateway.url))).text())?.[1]);
  const before = await written();
  await post(enforced, { query: 'mutation { x }' });
  expect(await written()).toBe(before + 1);
});
