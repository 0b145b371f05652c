import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { InternalError, MeshgateError, ProductUnavailableError, registryCode } from '../schema/index.js';
import type { RequestContext } from './context.js';
import type { ObserveSubgraphCall } from './telemetry.js';
import { TransportError, type SubgraphReply, type SubgraphRequest, type SubgraphTransport } from './transport/SubgraphTransport.js';

/** Why a subgraph call failed, as counted in metrics and written to the log (never shown to clients). */
export type SubgraphFailureReason = 'timeout' | 'unreachable' | 'bad_response' | 'circuit_open';

/** What a subgraph data source needs: the domain's name, how to reach it, the time limit and the per-request hooks. */
export interface SubgraphDataSourceSettings {
  readonly name: string;
  readonly transport: SubgraphTransport;
  readonly timeoutMs: number;
  /** Headers every call of a request carries besides the request id and the access context. */
  readonly headersForSubgraph: (ctx: RequestContext) => Record<string, string>;
  /** The header and value of the request's signed access context, if it has one. */
  readonly accessContext: (ctx: RequestContext) => readonly [name: string, value: string] | undefined;
  /** Merge identical calls in flight under the same grant into one (MESHGATE_INFLIGHT_MERGE). */
  readonly mergeInFlight: boolean;
  /** Told about every failed call with the underlying cause, which may name the URL: for logs only. */
  readonly onFailure: (name: string, reason: SubgraphFailureReason, cause: unknown, ctx: RequestContext | null) => void;
  /** Told about every call answered by another request's call in flight (for metrics). */
  readonly onMerged?: (name: string) => void;
  /** Told when each call starts and ends (latency metrics, the call's span and its traceparent header). */
  readonly observeCall?: ObserveSubgraphCall;
}

const CLIENT_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

