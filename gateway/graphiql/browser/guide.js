/**
 * meshgate's guide around GraphiQL, run in the browser after render-graphiql's bundle (a classic
 * script: no modules, no network). It starts GraphiQL with the page's tabs, then:
 * - fetches the schema again whenever the Authorization header of the Headers pane changes
 *   (GraphiQL 5 introspects once, at start), and on "Reload schema";
 * - says in the bar whether the schema loaded, and if not, what the gateway answered;
 * - in dev mode, gets a dev token from the gateway and puts it into the Headers pane;
 * - carries the token into a tab whose headers have none, as tabs keep headers of their own.
 *
 * Two internals of render-graphiql 5.24 (pinned in package.json) are used, both checked by
 * test/e2e/graphiql.browser.test.ts: GraphiQL's schema re-fetch shortcut (Shift-Ctrl-R, a keydown
 * listener on window) and the Monaco API it leaves on `globalThis.__MONACO`, to edit the headers.
 */
(function () {
  'use strict';

  const config = JSON.parse(document.getElementById('meshgate-config').textContent);
  const schemaStatus = document.getElementById('meshgate-schema-status');
  const tokenStatus = document.getElementById('meshgate-token-status');
  const pageFetch = window.fetch.bind(window);

  /** The Authorization the last introspection was sent with ('' for none); undefined before the first. */
  let introspectedWith;
  /** The last Authorization put into any tab, carried into tabs that have none. */
  let sessionAuthorization = '';
  let activeTabId;

  /** The Authorization value of a headers text: '' when there is none, undefined when the text is not a JSON object (yet). */
  function authorizationOf(text) {
    let headers;
    try {
      headers = JSON.parse(text && text.trim() ? text : '{}');
    } catch {
      return undefined;
    }
    if (!headers || typeof headers !== 'object' || Array.isArray(headers)) return undefined;
    const name = Object.keys(headers).find((k) => k.toLowerCase() === 'authorization');
    return name && typeof headers[name] === 'string' ? headers[name] : '';
  }

  function setStatus(element, state, text) {
    if (!element) return;
    element.dataset.state = state;
    element.textContent = text;
    // The bar cuts a long status short; the whole of it shows on hover.
    element.title = text;
  }

  /** The operation name of a GraphQL request GraphiQL sends, if it is one. */
  function operationOf(init) {
    if (!init || typeof init.body !== 'string') return undefined;
    try {
      return JSON.parse(init.body).operationName;
    } catch {
      return undefined;
    }
  }

  async function showSchemaOutcome(response) {
    let body;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const schema = body && body.data && body.data.__schema;
    if (response.ok && schema) {
      const query = schema.types.find((t) => t.name === (schema.queryType && schema.queryType.name));
      const fields = query && query.fields ? query.fields.length : 0;
      setStatus(schemaStatus, 'loaded', `Schema loaded (${fields} query fields)`);
      return;
    }
    const error = body && body.errors && body.errors[0];
    setStatus(schemaStatus, 'error', `Schema not loaded (${response.status}): ${error ? error.message : 'the gateway did not answer with a schema'}`);
  }

  // GraphiQL sends every request through window.fetch (render-graphiql's fetcher calls it at call
  // time), so introspections are seen here: with which Authorization, and how they ended.
  window.fetch = async function (input, init) {
    const introspection = operationOf(init) === 'IntrospectionQuery';
    if (introspection) {
      introspectedWith = new Headers(init.headers).get('authorization') || '';
      setStatus(schemaStatus, 'loading', 'Loading the schema…');
    }
    const response = await pageFetch(input, init);
    if (introspection) void showSchemaOutcome(response.clone());
    return response;
  };

  /** Asks GraphiQL to introspect again, with the headers now in the Headers pane (its Shift-Ctrl-R). */
  function refetchSchema() {
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'R', code: 'KeyR', ctrlKey: true, shiftKey: true }));
  }

  let pendingHeaders;
  function onEditHeaders(text) {
    clearTimeout(pendingHeaders);
    // Typing changes the headers key by key: act once they rest (and parse).
    pendingHeaders = setTimeout(() => {
      const authorization = authorizationOf(text);
      if (authorization === undefined) return;
      if (authorization) sessionAuthorization = authorization;
      if (introspectedWith !== undefined && authorization !== introspectedWith) refetchSchema();
    }, 300);
  }

  function headersModel() {
    const monaco = globalThis.__MONACO;
    return monaco && monaco.editor.getModels().find((m) => m.uri.path.endsWith('request-headers.json'));
  }

  /** Sets the Authorization header in the Headers pane, keeping the other headers (an undoable edit). */
  function putAuthorization(authorization) {
    const model = headersModel();
    if (!model) return false;
    let headers = {};
    try {
      const parsed = JSON.parse(model.getValue() || '{}');
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) headers = parsed;
    } catch {
      // Not JSON: replaced by headers that are.
    }
    const others = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
    const text = JSON.stringify({ Authorization: authorization, ...others }, null, 2);
    model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
    sessionAuthorization = authorization;
    return true;
  }

  function onTabChange(state) {
    const tab = state.tabs[state.activeTabIndex];
    if (!tab || tab.id === activeTabId) return;
    const first = activeTabId === undefined;
    activeTabId = tab.id;
    if (first) return;
    // A tab keeps headers of its own: one opened without a token gets the one in use.
    if (sessionAuthorization && authorizationOf(tab.headers) === '') setTimeout(() => putAuthorization(sessionAuthorization));
  }

  async function getDevToken(form) {
    const data = new FormData(form);
    const countries = String(data.get('countries') || '')
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);
    const body = { sub: String(data.get('sub') || ''), roles: [String(data.get('role') || '')] };
    if (data.get('purpose')) body.purpose = String(data.get('purpose'));
    if (countries.length) body.countries = countries;
    setStatus(tokenStatus, 'loading', 'Getting a token…');
    let response;
    let answer;
    try {
      response = await pageFetch(config.devToken.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), credentials: 'same-origin' });
      answer = await response.json();
    } catch {
      setStatus(tokenStatus, 'error', 'The gateway did not answer; is it still running?');
      return;
    }
    if (!response.ok || !answer.token) {
      const error = answer && answer.errors && answer.errors[0];
      setStatus(tokenStatus, 'error', error ? error.message : `The gateway refused (HTTP ${response.status})`);
      return;
    }
    if (!putAuthorization(`Bearer ${answer.token}`)) {
      setStatus(tokenStatus, 'error', 'The editor is still loading; try again in a moment.');
      return;
    }
    const until = new Date(answer.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    setStatus(tokenStatus, 'ok', `Token for ${body.sub} (${body.roles.join(', ')}) in the Headers pane, until ${until}`);
  }

  const form = document.getElementById('meshgate-dev-token');
  if (form && config.devToken) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void getDevToken(form);
    });
  }
  document.getElementById('meshgate-reload-schema').addEventListener('click', refetchSchema);

  window.YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), { ...config.graphiql, onEditHeaders, onTabChange });
})();
