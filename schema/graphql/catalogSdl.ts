/**
 * The catalog's part of the graph, federated like the data. `DataProduct` is an interface with one
 * entity type per domain (`CustomersDataProduct`, keyed by `name`), because federation routes a
 * field by type, not by key value: the governance domain (the platform's own) defines the interface,
 * every entity type, the static facts of every product (from the declarations), usage (from the
 * access log) and the search; each domain's subgraph resolves the live facts of its own entity type
 * only (SLA status now, versions and their tests, a profile and a sample under the caller's grant),
 * which the governance subgraph declares `@external`. A client selects them all on `DataProduct`.
 */
import { pascalCase } from '../naming.js';

/** The domain that serves the catalog's root fields, the static facts and usage. */
export const CATALOG_DOMAIN = 'governance';

/** The catalog's root query fields: an operation that selects one is a catalog read, decided for every product (gateway/access). */
export const CATALOG_ROOT_FIELDS: ReadonlySet<string> = new Set(['dataProducts', 'dataProduct', 'lineage']);

/** The live fields of a catalog entry that read the product's data (its rows or their profile): the access log records them as reads. */
export const CATALOG_DATA_FIELDS: ReadonlySet<string> = new Set(['sample', 'profile']);

/** The catalog interface's name. */
export const CATALOG_INTERFACE = 'DataProduct';

/** The entity type of `domain`'s catalog entries: `customers` → `CustomersDataProduct`. */
export const catalogEntityType = (domain: string): string => `${pascalCase(domain)}DataProduct`;

/** The live fields, each with its description: each domain's entity type declares them, the catalog domain's others `@external`. */
const LIVE_FIELDS: readonly (readonly [doc: string, field: string])[] = [
  ["The SLA measured now: freshness from the served version's data, completeness from its profile, and its contract tests.", 'slaStatus: SlaStatus!'],
  ['The version served now; null before the first publish.', 'currentVersion: ProductVersion'],
  ['The newest versions, published and failed, newest first.', 'versions(limit: Int = 10): [ProductVersion!]!'],
  ["The served version's column profile over the rows you may read; figures only for fields you read unmasked. Null while no version is served.", 'profile: ProductProfile'],
  [
    'A few rows of the served version, read as you would read them (masked, row-filtered): what a query would give you. Null while no version is served.',
    'sample(limit: Int = 5): ProductSample',
  ],
];

/** The live fields as SDL lines, `@external` where another subgraph resolves them. */
const liveFields = (external: boolean): string => LIVE_FIELDS.map(([d, f]) => `  ${JSON.stringify(d)}\n  ${f}${external ? ' @external' : ''}`).join('\n');

/** The value types of the live fields: every subgraph declares them identically. */
const LIVE_TYPES = `
"A product's service levels measured now."
type SlaStatus @shareable {
  "When the served version's data is as of."
  lastUpdated: DateTime
  "Seconds since lastUpdated."
  ageSeconds: Int
  "The declared freshness, in seconds."
  freshnessTargetSeconds: Int
  "Whether the data is younger than the declared freshness (null when none is declared)."
  fresh: Boolean
  "The share of required values present in the served version."
  completeness: Float
  "The declared completeness."
  completenessTarget: Float
  "Whether the served version's contract tests passed (null for a version published without a gate)."
  testsPassed: Boolean
  "Served, fresh, complete, and no contract test of the served version failed."
  ok: Boolean!
  "What is not ok, in sentences."
  problems: [String!]!
}

"Whether a version was published or refused by its gate."
enum VersionStatus {
  PUBLISHED
  FAILED
}

"One check of a version's gate that failed or warned."
type GateFinding @shareable {
  check: String!
  "violation (the version was refused) or warning."
  severity: String!
  "What the check found; null when it could reveal values or rows you may not read (a field you read masked, or rows outside your row policy)."
  message: String
  "The column it is about, if any."
  field: String
}

"One version of a product, with its contract-test result."
type ProductVersion @shareable {
  version: String!
  status: VersionStatus!
  "Whether this is the version served now."
  serving: Boolean!
  "build, publish or stream."
  source: String!
  createdAt: DateTime!
  dataAsOf: DateTime!
  "Rows in the version; null when a row policy limits what you may read of it."
  rows: Int
  contractVersion: String!
  "Contract tests its gate ran and passed; null for a version published without a gate (the access log's stream)."
  testsPassed: Int
  testsFailed: Int
  findings: [GateFinding!]!
}

"The profile of one field over the rows you may read."
type ColumnProfile @shareable {
  "The GraphQL field name."
  field: String!
  nullShare: Float
  distinctCount: Int
  min: String
  max: String
  "Why the figures are withheld (you read the field masked, or not at all), else null."
  withheld: String
}

"A column profile of the served version."
type ProductProfile @shareable {
  version: String!
  "Rows you may read."
  rows: Int!
  columns: [ColumnProfile!]!
}

"A few rows as you would read them: values as text, in the order of fields."
type ProductSample @shareable {
  fields: [String!]!
  rows: [[String]!]!
}
`;

/** What a domain's subgraph adds for the catalog: its entity type with the live fields. */
export function domainCatalogSdl(domain: string): string {
  return `${LIVE_TYPES.trim()}\n\n"The catalog entries of the ${domain} domain's products (see DataProduct)."\ntype ${catalogEntityType(domain)} @key(fields: "name") {\n  name: String!\n${liveFields(false)}\n}`;
}

