/**
 * The subgraph's `node:http` server: its timeouts and connection cap, listening with a port
 * conflict reported in one sentence, and a graceful drain.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

/** How the subgraph's HTTP server treats connections (cli/config.ts: MESHGATE_*_TIMEOUT_MS, MESHGATE_MAX_CONNECTIONS, MESHGATE_SHUTDOWN_GRACE_MS). */
export interface HttpSettings {
  /** A request whose headers have not all arrived by then is answered 408 and its connection closed. */
  readonly headersTimeoutMs: number;
  /** A request not fully received by then (headers and body) is answered 408 and its connection closed. */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  readonly keepAliveTimeoutMs: number;
  /** Connections beyond this many are closed as they arrive. */
  readonly maxConnections: number;
  /** How long a drain lets in-flight requests finish before cutting what is left. */
  readonly shutdownGraceMs: number;
}

/** The configuration's defaults, for a subgraph started without settings (tests, benchmarks). */
export const DEFAULT_HTTP_SETTINGS: HttpSettings = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 1_024, shutdownGraceMs: 5_000 };

/** The port is taken (EADDRINUSE) or may not be used (EACCES): what to tell the operator, without a stack. */
export class ListenError extends Error {
  override readonly name = 'ListenError';
  constructor(
    readonly host: string,
    readonly port: number,
    readonly code: string,
  ) {
    super(code === 'EADDRINUSE' ? `port ${port} on ${host} is already in use` : `cannot listen on port ${port} on ${host} (${code})`);
  }
}

/**
 * Node checks the header and request timeouts only every `connectionsCheckingInterval` (30 s by
 * default), so a 10 s header timeout fired at ~30 s. A tenth of the shorter timeout, at most 1 s,
 * makes them fire within 10% of the configured time (the check is a walk over open connections).
 */
function checkingInterval(settings: HttpSettings): number {
  return Math.max(25, Math.min(1_000, Math.floor(Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs) / 10)));
}

/** A server applying `settings` to every connection. */
export function createHttpServer(settings: HttpSettings, listener: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const server = createServer(
    {
      // Node refuses a headers timeout longer than the request timeout.
      headersTimeout: Math.min(settings.headersTimeoutMs, settings.requestTimeoutMs),
      requestTimeout: settings.requestTimeoutMs,
      keepAliveTimeout: settings.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkingInterval(settings),
    },
    listener,
  );
  server.maxConnections = settings.maxConnections;
  return server;
}

/** Listens on `host:port`; rejects with a {@link ListenError} (never an unhandled 'error' event). */
export function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new ListenError(host, port, error.code) : error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      resolve(`http://${host.includes(':') ? `[${host}]` : host}:${bound}/`);
    });
  });
}

/** How long a drain keeps idle keep-alive connections open, so a request already on its way gets its answer (marked `Connection: close`). */
const IDLE_LINGER_MS = 1_000;

/**
 * Stops accepting connections, lets the requests in flight finish and closes each connection after
 * its next reply (the caller marks those `Connection: close`), then cuts whatever is left after
 * `graceMs`. http.Server#close would close idle keep-alive connections at once, racing a client
 * that is sending its next request on one: net.Server#close stops only the listener, and idle
 * connections are closed a moment later (closeIdleConnections never touches a request in flight).
 */
export function drainServer(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(force);
      clearInterval(idle);
      // Clears Node's connection-checking timer; the listener is already closed, so its error is expected.
      server.close(() => resolve());
      server.closeAllConnections();
    };
    const started = Date.now();
    const force = setTimeout(done, graceMs);
    const idle = setInterval(() => {
      if (Date.now() - started >= Math.min(IDLE_LINGER_MS, graceMs)) server.closeIdleConnections();
    }, 100);
    force.unref();
    idle.unref();
    NetServer.prototype.close.call(server, done);
  });
}
