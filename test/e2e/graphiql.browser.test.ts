/**
 * An analyst's first visit to the offline GraphiQL page, in a real headless Chromium against the
 * real sample mesh: the page loads from the gateway alone and opens on meshgate's welcome tab; it
 * says the schema needs a token; a dev token from the page's bar goes into the Headers pane and the
 * schema loads by itself; every example tab runs with no error in the result pane; a token typed
 * into the Headers pane (a new one, an expired one) makes the page fetch the schema again.
 *
 * The tests share one browser page and run in order, as one visit does. Screenshots of each step
 * are written to test-artifacts/graphiql/ (git-ignored, emptied at each run), a stable path for a
 * CI job to keep as an artefact.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, type Locator, type Page, type Request } from 'playwright-core';
import { REPO_ROOT } from '../../cli/config.js';
import { EXAMPLES, WELCOME_EXAMPLE } from '../../gateway/index.js';
import { operationName } from '../../gateway/graphiql/welcomeTab.js';
import { editorText, launchChromium, staysOnLoopback } from '../support/browser.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

/** Where the screenshots go: a stable path, for CI to keep as an artefact. */
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts', 'graphiql');
const TABS = [WELCOME_EXAMPLE, ...EXAMPLES].map((e) => operationName(e.query)!);

/** A request the page made, as the test output lists it: method, URL, status and, for GraphQL, the operation. */
async function describeRequest(r: Request): Promise<string> {
  const status = (await r.response().catch(() => null))?.status() ?? 'no response';
  const operation = /"operationName":"(\w+)"/.exec(r.postData() ?? '')?.[1] ?? /^\{"query":"([^"]{0,60})/.exec(r.postData() ?? '')?.[1];
  return `${r.method()} ${r.url()} -> ${status}${operation ? ` (${operation})` : ''}${r.headers()['authorization'] ? ' [Authorization sent]' : ''}`;
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

/** Resolves once `check` holds (polled), or fails naming `what`. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Opens the tab named `name`. GraphiQL 5's tabs are draggable, and its drag handling swallows
 * some of Playwright's mouse clicks (render-graphiql's stock page does the same), so the tab's
 * button gets the click event itself.
 */
async function openTab(page: Page, name: string): Promise<void> {
  await page.locator('.graphiql-tab-button', { hasText: new RegExp(`^${name}$`) }).dispatchEvent('click');
  await page.locator('.graphiql-tab[aria-selected="true"] .graphiql-tab-button', { hasText: new RegExp(`^${name}$`) }).waitFor();
  // GraphiQL settles a tab switch over debounced state updates (100 ms); a run asked for meanwhile
  // is lost (about one in twenty-five here, none after 400 ms). People take longer than that.
  await page.waitForTimeout(400);
}

/** The whole text of the operation editor, through the Monaco API the page uses (see gateway/graphiql/browser/guide.js). */
function operationText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const monaco = (globalThis as unknown as { __MONACO?: { editor: { getModels(): { uri: { path: string }; getValue(): string }[] } } }).__MONACO;
    return (
      monaco?.editor
        .getModels()
        .find((m) => m.uri.path.endsWith('operation.graphql'))
        ?.getValue() ?? ''
    );
  });
}

/** Whether a request is the page's introspection. */
const isIntrospection = (r: Request): boolean => /"operationName":"IntrospectionQuery"/.test(r.postData() ?? '');

