import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { loadGuideAssets, renderGraphiQLPage, type GraphiQLPageContent } from './graphiql/renderGraphiQLPage.js';

const gzipAsync = promisify(gzip);

/** The offline GraphiQL page, rendered and compressed once, able to answer a GET for itself. */
export interface GraphiQLPage {
  /** The uncompressed HTML (scripts and styles inlined: nothing is fetched from a CDN; see graphiql/). */
  readonly html: Buffer;
  /** Writes the page, gzip-compressed if the client accepts it, or 304 when the client's copy is current. */
  serve(req: IncomingMessage, res: ServerResponse): number;
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (name !== 'gzip' && name !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/** Renders the GraphiQL page with `content` once (about 9 MB) and gzips it, so serving it costs no CPU. */
export async function createGraphiQLPage(content: GraphiQLPageContent): Promise<GraphiQLPage> {
  const html = Buffer.from(renderGraphiQLPage(content, await loadGuideAssets()), 'utf8');
  const compressed = await gzipAsync(html);
  const hash = createHash('sha256').update(html).digest('base64url').slice(0, 32);
  const etag = `"${hash}"`;
  const gzipEtag = `"${hash}-gzip"`;
  return {
    html,
    serve(req, res) {
      const useGzip = acceptsGzip(req.headers['accept-encoding']);
      const tag = useGzip ? gzipEtag : etag;
      res.setHeader('etag', tag);
      res.setHeader('cache-control', 'no-cache');
      res.setHeader('vary', 'accept, accept-encoding');
      res.setHeader('x-content-type-options', 'nosniff');
      res.setHeader('referrer-policy', 'no-referrer');
      res.setHeader('x-frame-options', 'DENY');
      if (matchesEtag(req.headers['if-none-match'], tag)) {
        res.writeHead(304).end();
        return 304;
      }
      const body = useGzip ? compressed : html;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.setHeader('content-length', String(body.length));
      if (useGzip) res.setHeader('content-encoding', 'gzip');
      res.writeHead(200);
      res.end(req.method === 'HEAD' ? undefined : body);
      return 200;
    },
  };
}
