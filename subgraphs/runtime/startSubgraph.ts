/**
 * Serves one domain's subgraph over HTTP (loopback by default) on a `node:http` server of its own:
 * GraphQL with the schema hash on every reply, `/healthz` and `/readyz`, timeouts and a connection
 * cap from the configuration, a graceful drain on close, and hot reload of its declarations.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ACCESS_CONTEXT_HEADER, verifyAccessContext } from '../../policies/index.js';
import { MeshgateError, ProductUnavailableError, UnauthenticatedError, type Log, type Mesh } from '../../schema/index.js';
import { createSubgraphContext, type SubgraphContext } from './context.js';
import { buildSubgraph, type BuildSubgraphOptions, type Subgraph } from './buildSubgraph.js';
import { handleSubgraphHttp } from './http/handleSubgraphHttp.js';
import { createHttpServer, DEFAULT_HTTP_SETTINGS, drainServer, listen, type HttpSettings } from './http/subgraphHttpServer.js';
import { prepareReload } from './prepareReload.js';
import { serveSchema, type ServedSchema } from './servedSchema.js';
import { readiness, type ReloadState } from './readiness.js';
import { startSubgraphSpan } from './SubgraphTelemetry.js';

/** One GraphQL request handed to the subgraph in process (the embedded mesh's transport): what an HTTP request would carry. */
export interface InProcessRequest {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly operationName?: string;
  /** Header names in lower case; the request id and the signed access context are read from them as from HTTP. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The answer to an in-process request: the status and body an HTTP client would have received, not serialised. */
export interface InProcessReply {
  readonly status: number;
  readonly body: unknown;
  /** The hash of the schema that answered: what an HTTP reply carries in SCHEMA_HASH_HEADER. */
  readonly schemaHash: string;
}

/** What a reload did: a new schema swapped in, or the new declarations refused (the previous version keeps serving). */
export type SubgraphReload =
  | { readonly kind: 'swapped'; readonly domain: string; readonly schemaHash: string; readonly previousHash: string }
  | { readonly kind: 'unchanged'; readonly domain: string; readonly schemaHash: string }
  | { readonly kind: 'refused'; readonly domain: string; readonly reason: string; readonly schemaHash: string };

/** A subgraph listening for requests. */
export interface RunningSubgraph {
  /** The subgraph serving now (a reload replaces it). */
  readonly subgraph: Subgraph;
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4002/`. */
  readonly url: string;
  /** schemaHash of the SDL serving now. */
  readonly schemaHash: string;
  /**
   * Serves one request in process, through the same pipeline as HTTP (the access context verified,
   * the same plugins and error formatting) without a socket or a JSON round trip. The embedded mesh
   * wires it behind the gateway's transport.
   */
  handle(request: InProcessRequest): Promise<InProcessReply>;
  /** Validates the domain in `mesh` and swaps it in atomically; refused, the previous version keeps serving. Reloads run one at a time. */
  reload(mesh: Mesh): Promise<SubgraphReload>;
  /** Records a reload refused before it reached this subgraph (declarations that do not load; the caller logs why), for `/readyz` and the listeners. */
  refuseReload(reason: string): SubgraphReload;
  /** Calls `listener` after each reload that swapped a schema in or was refused; returns a function that removes it. */
  onReload(listener: (event: SubgraphReload) => void): () => void;
  /** Drains (readiness 503 at once, new connections refused, in-flight requests finished within the grace) and stops. */
  close(): Promise<void>;
}

/** Where to listen, and whom to trust. */
export interface ListenOptions {
  readonly host?: string;
  readonly port?: number;
  /**
   * The key the gateway signs access contexts with: a request without a valid context is refused
   * with 401. null serves without access control (benchmarks of the open mesh only).
   */
  readonly contextKey: Uint8Array | null;
  /** Timeouts, connection cap and drain grace; the configuration's defaults when absent. */
  readonly http?: HttpSettings;
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const REFUSAL = 'This domain answers only requests that come through the meshgate gateway.';
// The gateway's own limit is 1 MiB for a client's operation; its calls here also carry entity
// representations (a key per parent row), so the subgraph allows more, but not Apollo standalone's 50 MB.
const MAX_BODY_BYTES = 4 * 1024 * 1024;

const requestIdOf = (headers: IncomingHttpHeaders | Readonly<Record<string, string>>): string => {
  const id = headers['x-request-id'];
  return typeof id === 'string' && SAFE_ID.test(id) ? id : randomUUID();
};

/** Builds and starts the subgraph of one domain; rejects with a ListenError when its port cannot be used. */
export async function startSubgraph(options: BuildSubgraphOptions & ListenOptions): Promise<RunningSubgraph> {
  const log: Log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const tracer = options.telemetry?.tracer;
  const buildOptions: BuildSubgraphOptions = { ...options, log };
  const settings = options.http ?? DEFAULT_HTTP_SETTINGS;
  let served: ServedSchema = await serveSchema(buildSubgraph(buildOptions), log, tracer !== undefined);
  let draining = false;
  let started = false;
  const reloadState: { value?: ReloadState } = {};
  const listeners = new Set<(event: SubgraphReload) => void>();

  /** The context of a request from its headers: the gateway's signed access context verified, or a refusal. */
  const contextFor = async (headers: IncomingHttpHeaders | Readonly<Record<string, string>>, requestId: string): Promise<SubgraphContext> => {
    const traced = (ctx: SubgraphContext): SubgraphContext => {
      if (tracer) startSubgraphSpan(tracer, options.domain, headers, ctx);
      return ctx;
    };
    if (options.contextKey === null) return traced(createSubgraphContext(requestId, null));
    const header = headers[ACCESS_CONTEXT_HEADER];
    const access = await verifyAccessContext(options.contextKey, typeof header === 'string' ? header : undefined);
    if (!access) {
      log(`${options.domain}: request ${requestId} refused: no valid access context from the gateway`, { level: 'warn', requestId, subgraph: options.domain });
      throw new UnauthenticatedError(REFUSAL, { httpStatus: 401 });
    }
    return traced(createSubgraphContext(requestId, access));
  };
  const server = createHttpServer(
    settings,
    handleSubgraphHttp({
      served: () => served,
      contextFor,
      requestIdOf,
      readiness: () => readiness(served, { started, draining, reload: reloadState.value }),
      draining: () => draining,
      maxBodyBytes: MAX_BODY_BYTES,
      log,
    }),
  );
  // Listening comes before loading the tables: a port conflict is reported before any other work.
  let url: string;
  try {
    url = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  } catch (error) {
    await served.apollo.stop();
    throw error;
  }
  await Promise.all([...served.subgraph.products.values()].map((p) => p.table.refresh()));
  started = true;

  let stopped = false;
  /** A refusal made before execution, as the body Apollo would send with its status. */
  const refusal = (error: MeshgateError, status: number, hash: string): InProcessReply => ({
    status,
    body: { errors: [{ message: error.message, extensions: { code: error.code } }] },
    schemaHash: hash,
  });
  const handle = async (request: InProcessRequest): Promise<InProcessReply> => {
    const version = served;
    if (stopped) return refusal(new ProductUnavailableError(`The "${options.domain}" domain has shut down; try again later.`), 503, version.schemaHash);
    return version.use(async () => {
      let contextValue: SubgraphContext;
      try {
        contextValue = await contextFor(request.headers, requestIdOf(request.headers));
      } catch (error) {
        // The refusal HTTP callers get.
        if (!(error instanceof MeshgateError)) throw error;
        return refusal(error, 401, version.schemaHash);
      }
      const { query, variables, operationName } = request;
      const response = await version.apollo.executeOperation(
        { query, ...(variables && { variables: { ...variables } }), ...(operationName && { operationName }) },
        { contextValue },
      );
      if (response.body.kind !== 'single') return { status: 500, body: 'an incremental response', schemaHash: version.schemaHash };
      return { status: response.http.status ?? 200, body: response.body.singleResult, schemaHash: version.schemaHash };
    });
  };

  const emit = (event: SubgraphReload): SubgraphReload => {
    for (const listener of listeners) listener(event);
    return event;
  };
  const refuseReload = (reason: string): SubgraphReload => {
    reloadState.value = { refused: reason, at: new Date().toISOString() };
    return emit({ kind: 'refused', domain: options.domain, reason, schemaHash: served.schemaHash });
  };
  let queue: Promise<unknown> = Promise.resolve();
  const reloadNow = async (mesh: Mesh): Promise<SubgraphReload> => {
    if (closing) return { kind: 'unchanged', domain: options.domain, schemaHash: served.schemaHash };
    const prepared = await prepareReload(served, buildOptions, mesh);
    if (prepared.kind === 'refused') {
      log(`subgraph ${options.domain}: reload refused: ${prepared.reason}; still serving schema ${served.schemaHash}`);
      return refuseReload(prepared.reason);
    }
    // Declarations that load again clear a refusal; a change elsewhere in the mesh keeps the last swap on record.
    if (reloadState.value && 'refused' in reloadState.value) reloadState.value = undefined;
    if (prepared.kind === 'unchanged') return { kind: 'unchanged', domain: options.domain, schemaHash: served.schemaHash };
    const previous = served;
    served = prepared.next;
    void previous.retire(prepared.replaced);
    reloadState.value = { reloaded: served.schemaHash, at: new Date().toISOString() };
    log(`subgraph ${options.domain}: reloaded its declarations: schema ${previous.schemaHash} -> ${served.schemaHash}`);
    return emit({ kind: 'swapped', domain: options.domain, schemaHash: served.schemaHash, previousHash: previous.schemaHash });
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      draining = true;
      await drainServer(server, settings.shutdownGraceMs);
      await queue.catch(() => undefined);
      // The embedded gateway's in-process requests under way finish first; later ones are refused.
      stopped = true;
      await served.retire([]);
    })());

  return {
    get subgraph() {
      return served.subgraph;
    },
    get schemaHash() {
      return served.schemaHash;
    },
    url,
    handle,
    reload(mesh) {
      const next = queue.then(() => reloadNow(mesh));
      queue = next.catch(() => undefined);
      return next;
    },
    refuseReload,
    onReload(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close,
  };
}
