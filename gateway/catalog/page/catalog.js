/**
 * The meshgate catalog page: a client of the mesh's own GraphQL endpoint, so the same access
 * policies and the same access log apply to it as to any other caller. It asks for a token (kept in
 * this tab's session storage, sent as `Authorization: Bearer`, never put in a URL), then shows the
 * product list, a product's page, and the mesh health dashboard. The queries it sends come from
 * the gateway (`queries.js`, generated from gateway/catalog/catalogQueries.ts); the lineage picture
 * is laid out by dagre (served by the gateway too) and drawn here as SVG.
 *
 * Every value from the graph reaches the DOM as a text node or an attribute value (see `h`), never
 * as markup: a description holding HTML shows as that text.
 */
import { HEALTH_QUERY, LIST_QUERY, PRODUCT_QUERY } from './queries.js';

const TOKEN_KEY = 'meshgate.catalog.token';
const TOKEN_COMMAND = 'npx meshgate token --sub you --roles analyst';
const CLIENT_NAME = 'meshgate-catalog';
const SEARCH_DEBOUNCE_MS = 250;
const SVG_NS = 'http://www.w3.org/2000/svg';
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

// ---------------------------------------------------------------------------------------------
// DOM helpers: the only way this page makes elements. Strings become text nodes; attributes are
// set one by one; an `on…` attribute must be a function (a listener), never a string of code.

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

function setAttributes(el, attrs) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) {
      if (typeof value !== 'function') throw new TypeError(`${name} must be a function`);
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'dataset') {
      for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) el.dataset[key] = String(v);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  return el;
}

/** An HTML element with attributes and children (strings become text). */
function h(tag, attrs, ...children) {
  return append(setAttributes(document.createElement(tag), attrs), children);
}

/** An SVG element with attributes and children (strings become text). */
function s(tag, attrs, ...children) {
  return append(setAttributes(document.createElementNS(SVG_NS, tag), attrs), children);
}

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// Formatting.

const integer = new Intl.NumberFormat('en');

function fmtInt(n) {
  return n === null || n === undefined ? '—' : integer.format(n);
}

function fmtShare(x) {
  // Four significant digits: 99.99%, 99.9%, 12.35%, 0%; never a 99.99% rounded up to 100%.
  return x === null || x === undefined ? '—' : `${Number((x * 100).toPrecision(4))}%`;
}

/** A duration in seconds as people say it: 42 s, 12 min, 3 h 5 min, 2 d 4 h. */
function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const sec = Math.max(0, Math.round(seconds));
  if (sec < 60) return `${sec} s`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min} min`;
  const hours = Math.floor(min / 60);
  if (hours < 48) return min % 60 ? `${hours} h ${min % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

/** A moment as a <time> element: UTC date and minute, with how long ago unless `relative` is false. */
function timeEl(iso, relative = true) {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const text = `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  if (!relative) return h('time', { datetime: iso, title: iso }, text);
  const ago = (Date.now() - at.getTime()) / 1000;
  return h('time', { datetime: iso, title: iso }, text, h('span', { class: 'muted' }, ago >= 0 ? ` (${fmtDuration(ago)} ago)` : ` (in ${fmtDuration(-ago)})`));
}

function badge(text, kind, title) {
  return h('span', { class: `badge badge-${kind}`, title }, text);
}

const productHref = (name) => `/catalog/product/${encodeURIComponent(name)}`;

// ---------------------------------------------------------------------------------------------
// The token: kept in this tab only, decoded here for display (the gateway is what verifies it).

function readToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function storeToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  cache.list = null;
}

/** The token's payload, decoded for display only; null when it is not a JWT. */
function decodeClaims(token) {
  try {
    const part = token.split('.')[1] ?? '';
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

const isExpired = (claims) => typeof claims?.exp === 'number' && claims.exp * 1000 <= Date.now();

// ---------------------------------------------------------------------------------------------
// GraphQL over HTTP, as any client does.

/** Thrown when the page needs a (new) token: `reason` is missing, expired or rejected. */
class SignInNeeded extends Error {
  constructor(reason) {
    super(`sign in needed: ${reason}`);
    this.reason = reason;
  }
}

async function graphql(query, variables = {}) {
  const token = readToken();
  if (!token) throw new SignInNeeded('missing');
  if (isExpired(decodeClaims(token))) throw new SignInNeeded('expired');
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${token}`,
        'apollographql-client-name': CLIENT_NAME,
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new Error('The gateway could not be reached. Is meshgate running?');
  }
  if (response.status === 401) throw new SignInNeeded(isExpired(decodeClaims(token)) ? 'expired' : 'rejected');
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`The gateway answered ${response.status} without a GraphQL response.`);
  }
  return { data: body?.data ?? null, errors: Array.isArray(body?.errors) ? body.errors : [] };
}

