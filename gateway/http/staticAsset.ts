/**
 * Files the gateway serves from memory (the GraphiQL page, the catalog page and its assets): made
 * once at start with their ETag and a gzip copy, answered with 304 when the client's copy is
 * current, so serving one costs no disk read and no CPU.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/** Below this size a gzip copy saves less than its headers cost. */
const GZIP_FROM_BYTES = 1024;

/** A file held in memory, ready to serve. */
export interface StaticAsset {
  readonly body: Buffer;
  /** The body gzip-compressed, when that is worth it. */
  readonly gzipped?: Buffer;
  readonly contentType: string;
  /** A strong ETag of the uncompressed body (the gzip copy's is the same with `-gzip`). */
  readonly etag: string;
}

/** Whether an `Accept-Encoding` header accepts gzip (a `q=0` refuses it). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (name !== 'gzip' && name !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Whether an `If-None-Match` header names `etag` (weak or strong) or `*`. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/** Makes a servable asset of `body`: its ETag and, for a body worth compressing, its gzip copy. */
export async function makeStaticAsset(body: Buffer | string, contentType: string): Promise<StaticAsset> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;
  const gzipped = bytes.length >= GZIP_FROM_BYTES ? await gzipAsync(bytes) : undefined;
  return { body: bytes, contentType, etag, ...(gzipped && gzipped.length < bytes.length && { gzipped }) };
}

/**
 * Writes `asset` for a GET or HEAD: gzip-compressed if the client accepts it, 304 when its copy is
 * current; `headers` are set on every answer (cache policy, security headers). Returns the status.
 */
export function serveStaticAsset(req: IncomingMessage, res: ServerResponse, asset: StaticAsset, headers: Readonly<Record<string, string>>): number {
  const useGzip = asset.gzipped !== undefined && acceptsGzip(req.headers['accept-encoding']);
  const tag = useGzip ? `${asset.etag.slice(0, -1)}-gzip"` : asset.etag;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('etag', tag);
  if (asset.gzipped && !res.hasHeader('vary')) res.setHeader('vary', 'accept-encoding');
  if (matchesEtag(req.headers['if-none-match'], tag)) {
    res.writeHead(304).end();
    return 304;
  }
  const body = useGzip ? asset.gzipped! : asset.body;
  res.setHeader('content-type', asset.contentType);
  res.setHeader('content-length', String(body.length));
  if (useGzip) res.setHeader('content-encoding', 'gzip');
  res.writeHead(200);
  res.end(req.method === 'HEAD' ? undefined : body);
  return 200;
}