describe('the offline GraphiQL page, as an analyst uses it', () => {
  let mesh: TestMesh;
  let browser: Browser;
  let page: Page;
  let devToken = '';
  const requests: Request[] = [];
  const websockets: string[] = [];
  const consoleErrors: string[] = [];
  let shot = 0;
  /** Saves a screenshot of the step as test-artifacts/graphiql/NN-name.png. */
  const screenshot = async (name: string): Promise<void> => {
    shot += 1;
    await page.screenshot({ path: path.join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`) });
  };
  const headersEditor = (): Locator => page.locator('.monaco-editor[data-uri$="request-headers.json"]');
  const schemaStatus = (): Locator => page.locator('#meshgate-schema-status');

  beforeAll(async () => {
    await rm(ARTIFACTS, { recursive: true, force: true });
    await mkdir(ARTIFACTS, { recursive: true });
    mesh = await startTestMesh();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    context.setDefaultTimeout(15_000);
    // Recorded on the context, so requests of the page's workers count too.
    context.on('request', (r) => requests.push(r));
    page = await context.newPage();
    page.on('websocket', (ws) => websockets.push(ws.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught ${e.name}: ${e.message}`));
    await page.goto(mesh.running.gateway.graphqlUrl);
  });

  afterAll(async () => {
    if (page) {
      await page.screenshot({ path: path.join(ARTIFACTS, 'last.png'), fullPage: true }).then(
        () => console.log(`GraphiQL screenshots: ${ARTIFACTS}`),
        (e: unknown) => console.log(`no GraphiQL screenshot: ${String(e)}`),
      );
      const listed = await Promise.all(requests.map(describeRequest));
      console.log(`requests of the GraphiQL page:\n${[...listed, ...websockets.map((u) => `WEBSOCKET ${u}`)].map((l) => `  ${l}`).join('\n')}`);
      console.log(`console errors of the GraphiQL page:\n${consoleErrors.map((e) => `  ${e}`).join('\n') || '  none'}`);
    }
    await browser?.close();
    await mesh?.close();
  });

  it("opens on meshgate's welcome tab, with a tab per example", async () => {
    const queryEditor = page.locator('.monaco-editor[data-uri$="operation.graphql"]');
    await queryEditor.getByText('Welcome to meshgate').waitFor();
    expect(await page.locator('.graphiql-tab-button').allTextContents()).toEqual(TABS);
    await expect(page.locator('.graphiql-tab[aria-selected="true"] .graphiql-tab-button').textContent()).resolves.toBe('Welcome');
    const welcome = await editorText(queryEditor);
    expect(welcome).toContain('# meshgate is this data mesh');
    expect(welcome).toContain('npx meshgate token --sub you --roles analyst');
    expect(welcome).toContain('{"Authorization": "Bearer <token>"}');
    await screenshot('welcome');
  });

  it('says the schema needs a token: the 401 in the bar and in the result pane', async () => {
    // GraphiQL introspects on load, before anyone has a token: the gateway answers 401.
    await expect(schemaStatus().getAttribute('data-state')).resolves.toBe('error');
    await expect(schemaStatus().textContent()).resolves.toMatch(/^Schema not loaded \(401\): A valid bearer token is required: .*npx meshgate token/);
    const response = page.locator('.graphiql-response');
    await response.getByText('UNAUTHENTICATED').waitFor();
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    await page.locator('.graphiql-doc-explorer').getByText('Error fetching schema').waitFor();
    await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();
  });

  it('gets a dev token from the bar into the Headers pane, and the schema loads by itself', async () => {
    const bar = page.locator('#meshgate-dev-token');
    await bar.getByLabel('sub').fill('graphiql-analyst');
    await bar.getByLabel('role').selectOption('analyst');
    const minted = page.waitForResponse((r) => r.url().endsWith('/dev/token'));
    const introspection = page.waitForResponse((r) => isIntrospection(r.request()) && (r.request().headers()['authorization'] ?? '').startsWith('Bearer '));
    await bar.getByRole('button', { name: 'Get dev token' }).click();
    expect((await minted).status()).toBe(200);
    const answer = await introspection;
    devToken = answer.request().headers()['authorization']!.slice('Bearer '.length);
    expect(answer.status()).toBe(200);
    await expect(editorText(headersEditor())).resolves.toContain(`"Authorization": "Bearer ${devToken.slice(0, 20)}`);
    await schemaStatus()
      .getByText(/^Schema loaded \(\d+ query fields\)$/)
      .waitFor();
    await expect(page.locator('#meshgate-token-status').textContent()).resolves.toMatch(/^Token for graphiql-analyst \(analyst\) in the Headers pane, until /);

    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByRole('link', { name: 'Query', exact: true }).first().click();
    await docs.locator('.graphiql-doc-explorer-title', { hasText: 'Query' }).waitFor();
    for (const field of ['orders', 'ordersConnection', 'customers', 'payments']) await docs.getByRole('link', { name: field, exact: true }).waitFor();
    await screenshot('schema-loaded');
    await page.getByRole('button', { name: 'Hide Documentation Explorer' }).click();
  });

  it.each(TABS.map((name, index) => [name, index] as const))('runs the %s tab with no error in the result pane', async (name, index) => {
    await openTab(page, name);
    // A tab has headers of its own: the page carries the token into a tab that has none.
    await until(async () => (await editorText(headersEditor())).includes(`Bearer ${devToken.slice(0, 20)}`), "the token in the tab's Headers pane");
    // The editor shows only the lines in view (the welcome tab's query is below them): read its model.
    await until(() => operationText(page).then((t) => t.includes(`query ${name}`)), `the ${name} operation in the editor`);
    const answered = page.waitForResponse((r) => (r.request().postData() ?? '').includes(`"operationName":"${name}"`));
    // The run button rather than Ctrl-Enter: a click works whether or not an autocompletion popup is open.
    await page.getByRole('button', { name: /^Execute query/ }).click();
    const answer = await answered;
    expect(answer.request().headers()['authorization']).toBe(`Bearer ${devToken}`);
    expect(answer.status()).toBe(200);
    const response = page.locator('.graphiql-response');
    await response.getByText('"data"').waitFor();
    const shown = await editorText(response);
    expect(shown).not.toContain('"errors"');
    expect(shown).not.toContain('"message"');
    if (name === 'OrdersWithCustomers') expect(shown).toContain('***@');
    await screenshot(`tab-${index}-${name}`);
  });

  it('fetches the schema again when the token typed into the Headers pane changes', async () => {
    await openTab(page, 'Welcome');
    const owner = await mesh.token({ sub: 'graphiql-owner', roles: ['customers-owner'] });
    // No button pressed: the new Authorization alone makes the page introspect.
    const introspection = page.waitForResponse((r) => isIntrospection(r.request()) && r.request().headers()['authorization'] === `Bearer ${owner}`);
    await typeInto(page, headersEditor(), `{"Authorization": "Bearer ${owner}"}`);
    expect((await introspection).status()).toBe(200);
    await schemaStatus()
      .getByText(/^Schema loaded/)
      .waitFor();
  });

  it('says an expired token expired, when it is typed into the Headers pane', async () => {
    const expired = await mesh.token({ sub: 'graphiql-analyst', roles: ['analyst'], ttlS: -3600 });
    const introspection = page.waitForResponse((r) => isIntrospection(r.request()) && r.request().headers()['authorization'] === `Bearer ${expired}`);
    await typeInto(page, headersEditor(), `{"Authorization": "Bearer ${expired}"}`);
    const answer = await introspection;
    expect(answer.status()).toBe(401);
    expect(await answer.headerValue('www-authenticate')).toBe('Bearer realm="meshgate", error="invalid_token", error_description="The access token expired"');
    await schemaStatus()
      .getByText(/^Schema not loaded \(401\): The token expired at \d{4}-\d\d-\d\dT/)
      .waitFor();
    await screenshot('expired-token');
  });

  it('fetches the schema again with "Reload schema"', async () => {
    await typeInto(page, headersEditor(), `{"Authorization": "Bearer ${devToken}"}`);
    await schemaStatus()
      .getByText(/^Schema loaded/)
      .waitFor();
    const introspection = page.waitForResponse((r) => isIntrospection(r.request()));
    await page.getByRole('button', { name: 'Reload schema' }).click();
    expect((await introspection).status()).toBe(200);
  });

  it('fetched nothing from beyond 127.0.0.1 and logged no errors of its own', () => {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.map((r) => r.url()).filter((url) => !staysOnLoopback(url))).toEqual([]);
    expect(websockets.filter((url) => !staysOnLoopback(url))).toEqual([]);
    // The only errors expected are the browser's notes of the 401s this visit asked for (no token, an expired token).
    const expected401 = `Failed to load resource: the server responded with a status of 401 (Unauthorized) (${mesh.running.gateway.graphqlUrl})`;
    expect(consoleErrors.filter((e) => e !== expected401)).toEqual([]);
  });
});
