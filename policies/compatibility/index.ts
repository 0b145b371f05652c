/**
 * policies/compatibility/: the schema-registry side of governance: contract changes judged under
 * each product's compatibility mode (BACKWARD, FORWARD, FULL, NONE), major versions, and the
 * registry of contract versions kept in the repository (`schema-registry/`).
 */
export { checkCompatibility } from './checkCompatibility.js';
export { compareContracts, type ContractPlace } from './compareContracts.js';
export { compareMeshes, contractFileOf, removedProduct } from './compareMeshes.js';
export { BREAKS, breaksOf, isBreaking, strictestMode, type Breaks, type ChangeKind } from './compatibilityTable.js';
export { loadBase, type BaseOptions, type BaseSnapshot } from './loadBase.js';
export { isHandedOver, predecessorOf } from './majorVersion.js';
export { compareVersions, normalisedJson, readLatestRegistered, REGISTRY_DIR, type RegisteredContract } from './registry.js';