/** The errors of a response, as the page shows them: each message with its code. */
function errorList(errors, intro = 'The graph answered with errors:') {
  if (!errors.length) return null;
  return h(
    'div',
    { class: 'notice notice-error', role: 'alert' },
    h('p', {}, intro),
    h(
      'ul',
      {},
      errors.map((e) => h('li', {}, String(e?.message ?? 'unknown error'), e?.extensions?.code ? h('span', { class: 'muted' }, ` (${e.extensions.code})`) : null)),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// What this tab knows, per token.

const cache = { list: null };
let renderSeq = 0;

/** The products the token may read (the list query without filters), fetched once per token. */
async function visibleProducts() {
  if (!cache.list) {
    const result = await graphql(LIST_QUERY, {});
    cache.list = { products: result.data?.dataProducts ?? null, errors: result.errors };
  }
  return cache.list;
}

// ---------------------------------------------------------------------------------------------
// The session panel and the sign-in form.

function renderSession(token, visible) {
  const claims = decodeClaims(token) ?? {};
  const list = (v) => (Array.isArray(v) && v.length ? v.join(', ') : 'none');
  const expiry = () => {
    if (typeof claims.exp !== 'number') return 'no expiry claim';
    const at = new Date(claims.exp * 1000);
    const left = (at.getTime() - Date.now()) / 1000;
    const when = `${at.toISOString().slice(11, 16)} UTC`;
    return left > 0 ? `in ${fmtDuration(left)} (${when})` : `expired ${fmtDuration(-left)} ago`;
  };
  const rows = [
    ['Signed in as', claims.sub ?? 'unknown'],
    ['Roles', list(claims.roles)],
    ['Purpose', claims.purpose ?? 'none'],
    ['Countries', list(claims.countries)],
    ['Expires', expiry()],
    ['May see', visible === undefined ? '…' : visible === null ? 'unknown' : `${visible} product${visible === 1 ? '' : 's'}`],
  ];
  $('session-claims').replaceChildren(...rows.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', { dataset: { claim: term } }, value))));
  $('session').hidden = false;
}

const SIGN_IN_REASONS = {
  expired: `Your token has expired. Get a new one with ${TOKEN_COMMAND} and paste it below.`,
  rejected: `The gateway did not accept your token (HTTP 401): it is missing, expired, or not signed by a key the gateway trusts. Get one with ${TOKEN_COMMAND}.`,
  'signed-out': 'You are signed out: the token is removed from this tab.',
};

function showSignIn(reason) {
  $('session').hidden = true;
  $('view').replaceChildren();
  const note = $('sign-in-reason');
  note.hidden = !SIGN_IN_REASONS[reason];
  note.textContent = SIGN_IN_REASONS[reason] ?? '';
  $('sign-in').hidden = false;
  document.title = 'Sign in · meshgate catalog';
  announce('Sign in with a token to see the catalog.');
  $('token-input').focus();
}

function onSignIn(event) {
  event.preventDefault();
  const input = $('token-input');
  const error = $('token-error');
  const token = input.value.trim().replace(/^Bearer\s+/i, '');
  error.hidden = true;
  if (!JWT_SHAPE.test(token)) {
    error.textContent = `That is not a JWT (three base64url parts separated by dots). Get one with ${TOKEN_COMMAND}.`;
    error.hidden = false;
    input.focus();
    return;
  }
  if (isExpired(decodeClaims(token))) {
    error.textContent = `That token has expired. Get a new one with ${TOKEN_COMMAND}.`;
    error.hidden = false;
    input.focus();
    return;
  }
  storeToken(token);
  cache.list = null;
  input.value = '';
  $('sign-in').hidden = true;
  show(true);
}

function onSignOut() {
  forgetToken();
  showSignIn('signed-out');
}

function announce(text) {
  $('status').textContent = text;
}

// ---------------------------------------------------------------------------------------------
// Routing: /catalog, /catalog/health, /catalog/product/<name>, with the History API.

function currentRoute() {
  const path = location.pathname.replace(/\/+$/, '') || '/catalog';
  if (path === '/catalog') return { view: 'list' };
  if (path === '/catalog/health') return { view: 'health' };
  const m = /^\/catalog\/product\/([^/]+)$/.exec(path);
  if (m) {
    try {
      return { view: 'product', name: decodeURIComponent(m[1]) };
    } catch {
      return { view: 'missing' };
    }
  }
  return { view: 'missing' };
}

function navigate(href) {
  history.pushState(null, '', href);
  show(true);
}

function onLinkClick(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target instanceof Element ? event.target.closest('a') : null;
  const href = link?.getAttribute('href');
  if (!href || link.hasAttribute('target') || link.hasAttribute('download')) return;
  if (!/^\/catalog(\/|\?|$)/.test(href) || href.startsWith('/catalog/assets/')) return;
  event.preventDefault();
  navigate(href);
}

function markNav(view) {
  for (const link of document.querySelectorAll('nav a[data-nav]')) {
    if (link.dataset.nav === view) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/** Renders the current route; `focus` moves the keyboard focus to the new view's heading. */
async function show(focus) {
  const token = readToken();
  const route = currentRoute();
  markNav(route.view);
  if (!token) return showSignIn('missing');
  if (isExpired(decodeClaims(token))) return showSignIn('expired');
  $('sign-in').hidden = true;
  const seq = ++renderSeq;
  const view = $('view');
  renderSession(token, cache.list?.products?.length);
  view.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
  view.setAttribute('aria-busy', 'true');
  try {
    const visible = await visibleProducts();
    if (seq !== renderSeq) return;
    renderSession(token, visible.products ? visible.products.length : null);
    let content;
    if (route.view === 'list') content = await listView(visible, seq);
    else if (route.view === 'product') content = await productView(route.name);
    else if (route.view === 'health') content = await healthView();
    else content = missingView();
    if (seq !== renderSeq) return;
    view.replaceChildren(content);
  } catch (error) {
    if (seq !== renderSeq) return;
    if (error instanceof SignInNeeded) {
      forgetToken();
      return showSignIn(error.reason);
    }
    view.replaceChildren(h('div', { class: 'notice notice-error', role: 'alert' }, h('h1', { tabindex: '-1' }, 'Something went wrong'), h('p', {}, error.message)));
  } finally {
    if (seq === renderSeq) view.removeAttribute('aria-busy');
  }
  if (seq !== renderSeq) return;
  const heading = view.querySelector('h1');
  document.title = `${heading?.textContent ?? 'Catalog'} · meshgate catalog`;
  announce(`${heading?.textContent ?? 'Page'} loaded`);
  if (focus && heading) heading.focus();
}

function missingView() {
  return h('section', {}, h('h1', { tabindex: '-1' }, 'Not found'), h('p', {}, 'There is no such page in the catalog. ', h('a', { href: '/catalog' }, 'See every product.')));
}

// ---------------------------------------------------------------------------------------------
// The product list: search, filters, cards.

const uniqueSorted = (values) => [...new Set(values.filter((v) => v !== null && v !== undefined && v !== ''))].sort((a, b) => String(a).localeCompare(String(b)));

function statusBadges(p) {
  const out = [];
  if (p.status === 'DEPRECATED') {
    out.push(badge('deprecated', 'deprecated', p.sunset ? `sunset ${p.sunset}` : undefined));
  } else if (p.status && p.status !== 'ACTIVE') {
    out.push(badge(p.status.toLowerCase(), p.status === 'RETIRED' ? 'bad' : 'neutral'));
  }
  return out;
}

function slaBadge(sla) {
  if (!sla) return badge('SLA unknown', 'neutral');
  const problems = (sla.problems ?? []).join('; ');
  if (sla.ok) return badge('SLA ok', 'ok', 'fresh, complete, tested and served');
  if (sla.fresh === false) return badge('stale', 'bad', problems || undefined);
  return badge('SLA not met', 'bad', problems || undefined);
}

function deprecationNote(p) {
  if (p.status !== 'DEPRECATED') return null;
  return h(
    'p',
    { class: 'deprecation' },
    'Deprecated',
    p.sunset ? [': served until ', h('time', { datetime: p.sunset }, p.sunset)] : '',
    p.successor ? ['; use ', h('a', { href: productHref(p.successor) }, p.successor), ' instead'] : '',
    '.',
  );
}

function productCard(p) {
  return h(
    'li',
    { class: 'card', dataset: { product: p.name } },
    h('h2', {}, h('a', { href: productHref(p.name) }, p.name)),
    h('p', { class: 'meta' }, h('span', {}, 'domain ', h('strong', {}, p.domain)), ' · ', h('span', {}, 'owner ', p.owner)),
    h('div', { class: 'badges' }, p.pii ? badge('PII', 'pii', 'holds personal data') : badge('no PII', 'neutral'), statusBadges(p), slaBadge(p.slaStatus)),
    p.description ? h('p', { class: 'description' }, p.description) : h('p', { class: 'description muted' }, 'No description.'),
    deprecationNote(p),
    p.tags?.length
      ? h(
          'ul',
          { class: 'tags', 'aria-label': 'tags' },
          p.tags.map((t) => h('li', {}, t)),
        )
      : null,
    p.slaStatus && !p.slaStatus.ok && p.slaStatus.problems?.length
      ? h(
          'ul',
          { class: 'problems', 'aria-label': 'SLA problems' },
          p.slaStatus.problems.map((x) => h('li', {}, x)),
        )
      : null,
  );
}

function select(id, label, values, current, describe = (v) => v) {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, name: id },
      h('option', { value: '' }, 'any'),
      values.map((v) => h('option', { value: String(v), selected: String(v) === current }, describe(v))),
    ),
  );
}

async function listView(visible, seq) {
  const all = visible.products ?? [];
  const params = new URLSearchParams(location.search);
  const results = h('ul', { class: 'cards', id: 'product-list' });
  const count = h('p', { class: 'count', id: 'result-count', 'aria-live': 'polite' });
  const errors = h('div', {});
  const search = h('input', {
    id: 'search',
    name: 'search',
    type: 'search',
    value: params.get('search') ?? '',
    placeholder: 'names, fields, descriptions, tags, owners',
    autocomplete: 'off',
  });
  const form = h(
    'form',
    { role: 'search', class: 'filters', 'aria-label': 'Search and filter products' },
    h('div', { class: 'field field-search' }, h('label', { for: 'search' }, 'Search'), search),
    select('domain', 'Domain', uniqueSorted(all.map((p) => p.domain)), params.get('domain') ?? ''),
    select('owner', 'Owner', uniqueSorted(all.map((p) => p.owner)), params.get('owner') ?? ''),
    select('tag', 'Tag', uniqueSorted(all.flatMap((p) => p.tags ?? [])), params.get('tag') ?? ''),
    select('pii', 'Personal data', ['true', 'false'], params.get('pii') ?? '', (v) => (v === 'true' ? 'with PII' : 'without PII')),
    h('button', { type: 'reset', class: 'secondary' }, 'Clear'),
  );

  const variablesOf = () => {
    const data = new FormData(form);
    const vars = {};
    const text = String(data.get('search') ?? '').trim();
    if (text) vars.search = text;
    for (const key of ['domain', 'owner', 'tag']) if (data.get(key)) vars[key] = String(data.get(key));
    if (data.get('pii')) vars.pii = data.get('pii') === 'true';
    return vars;
  };

  const renderResults = (products, errs, vars) => {
    errors.replaceChildren(errorList(errs) ?? '');
    results.replaceChildren(...(products ?? []).map(productCard));
    const filtered = Object.keys(vars).length > 0;
    const n = products?.length ?? 0;
    count.textContent = filtered ? `${n} of ${all.length} products match` : `${n} product${n === 1 ? '' : 's'} you may read`;
    if (products && n === 0) results.replaceChildren(h('li', { class: 'empty' }, 'No product you may read matches.'));
  };

  let querySeq = 0;
  const run = async () => {
    // A search typed just before leaving the list must not rewrite the next page's address.
    if (seq !== renderSeq) return;
    const vars = variablesOf();
    const query = new URLSearchParams(Object.entries(vars).map(([k, v]) => [k, String(v)])).toString();
    history.replaceState(null, '', `/catalog${query ? `?${query}` : ''}`);
    const mine = ++querySeq;
    if (Object.keys(vars).length === 0) return renderResults(all, visible.errors, vars);
    results.setAttribute('aria-busy', 'true');
    try {
      const result = await graphql(LIST_QUERY, vars);
      if (mine !== querySeq || seq !== renderSeq) return;
      renderResults(result.data?.dataProducts ?? null, result.errors, vars);
    } catch (error) {
      if (error instanceof SignInNeeded) {
        forgetToken();
        return showSignIn(error.reason);
      }
      errors.replaceChildren(h('p', { class: 'notice notice-error', role: 'alert' }, error.message));
    } finally {
      if (mine === querySeq) results.removeAttribute('aria-busy');
    }
  };
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, SEARCH_DEBOUNCE_MS);
  });
  form.addEventListener('change', (e) => {
    if (e.target !== search) run();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  form.addEventListener('reset', () => {
    clearTimeout(timer);
    // The form's reset restores the values it was built with: clear them instead.
    setTimeout(() => {
      for (const el of form.elements) if (el.name) el.value = '';
      run();
    });
  });

  const view = h('section', { class: 'list-view', 'aria-labelledby': 'list-title' }, h('h1', { id: 'list-title', tabindex: '-1' }, 'Data products'), form, count, errors, results);
  if (Object.keys(variablesOf()).length) {
    results.replaceChildren(h('li', { class: 'loading' }, 'Searching…'));
    run();
  } else {
    renderResults(all, visible.errors, {});
  }
  return view;
}

// ---------------------------------------------------------------------------------------------
// A product's page.

/** The query GraphiQL opens with for a product: its list field, ten rows, every field the caller may read. */
function graphiqlQuery(p) {
  const fields = (p.fields ?? []).filter((f) => f.access !== 'DENIED').map((f) => f.name);
  return `# ${p.name}: the fields your token may read (masked ones come back masked)\n{\n  ${p.rootFields.list}(limit: 10) {\n${fields.map((f) => `    ${f}`).join('\n')}\n  }\n}\n`;
}

function accessCell(f) {
  if (f.access === 'CLEAR') return badge('clear', 'clear', 'you read this field as stored');
  if (f.access === 'MASKED') return badge(f.mask ? `masked: ${f.mask}` : 'masked', 'masked', 'you read this field through its mask');
  if (f.access === 'DENIED') return badge('denied', 'denied', 'you may not read this field');
  return f.access ?? '—';
}

function schemaTable(p) {
  return h(
    'table',
    { class: 'data', id: 'schema-table' },
    h('caption', {}, `${p.fields.length} fields of ${p.graphqlType}, and how your token reads each`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Field', 'Type', 'Personal data', 'Your access', 'Description', 'References'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      p.fields.map((f) =>
        h(
          'tr',
          { dataset: { field: f.name } },
          h(
            'th',
            { scope: 'row' },
            h('code', {}, f.name),
            f.key ? [' ', badge('key', 'neutral')] : null,
            f.column !== f.name ? h('div', { class: 'muted' }, 'column ', h('code', {}, f.column)) : null,
          ),
          h('td', {}, h('code', {}, f.type), h('div', { class: 'muted' }, f.logicalType, f.nullable ? ', nullable' : ', required')),
          h('td', { class: 'pii-cell' }, f.pii ? badge(`PII: ${f.classification}`, 'pii', 'personal data') : h('span', { class: 'muted' }, 'none')),
          h('td', { class: 'access-cell' }, accessCell(f)),
          h('td', {}, f.description ?? ''),
          h('td', {}, f.references ? h('a', { href: productHref(f.references) }, f.references) : ''),
        ),
      ),
    ),
  );
}

function slaSection(p) {
  const st = p.slaStatus;
  const declared = p.sla ?? {};
  const fresh = st?.fresh === true ? badge('fresh', 'ok') : st?.fresh === false ? badge('stale', 'bad') : badge('no freshness target', 'neutral');
  const complete =
    st?.completeness === null || st?.completeness === undefined
      ? '—'
      : [fmtShare(st.completeness), st.completenessTarget !== null && st.completenessTarget !== undefined ? ` (target ${fmtShare(st.completenessTarget)})` : ''];
  const tests =
    st?.testsPassed === true ? badge('contract tests passed', 'ok') : st?.testsPassed === false ? badge('contract tests failed', 'bad') : badge('not tested', 'neutral');
  return h(
    'section',
    { 'aria-labelledby': 'sla-title', id: 'sla' },
    h('h2', { id: 'sla-title' }, 'Service levels'),
    h(
      'dl',
      { class: 'facts' },
      h('div', {}, h('dt', {}, 'Now'), h('dd', {}, slaBadge(st))),
      h('div', {}, h('dt', {}, 'Freshness'), h('dd', {}, fresh, ` age ${fmtDuration(st?.ageSeconds)} of ${declared.freshness ?? fmtDuration(st?.freshnessTargetSeconds)}`)),
      h('div', {}, h('dt', {}, 'Data as of'), h('dd', {}, timeEl(st?.lastUpdated))),
      h('div', {}, h('dt', {}, 'Completeness'), h('dd', {}, complete)),
      h('div', {}, h('dt', {}, 'Contract tests'), h('dd', {}, tests)),
      h('div', {}, h('dt', {}, 'Availability (declared)'), h('dd', {}, fmtShare(declared.availability))),
      h('div', {}, h('dt', {}, 'Quality score (declared)'), h('dd', {}, declared.qualityScore ?? '—')),
    ),
    st?.problems?.length
      ? h(
          'ul',
          { class: 'problems', 'aria-label': 'SLA problems' },
          st.problems.map((x) => h('li', {}, x)),
        )
      : null,
  );
}

function sampleTable(p) {
  const sample = p.sample;
  if (!sample) return h('p', { class: 'muted' }, 'No sample.');
  if (!sample.rows.length) return h('p', { class: 'muted' }, 'No rows you may read.');
  return h(
    'table',
    { class: 'data sample', id: 'sample-table' },
    h('caption', {}, `${sample.rows.length} rows as you would read them (masked, row-filtered)`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        sample.fields.map((f) => h('th', { scope: 'col' }, f)),
      ),
    ),
    h(
      'tbody',
      {},
      sample.rows.map((row) =>
        h(
          'tr',
          {},
          row.map((v) => h('td', {}, v === null ? h('span', { class: 'null' }, 'null') : v)),
        ),
      ),
    ),
  );
}