function isRequestContext(value: unknown): value is RequestContext {
  return typeof value === 'object' && value !== null && typeof (value as { requestId?: unknown }).requestId === 'string' && 'audit' in value;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** First `{ message, extensions.code }` of a GraphQL error body, if the subgraph sent one. */
function firstClientError(body: unknown): { message: string; code: string } | null {
  const errors = isObject(body) ? body.errors : undefined;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  if (!isObject(first)) return null;
  const { message, extensions } = first as { message?: unknown; extensions?: { code?: unknown } };
  const code = extensions?.code;
  return typeof message === 'string' && typeof code === 'string' && CLIENT_CODE.test(code) ? { message, code } : null;
}

/**
 * A call that failed: why (for the log and the metrics, told once however many requests waited for
 * the call) and the error each of those requests is answered with (made anew for each).
 */
class CallFailure extends Error {
  reported = false;
  constructor(
    readonly reason: SubgraphFailureReason,
    readonly clientError: () => Error,
    override readonly cause: unknown,
  ) {
    super(reason);
  }
}

/** A call in flight that identical calls wait for; `merged` once one does, so the caller that made it gets a copy too and the body itself is never handed out. */
interface SharedCall {
  readonly body: Promise<Record<string, unknown>>;
  merged: boolean;
}

/**
 * Calls one domain subgraph through its transport (HTTP, or in process in the embedded mesh): builds
 * its headers from scratch (request id, access context and the hook's headers, nothing the client
 * sent), bounds the whole call by a time limit, merges identical calls in flight whose requests hold
 * the same grant (a dashboard's sixteen viewers cost one call), and turns failures into
 * PRODUCT_UNAVAILABLE errors that name the domain only.
 */
export class SubgraphDataSource implements GraphQLDataSource<RequestContext> {
  private readonly inFlight = new Map<string, SharedCall>();

  constructor(private readonly settings: SubgraphDataSourceSettings) {}

  async process(options: GraphQLDataSourceProcessOptions<RequestContext>): Promise<GatewayGraphQLResponse> {
    const ctx = 'incomingRequestContext' in options && isRequestContext(options.context) ? options.context : null;
    const { query, variables, operationName } = options.request;
    if (!query) throw new InternalError();
    const extra = ctx ? this.settings.headersForSubgraph(ctx) : {};
    const signed = ctx ? this.settings.accessContext(ctx) : undefined;
    const headers: Record<string, string> = { ...extra, ...(signed && { [signed[0]]: signed[1] }), ...(ctx && { 'x-request-id': ctx.requestId }) };
    const request: SubgraphRequest = { query, headers, ...(variables && { variables }), ...(operationName && { operationName }) };
    const ended = this.settings.observeCall?.(this.settings.name, ctx, headers);
    let body: Record<string, unknown>;
    try {
      body = await this.reply(request, ctx, extra);
    } catch (error) {
      ended?.(error instanceof CallFailure ? error.reason : 'error');
      if (!(error instanceof CallFailure)) throw error;
      if (!error.reported) this.settings.onFailure(this.settings.name, error.reason, error.cause, ctx);
      error.reported = true;
      if (error.reason === 'timeout' && ctx) ctx.audit.timedOut = true;
      throw error.clientError();
    }
    ended?.('ok');
    const rows = (body.extensions as { meshgate?: { rows?: Record<string, unknown> } } | undefined)?.meshgate?.rows;
    if (rows && ctx) {
      for (const [product, n] of Object.entries(rows)) if (typeof n === 'number') ctx.audit.rows.set(product, (ctx.audit.rows.get(product) ?? 0) + n);
    }
    return body as GatewayGraphQLResponse;
  }

  /**
   * The reply's body, from this request's own call or from an identical one in flight. Calls merge
   * only when everything the subgraph's answer depends on is equal: the operation, its variables,
   * the extra headers and the grant the access context carries (never across grants; an unsigned
   * request never merges). A merged caller gets its own copy, since the gateway merges entity
   * results into the objects it is given.
   */
  private async reply(request: SubgraphRequest, ctx: RequestContext | null, extra: Record<string, string>): Promise<Record<string, unknown>> {
    const grant =
      ctx === null ? null : ctx.access.token === undefined ? (ctx.principal === null && ctx.access.decisions === undefined ? 'open' : null) : (ctx.access.grant ?? null);
    if (!this.settings.mergeInFlight || grant === null) return this.call(request);
    const key = JSON.stringify([grant, request.operationName ?? null, request.query, request.variables ?? null, extra]);
    const pending = this.inFlight.get(key);
    if (pending) {
      pending.merged = true;
      this.settings.onMerged?.(this.settings.name);
      return structuredClone(await pending.body);
    }
    const shared: SharedCall = { body: this.call(request), merged: false };
    this.inFlight.set(key, shared);
    let body: Record<string, unknown>;
    try {
      body = await shared.body;
    } finally {
      // In the same step as the body is taken: nobody can join after the caller that made the call got it.
      if (this.inFlight.get(key) === shared) this.inFlight.delete(key);
    }
    return shared.merged ? structuredClone(body) : body;
  }

  /** One call, its reply checked: a 2xx JSON object, or the error a client may be shown. */
  private async call(request: SubgraphRequest): Promise<Record<string, unknown>> {
    const { name, timeoutMs } = this.settings;
    const signal = AbortSignal.timeout(timeoutMs);
    let reply: SubgraphReply;
    try {
      reply = await this.settings.transport.send(request, signal);
    } catch (error) {
      const kind = error instanceof TransportError ? error.kind : 'bad_response';
      if (signal.aborted) throw new CallFailure('timeout', () => new ProductUnavailableError(`The "${name}" domain did not answer in time`), error);
      if (kind === 'circuit_open')
        throw new CallFailure('circuit_open', () => new ProductUnavailableError(`The "${name}" domain is unavailable (calls are paused after repeated failures)`), error);
      throw new CallFailure(kind, () => new ProductUnavailableError(`The "${name}" domain is unavailable`), error);
    }
    if (reply.status < 200 || reply.status > 299) {
      const passed = firstClientError(reply.body);
      // A subgraph answers with registry codes (its formatter makes sure); any other code is a fault whose message may describe internals.
      const code = passed && registryCode(passed.code, passed.message);
      const status = reply.status;
      const clientError = (): Error =>
        passed ? (code ? new MeshgateError(code, passed.message) : new InternalError()) : new ProductUnavailableError(`The "${name}" domain answered with HTTP ${status}`);
      throw new CallFailure('bad_response', clientError, new Error(`HTTP ${status}`));
    }
    if (!isObject(reply.body))
      throw new CallFailure('bad_response', () => new ProductUnavailableError(`The "${name}" domain is unavailable`), new Error('the reply is not a JSON object'));
    return reply.body;
  }
}
