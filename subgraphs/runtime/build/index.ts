/** subgraphs/runtime/build: the platform's build of a product from its input ports, through its transform and gate, to a published version. */
export { BuildError, type BuildEnv } from './BuildEnv.js';
export { buildOrder } from './buildOrder.js';
export { buildProduct, servedVersion, type BuildOutcome } from './buildProduct.js';
export { buildProducts, type BuildRun } from './buildProducts.js';
export { publishFiles } from './publishFiles.js';
export { servicePrincipal } from './inputs/dataProductInput.js';
export { connectionVariable } from './inputs/postgresInput.js';
export { landingFolder } from './inputs/filesInput.js';