function profileTable(p) {
  const profile = p.profile;
  if (!profile) return h('p', { class: 'muted' }, 'No profile: the product has no served version.');
  return h(
    'table',
    { class: 'data', id: 'profile-table' },
    h('caption', {}, `Version ${profile.version}: ${fmtInt(profile.rows)} rows you may read`),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Field', 'Nulls', 'Distinct', 'Min', 'Max'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      profile.columns.map((c) =>
        h(
          'tr',
          { dataset: { field: c.field } },
          h('th', { scope: 'row' }, h('code', {}, c.field)),
          c.withheld
            ? h('td', { colspan: '4', class: 'withheld' }, badge('withheld', 'masked'), ` ${c.withheld}`)
            : [h('td', { class: 'num' }, fmtShare(c.nullShare)), h('td', { class: 'num' }, fmtInt(c.distinctCount)), h('td', {}, c.min ?? '—'), h('td', {}, c.max ?? '—')],
        ),
      ),
    ),
  );
}

function findingList(findings) {
  if (!findings?.length) return h('span', { class: 'muted' }, 'none');
  return h(
    'ul',
    { class: 'findings' },
    findings.map((f) =>
      h('li', {}, badge(f.severity, f.severity === 'violation' ? 'bad' : 'warn'), ' ', h('code', {}, f.check), f.field ? [' on ', h('code', {}, f.field)] : '', ': ', f.message),
    ),
  );
}

