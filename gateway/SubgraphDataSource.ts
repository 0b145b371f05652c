import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { InternalError, MeshgateError, ProductUnavailableError, registryCode } from '../schema/index.js';
import type { RequestContext } from './context.js';

/** Why a subgraph call failed, as counted in metrics and written to the log (never shown to clients). */
export type SubgraphFailureReason = 'timeout' | 'unreachable' | 'bad_response';

/** What a subgraph data source needs: the domain's name and address, the time limit and the per-request hooks. */
export interface SubgraphDataSourceSettings {
  readonly name: string;
  readonly url: string;
  readonly timeoutMs: number;
  readonly headersForSubgraph: (ctx: RequestContext) => Record<string, string>;
  /** Told about every failed call with the underlying cause, which may name the URL: for logs only. */
  readonly onFailure: (name: string, reason: SubgraphFailureReason, cause: unknown, ctx: RequestContext | null) => void;
}

type Fetcher = RemoteGraphQLDataSource<RequestContext>['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;
const CLIENT_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

function isRequestContext(value: unknown): value is RequestContext {
  return typeof value === 'object' && value !== null && typeof (value as { requestId?: unknown }).requestId === 'string' && 'audit' in value;
}

// Duck-typed on purpose: errors from Node's fetch may come from another realm (e.g. a test VM), where instanceof fails.
function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string' ? (error as { name: string }).name : '';
}

function isTimeout(error: unknown): boolean {
  const name = errorName(error);
  return name === 'TimeoutError' || name === 'AbortError';
}

function isConnectionFailure(error: unknown): boolean {
  // Node's fetch reports every transport failure (refused, reset, DNS, bad port) as `TypeError: fetch failed`.
  return errorName(error) === 'TypeError';
}

/** First `{ message, extensions.code }` of a GraphQL error body, if the subgraph sent one. */
function firstClientError(body: unknown): { message: string; code: string } | null {
  const errors = typeof body === 'object' && body !== null ? (body as { errors?: unknown }).errors : undefined;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  if (typeof first !== 'object' || first === null) return null;
  const { message, extensions } = first as { message?: unknown; extensions?: { code?: unknown } };
  const code = extensions?.code;
  return typeof message === 'string' && typeof code === 'string' && CLIENT_CODE.test(code) ? { message, code } : null;
}

/**
 * Calls one domain subgraph: builds its headers from scratch (request id plus the hook's headers, nothing
 * the client sent), bounds the whole call by a time limit, and turns transport failures into
 * PRODUCT_UNAVAILABLE errors that name the domain only.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RequestContext> {
  private readonly settings: SubgraphDataSourceSettings;

  constructor(settings: SubgraphDataSourceSettings) {
    super({ url: settings.url });
    this.settings = settings;
    // AbortSignal.timeout covers connecting, waiting and reading the body (undici aborts the stream too).
    this.fetcher = (url, init) =>
      fetch(url, {
        method: init?.method ?? 'POST',
        headers: init?.headers ?? {},
        body: typeof init?.body === 'string' || init?.body === undefined ? init?.body : new Uint8Array(init.body),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<RequestContext>): void {
    const http = options.request.http;
    if (!http) return;
    const headers = http.headers;
    const names: string[] = [];
    for (const [name] of headers) names.push(name);
    for (const name of names) headers.delete(name);
    const ctx = 'incomingRequestContext' in options ? options.context : null;
    if (isRequestContext(ctx)) {
      for (const [name, value] of Object.entries(this.settings.headersForSubgraph(ctx))) headers.set(name, value);
      headers.set('x-request-id', ctx.requestId);
    }
    headers.set('content-type', 'application/json');
  }

  /** Collects the rows each product returned, which the subgraph reports in `extensions.meshgate.rows`. */
  override didReceiveResponse(options: Parameters<NonNullable<RemoteGraphQLDataSource<RequestContext>['didReceiveResponse']>>[0]): GatewayGraphQLResponse {
    const { response, context } = options;
    const rows = (response.extensions?.meshgate as { rows?: Record<string, unknown> } | undefined)?.rows;
    if (rows && isRequestContext(context)) {
      for (const [product, n] of Object.entries(rows)) {
        if (typeof n === 'number') context.audit.rows.set(product, (context.audit.rows.get(product) ?? 0) + n);
      }
    }
    return response;
  }

  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body = await this.parseBody(response).catch(() => null);
    const passed = firstClientError(body);
    if (passed) {
      // A subgraph answers with registry codes (its formatter makes sure); any other code is a fault whose message may describe internals.
      const code = registryCode(passed.code, passed.message);
      return code ? new MeshgateError(code, passed.message) : new InternalError();
    }
    return new ProductUnavailableError(`The "${this.settings.name}" domain answered with HTTP ${response.status}`);
  }

  override didEncounterError(error: Error, _request: unknown, _response?: FetcherResponse, context?: RequestContext): never {
    const ctx = isRequestContext(context) ? context : null;
    if (error instanceof GraphQLError) {
      this.settings.onFailure(this.settings.name, 'bad_response', error, ctx);
      throw error;
    }
    const reason: SubgraphFailureReason = isTimeout(error) ? 'timeout' : isConnectionFailure(error) ? 'unreachable' : 'bad_response';
    this.settings.onFailure(this.settings.name, reason, error, ctx);
    if (reason === 'timeout' && ctx) ctx.audit.timedOut = true;
    const message = reason === 'timeout' ? `The "${this.settings.name}" domain did not answer in time` : `The "${this.settings.name}" domain is unavailable`;
    throw new ProductUnavailableError(message);
  }
}
