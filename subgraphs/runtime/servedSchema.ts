/**
 * One version of a subgraph's schema as it is served: the built subgraph, the Apollo Server that
 * executes over it, and its schema hash. A hot reload builds a new one beside the one serving and
 * swaps the reference; each request holds the version it started on until it ends, so a request
 * in flight finishes on the old schema and the old one is stopped (its replaced tables dropped)
 * once the last such request is done.
 */
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { schemaHash, type Log } from '../../schema/index.js';
import type { SubgraphContext } from './context.js';
import type { Subgraph } from './buildSubgraph.js';
import type { ProductTable } from './duckdb/ProductTable.js';
import { formatSubgraphError } from './formatSubgraphError.js';
import { endSubgraphSpan } from './SubgraphTelemetry.js';

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

/** A version of the schema being served, or kept until the requests that started on it end. */
export interface ServedSchema {
  readonly subgraph: Subgraph;
  readonly apollo: ApolloServer<SubgraphContext>;
  /** schemaHash(subgraph.typeDefs): the value of SCHEMA_HASH_HEADER on every reply made with it. */
  readonly schemaHash: string;
  /** Runs `work` on this version; it is not stopped while `work` runs. */
  use<T>(work: () => Promise<T>): Promise<T>;
  /** Stops this version once its last request is done, dropping `tables` (those the new version does not share); resolves when stopped. */
  retire(tables: readonly ProductTable[]): Promise<void>;
}

/** Starts an Apollo Server over `subgraph` and wraps it as a version to serve. */
export async function serveSchema(subgraph: Subgraph, log: Log, traced = false): Promise<ServedSchema> {
  const apollo = new ApolloServer<SubgraphContext>({
    schema: subgraph.schema,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginLandingPageDisabled(), reportRowsPlugin, ...(traced ? [endSpanPlugin] : [])],
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    formatError: formatSubgraphError((line, fields) => log(`${subgraph.domain}: ${line}`, { ...fields, subgraph: subgraph.domain })),
    // The process's owner closes the subgraph on SIGINT/SIGTERM; Apollo's own handlers would stop it and
    // re-raise the signal, killing the process before the gateway's access log is closed.
    stopOnTerminationSignals: false,
  });
  await apollo.start();
  let inFlight = 0;
  let retired: (() => void) | null = null;
  const release = (): void => {
    inFlight -= 1;
    if (inFlight === 0 && retired) retired();
  };
  return {
    subgraph,
    apollo,
    schemaHash: schemaHash(subgraph.typeDefs),
    async use(work) {
      inFlight += 1;
      try {
        return await work();
      } finally {
        release();
      }
    },
    retire(tables) {
      return new Promise((resolve) => {
        retired = () => {
          retired = null;
          const stopped = apollo.stop().catch((error: unknown) => log(`${subgraph.domain}: stopping a replaced schema failed: ${(error as Error).message}`));
          void Promise.all([stopped, ...tables.map((t) => t.retire())]).then(() => resolve());
        };
        if (inFlight === 0) retired();
      });
    },
  };
}