function testsCell(v) {
  // A version published without a gate (the access log's stream) has no contract-test counts.
  if (v.testsPassed === null || v.testsPassed === undefined) return badge('no gate', 'neutral', 'published without contract tests');
  return [badge(`${v.testsPassed} passed`, 'ok'), v.testsFailed ? [' ', badge(`${v.testsFailed} failed`, 'bad')] : ''];
}

function versionsTable(p) {
  if (!p.versions?.length) return h('p', { class: 'muted' }, 'No version has been built or published yet.');
  return h(
    'table',
    { class: 'data', id: 'versions-table' },
    h('caption', {}, 'The newest versions, published and failed, newest first'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Version', 'Status', 'Source', 'Created', 'Data as of', 'Rows', 'Contract', 'Tests', 'Findings'].map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h(
      'tbody',
      {},
      p.versions.map((v) =>
        h(
          'tr',
          { dataset: { version: v.version } },
          h('th', { scope: 'row' }, h('code', {}, v.version), v.serving ? [' ', badge('serving', 'ok')] : ''),
          h('td', {}, v.status === 'FAILED' ? badge('failed', 'bad') : badge('published', 'neutral')),
          h('td', {}, v.source),
          h('td', {}, timeEl(v.createdAt)),
          h('td', {}, timeEl(v.dataAsOf)),
          h('td', { class: 'num' }, fmtInt(v.rows)),
          h('td', {}, v.contractVersion),
          h('td', {}, testsCell(v)),
          h('td', {}, findingList(v.findings)),
        ),
      ),
    ),
  );
}

