import { ApolloServer } from '@apollo/server';
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
export function createApolloServer(gateway: Gateway, logger: ApolloLogger): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    gateway,
    logger,
    formatError,
    // Access control comes later; until then the schema is public.
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
    ],
  });
}
