/**
 * cli/mesh: a mesh assembled from the validated configuration, in one place. The parts every serving
 * command shares (load the declarations, open the database and the access log, start the jobs, a
 * subgraph, the gateway), and `startMesh`, which puts them all together in one process.
 */
export { describeMeshProblems, loadServedMesh, requireWholeMesh } from './loadServedMesh.js';
export { recomposeMeshGateway, reloadOnChange, type MeshRecomposition } from './reloadMeshGateway.js';
export { openDatabase, openStatementRunner, statementRunnerMetrics } from './openDatabase.js';
export { databaseMetrics, serveMetrics } from './databaseMetrics.js';
export { openAccessLog } from './openAccessLog.js';
export { startDomainJobs } from './startDomainJobs.js';
export { httpSettings, portVariable, startDomainSubgraph, type DomainSubgraphOptions } from './startDomainSubgraph.js';
export { watchDeclarations, type DeclarationWatch, type MeshReload } from './watchDeclarations.js';
export { gatewayServices, startMeshGateway, type MeshGatewayOptions, type SubgraphUrls } from './startMeshGateway.js';
export { startMesh, type MeshOptions, type RunningMesh } from './startMesh.js';
