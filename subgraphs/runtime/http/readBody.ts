/** The subgraph's own copy of the gateway's body reader (gateway/http/readBody.ts): the two never import each other. */
import type { IncomingMessage } from 'node:http';

/** A request body read under a size limit: its bytes, or the news that it was too large. */
export type BodyResult = { readonly kind: 'ok'; readonly body: Buffer } | { readonly kind: 'tooLarge' };

/** Reads the whole request body, giving up (and discarding the rest) as soon as it exceeds `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    return Promise.resolve({ kind: 'tooLarge' });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult): void => {
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        settle({ kind: 'tooLarge' });
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (!settled) settle({ kind: 'ok', body: Buffer.concat(chunks, size) });
    });
    req.on('error', (error) => {
      if (!settled) {
        settled = true;
        reject(error);
      }
    });
  });
}
