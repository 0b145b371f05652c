/** The offline GraphiQL page: rendered with meshgate's guide once at start, held in memory with its gzip copy (http/staticAsset.ts). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { makeStaticAsset, serveStaticAsset } from './http/staticAsset.js';
import { loadGuideAssets, renderGraphiQLPage, type GraphiQLPageContent } from './graphiql/renderGraphiQLPage.js';

/** The offline GraphiQL page, rendered and compressed once, able to answer a GET for itself. */
export interface GraphiQLPage {
  /** The uncompressed HTML (scripts and styles inlined: nothing is fetched from a CDN; see graphiql/). */
  readonly html: Buffer;
  /** Writes the page, gzip-compressed if the client accepts it, or 304 when the client's copy is current. */
  serve(req: IncomingMessage, res: ServerResponse): number;
}

const HEADERS = Object.freeze({
  'cache-control': 'no-cache',
  // /graphql answers JSON or this page by the Accept header.
  vary: 'accept, accept-encoding',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
});

/** Renders the GraphiQL page with `content` once (about 9 MB) and gzips it, so serving it costs no CPU. */
export async function createGraphiQLPage(content: GraphiQLPageContent): Promise<GraphiQLPage> {
  const asset = await makeStaticAsset(renderGraphiQLPage(content, await loadGuideAssets()), 'text/html; charset=utf-8');
  return { html: asset.body, serve: (req, res) => serveStaticAsset(req, res, asset, HEADERS) };
}
