import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled, ApolloServerPluginSchemaReportingDisabled, ApolloServerPluginUsageReportingDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ApolloLogger } from './apolloLogger.js';
import { rowBudgetPlugin } from './limits/rowBudgetPlugin.js';
import type { RequestContext } from './context.js';
import { formatError } from './formatError.js';
import { knownRootType, requireOperationPlugin } from './operation/requireOperation.js';

type Gateway = ApolloServerOptionsWithGateway<RequestContext>['gateway'];

/** Limits on the shape of one operation, enforced before planning (GraphQL Armor). */
export interface OperationLimits {
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxTokens: number;
  /** The most rows one operation may ask for, nested lists multiplied (see limits/estimateRows.ts). */
  readonly maxRows: number;
  readonly maxDirectives: number;
}

/** Deep enough for payments → order → customer → orders → payments through connections; no deeper. */
export const DEFAULT_OPERATION_LIMITS: OperationLimits = { maxDepth: 12, maxAliases: 15, maxTokens: 2_000, maxRows: 250_000, maxDirectives: 50 };

/** Builds the Apollo Server in front of the gateway with meshgate's safety settings (no stacks, no suggestions, no batching, no network reporting, operation limits). */
export function createApolloServer(
  gateway: Gateway,
  logger: ApolloLogger,
  extraPlugins: readonly ApolloServerPlugin<RequestContext>[] = [],
  limits: OperationLimits = DEFAULT_OPERATION_LIMITS,
): ApolloServer<RequestContext> {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    // Armor's token plugin turns every syntax error into a 500; graphql-js's own parse option below does it right.
    maxTokens: { enabled: false },
    // Armor's cost heuristic counts `first` but not `limit`; our row budget below fits this API.
    costLimit: { enabled: false },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return new ApolloServer<RequestContext>({
    validationRules: [knownRootType, ...armor.validationRules],
    parseOptions: { maxTokens: limits.maxTokens },
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
      ...(armor.plugins as ApolloServerPlugin<RequestContext>[]),
      // First of ours: an operation that cannot be chosen is refused before any analysis of it.
      requireOperationPlugin<RequestContext>(),
      rowBudgetPlugin(limits.maxRows),
      ...extraPlugins,
    ],
  });
}
