/**
 * The catalog web page, served by the gateway itself (no CDN, nothing fetched from the network):
 * one hand-written HTML page, its script and stylesheet (`gateway/catalog/page/`), the queries it
 * sends (generated from catalogQueries.ts) and the lineage layout library, `@dagrejs/dagre`,
 * resolved from node_modules at start. Everything is read once into memory and served from a fixed
 * table of names, so no request path ever reaches the file system.
 *
 * The page is a client of the graph: it asks for a token and sends its queries to `POST /graphql`,
 * so the same policies and the same access log apply to it as to any caller.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeStaticAsset, serveStaticAsset, type StaticAsset } from '../http/staticAsset.js';
import { sendGraphQLError } from '../http/sendJson.js';
import { catalogQueriesModule } from './catalogQueries.js';

/** Where the catalog lives; `/` redirects here. */
export const CATALOG_PATH = '/catalog';

/** Where its assets are served. */
export const CATALOG_ASSETS_PATH = `${CATALOG_PATH}/assets/`;

/**
 * The policy every catalog response carries: only the gateway's own scripts, styles, images and
 * GraphQL endpoint; no inline script or style, no frame, no plugin, no form sent elsewhere.
 */
export const CATALOG_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CATALOG_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** The page's own files, beside this module. */
const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));

const JS = 'text/javascript; charset=utf-8';

/** The client-side routes the page answers (product pages are linkable). */
const PAGE_ROUTE = /^\/catalog(?:\/|\/health|\/product\/[^/]+)?$/;

/** The catalog page, ready to answer any request under `/catalog`. */
export interface CatalogPage {
  /** Answers a request for `path` (under `/catalog`, without the query string) and returns the status sent. */
  serve(req: IncomingMessage, res: ServerResponse, path: string): number;
}

/** The folder of the dagre build that runs in a browser as a classic script (it defines `dagre`), found the way Node resolves the package. */
function dagreDistDir(): string {
  // The package exports only its entry points; its browser build sits beside the CommonJS one.
  return path.dirname(createRequire(import.meta.url).resolve('@dagrejs/dagre'));
}

/** Reads the page, its assets and the layout library into memory; fails at start, naming the file, if one is missing. */
export async function createCatalogPage(): Promise<CatalogPage> {
  const dagre = dagreDistDir();
  const files: readonly (readonly [name: string, file: string, contentType: string])[] = [
    ['catalog.js', path.join(PAGE_DIR, 'catalog.js'), JS],
    ['catalog.css', path.join(PAGE_DIR, 'catalog.css'), 'text/css; charset=utf-8'],
    ['favicon.svg', path.join(PAGE_DIR, 'favicon.svg'), 'image/svg+xml'],
    ['dagre.min.js', path.join(dagre, 'dagre.min.js'), JS],
    ['dagre.min.js.map', path.join(dagre, 'dagre.min.js.map'), 'application/json; charset=utf-8'],
    ['dagre.min.js.LEGAL.txt', path.join(dagre, 'dagre.min.js.LEGAL.txt'), 'text/plain; charset=utf-8'],
  ];
  const read = async (file: string): Promise<Buffer> => {
    try {
      return await readFile(file);
    } catch (error) {
      throw new Error(`the catalog page cannot be served: ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
    }
  };
  const assets = new Map<string, StaticAsset>(await Promise.all(files.map(async ([name, file, type]) => [name, await makeStaticAsset(await read(file), type)] as const)));
  assets.set('queries.js', await makeStaticAsset(catalogQueriesModule(), JS));
  const html = await makeStaticAsset(await read(path.join(PAGE_DIR, 'index.html')), 'text/html; charset=utf-8');

  return {
    serve(req, res, urlPath) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        return sendGraphQLError(res, 405, 'BAD_USER_INPUT', 'Only GET is allowed here');
      }
      if (PAGE_ROUTE.test(urlPath)) return serveStaticAsset(req, res, html, { ...SECURITY_HEADERS, 'cache-control': 'no-cache' });
      // An exact look-up in a fixed table: `..`, encoded slashes and the like name no asset.
      const asset = urlPath.startsWith(CATALOG_ASSETS_PATH) ? assets.get(urlPath.slice(CATALOG_ASSETS_PATH.length)) : undefined;
      if (asset) return serveStaticAsset(req, res, asset, { ...SECURITY_HEADERS, 'cache-control': 'no-cache' });
      return sendGraphQLError(res, 404, 'BAD_USER_INPUT', 'Not found: the catalog is served at /catalog');
    },
  };
}
