/** schema/: the mesh's published language: descriptors and contracts, naming, and the GraphQL generated for a product. */
export * from './contract/types.js';
export { filterColumns, GROUP_FIELDS, measureColumns, measureSpecOf, readMeasures } from './contract/measures.js';
export * from './errors.js';
export * from './naming.js';
export type { Log, LogFields, LogLevel } from './log.js';
export type { DataProduct, GateThresholds, OutputPort, ProductInput, ServiceLevels } from './descriptor/DataProduct.js';
export { loadDataProduct, loadContract, readStructured, resolveLocation, type LoadOptions } from './descriptor/loadDataProduct.js';
export { zodProblems } from './descriptor/zodProblems.js';
export { loadMesh, productsByName, type Domain, type Mesh } from './descriptor/loadMesh.js';
export { CONNECTED_INPUT_TYPES, descriptorSchema, durationMs, percent, type Descriptor } from './descriptor/descriptorSchema.js';
export {
  AGGREGATE_FUNCTIONS,
  enumShapes,
  generatedTypeNames,
  groupKeyType,
  groupable,
  productShape,
  quantileType,
  reverseShapes,
  sumType,
  TIME_UNIT_ENUM,
  TIME_UNITS,
  structIsNull,
  structShapes,
  type AggregateFunction,
  type MeasureShape,
  type TimeUnit,
  type EnumShape,
  type FieldShape,
  type MemberShape,
  type StructShape,
  type ValueShape,
  type ProductShape,
  type ProductTypeNames,
  type ReferenceShape,
  type ReverseShape,
} from './graphql/productShape.js';
export { collectFields, fieldArguments, fragmentsOf, isIncluded, walkOperation, type CollectedField, type WalkedField, type WalkScope } from './graphql/walkOperation.js';
export { buildSubgraphSdl } from './graphql/buildSubgraphSdl.js';
export { SCHEMA_HASH_HEADER, schemaHash } from './graphql/schemaHash.js';
export { CATALOG_DATA_FIELDS, CATALOG_DOMAIN, CATALOG_INTERFACE, CATALOG_ROOT_FIELDS, catalogEntityType } from './graphql/catalogSdl.js';
export { meshShapes } from './graphql/meshShapes.js';
export {
  ACCESS_LOG_PRODUCT,
  canonical,
  chain,
  DEFAULT_CHAIN,
  eventId,
  factList,
  FACT_KEYS,
  GENESIS_HASH,
  verifyEntry,
  type AccessEvent,
  type AccessFacts,
  type Decision,
  type Status,
} from './accessLog/AccessEvent.js';
export { ACCESS_LOG_V2_PRODUCT, LIST_FACTS, maskedColumn, piiFieldsRead, splitFact, toV2, type AccessEventV2, type ListFact } from './accessLog/AccessEventV2.js';
export { chainDir, compactedHeadFile, listChains, parseSegmentName, readHead, segmentName, zeroPaddedEnd, type ChainHead } from './accessLog/segments.js';
export * from './publish/index.js';
export { claimedBy, inboxDir, INBOX_ENTRY, submitToInbox } from './accessLog/inbox.js';
export * from './lineage/index.js';
