/**
 * Prints the federated SDL of one domain's subgraph from the shapes of the whole mesh: its products'
 * types and queries, stubs for the entities its references point to, and the reverse lists it
 * contributes to other domains' types (README.md, "The GraphQL shape of a product"). A deprecated product's query fields (and the
 * reverse lists of its rows) carry `@deprecated` with its sunset date and successor, so clients see
 * it in introspection and tools while both major versions are served.
 */
import { CATALOG_DOMAIN, CATALOG_QUERY_FIELDS, domainCatalogSdl, governanceCatalogSdl } from './catalogSdl.js';
import { COMMON_SDL, FEDERATION_LINK } from './commonSdl.js';
import { enumFilterOperators, listFilterInput } from './commonSdl.js';
import { enumShapes, reverseShapes, structIsNull, structShapes, type EnumShape, type FieldShape, type MemberShape, type ProductShape, type ReverseShape } from './productShape.js';

/** A GraphQL description string. */
const doc = (text: string | undefined, indent = ''): string => (text ? `${indent}${JSON.stringify(text)}\n` : '');

const nonNull = (f: FieldShape): string => (f.field.nullable ? f.type : `${f.type}!`);

/** ` @deprecated(reason: "orders-enriched is deprecated: sunset 2027-06-30; use orders-enriched-v2 (ordersV2)")` for a deprecated product, else nothing. */
function deprecation(s: ProductShape, all: readonly ProductShape[], successorField: (t: ProductShape) => string): string {
  const p = s.product;
  if (p.status !== 'deprecated') return '';
  const next = p.successor && all.find((t) => t.product.name === p.successor);
  const use = p.successor ? `; use ${p.successor}${next ? ` (${successorField(next)})` : ''}` : '';
  return ` @deprecated(reason: ${JSON.stringify(`${p.name} is deprecated${p.sunset ? `: sunset ${p.sunset}` : ''}${use}`)})`;
}

function reverseField(r: ReverseShape, all: readonly ProductShape[]): string {
  const s = r.source;
  return `${doc(`The ${s.product.name} rows whose ${r.reference.from.name} points here.`, '  ')}  ${r.name}(where: ${s.whereType}, orderBy: [${s.orderByType}!], limit: Int = 100): [${s.typeName}!]!${deprecation(s, all, (t) => t.listField)}`;
}

