/** The gateway: the mesh's front door, composing the domain subgraphs in-process and serving them as one GraphQL endpoint. */
export { startGateway } from './startGateway.js';
export { composeSupergraph } from './composeSupergraph.js';
export type { CompositionOutcome } from './composeSupergraph.js';
export { CompositionError } from './CompositionError.js';
export { createRequestContext } from './context.js';
export type { Principal, RequestContext } from './context.js';
export type { GatewayOptions, RunningGateway, SubgraphService } from './GatewayOptions.js';
export type { GatewayAccess } from './GatewayOptions.js';
export { ProductIndex } from './access/ProductIndex.js';
export { createVerifier, AuthenticationError, type AuthOptions, type Verifier } from './auth/createVerifier.js';
export { ensureDevKeys, DEV_AUDIENCE, DEV_ISSUER } from './auth/devKeys.js';
export { mintDevToken, type DevTokenClaims } from './auth/mintDevToken.js';
export type { AccessLog, AccessLogStats } from './accessLog/AccessLog.js';
export { AccessLogWriter, type AccessLogOptions } from './accessLog/AccessLogWriter.js';
export { EXAMPLES, WELCOME_EXAMPLE, type GraphiQLExample } from './graphiql/examples.js';
export type { DevTokenIssuer, GraphiQLGuide } from './graphiql/GraphiQLGuide.js';
export { describeRules, offeredPurposes, offeredRoles } from './graphiql/policyGuide.js';
