/**
 * The catalog page as the gateway serves it, over real HTTP: its routes, `/` sent on to it, the
 * headers (a strict Content-Security-Policy, ETags, caching), the queries module generated from
 * catalogQueries.ts, the layout library from node_modules, and no way out of the asset table.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { rawHttp } from '../support/rawHttp.js';
import { startGateway } from '../../gateway/index.js';
import type { RunningGateway } from '../../gateway/index.js';
import { CATALOG_CSP } from '../../gateway/catalog/catalogPage.js';
import { HEALTH_QUERY, LIST_QUERY, PRODUCT_QUERY } from '../../gateway/catalog/catalogQueries.js';
import { startCommerceSubgraph, startCustomersSubgraph } from './testSubgraphs.js';
import type { TestSubgraph } from './testSubgraphs.js';

describe('the catalog page, served by the gateway', () => {
  let customers: TestSubgraph;
  let commerce: TestSubgraph;
  let gateway: RunningGateway;

  beforeAll(async () => {
    customers = await startCustomersSubgraph();
    commerce = await startCommerceSubgraph();
    gateway = await startGateway({ services: [customers, commerce], port: 0, log: () => undefined });
  });

  afterAll(async () => {
    await gateway?.close();
    await Promise.all([customers?.stop(), commerce?.stop()]);
  });

  it('sends / on to /catalog', async () => {
    const res = await rawHttp(gateway.url, '/');
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe('/catalog');
    const head = await rawHttp(gateway.url, '/', {}, 'HEAD');
    expect(head.status).toBe(302);
  });

  it.each(['/catalog', '/catalog/', '/catalog/health', '/catalog/product/customer-profiles', '/catalog/product/customer-profiles?x=1'])(
    'serves the page at %s with a strict Content-Security-Policy',
    async (route) => {
      const res = await rawHttp(gateway.url, route);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.headers['content-security-policy']).toBe(CATALOG_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['etag']).toMatch(/^"[\w-]+"$/);
      expect(res.body.toString('utf8')).toContain('<title>meshgate catalog</title>');
    },
  );

  it('allows only its own scripts, styles, images and GraphQL endpoint, and no inline script', async () => {
    const csp = CATALOG_CSP.split(';').map((d) => d.trim());
    expect(csp).toEqual(expect.arrayContaining(["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"]));
    expect(CATALOG_CSP).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);

    const html = (await rawHttp(gateway.url, '/catalog')).body.toString('utf8');
    // Every script is a file of the gateway's; there is no script or style in the page itself.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\ssrc="\/catalog\/assets\/[\w.-]+"/);
      expect(body).toBe('');
    }
    expect(html).not.toMatch(/<style\b|\sstyle=|\son\w+=/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
  });

  it('serves every asset the page refers to, with an ETag, and 304 when the copy is current', async () => {
    const html = (await rawHttp(gateway.url, '/catalog')).body.toString('utf8');
    const refs = [...html.matchAll(/(?:src|href)="(\/catalog\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(expect.arrayContaining(['/catalog/assets/catalog.js', '/catalog/assets/catalog.css', '/catalog/assets/dagre.min.js', '/catalog/assets/favicon.svg']));
    for (const ref of refs) {
      const res = await rawHttp(gateway.url, ref);
      expect([ref, res.status]).toEqual([ref, 200]);
      expect(res.headers['etag']).toMatch(/^"[\w-]+"$/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      const again = await rawHttp(gateway.url, ref, { 'if-none-match': String(res.headers['etag']) });
      expect([ref, again.status, again.body.length]).toEqual([ref, 304, 0]);
    }
    expect((await rawHttp(gateway.url, '/catalog/assets/catalog.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await rawHttp(gateway.url, '/catalog/assets/catalog.css')).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('serves the script gzip-compressed to a client that accepts it', async () => {
    const plain = await rawHttp(gateway.url, '/catalog/assets/catalog.js');
    const zipped = await rawHttp(gateway.url, '/catalog/assets/catalog.js', { 'accept-encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toBe('accept-encoding');
    expect(zipped.headers['etag']).not.toBe(plain.headers['etag']);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
  });

  it('serves the queries the page sends from catalogQueries.ts, one copy', async () => {
    const res = await rawHttp(gateway.url, '/catalog/assets/queries.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const text = res.body.toString('utf8');
    expect(text).toContain(`export const LIST_QUERY = ${JSON.stringify(LIST_QUERY)};`);
    expect(text).toContain(`export const PRODUCT_QUERY = ${JSON.stringify(PRODUCT_QUERY)};`);
    expect(text).toContain(`export const HEALTH_QUERY = ${JSON.stringify(HEALTH_QUERY)};`);
    // The page imports them and holds no query text of its own.
    const page = (await rawHttp(gateway.url, '/catalog/assets/catalog.js')).body.toString('utf8');
    expect(page).toContain("from './queries.js'");
    expect(page).not.toMatch(/dataProducts?\s*\(/);
  });

  it('serves the layout library from node_modules, byte for byte', async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@dagrejs/dagre'));
    const res = await rawHttp(gateway.url, '/catalog/assets/dagre.min.js');
    expect(res.body.equals(await readFile(path.join(dist, 'dagre.min.js')))).toBe(true);
  });

  it('builds its DOM from text, never from markup', async () => {
    const page = (await rawHttp(gateway.url, '/catalog/assets/catalog.js')).body.toString('utf8');
    expect(page).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  });

  it.each([
    '/catalog/assets/nope.js',
    '/catalog/assets/',
    '/catalog/assets/../../package.json',
    '/catalog/assets/..%2f..%2fpackage.json',
    '/catalog/assets/%2e%2e/%2e%2e/package.json',
    '/catalog/assets//etc/passwd',
    '/catalog/assets/catalog.js/',
    '/catalog/../package.json',
    '/catalog/page/catalog.js',
    '/catalog/catalogPage.ts',
    '/catalog/product/',
    '/catalog/product/a/b',
    '/catalog/nope',
    '/catalogue',
  ])('answers %s with 404 and nothing of the file system', async (route) => {
    const res = await rawHttp(gateway.url, route);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toContain('application/json');
    const text = res.body.toString('utf8');
    expect(text).not.toContain('"name": "meshgate"');
    expect(text).not.toMatch(/root:|\/work\/|node_modules|gateway\/catalog/);
  });

  it('answers other methods than GET and HEAD with 405', async () => {
    const res = await rawHttp(gateway.url, '/catalog', {}, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD');
    const head = await rawHttp(gateway.url, '/catalog/assets/catalog.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('counts catalog requests under their own route in /metrics', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/^meshgate_http_requests_total\{route="catalog",status_class="2xx"\} \d+$/m);
  });
});
