/**
 * HTTP requests with exactly the headers a test chooses, `host` and `origin` included (fetch would
 * set or refuse some of them), for the routes a browser reaches: what a cross-site page or a
 * DNS-rebinding name could send.
 */
import { request } from 'node:http';

/** A response as the test sees it: status, headers, body text and, when it is JSON, the parsed body. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  readonly json?: { errors?: { message: string; extensions?: { code?: string } }[] } & Record<string, unknown>;
}

/** Sends one request to `url` with `headers` and `body` as given, nothing added but content-length. */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'POST', headers: { ...options.headers, ...(options.body !== undefined && { 'content-length': Buffer.byteLength(options.body) }) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: RawResponse['json'];
          try {
            json = JSON.parse(text) as RawResponse['json'];
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, ...(json !== undefined && { json }) });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
