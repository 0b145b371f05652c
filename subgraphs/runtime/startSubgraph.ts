/** Serves one domain's subgraph over HTTP (loopback by default). */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { randomUUID } from 'node:crypto';
import { ACCESS_CONTEXT_HEADER, verifyAccessContext } from '../../policies/index.js';
import { MeshgateError, UnauthenticatedError, type Log } from '../../schema/index.js';
import { createSubgraphContext, type SubgraphContext } from './context.js';
import { buildSubgraph, type BuildSubgraphOptions, type Subgraph } from './buildSubgraph.js';
import { formatSubgraphError } from './formatSubgraphError.js';
import { endSubgraphSpan, startSubgraphSpan } from './SubgraphTelemetry.js';

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
}

/** A subgraph listening for requests. */
export interface RunningSubgraph {
  readonly subgraph: Subgraph;
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4002/`. */
  readonly url: string;
  /**
   * Serves one request in process, through the same pipeline as HTTP (the access context verified,
   * the same plugins and error formatting) without a socket or a JSON round trip. The embedded mesh
   * wires it behind the gateway's transport.
   */
  handle(request: InProcessRequest): Promise<InProcessReply>;
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
}

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const REFUSAL = 'This domain answers only requests that come through the meshgate gateway.';

/** Reports the rows each product returned in `extensions.meshgate.rows`, for the gateway's access log. */
const reportRowsPlugin: ApolloServerPlugin<SubgraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single' || contextValue.rows.size === 0) return;
        const result = response.body.singleResult;
        result.extensions = { ...result.extensions, meshgate: { rows: Object.fromEntries(contextValue.rows) } };
      },
    };
  },
};

/** Ends each request's span once its response is made (only installed when tracing is on). */
const endSpanPlugin: ApolloServerPlugin<SubgraphContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        endSubgraphSpan(contextValue, response.body.kind === 'single' && (response.body.singleResult.errors?.length ?? 0) > 0);
      },
    };
  },
};

/** Builds and starts the subgraph of one domain. */
export async function startSubgraph(options: BuildSubgraphOptions & ListenOptions): Promise<RunningSubgraph> {
  const log: Log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const subgraph = buildSubgraph(options);
  const tracer = options.telemetry?.tracer;
  await Promise.all([...subgraph.products.values()].map((p) => p.table.refresh()));
  const server = new ApolloServer<SubgraphContext>({
    schema: subgraph.schema,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled(), reportRowsPlugin, ...(tracer ? [endSpanPlugin] : [])],
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    formatError: formatSubgraphError((line, fields) => log(`${options.domain}: ${line}`, { ...fields, subgraph: options.domain })),
    // The process's owner closes the subgraph on SIGINT/SIGTERM; Apollo's own handlers would stop it and
    // re-raise the signal, killing the process before the gateway's access log is closed.
    stopOnTerminationSignals: false,
  });
  const traced = (ctx: SubgraphContext, headers: Readonly<Record<string, string | string[] | undefined>>): SubgraphContext => {
    if (tracer) startSubgraphSpan(tracer, options.domain, headers, ctx);
    return ctx;
  };
  /** The context of a request from its headers: the gateway's signed access context verified, or a refusal. */
  const contextFor = async (headers: Readonly<Record<string, string | string[] | undefined>>): Promise<SubgraphContext> => {
    const id = headers['x-request-id'];
    const requestId = typeof id === 'string' && SAFE_ID.test(id) ? id : randomUUID();
    if (options.contextKey === null) return traced(createSubgraphContext(requestId, null), headers);
    const header = headers[ACCESS_CONTEXT_HEADER];
    const access = await verifyAccessContext(options.contextKey, typeof header === 'string' ? header : undefined);
    if (!access) {
      log(`${options.domain}: request ${requestId} refused: no valid access context from the gateway`, { level: 'warn', requestId, subgraph: options.domain });
      throw new UnauthenticatedError(REFUSAL, { httpStatus: 401 });
    }
    return traced(createSubgraphContext(requestId, access), headers);
  };
  const { url } = await startStandaloneServer(server, {
    listen: { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
    context: ({ req }) => contextFor(req.headers),
  });
  const handle = async (request: InProcessRequest): Promise<InProcessReply> => {
    let contextValue: SubgraphContext;
    try {
      contextValue = await contextFor(request.headers);
    } catch (error) {
      // The refusal HTTP callers get, as the body Apollo would send with its status.
      if (!(error instanceof MeshgateError)) throw error;
      return { status: 401, body: { errors: [{ message: error.message, extensions: { code: error.code } }] } };
    }
    const { query, variables, operationName } = request;
    const response = await server.executeOperation({ query, ...(variables && { variables: { ...variables } }), ...(operationName && { operationName }) }, { contextValue });
    if (response.body.kind !== 'single') return { status: 500, body: 'an incremental response' };
    return { status: response.http.status ?? 200, body: response.body.singleResult };
  };
  return { subgraph, url, handle, close: () => server.stop() };
}