function usageWindow(w) {
  const top = (title, list) =>
    list === null || list === undefined
      ? null
      : h(
          'div',
          { class: 'top' },
          h('h4', {}, title),
          list.length
            ? h(
                'ol',
                {},
                list.map((c) => h('li', {}, c.name ?? '(unnamed)', h('span', { class: 'muted' }, ` ${fmtInt(c.count)}`))),
              )
            : h('p', { class: 'muted' }, 'none'),
        );
  return h(
    'section',
    { class: 'usage-window' },
    h('h3', {}, `Last ${w.days} days`),
    h(
      'dl',
      { class: 'facts' },
      h('div', {}, h('dt', {}, 'Queries'), h('dd', {}, fmtInt(w.queries))),
      h('div', {}, h('dt', {}, 'Refused'), h('dd', {}, fmtInt(w.refused))),
      h('div', {}, h('dt', {}, 'Consumers'), h('dd', {}, fmtInt(w.consumers))),
    ),
    top('Top consumers', w.topConsumers),
    top('Top operations', w.topOperations),
  );
}

function usageSection(p) {
  const u = p.usage;
  if (!u) return h('p', { class: 'muted' }, 'No usage figures.');
  const restricted = u.last30Days?.topConsumers === null || u.last30Days?.topConsumers === undefined;
  return [
    h('div', { class: 'usage' }, usageWindow(u.last7Days), usageWindow(u.last30Days)),
    restricted ? h('p', { class: 'muted' }, 'Top consumers and operations are shown to those who may read the access log.') : null,
  ];
}

