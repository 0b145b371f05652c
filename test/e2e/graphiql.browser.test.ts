/**
 * An analyst's first visit to the offline GraphiQL page, in a real headless Chromium against the
 * real sample mesh: the page loads from the gateway alone, shows the missing token gracefully,
 * takes a token typed into its Headers tab, runs a typed query and documents the schema.
 *
 * The tests share one browser page and run in order, as one visit does.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page, type Request } from 'playwright-core';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const QUERY = '{ orders(limit: 2) { orderId customer { email } } }';
const SCREENSHOT = path.join(tmpdir(), 'meshgate-graphiql.png');

/** A console error the page logged. */
interface ConsoleError {
  readonly text: string;
  /** Whether a token had been typed into the Headers tab by then. */
  readonly withToken: boolean;
}

/** A request the page made, as the test output lists it: method, URL, status and, for GraphQL, the operation. */
async function describeRequest(r: Request): Promise<string> {
  const status = (await r.response().catch(() => null))?.status() ?? 'no response';
  const operation = /^\{"query":"(query \w+|[^"]{0,60})/.exec(r.postData() ?? '')?.[1];
  return `${r.method()} ${r.url()} -> ${status}${operation ? ` (${operation})` : ''}${r.headers()['authorization'] ? ' [Authorization sent]' : ''}`;
}

/** True when fetching `url` stays on this machine: loopback, or data the page already holds. */
function staysOnLoopback(url: string): boolean {
  const u = new URL(url);
  if (u.protocol === 'data:') return true;
  // The page turns its inlined worker scripts into blob: URLs; their origin is the page's own.
  if (u.protocol === 'blob:') return staysOnLoopback(u.pathname);
  return ['http:', 'https:', 'ws:', 'wss:'].includes(u.protocol) && u.hostname === '127.0.0.1';
}

