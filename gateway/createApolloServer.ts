import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { ApolloLogger } from './apolloLogger.js';
import type { RequestContext } from './context.js';
import { formatError } from './formatError.js';

type Gateway = ApolloServerOptionsWithGateway<RequestContext>['gateway'];

/** Builds the Apollo Server in front of the gateway with meshgate's safety settings (no stacks, no suggestions, no batching, no network reporting). */
export function createApolloServer(gateway: Gateway, logger: ApolloLogger, extraPlugins: readonly ApolloServerPlugin<RequestContext>[] = []): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    gateway,
    logger,
    formatError,
    // Every GraphQL request is authenticated first when access control is on, so only callers with a valid token introspect.
    introspection: true,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    // The caller owns the process: `close()` stops the server, not Apollo's own signal handlers.
    stopOnTerminationSignals: false,
    plugins: [
      // Our GraphiQL page is served on GET; Apollo's landing page would load from a CDN.
      ApolloServerPluginLandingPageDisabled(),
      // Nothing may try the network: no usage reports (which would also ask subgraphs for traces), no schema reports.
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
      ...extraPlugins,
    ],
  });
}