function portsSection(p) {
  return h(
    'div',
    { class: 'ports' },
    h(
      'div',
      {},
      h('h3', {}, 'Inputs'),
      p.inputs?.length
        ? h(
            'ul',
            {},
            p.inputs.map((i) =>
              h(
                'li',
                {},
                i.type === 'data-product' ? h('a', { href: productHref(i.source) }, i.source) : h('code', {}, i.source),
                h('span', { class: 'muted' }, ` ${i.type}`, i.domain ? ` from ${i.domain}` : '', i.purpose ? `, for ${i.purpose}` : ''),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'none'),
    ),
    h(
      'div',
      {},
      h('h3', {}, 'Outputs'),
      p.outputs?.length
        ? h(
            'ul',
            {},
            p.outputs.map((o) => h('li', {}, h('code', {}, o.name), h('span', { class: 'muted' }, ` ${o.format}`))),
          )
        : h('p', { class: 'muted' }, 'none'),
    ),
  );
}

/** The GraphiQL link with its ready query, and the headers GraphiQL needs (it keeps its own, in its Headers tab). */
function graphiqlBlock(p) {
  const hint = h(
    'p',
    { class: 'help', id: 'graphiql-help' },
    'GraphiQL needs your token too: paste ',
    h('code', {}, '{"Authorization": "Bearer <token>"}'),
    ' into its Headers tab, then press "Re-fetch GraphQL schema".',
  );
  const copied = h('span', { class: 'muted', role: 'status' });
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      async onClick() {
        try {
          await navigator.clipboard.writeText(JSON.stringify({ Authorization: `Bearer ${readToken()}` }));
          copied.textContent = ' Copied: paste it into GraphiQL’s Headers tab.';
        } catch {
          copied.textContent = ' This browser did not let the page copy; type the header yourself.';
        }
      },
    },
    'Copy the headers for GraphiQL',
  );
  return h(
    'div',
    { class: 'graphiql' },
    h('a', { class: 'button', id: 'open-in-graphiql', href: `/graphql?query=${encodeURIComponent(graphiqlQuery(p))}`, 'aria-describedby': 'graphiql-help' }, 'Open in GraphiQL'),
    ' ',
    copy,
    copied,
    hint,
  );
}

async function productView(name) {
  const result = await graphql(PRODUCT_QUERY, { name });
  const p = result.data?.dataProduct;
  if (!p) {
    return h(
      'section',
      {},
      h('h1', { tabindex: '-1' }, name),
      errorList(result.errors),
      result.errors.length ? null : h('p', {}, 'There is no product of this name that your token may read. ', h('a', { href: '/catalog' }, 'See the products you may read.')),
    );
  }
  const st = p.slaStatus;
  const sections = [
    ['sla', 'Service levels'],
    ['schema', 'Schema'],
    ['lineage', 'Lineage'],
    ['sample', 'Sample'],
    ['profile', 'Column profile'],
    ['versions', 'Versions'],
    ['usage', 'Usage'],
    ['ports', 'Ports'],
  ];
  const masked = p.fields.filter((f) => f.access === 'MASKED').length;
  const denied = p.fields.filter((f) => f.access === 'DENIED').length;
  return h(
    'article',
    { class: 'product-view', dataset: { product: p.name } },
    h(
      'header',
      { class: 'product-header' },
      h('p', { class: 'crumbs' }, h('a', { href: '/catalog' }, 'Products'), ' / ', p.domain),
      h('h1', { tabindex: '-1' }, p.name),
      h(
        'div',
        { class: 'badges' },
        badge(`v${p.version}`, 'neutral', 'the contract version'),
        statusBadges(p),
        p.pii ? badge('PII', 'pii', 'holds personal data') : badge('no PII', 'neutral'),
        slaBadge(st),
        st?.fresh === true ? badge('fresh', 'ok') : st?.fresh === false ? badge('stale', 'bad') : null,
        st?.testsPassed === true ? badge('tests passed', 'ok') : st?.testsPassed === false ? badge('tests failed', 'bad') : null,
      ),
      p.description ? h('p', { class: 'description' }, p.description) : null,
      deprecationNote(p),
      h(
        'dl',
        { class: 'facts' },
        h('div', {}, h('dt', {}, 'Owner'), h('dd', {}, /^[^@\s]+@[^@\s]+$/.test(p.owner) ? h('a', { href: `mailto:${p.owner}` }, p.owner) : p.owner)),
        h('div', {}, h('dt', {}, 'Domain'), h('dd', {}, p.domain)),
        h('div', {}, h('dt', {}, 'Tags'), h('dd', {}, p.tags.length ? p.tags.join(', ') : 'none')),
        h(
          'div',
          {},
          h('dt', {}, 'GraphQL'),
          h(
            'dd',
            {},
            h('code', {}, p.graphqlType),
            ' via ',
            // A keyless product has no look-up (byKey is null).
            [p.rootFields.list, p.rootFields.connection, p.rootFields.byKey, p.rootFields.aggregate].filter(Boolean).map((f, i) => [i ? ', ' : '', h('code', {}, f)]),
          ),
        ),
        h(
          'div',
          {},
          h('dt', {}, 'Served version'),
          h('dd', {}, p.currentVersion ? [h('code', {}, p.currentVersion.version), ', built ', timeEl(p.currentVersion.createdAt)] : 'none yet'),
        ),
        h('div', {}, h('dt', {}, 'Your access'), h('dd', {}, `${p.fields.length - masked - denied} clear, ${masked} masked, ${denied} denied`)),
      ),
      graphiqlBlock(p),
      errorList(result.errors, 'Parts of this page could not be read:'),
    ),
    h(
      'nav',
      { class: 'toc', 'aria-label': 'On this page' },
      h(
        'ul',
        {},
        sections.map(([id, title]) => h('li', {}, h('a', { href: `#${id}` }, title))),
      ),
    ),
    slaSection(p),
    h('section', { id: 'schema', 'aria-labelledby': 'schema-title' }, h('h2', { id: 'schema-title' }, 'Schema'), schemaTable(p)),
    h('section', { id: 'lineage', 'aria-labelledby': 'lineage-title' }, h('h2', { id: 'lineage-title' }, 'Lineage'), lineageSection(p)),
    h('section', { id: 'sample', 'aria-labelledby': 'sample-title' }, h('h2', { id: 'sample-title' }, 'Sample'), sampleTable(p)),
    h('section', { id: 'profile', 'aria-labelledby': 'profile-title' }, h('h2', { id: 'profile-title' }, 'Column profile'), profileTable(p)),
    h('section', { id: 'versions', 'aria-labelledby': 'versions-title' }, h('h2', { id: 'versions-title' }, 'Versions'), versionsTable(p)),
    h('section', { id: 'usage', 'aria-labelledby': 'usage-title' }, h('h2', { id: 'usage-title' }, 'Usage'), usageSection(p)),
    h('section', { id: 'ports', 'aria-labelledby': 'ports-title' }, h('h2', { id: 'ports-title' }, 'Ports'), portsSection(p)),
  );
}

