// The callbacks given to page.evaluate run in the browser: they need the DOM types.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The catalog page as analysts and stewards use it, in a real headless Chromium against the real
 * sample mesh: the page asks for a token, lists what the token may read, searches, opens a product
 * (PII badges, the caller's masks, a masked sample, the lineage picture laid out by dagre), opens
 * GraphiQL with a ready query that runs, and shows the mesh health dashboard. It loads nothing from
 * beyond 127.0.0.1 and logs no console error of its own; dynamic text never becomes markup.
 *
 * The tests share one browser page and run in order, as one visit does. Screenshots are kept in
 * test-artifacts/ (git-ignored).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type BrowserContext, type Locator, type Page, type Request } from 'playwright-core';
import { REPO_ROOT } from '../../cli/config.js';
import { editorText, launchChromium, staysOnLoopback } from '../support/browser.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
/** An email as the CRM holds it: first.last followed by the account number (subgraphs/customers/generate.ts). */
const RAW_EMAIL = /\b[a-z]+\.[a-z]+\d+@[a-z]+\.[a-z]+\b/i;
const XSS = '<img src=x onerror=alert(1)>';

/** A console error the page logged, and whether the test expected the browser to note a 401 then. */
interface ConsoleError {
  readonly text: string;
  readonly during401: boolean;
}

async function shoot(target: Page | Locator, name: string): Promise<void> {
  const file = path.join(ARTIFACTS, name);
  await ('goto' in target ? target.screenshot({ path: file, fullPage: true }) : target.screenshot({ path: file }));
  console.log(`catalog screenshot: ${file}`);
}