const STATIC_FIELDS = `  "The product's name (its descriptor's), unique in the mesh."
  name: String!
  domain: String!
  owner: String!
  description: String
  tags: [String!]!
  "The declared version of its contract."
  version: String!
  status: ProductStatus!
  "For a deprecated product: the day it stops being served."
  sunset: Date
  "For a deprecated product: the name of the product that replaces it."
  successor: String
  "The GraphQL type of its rows."
  graphqlType: String!
  rootFields: ProductRootFields!
  "Its fields, with what you would get of each."
  fields: [ProductField!]!
  "Whether any field holds personal data."
  pii: Boolean!
  inputs: [ProductInputPort!]!
  outputs: [ProductOutputPort!]!
  "The service levels as declared."
  sla: DeclaredSla!
  "How much it is read, from the access log."
  usage: ProductUsage!
  "Where its data comes from and where it goes, across domains."
  lineage: LineageGraph!`;

const STATIC_TYPES = `
"A product's lifecycle state."
enum ProductStatus {
  DRAFT
  ACTIVE
  DEPRECATED
  RETIRED
}

"How you would read a field."
enum FieldAccess {
  CLEAR
  MASKED
  DENIED
}

"The Query fields that read a product."
type ProductRootFields {
  list: String!
  connection: String!
  "The look-up by key; null for a keyless product, which has none."
  byKey: String
  aggregate: String!
}

"One field of a product, and what you would get of it."
type ProductField {
  "The GraphQL field name."
  name: String!
  "The column in the product's Parquet."
  column: String!
  "The GraphQL type."
  type: String!
  "The contract's logical type."
  logicalType: String!
  description: String
  "The privacy classification; none for data that is not personal."
  classification: String!
  pii: Boolean!
  "How you would read it."
  access: FieldAccess!
  "The mask you would read it through, if any."
  mask: String
  nullable: Boolean!
  key: Boolean!
  "The product whose key it references, if any."
  references: String
}

"An input port."
type ProductInputPort {
  source: String!
  type: String!
  "For a data-product input: the upstream's domain and the purpose it is read for."
  domain: String
  purpose: String
}

"An output port."
type ProductOutputPort {
  name: String!
  format: String!
}

"The declared service levels."
type DeclaredSla {
  "As written, e.g. 1h."
  freshness: String
  freshnessSeconds: Int
  availability: Float
  completeness: Float
  qualityScore: Float
}

"A count by name."
type UsageCount {
  name: String
  count: Int!
}

"Reads of a product over a window of days."
type UsageWindow {
  days: Int!
  "Answered requests that read it."
  queries: Int!
  "Requests for it that were refused."
  refused: Int!
  "Distinct callers (token subjects) that read it."
  consumers: Int!
  "The callers that read it most, their subject masked as the access log's policy masks it for you; null unless you may read the access log."
  topConsumers: [UsageCount!]
  "The operations that read it most, by name; null unless you may read the access log."
  topOperations: [UsageCount!]
}

"Usage from the access log (entries appear there within about 20 s)."
type ProductUsage {
  last7Days: UsageWindow!
  last30Days: UsageWindow!
}

"What a lineage node stands for."
enum LineageNodeKind {
  "A data product of the mesh."
  PRODUCT
  "An operational source: a database, a stream, landing files."
  SOURCE
  "An application that read a product (by its client name), from the access log."
  CONSUMER
}

"One node of a lineage graph."
type LineageNode {
  id: ID!
  kind: LineageNodeKind!
  name: String!
  domain: String
  "A source's input type (postgres-cdc, files, ...)."
  type: String
  "A product's served version."
  version: String
}

"What an edge of a lineage graph stands for."
enum LineageEdgeKind {
  "Data flows from a source or product into a product."
  INPUT
  "A product's fields reference another's key (a look-up)."
  REFERENCE
  "A consumer read the product in the last 30 days."
  READS
}

"One edge of a lineage graph."
type LineageEdge {
  from: ID!
  to: ID!
  kind: LineageEdgeKind!
  "For a reference: the referencing fields."
  fields: [String!]
}

"A product column computed from a column of one of its inputs, as its transform's SQL says."
type ColumnLineageEdge {
  from: ID!
  fromColumn: String!
  to: ID!
  toColumn: String!
  "copy, transform or aggregate."
  kind: String!
}

"Lineage across domains: operational sources, products and their consumers; only products you may read."
type LineageGraph {
  nodes: [LineageNode!]!
  edges: [LineageEdge!]!
  columns: [ColumnLineageEdge!]!
}
`;

/** What the catalog domain's subgraph adds: the interface, every domain's entity type (its own fully, the others' live fields external), the root fields. */
export function governanceCatalogSdl(domains: readonly string[], own: string): string {
  const entity = (domain: string): string => {
    return `type ${catalogEntityType(domain)} implements ${CATALOG_INTERFACE} @key(fields: "name") {\n${STATIC_FIELDS}\n${liveFields(domain !== own)}\n}`;
  };
  return [
    LIVE_TYPES.trim(),
    STATIC_TYPES.trim(),
    `"A data product of the mesh: its declaration, live facts from the domain that owns it, and its usage. You see the entries of the products you may read."\ninterface ${CATALOG_INTERFACE} {\n${STATIC_FIELDS}\n${liveFields(false)}\n}`,
    ...[...new Set([...domains, own])].sort().map(entity),
  ].join('\n\n');
}

/** The catalog's root fields, in the catalog domain's Query type. */
export const CATALOG_QUERY_FIELDS = `  "The products you may read, best match first: search ranks names, descriptions, field names and descriptions, tags and owners; the other arguments filter."
  dataProducts(search: String, domain: String, owner: String, tag: String, pii: Boolean): [${CATALOG_INTERFACE}!]!
  "One product by name; null when there is none you may read."
  dataProduct(name: String!): ${CATALOG_INTERFACE}
  "The mesh's lineage across domains, or one product's (upstream and downstream)."
  lineage(product: String): LineageGraph!`;
