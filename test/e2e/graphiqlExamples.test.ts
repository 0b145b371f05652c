/**
 * The GraphiQL page's example tabs, as served, run against the real sample mesh without a browser:
 * every tab of the page (the welcome tab's query and each example, with its variables) answers an
 * analyst with data and no error, so CI catches a broken example even when the browser test cannot
 * run. The tabs are read from the page itself, so what is checked is what an analyst gets.
 */
import { EXAMPLES, WELCOME_EXAMPLE } from '../../gateway/index.js';
import { operationName } from '../../gateway/graphiql/welcomeTab.js';
import { rawRequest } from '../support/rawRequest.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

/** A tab as the page hands it to GraphiQL. */
interface PageTab {
  readonly query: string;
  readonly variables: string | null;
}

let mesh: TestMesh;
let tabs: PageTab[];
let analyst: string;

beforeAll(async () => {
  mesh = await startTestMesh();
  analyst = await mesh.token({ sub: 'examples-analyst', roles: ['analyst'] });
  const html = (await rawRequest(mesh.running.gateway.graphqlUrl, { method: 'GET', headers: { accept: 'text/html' } })).text;
  const config = /<script id="meshgate-config" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1];
  if (!config) throw new Error('the GraphiQL page carries no meshgate-config element');
  tabs = (JSON.parse(config) as { graphiql: { defaultTabs: PageTab[] } }).graphiql.defaultTabs;
});
afterAll(() => mesh?.close());

/** Every value of a response's data is there: no null field and no empty list at the top. */
const emptyFields = (data: Record<string, unknown>): string[] => Object.entries(data).flatMap(([k, v]) => (v === null || (Array.isArray(v) && v.length === 0) ? [k] : []));

describe('the GraphiQL example tabs', () => {
  it('are the welcome tab and every example of examples.ts, in order (none left off the sample mesh)', () => {
    expect(tabs.map((t) => operationName(t.query))).toEqual([WELCOME_EXAMPLE, ...EXAMPLES].map((e) => operationName(e.query)));
  });

  it.each([WELCOME_EXAMPLE, ...EXAMPLES].map((e) => [operationName(e.query)!] as const))('%s answers an analyst with data and no error', async (name) => {
    const tab = tabs.find((t) => operationName(t.query) === name)!;
    const variables = tab.variables ? (JSON.parse(tab.variables) as Record<string, unknown>) : undefined;
    const r = await mesh.query(tab.query, variables, { authorization: `Bearer ${analyst}` });
    expect({ status: r.status, errors: r.errors }).toEqual({ status: 200, errors: undefined });
    expect(emptyFields(r.data!)).toEqual([]);
  });

  it('show an analyst masked personal data, as the titles say', async () => {
    const tab = tabs.find((t) => operationName(t.query) === 'OrdersWithCustomers')!;
    const r = await mesh.query<{ orders: { customer: { email: string; fullName: string } }[] }>(tab.query, undefined, { authorization: `Bearer ${analyst}` });
    for (const o of r.data!.orders) expect(o.customer).toMatchObject({ email: expect.stringContaining('***@'), fullName: '***' });
  });
});