describe('the catalog page, as analysts and stewards use it', () => {
  let mesh: TestMesh;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let analyst: string;
  let steward: string;
  let during401 = false;
  const requests: Request[] = [];
  const websockets: string[] = [];
  const consoleErrors: ConsoleError[] = [];
  const dialogs: string[] = [];

  const card = (name: string): Locator => page.locator(`#product-list .card[data-product="${name}"]`);
  const listedNames = async (): Promise<string[]> => page.locator('#product-list .card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.product ?? ''));

  async function signIn(token: string): Promise<void> {
    await page.getByLabel('Bearer token (JWT)').fill(token);
    await page.getByRole('button', { name: 'Use this token' }).click();
  }

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    mesh = await startTestMesh();
    analyst = await mesh.token({ sub: 'catalog-analyst', roles: ['analyst'] });
    steward = await mesh.token({ sub: 'catalog-steward', roles: ['steward'] });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    context.setDefaultTimeout(15_000);
    // The product page's "Copy the headers for GraphiQL" writes to the clipboard, which GraphiQL is pasted from.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: mesh.running.gateway.url });
    // Recorded on the context, so requests of GraphiQL's workers count too.
    context.on('request', (r) => requests.push(r));
    page = await context.newPage();
    page.on('websocket', (ws) => websockets.push(ws.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push({ text: `${m.text()} (${m.location().url})`, during401 });
    });
    page.on('pageerror', (e) => consoleErrors.push({ text: `uncaught ${e.name}: ${e.message}`, during401 }));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    if (page) {
      const listed = requests.map((r) => `${r.method()} ${r.url().slice(0, 120)}${r.headers()['authorization'] ? ' [Authorization sent]' : ''}`);
      console.log(`requests of the catalog page:\n${[...listed, ...websockets.map((u) => `WEBSOCKET ${u}`)].map((l) => `  ${l}`).join('\n')}`);
      console.log(`console errors:\n${consoleErrors.map((e) => `  ${e.during401 ? '(401 expected) ' : ''}${e.text}`).join('\n') || '  none'}`);
    }
    await browser?.close();
    await mesh?.close();
  });

  it('is where / leads, and asks for a token before anything else', async () => {
    await page.goto(`${mesh.running.gateway.url}/`);
    expect(new URL(page.url()).pathname).toBe('/catalog');
    await page.getByRole('heading', { name: 'Sign in with a token' }).waitFor();
    await expect(page.getByText('npx meshgate token --sub you --roles analyst').first().isVisible()).resolves.toBe(true);
    // No GraphQL request goes out without a token.
    expect(requests.filter((r) => r.url().endsWith('/graphql'))).toEqual([]);
    await shoot(page, 'catalog-sign-in.png');
  });

  it('says when the gateway refuses a token, and how to get one', async () => {
    const [header, payload] = analyst.split('.');
    during401 = true;
    await signIn(`${header}.${payload}.${'A'.repeat(86)}`);
    await page.getByText('The gateway did not accept your token (HTTP 401)').waitFor();
    await expect(page.locator('#sign-in-reason').textContent()).resolves.toContain('npx meshgate token --sub you --roles analyst');
    during401 = false;
  });

  it('lists what an analyst may read, the access log not among it, and says what the token may see', async () => {
    await signIn(analyst);
    await card('customer-profiles').waitFor();
    expect((await listedNames()).sort()).toEqual(['customer-profiles', 'order-lines', 'orders-enriched', 'payments', 'shipment-events']);
    const claim = (term: string): Promise<string | null> => page.locator(`#session-claims dd[data-claim="${term}"]`).textContent();
    await expect(claim('Signed in as')).resolves.toBe('catalog-analyst');
    await expect(claim('Roles')).resolves.toBe('analyst');
    await expect(claim('May see')).resolves.toBe('5 products');
    await expect(claim('Expires')).resolves.toMatch(/^in \d+ min/);
    await expect(card('customer-profiles').locator('.badge-pii').textContent()).resolves.toBe('PII');
    // The token stays in this tab's session storage and out of every URL.
    await expect(page.evaluate(() => [sessionStorage.length, localStorage.length])).resolves.toEqual([1, 0]);
    expect(requests.filter((r) => r.url().includes(analyst.split('.')[2]!))).toEqual([]);
    const graphqlRequests = requests.filter((r) => r.url().endsWith('/graphql') && r.method() === 'POST');
    expect(graphqlRequests.length).toBeGreaterThan(0);
    expect(graphqlRequests.at(-1)!.headers()['authorization']).toBe(`Bearer ${analyst}`);
    await shoot(page, 'catalog-list.png');
  });

  it('searches as the analyst types and ranks customer-profiles first for "email"', async () => {
    const searched = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('"search":"email"'));
    await page.getByRole('searchbox', { name: 'Search' }).pressSequentially('email', { delay: 30 });
    const ranked = ((await (await searched).json()) as { data: { dataProducts: { name: string }[] } }).data.dataProducts.map((p) => p.name);
    expect(ranked[0]).toBe('customer-profiles');
    // The page shows the server's ranking as it came.
    await page.waitForFunction((names) => [...document.querySelectorAll<HTMLElement>('#product-list .card')].map((c) => c.dataset.product).join() === names.join(), ranked);
    await expect(page.locator('#result-count').textContent()).resolves.toBe(`${ranked.length} of 5 products match`);
    expect(new URL(page.url()).search).toBe('?search=email');
  });

  it('opens the product page from the keyboard, with a PII badge and the mask on each personal field', async () => {
    await card('customer-profiles').getByRole('link', { name: 'customer-profiles' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'customer-profiles' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/catalog/product/customer-profiles');
    const row = (field: string): Locator => page.locator(`#schema-table tr[data-field="${field}"]`);
    const expected = { fullName: ['name', 'redact'], email: ['email', 'email'], phone: ['phone', 'last4'], birthDate: ['date-of-birth', 'year'] };
    for (const [field, [classification, mask]] of Object.entries(expected)) {
      await expect(row(field).locator('.pii-cell').textContent()).resolves.toBe(`PII: ${classification}`);
      await expect(row(field).locator('.access-cell').textContent()).resolves.toBe(`masked: ${mask}`);
    }
    await expect(row('country').locator('.pii-cell').textContent()).resolves.toBe('none');
    await expect(row('country').locator('.access-cell').textContent()).resolves.toBe('clear');
    await expect(row('customerId').locator('.access-cell').textContent()).resolves.toBe('clear');
  });

  it('shows the sample masked: no raw email anywhere on the page', async () => {
    const sample = page.locator('#sample-table');
    const header = await sample.locator('thead th').allTextContents();
    const emailColumn = header.indexOf('email');
    const idColumn = header.indexOf('customerId');
    expect(emailColumn).toBeGreaterThanOrEqual(0);
    const rows = await sample.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(rows.length).toBeGreaterThan(0);
    for (const cells of rows) expect(cells[emailColumn]).toMatch(/^[a-z]\*\*\*@[a-z]+\.[a-z]+$/);
    // The same customers' real emails, as their owner reads them, appear nowhere in what the analyst sees.
    const ids = rows.map((cells) => cells[idColumn]!);
    const raw = await mesh.query<{ customers: { email: string }[] }>('query($ids: [ID!]) { customers(where: { customerId: { in: $ids } }) { email } }', { ids });
    expect(raw.data?.customers).toHaveLength(ids.length);
    const text = await page.locator('body').innerText();
    for (const { email } of raw.data!.customers) {
      expect(email).toMatch(RAW_EMAIL);
      expect(text).not.toContain(email);
    }
    expect(text).not.toMatch(RAW_EMAIL);
    await expect(page.locator('#profile-table tr[data-field="email"] .withheld').textContent()).resolves.toContain('you read this field masked');
  });

  it('draws the lineage laid out by dagre: the CRM source upstream, orders-enriched downstream, this product highlighted', async () => {
    const graph = page.locator('#lineage-graph');
    const node = (kind: string, name: string): Locator => graph.locator(`.lineage-node[data-kind="${kind}"][data-name="${name}"]`);
    const source = node('SOURCE', 'crm-accounts');
    const current = node('PRODUCT', 'customer-profiles');
    const downstream = node('PRODUCT', 'orders-enriched');
    await expect(current.getAttribute('class')).resolves.toContain('current');
    await expect(graph.locator('.lineage-edge[data-from="source:customers/crm-accounts"][data-to="product:customer-profiles"][data-kind="INPUT"]').count()).resolves.toBe(1);
    await expect(graph.locator('.lineage-edge[data-from="product:customer-profiles"][data-to="product:orders-enriched"]').count()).resolves.toBe(2);
    // Laid out left to right along the flow: the source, this product, then what is built from it.
    const [s, c, d] = await Promise.all([source, current, downstream].map((l) => l.boundingBox()));
    expect(s!.x + s!.width).toBeLessThan(c!.x);
    expect(c!.x + c!.width).toBeLessThan(d!.x);
    await shoot(page.locator('#lineage .lineage'), 'catalog-lineage.png');
    await shoot(page, 'catalog-product.png');

    // A product node links to its page.
    await page.locator('#lineage-graph a[href="/catalog/product/orders-enriched"]').click();
    await page.getByRole('heading', { level: 1, name: 'orders-enriched' }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'customer-profiles' }).waitFor();
  });

  it('opens GraphiQL with a ready query for the product, which runs with the token pasted into its Headers tab', async () => {
    await page.getByRole('button', { name: 'Copy the headers for GraphiQL' }).click();
    await page.getByText('Copied: paste it into GraphiQL').waitFor();
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(JSON.stringify({ Authorization: `Bearer ${analyst}` }));
    const link = page.getByRole('link', { name: 'Open in GraphiQL' });
    const query = new URL(String(await link.getAttribute('href')), mesh.running.gateway.url).searchParams.get('query') ?? '';
    expect(query).toContain('customers(limit: 10)');
    expect(query).toContain('email');
    // GraphiQL introspects on load, before the token is in its Headers tab: the gateway answers 401.
    during401 = true;
    await link.click();
    const queryEditor = page.locator('.monaco-editor[data-uri$="operation.graphql"]');
    await queryEditor.waitFor();
    await expect(editorText(queryEditor)).resolves.toContain('customers(limit: 10) {');
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    const headersEditor = page.locator('.monaco-editor[data-uri$="request-headers.json"]');
    await headersEditor.waitFor({ state: 'visible' });
    // As a user does: click into the pane, select all, paste; again if the editor was not ready for it (Monaco takes keys only once focused).
    for (let tries = 0; !(await editorText(headersEditor)).includes('{"Authorization":"Bearer '); tries++) {
      if (tries === 10) throw new Error(`the pasted headers never reached GraphiQL's Headers pane: ${await editorText(headersEditor)}`);
      await headersEditor.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Delete');
      await page.keyboard.press('Control+V');
      await page.waitForTimeout(200);
    }
    during401 = false;
    // GraphiQL sends the operation printed compactly: {customers(limit:10){...}}.
    const answered = page.waitForResponse((r) => r.url().endsWith('/graphql') && /customers\(limit: ?10\)/.test(r.request().postData() ?? ''));
    await page.getByRole('button', { name: /^Execute query/ }).click();
    const answer = await answered;
    expect(answer.status()).toBe(200);
    const body = (await answer.json()) as { data?: { customers: { email: string }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data?.customers).toHaveLength(10);
    for (const c of body.data!.customers) expect(c.email).toMatch(/^[a-z]\*\*\*@/);
    const response = page.locator('.graphiql-response');
    await response.getByText('***@').first().waitFor();
    const shown = await editorText(response);
    expect(shown).toContain('"customers"');
    expect(shown).not.toContain('"errors"');
    await shoot(page, 'catalog-graphiql.png');
  });

  it('renders a description holding markup as text', async () => {
    await page.route('**/graphql', async (route) => {
      if (!(route.request().postData() ?? '').includes('CatalogList')) return route.continue();
      const response = await route.fetch();
      const body = (await response.json()) as { data: { dataProducts: { name: string; description: string | null }[] } };
      for (const p of body.data.dataProducts) if (p.name === 'payments') p.description = XSS;
      await route.fulfill({ response, json: body });
    });
    await page.goto(`${mesh.running.gateway.url}/catalog`);
    await card('payments').waitFor();
    await expect(card('payments').locator('.description').textContent()).resolves.toBe(XSS);
    await expect(page.locator('#view img').count()).resolves.toBe(0);
    await page.unroute('**/graphql');
    expect(dialogs).toEqual([]);
  });

  it('signs out, and lists the access log for a steward', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out').waitFor();
    await expect(page.evaluate(() => sessionStorage.length)).resolves.toBe(0);
    await signIn(steward);
    await card('access-log').waitFor();
    expect((await listedNames()).sort()).toEqual(['access-log', 'access-log-v2', 'customer-profiles', 'order-lines', 'orders-enriched', 'payments', 'shipment-events']);
    await expect(page.locator('#session-claims dd[data-claim="May see"]').textContent()).resolves.toBe('7 products');
  });

  it('shows the mesh health: one row per product, with freshness, last build, contract tests and anomalies', async () => {
    await page.getByRole('link', { name: 'Mesh health' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mesh health' }).waitFor();
    const rows = page.locator('#health-table tbody tr');
    const shown = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.product ?? ''));
    const expected = await mesh.query<{ dataProducts: { name: string }[] }>('{ dataProducts { name } }', undefined, { authorization: `Bearer ${steward}` });
    expect(shown.sort()).toEqual(expected.data!.dataProducts.map((p) => p.name).sort());
    const row = page.locator('#health-table tr[data-product="customer-profiles"]');
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe('customers');
    expect(cells[1]).toMatch(/^fresh/);
    expect(cells[2]).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(cells[3]).toMatch(/^\d+ passed$/);
    expect(cells[4]).toBe('none');
    expect(cells[5]).toBe('SLA ok');
    await shoot(page, 'catalog-health.png');
  });

  it('fetched nothing from beyond 127.0.0.1 and logged no errors but the expected 401s', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.map((r) => r.url()).filter((url) => !staysOnLoopback(url))).toEqual([]);
    expect(websockets.filter((url) => !staysOnLoopback(url))).toEqual([]);
    const expected401 = `Failed to load resource: the server responded with a status of 401 (Unauthorized) (${mesh.running.gateway.graphqlUrl})`;
    expect(consoleErrors.filter((e) => !e.during401 || e.text !== expected401)).toEqual([]);
  });
});