/** The text a Monaco editor shows (it renders spaces as no-break spaces). */
async function editorText(editor: Locator): Promise<string> {
  return ((await editor.locator('.view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');
}

/** Replaces the text of a Monaco editor by clicking into it and typing, key by key, as a user does. */
async function typeInto(page: Page, editor: Locator, text: string): Promise<void> {
  await editor.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // Monaco closes brackets and quotes as they open and types over the closer when it comes, so the typed text ends up exact.
  await page.keyboard.type(text);
  expect(await editorText(editor)).toBe(text);
}

describe('the offline GraphiQL page, as an analyst uses it', () => {
  let mesh: TestMesh;
  let browser: Browser;
  let page: Page;
  let token: string;
  let withToken = false;
  const requests: Request[] = [];
  const websockets: string[] = [];
  const consoleErrors: ConsoleError[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: install Debian's with "apt-get update && apt-get install -y chromium" (.ci/run does), not "npx playwright install".`);
    }
    mesh = await startTestMesh();
    token = await mesh.token({ sub: 'graphiql-analyst', roles: ['analyst'] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    context.setDefaultTimeout(15_000);
    // Recorded on the context, so requests of the page's workers count too.
    context.on('request', (r) => requests.push(r));
    page = await context.newPage();
    page.on('websocket', (ws) => websockets.push(ws.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push({ text: `${m.text()} (${m.location().url})`, withToken });
    });
    page.on('pageerror', (e) => consoleErrors.push({ text: `uncaught ${e.name}: ${e.message}`, withToken }));
    await page.goto(mesh.running.gateway.graphqlUrl);
  });

  afterAll(async () => {
    if (page) {
      await page.screenshot({ path: SCREENSHOT, fullPage: true }).then(
        () => console.log(`GraphiQL screenshot: ${SCREENSHOT}`),
        (e: unknown) => console.log(`no GraphiQL screenshot: ${String(e)}`),
      );
      const listed = await Promise.all(requests.map(describeRequest));
      console.log(`requests of the GraphiQL page:\n${[...listed, ...websockets.map((u) => `WEBSOCKET ${u}`)].map((l) => `  ${l}`).join('\n')}`);
      console.log(`console errors of the GraphiQL page:\n${consoleErrors.map((e) => `  ${e.withToken ? 'with token' : 'before token'}: ${e.text}`).join('\n') || '  none'}`);
    }
    await browser?.close();
    await mesh?.close();
  });

  it('shows the missing token as an UNAUTHENTICATED result, not a broken page', async () => {
    // GraphiQL introspects on load, before anyone can type a token: the gateway answers 401.
    const response = page.locator('.graphiql-response');
    await response.getByText('UNAUTHENTICATED').waitFor();
    await expect(editorText(response)).resolves.toContain('A valid bearer token is required');
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Error fetching schema').waitFor();
    await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();
  });

  it('sends the token typed into the Headers tab, once the schema is re-fetched', async () => {
    // The user-visible path: the gateway renders the page without `headers`/`defaultHeaders`, and the
    // yoga page reads only `?query=` from its URL, so a user's one way in is the Headers tab.
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    const headersEditor = page.locator('.monaco-editor[data-uri$="request-headers.json"]');
    await headersEditor.waitFor({ state: 'visible' });
    await typeInto(page, headersEditor, `{"Authorization": "Bearer ${token}"}`);
    withToken = true;
    // GraphiQL does not introspect again when the headers change: the user presses its re-fetch button.
    const introspection = page.waitForResponse((r) => (r.request().postData() ?? '').includes('IntrospectionQuery'));
    await page.getByRole('button', { name: /^Re-fetch GraphQL schema/ }).click();
    const answer = await introspection;
    expect(answer.request().headers()['authorization']).toBe(`Bearer ${token}`);
    expect(answer.status()).toBe(200);
  });

  it('runs a typed query and shows the orders with masked emails', async () => {
    const queryEditor = page.locator('.monaco-editor[data-uri$="operation.graphql"]');
    await typeInto(page, queryEditor, QUERY);
    // The run button rather than Ctrl-Enter: a click works whether or not an autocompletion popup is open.
    await page.getByRole('button', { name: /^Execute query/ }).click();
    const response = page.locator('.graphiql-response');
    await response.getByText('***@').first().waitFor();
    const shown = await editorText(response);

    type Orders = { orders: { orderId: string; customer: { email: string } }[] };
    const asAnalyst = await mesh.query<Orders>(QUERY, undefined, { authorization: `Bearer ${token}` });
    const asOwner = await mesh.query<Orders>(QUERY);
    expect(asAnalyst.data?.orders).toHaveLength(2);
    for (const [i, order] of asAnalyst.data!.orders.entries()) {
      expect(order.customer.email).toContain('***@');
      expect(shown).toContain(`"orderId": "${order.orderId}"`);
      expect(shown).toContain(`"email": "${order.customer.email}"`);
      expect(shown).not.toContain(asOwner.data!.orders[i]!.customer.email);
    }
    expect(shown).not.toContain('"errors"');
  });

  it('lists orders in the documentation explorer', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByRole('link', { name: 'Query', exact: true }).first().click();
    await docs.locator('.graphiql-doc-explorer-title', { hasText: 'Query' }).waitFor();
    await docs.getByRole('link', { name: 'orders', exact: true }).waitFor();
  });

  it('fetched nothing from beyond 127.0.0.1 and logged no errors of its own', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.map((r) => r.url()).filter((url) => !staysOnLoopback(url))).toEqual([]);
    expect(websockets.filter((url) => !staysOnLoopback(url))).toEqual([]);
    // The only errors expected are the browser's notes of the 401s to the introspection before the token.
    const expected401 = `Failed to load resource: the server responded with a status of 401 (Unauthorized) (${mesh.running.gateway.graphqlUrl})`;
    expect(consoleErrors.filter((e) => e.withToken || e.text !== expected401)).toEqual([]);
  });
});
