/** subgraphs/runtime: the shared runtime every domain subgraph runs on (DuckDB, SQL builder, generated resolvers, batched loaders). */
export { Database, PREPARED_PER_CONNECTION, type DatabaseOptions, type Row } from './duckdb/Database.js';
export { ENUM_MAX_DISTINCT, ProductTable } from './duckdb/ProductTable.js';
export { ResultCache, uncached, type ResultCacheStats, type StatementRunner } from './read/ResultCache.js';
export { buildSubgraph, type BuildSubgraphOptions, type Subgraph } from './buildSubgraph.js';
export { startSubgraph, type InProcessReply, type InProcessRequest, type ListenOptions, type RunningSubgraph, type SubgraphReload } from './startSubgraph.js';
export { DEFAULT_HTTP_SETTINGS, ListenError, type HttpSettings } from './http/subgraphHttpServer.js';
export { DEFAULT_LIMITS, type Limits } from './graphql/translateArgs.js';
export { createSubgraphContext, type SubgraphContext } from './context.js';
export { SubgraphMetrics, type SubgraphTelemetry } from './SubgraphTelemetry.js';
export type { DomainJob, DomainJobEnv } from './DomainJob.js';
export * from './build/index.js';