// ---------------------------------------------------------------------------------------------
// The lineage picture: laid out by dagre, drawn as SVG.

const KIND_LABEL = { PRODUCT: 'product', SOURCE: 'source', CONSUMER: 'consumer' };
const NODE_HEIGHT = 44;
const NODE_PAD_X = 12;

let measureContext;
function textWidth(text, font) {
  measureContext ??= document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * 7.5;
  measureContext.font = font;
  return measureContext.measureText(text).width;
}

function nodeSubtitle(n) {
  if (n.kind === 'PRODUCT') return [n.domain, n.version ? n.version.split('-')[0] : null].filter(Boolean).join(' · ');
  if (n.kind === 'SOURCE') return [n.type, n.domain].filter(Boolean).join(' · ');
  return 'application';
}

function edgeLabel(e) {
  if (e.kind === 'REFERENCE') return e.fields?.length ? `ref ${e.fields.join(', ')}` : 'ref';
  if (e.kind === 'READS') return 'reads';
  return 'input';
}

function edgePath(points) {
  if (!points.length) return '';
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
    d += ` Q${points[i].x},${points[i].y} ${mid.x},${mid.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L${last.x},${last.y}`;
}

function lineagePicture(lineage, current) {
  const dagre = globalThis.dagre;
  if (!dagre) return h('p', { class: 'notice' }, 'The layout library did not load, so the lineage is listed as text only.');
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 22, ranksep: 64, edgesep: 14, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of lineage.nodes) {
    const width = Math.max(textWidth(n.name, '600 13px system-ui, sans-serif'), textWidth(nodeSubtitle(n), '11px system-ui, sans-serif')) + 2 * NODE_PAD_X;
    g.setNode(n.id, { width: Math.ceil(width), height: NODE_HEIGHT, node: n });
  }
  lineage.edges.forEach((e, i) => {
    if (!g.hasNode(e.from) || !g.hasNode(e.to)) return;
    const label = edgeLabel(e);
    g.setEdge(e.from, e.to, { edge: e, label, width: Math.ceil(textWidth(label, '11px system-ui, sans-serif')) + 8, height: 14, labelpos: 'c' }, `e${i}`);
  });
  dagre.layout(g);
  const { width, height } = g.graph();

  const marker = (kind) =>
    s(
      'marker',
      { id: `arrow-${kind}`, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' },
      s('path', { d: 'M0,0 L10,5 L0,10 z', class: `arrow arrow-${kind}` }),
    );
  const edges = g.edges().map((ref) => {
    const e = g.edge(ref);
    const kind = e.edge.kind.toLowerCase();
    return s(
      'g',
      { class: `lineage-edge edge-${kind}`, dataset: { from: e.edge.from, to: e.edge.to, kind: e.edge.kind } },
      s('path', { d: edgePath(e.points), 'marker-end': `url(#arrow-${kind})` }),
      s('rect', { class: 'edge-label-bg', x: e.x - e.width / 2, y: e.y - e.height / 2, width: e.width, height: e.height, rx: '3' }),
      s('text', { class: 'edge-label', x: e.x, y: e.y + 4, 'text-anchor': 'middle' }, e.label),
    );
  });
  const nodes = g.nodes().map((id) => {
    const box = g.node(id);
    const n = box.node;
    const isCurrent = n.kind === 'PRODUCT' && n.name === current;
    const body = s(
      'g',
      {
        class: `lineage-node kind-${n.kind.toLowerCase()}${isCurrent ? ' current' : ''}`,
        transform: `translate(${box.x - box.width / 2},${box.y - box.height / 2})`,
        dataset: { nodeId: n.id, kind: n.kind, name: n.name },
      },
      s('title', {}, `${n.name} (${KIND_LABEL[n.kind] ?? n.kind}${n.domain ? `, ${n.domain}` : ''}${isCurrent ? ', this product' : ''})`),
      s('rect', { width: box.width, height: box.height, rx: '7' }),
      s('text', { class: 'node-name', x: NODE_PAD_X, y: '19' }, n.name),
      s('text', { class: 'node-sub', x: NODE_PAD_X, y: '35' }, nodeSubtitle(n)),
    );
    return n.kind === 'PRODUCT' && !isCurrent ? s('a', { href: productHref(n.name), class: 'node-link' }, body) : body;
  });
  return s(
    'svg',
    {
      class: 'lineage-graph',
      id: 'lineage-graph',
      role: 'group',
      'aria-label': `Lineage of ${current}: ${lineage.nodes.length} nodes, ${lineage.edges.length} edges. Product nodes link to their pages.`,
      viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
      width: Math.ceil(width),
      height: Math.ceil(height),
    },
    s('defs', {}, ['input', 'reference', 'reads'].map(marker)),
    s('g', { class: 'edges' }, edges),
    s('g', { class: 'nodes' }, nodes),
  );
}