function objectType(s: ProductShape, reverse: readonly ReverseShape[], all: readonly ProductShape[]): string {
  const fields = s.fields.map((f) => `${doc(f.field.description, '  ')}  ${f.name}: ${nonNull(f)}`);
  const refs = s.references.map((r) => `${doc(`The ${r.target.name} this row's ${r.from.name} refers to.`, '  ')}  ${r.name}: ${r.target.contract.typeName}`);
  return `${doc(s.product.description)}type ${s.typeName} @key(fields: "${s.key.name}") {\n${[...fields, ...refs, ...reverse.map((r) => reverseField(r, all))].join('\n')}\n}`;
}

const memberType = (m: MemberShape): string => (m.member.nullable ? m.type : `${m.type}!`);

/** A GraphQL enum, its filter and its list filter (printed once per subgraph, however many of its products use it). */
const enumTypes = (e: EnumShape): string[] => [
  `enum ${e.name} {\n${e.values.map((v) => `  ${v}`).join('\n')}\n}`,
  `"Conditions on a ${e.name} field; all given conditions must hold."\ninput ${e.filter} {\n${enumFilterOperators(e.name)}\n}`,
  listFilterInput(e.name),
];

/** The product's struct types and their where inputs. */
function valueTypes(s: ProductShape): string[] {
  const parts: string[] = [];
  for (const st of structShapes(s)) {
    parts.push(`type ${st.name} {\n${st.members.map((m) => `${doc(m.member.description, '  ')}  ${m.name}: ${memberType(m)}`).join('\n')}\n}`);
    const filtered = st.members.filter((m) => m.filter).map((m) => `  ${m.name}: ${m.filter}`);
    if (structIsNull(st)) filtered.push('  "true: only rows without this value; false: only rows with it."\n  isNull: Boolean');
    if (filtered.length) parts.push(`"Conditions on ${st.name} values; all given conditions must hold."\ninput ${st.where} {\n${filtered.join('\n')}\n}`);
  }
  return parts;
}

/** A struct whose where input would be empty (no member filterable, one named isNull) has none. */
const filterable = (f: FieldShape): boolean =>
  f.filter !== undefined && !(f.struct && f.filter === f.struct.where && !f.struct.members.some((m) => m.filter) && !structIsNull(f.struct));

function inputsAndResults(s: ProductShape): string {
  const t = s.typeName;
  const n = s.types;
  const numeric = s.fields.filter((f) => f.numeric);
  const ordered = s.fields.filter((f) => f.ordered);
  const parts = [
    ...valueTypes(s),
    `"Conditions on ${t} rows; fields are AND-ed, and/or/not combine."\ninput ${n.where} {\n${s.fields
      .filter(filterable)
      .map((f) => `  ${f.name}: ${f.filter}`)
      .join('\n')}\n  and: [${n.where}!]\n  or: [${n.where}!]\n  not: ${n.where}\n}`,
    `"One sort key: set exactly one field."\ninput ${n.orderBy} {\n${s.fields
      .filter((f) => f.sortable)
      .map((f) => `  ${f.name}: SortDirection`)
      .join('\n')}\n}`,
    `"The fields of ${t}, for groupBy."\nenum ${n.fieldEnum} {\n${s.fields
      .filter((f) => f.groupable)
      .map((f) => `  ${f.enumValue}`)
      .join('\n')}\n}`,
    `type ${n.edge} {\n  cursor: String!\n  node: ${t}!\n}`,
    `type ${n.connection} {\n  "Rows matching the filter, over all pages."\n  totalCount: Int!\n  pageInfo: PageInfo!\n  edges: [${n.edge}!]!\n}`,
    `"The grouped-by values of one ${n.group}."\ntype ${n.groupKey} {\n${s.fields.map((f) => `  ${f.name}: ${f.type}`).join('\n')}\n}`,
  ];
  const group = [`  key: ${n.groupKey}!`, '  count: Int!'];
  if (numeric.length) {
    parts.push(`type ${n.aggregates.sum} {\n${numeric.map((f) => `  ${f.name}: ${f.type === 'BigInt' ? 'BigInt' : 'Float'}`).join('\n')}\n}`);
    parts.push(`type ${n.aggregates.avg} {\n${numeric.map((f) => `  ${f.name}: Float`).join('\n')}\n}`);
    group.push(`  sum: ${n.aggregates.sum}!`, `  avg: ${n.aggregates.avg}!`);
  }
  if (ordered.length) {
    parts.push(`type ${n.aggregates.min} {\n${ordered.map((f) => `  ${f.name}: ${f.type}`).join('\n')}\n}`);
    group.push(`  min: ${n.aggregates.min}!`, `  max: ${n.aggregates.max}!`);
  }
  parts.push(`"One group of ${t} rows and its aggregates."\ntype ${n.group} {\n${group.join('\n')}\n}`);
  return parts.join('\n\n');
}

function queryFields(s: ProductShape, all: readonly ProductShape[]): string {
  const t = s.typeName;
  const dep = (field: (x: ProductShape) => string): string => deprecation(s, all, field);
  return [
    `  ${doc(`Rows of the ${s.product.name} data product (owner: ${s.product.owner}).`)}  ${s.listField}(where: ${s.whereType}, orderBy: [${s.orderByType}!], limit: Int = 100, offset: Int = 0): [${t}!]!${dep((x) => x.listField)}`,
    `  ${s.connectionField}(where: ${s.whereType}, orderBy: [${s.orderByType}!], first: Int = 100, after: String): ${s.types.connection}!${dep((x) => x.connectionField)}`,
    `  ${s.byKeyField}(${s.key.name}: ID!): ${t}${dep((x) => x.byKeyField)}`,
    `  ${s.aggregateField}(where: ${s.whereType}, groupBy: [${s.fieldEnum}!]): [${s.types.group}!]!${dep((x) => x.aggregateField)}`,
  ].join('\n');
}

/** Prints the SDL of the subgraph serving `domain`, given the shapes of every served product. */
export function buildSubgraphSdl(domain: string, all: readonly ProductShape[]): string {
  const own = all.filter((s) => s.product.domain === domain);
  const ownTypes = new Set(own.map((s) => s.typeName));
  const types: string[] = own.map((s) => `${objectType(s, reverseShapes(s.product, own), all)}\n\n${inputsAndResults(s)}`);
  const enums = new Map(own.flatMap((s) => enumShapes(s).map((e) => [e.name, e] as const)));
  for (const e of enums.values()) types.push(enumTypes(e).join('\n\n'));
  const foreign = new Map<string, ProductShape>();
  for (const s of all) if (!ownTypes.has(s.typeName)) foreign.set(s.product.name, s);
  for (const target of foreign.values()) {
    const reverse = reverseShapes(target.product, own);
    const referenced = own.some((s) => s.references.some((r) => r.target.name === target.product.name));
    if (reverse.length)
      types.push(`type ${target.typeName} @key(fields: "${target.key.name}") {\n  ${target.key.name}: ID!\n${reverse.map((r) => reverseField(r, all)).join('\n')}\n}`);
    else if (referenced) types.push(`type ${target.typeName} @key(fields: "${target.key.name}", resolvable: false) {\n  ${target.key.name}: ID!\n}`);
  }
  // The catalog: every domain's entity type with its live facts; the catalog domain also the interface, the static facts and the root fields.
  const catalog = domain === CATALOG_DOMAIN;
  types.push(catalog ? governanceCatalogSdl([...new Set(all.map((s) => s.product.domain))], domain) : domainCatalogSdl(domain));
  const query = [...own.map((s) => queryFields(s, all)), ...(catalog ? [CATALOG_QUERY_FIELDS] : [])];
  return [FEDERATION_LINK, COMMON_SDL.trim(), ...types, `type Query {\n${query.join('\n')}\n}`].join('\n\n') + '\n';
}