function lineageSection(p) {
  const lineage = p.lineage;
  if (!lineage?.nodes?.length) return h('p', { class: 'muted' }, 'No lineage recorded.');
  const byId = new Map(lineage.nodes.map((n) => [n.id, n]));
  const nameOf = (id) => byId.get(id)?.name ?? id;
  const nodeRef = (id) => {
    const n = byId.get(id);
    return n?.kind === 'PRODUCT' ? h('a', { href: productHref(n.name) }, n.name) : nameOf(id);
  };
  const legend = h(
    'ul',
    { class: 'legend', 'aria-label': 'Legend' },
    h('li', {}, h('span', { class: 'swatch kind-product' }), 'product'),
    h('li', {}, h('span', { class: 'swatch kind-source' }), 'operational source'),
    h('li', {}, h('span', { class: 'swatch kind-consumer' }), 'consumer (application)'),
    h('li', {}, h('span', { class: 'swatch kind-product current' }), 'this product'),
    h('li', {}, h('span', { class: 'line edge-input' }), 'data flows in'),
    h('li', {}, h('span', { class: 'line edge-reference' }), 'references a key'),
    h('li', {}, h('span', { class: 'line edge-reads' }), 'read by'),
  );
  return [
    h('figure', { class: 'lineage' }, h('div', { class: 'lineage-scroll' }, lineagePicture(lineage, p.name)), h('figcaption', {}, legend)),
    h(
      'details',
      {},
      h('summary', {}, 'Lineage as a list'),
      h(
        'ul',
        { id: 'lineage-list' },
        lineage.edges.map((e) =>
          h('li', {}, nodeRef(e.from), ` (${KIND_LABEL[byId.get(e.from)?.kind] ?? '?'}) → `, nodeRef(e.to), ` (${KIND_LABEL[byId.get(e.to)?.kind] ?? '?'}): ${edgeLabel(e)}`),
        ),
      ),
    ),
    lineage.columns?.length
      ? h(
          'details',
          {},
          h('summary', {}, `Column lineage (${lineage.columns.length})`),
          h(
            'table',
            { class: 'data' },
            h('caption', {}, 'Which column is computed from which, as the transforms say'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['From', 'To', 'How'].map((c) => h('th', { scope: 'col' }, c)),
              ),
            ),
            h(
              'tbody',
              {},
              lineage.columns.map((c) =>
                h('tr', {}, h('td', {}, nameOf(c.from), '.', h('code', {}, c.fromColumn)), h('td', {}, nameOf(c.to), '.', h('code', {}, c.toColumn)), h('td', {}, c.kind)),
              ),
            ),
          ),
        )
      : null,
  ];
}

// ---------------------------------------------------------------------------------------------
// The mesh health view: every product's freshness, last build, contract tests and anomalies.

function freshnessCell(st) {
  if (!st) return '—';
  const b = st.fresh === true ? badge('fresh', 'ok') : st.fresh === false ? badge('stale', 'bad') : badge('no target', 'neutral');
  return [b, h('div', { class: 'muted' }, `age ${fmtDuration(st.ageSeconds)}`, st.freshnessTargetSeconds ? ` of ${fmtDuration(st.freshnessTargetSeconds)}` : '')];
}

function lastBuildCell(p) {
  const newest = p.versions?.[0];
  const failed = newest && newest.status === 'FAILED' ? h('div', {}, badge('newest build failed', 'bad'), ' ', timeEl(newest.createdAt)) : null;
  return [p.currentVersion ? timeEl(p.currentVersion.createdAt) : h('span', { class: 'muted' }, 'never published'), failed];
}

function contractCell(p) {
  const v = p.currentVersion;
  const newest = p.versions?.[0];
  return [
    v ? testsCell(v) : h('span', { class: 'muted' }, '—'),
    newest && newest.status === 'FAILED' ? h('div', { class: 'muted' }, `newest: ${newest.testsPassed ?? 0} passed, ${newest.testsFailed ?? 0} failed`) : null,
  ];
}

function anomaliesCell(p) {
  const findings = (p.versions?.[0]?.findings ?? []).filter((f) => f.severity === 'warning' || f.severity === 'violation');
  if (!findings.length) return badge('none', 'ok');
  const violations = findings.filter((f) => f.severity === 'violation').length;
  return h(
    'details',
    {},
    h('summary', {}, badge(`${findings.length}${violations ? ` (${violations} violation${violations === 1 ? '' : 's'})` : ''}`, violations ? 'bad' : 'warn')),
    findingList(findings),
  );
}

async function healthView() {
  const result = await graphql(HEALTH_QUERY);
  const products = result.data?.dataProducts ?? [];
  const ok = products.filter((p) => p.slaStatus?.ok).length;
  return h(
    'section',
    { class: 'health-view', 'aria-labelledby': 'health-title' },
    h('h1', { id: 'health-title', tabindex: '-1' }, 'Mesh health'),
    h(
      'p',
      { class: 'summary' },
      products.length ? `${ok} of ${products.length} products meet their service levels.` : 'No product you may read.',
      ' ',
      h('span', { class: 'muted' }, 'As of ', timeEl(new Date().toISOString(), false)),
    ),
    errorList(result.errors),
    h(
      'table',
      { class: 'data', id: 'health-table' },
      h('caption', {}, 'Freshness, last build, contract tests and anomalies of every product you may read'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Product', 'Domain', 'Freshness', 'Last build', 'Contract tests', 'Anomalies', 'Overall'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        products.map((p) =>
          h(
            'tr',
            { dataset: { product: p.name } },
            h('th', { scope: 'row' }, h('a', { href: productHref(p.name) }, p.name), statusBadges(p).length ? [' ', statusBadges(p)] : ''),
            h('td', {}, p.domain),
            h('td', {}, freshnessCell(p.slaStatus)),
            h('td', {}, lastBuildCell(p)),
            h('td', {}, contractCell(p)),
            h('td', {}, anomaliesCell(p)),
            h(
              'td',
              {},
              slaBadge(p.slaStatus),
              p.slaStatus?.problems?.length
                ? h(
                    'ul',
                    { class: 'problems' },
                    p.slaStatus.problems.map((x) => h('li', {}, x)),
                  )
                : null,
            ),
          ),
        ),
      ),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Start.

$('sign-in-form').addEventListener('submit', onSignIn);
$('sign-out').addEventListener('click', onSignOut);
document.addEventListener('click', onLinkClick);
window.addEventListener('popstate', () => show(false));
show(false);
