/**
 * Prints the federated SDL of one domain's subgraph from the shapes of the whole mesh: its products'
 * types and queries, stubs for the entities its references point to, and the reverse lists it
 * contributes to other domains' types (README.md, "The GraphQL shape of a product"). A deprecated product's query fields (and the
 * reverse lists of its rows) carry `@deprecated` with its sunset date and successor, so clients see
 * it in introspection and tools while both major versions are served.
 */
import { CATALOG_DOMAIN, CATALOG_QUERY_FIELDS, domainCatalogSdl, governanceCatalogSdl } from './catalogSdl.js';
import { COMMON_SDL, enumFilterOperators, FEDERATION_LINK, listFilterInput } from './commonSdl.js';
import {
  enumShapes,
  groupKeyType,
  quantileType,
  reverseShapes,
  structIsNull,
  structShapes,
  sumType,
  TIME_UNIT_ENUM,
  TIME_UNITS,
  type EnumShape,
  type FieldShape,
  type MemberShape,
  type ProductShape,
  type ReverseShape,
} from './productShape.js';

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

/** `orderId lineNumber`: the key fields as `@key(fields:)` names them. */
const keyFields = (s: ProductShape): string => s.keys.map((k) => k.name).join(' ');

/** An entity's key directive; none for a keyless product, which is no entity. */
const keyDirective = (s: ProductShape, resolvable = true): string => (s.keys.length ? ` @key(fields: "${keyFields(s)}"${resolvable ? '' : ', resolvable: false'})` : '');

/** A foreign entity's key fields, typed as its owner types them. */
const stubFields = (s: ProductShape): string[] => s.keys.map((k) => `  ${k.name}: ${k.type}!`);

function reverseField(r: ReverseShape, all: readonly ProductShape[]): string {
  const s = r.source;
  return `${doc(`The ${s.product.name} rows whose ${r.reference.from.map((f) => f.name).join(' and ')} point${r.reference.from.length > 1 ? '' : 's'} here.`, '  ')}  ${r.name}(where: ${s.whereType}, orderBy: [${s.orderByType}!], limit: Int = 100): [${s.typeName}!]!${deprecation(s, all, (t) => t.listField)}`;
}

function objectType(s: ProductShape, reverse: readonly ReverseShape[], all: readonly ProductShape[]): string {
  const fields = s.fields.map((f) => `${doc(f.field.description, '  ')}  ${f.name}: ${nonNull(f)}`);
  const refs = s.references.map(
    (r) =>
      `${doc(`The ${r.target.name} this row's ${r.from.map((f) => f.name).join(' and ')} refer${r.from.length > 1 ? '' : 's'} to.`, '  ')}  ${r.name}: ${r.target.contract.typeName}`,
  );
  return `${doc(s.product.description)}type ${s.typeName}${keyDirective(s)} {\n${[...fields, ...refs, ...reverse.map((r) => reverseField(r, all))].join('\n')}\n}`;
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
    `"The grouped-by values of one ${n.group}."\ntype ${n.groupKey} {\n${s.fields.map((f) => `  ${f.name}: ${groupKeyType(f)}`).join('\n')}\n}`,
  ];
  const group = [`  key: ${n.groupKey}!`, '  "Rows in the group."\n  count: Int!'];
  if (numeric.length) {
    parts.push(`type ${n.aggregates.sum} {\n${numeric.map((f) => `  ${f.name}: ${sumType(f)}`).join('\n')}\n}`);
    parts.push(`type ${n.aggregates.avg} {\n${numeric.map((f) => `  ${f.name}: ${quantileType(f)}`).join('\n')}\n}`);
    group.push(`  sum: ${n.aggregates.sum}!`, `  avg: ${n.aggregates.avg}!`);
  }
  if (ordered.length) {
    parts.push(`type ${n.aggregates.min} {\n${ordered.map((f) => `  ${f.name}: ${f.type}`).join('\n')}\n}`);
    group.push(`  min: ${n.aggregates.min}!`, `  max: ${n.aggregates.max}!`);
  }
  parts.push(...analystTypes(s, group));
  parts.push(`"One group of ${t} rows and its aggregates."\ntype ${n.group} {\n${group.join('\n')}\n}`);
  return parts.join('\n\n');
}

/** The GraphQL type of a filter on values of `type` (`Int` → `IntFilter`). */
const filterOf = (type: string): string => `${type}Filter`;

/** The enum of the time units of buckets, printed once by each subgraph whose products have a date or timestamp field. */
const TIME_UNIT_SDL = `"A unit time buckets truncate to, in UTC; WEEK starts on Monday (ISO 8601)."\nenum ${TIME_UNIT_ENUM} {\n${TIME_UNITS.map((u) => `  ${u}`).join('\n')}\n}`;

/**
 * The analysts' parts of a product's aggregate: buckets of time, distinct counts, quantiles, the
 * `having` filter and the contract's measures (README.md, "Analysts' questions"). Adds the group's
 * fields to `group` and returns the types they need.
 */
function analystTypes(s: ProductShape, group: string[]): string[] {
  const t = s.typeName;
  const n = s.types;
  const parts: string[] = [];
  if (s.timeFields.length) {
    parts.push(`"The date and timestamp fields of ${t}, for buckets."\nenum ${n.timeField} {\n${s.timeFields.map((f) => `  ${f.enumValue}`).join('\n')}\n}`);
    parts.push(
      `"Groups by a date or timestamp field truncated to a unit, in UTC: the group's key holds the bucket's start, a DateTime for a timestamp field (2026-06-01T00:00:00.000000Z for June 2026) and a Date for a date field."\ninput ${n.bucket} {\n  field: ${n.timeField}!\n  unit: ${TIME_UNIT_ENUM}!\n}`,
    );
  }
  if (s.distinctFields.length) {
    parts.push(`"The number of distinct non-null values of each field in the group."\ntype ${n.distinct} {\n${s.distinctFields.map((f) => `  ${f.name}: Int!`).join('\n')}\n}`);
    group.push(`  countDistinct: ${n.distinct}!`);
  }
  if (s.quantileFields.length) {
    parts.push(
      `"A quantile of each field over the group's non-null values."\ntype ${n.quantiles} {\n${s.quantileFields.map((f) => `  ${f.name}: ${quantileType(f)}`).join('\n')}\n}`,
    );
    group.push(
      `  "The median: for numbers interpolated between the two middle values, for dates and timestamps the lower middle value."\n  median: ${n.quantiles}!`,
      `  "The p-th quantile (p from 0 to 1, e.g. 0.9): for numbers interpolated between rows (DuckDB quantile_cont) unless discrete, which gives the first value at or past it (quantile_disc, what dates and timestamps always use)."\n  percentile(p: Float!, discrete: Boolean = false): ${n.quantiles}!`,
    );
  }
  for (const m of s.measures) group.push(`${doc(m.measure.description, '  ')}  ${m.name}: ${m.type === 'Int' ? 'Int!' : m.type}`);
  const numeric = s.fields.filter((f) => f.numeric);
  const having = ['  "Rows in the group."\n  count: IntFilter'];
  if (numeric.length) {
    parts.push(
      `"Conditions on a group's sums or averages, per field."\ninput ${n.havingNumbers} {\n${numeric.map((f) => `  ${f.name}: ${filterOf(quantileType(f))}`).join('\n')}\n}`,
    );
    having.push(`  sum: ${n.havingNumbers}`, `  avg: ${n.havingNumbers}`);
  }
  if (s.distinctFields.length) {
    parts.push(`"Conditions on a group's distinct counts, per field."\ninput ${n.havingDistinct} {\n${s.distinctFields.map((f) => `  ${f.name}: IntFilter`).join('\n')}\n}`);
    having.push(`  countDistinct: ${n.havingDistinct}`);
  }
  for (const m of s.measures) having.push(`  ${m.name}: ${filterOf(m.type === 'ID' ? 'String' : m.type)}`);
  parts.push(`"Conditions on the aggregates of a group (SQL HAVING): only groups meeting all of them are returned."\ninput ${n.having} {\n${having.join('\n')}\n}`);
  const order = ['  count: SortDirection'];
  if (numeric.length) {
    parts.push(`input ${n.numbersOrderBy} {\n${numeric.map((f) => `  ${f.name}: SortDirection`).join('\n')}\n}`);
    order.push(`  sum: ${n.numbersOrderBy}`, `  avg: ${n.numbersOrderBy}`);
  }
  if (s.distinctFields.length) {
    parts.push(`input ${n.distinctOrderBy} {\n${s.distinctFields.map((f) => `  ${f.name}: SortDirection`).join('\n')}\n}`);
    order.push(`  countDistinct: ${n.distinctOrderBy}`);
  }
  for (const m of s.measures) order.push(`  ${m.name}: SortDirection`);
  parts.push(
    `"One sort key of groups (e.g. { revenue: DESC } for a top-N with limit): set exactly one of count, a measure, or one field under sum, avg or countDistinct. Groups sort by the keys given, then by their key fields."\ninput ${n.groupOrderBy} {\n${order.join('\n')}\n}`,
  );
  return parts;
}

function queryFields(s: ProductShape, all: readonly ProductShape[]): string {
  const t = s.typeName;
  const dep = (field: (x: ProductShape) => string): string => deprecation(s, all, field);
  return [
    `  ${doc(`Rows of the ${s.product.name} data product (owner: ${s.product.owner}).`)}  ${s.listField}(where: ${s.whereType}, orderBy: [${s.orderByType}!], limit: Int = 100, offset: Int = 0): [${t}!]!${dep((x) => x.listField)}`,
    `  ${s.connectionField}(where: ${s.whereType}, orderBy: [${s.orderByType}!], first: Int = 100, after: String): ${s.types.connection}!${dep((x) => x.connectionField)}`,
    // A look-up names every key field; a keyless product has none.
    ...(s.byKeyField ? [`  ${s.byKeyField}(${s.keys.map((k) => `${k.name}: ${k.type}!`).join(', ')}): ${t}${dep((x) => x.byKeyField ?? x.listField)}`] : []),
    `  ${s.aggregateField}(where: ${s.whereType}, groupBy: [${s.fieldEnum}!]${s.timeFields.length ? `, buckets: [${s.types.bucket}!]` : ''}, having: ${s.types.having}, orderBy: [${s.types.groupOrderBy}!], limit: Int): [${s.types.group}!]!${dep((x) => x.aggregateField)}`,
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
    // Only a keyed product can be referenced (its shape resolves no reference to a keyless one).
    if (!target.keys.length) continue;
    if (reverse.length) types.push(`type ${target.typeName}${keyDirective(target)} {\n${[...stubFields(target), ...reverse.map((r) => reverseField(r, all))].join('\n')}\n}`);
    else if (referenced) types.push(`type ${target.typeName}${keyDirective(target, false)} {\n${stubFields(target).join('\n')}\n}`);
  }
  // The catalog: every domain's entity type with its live facts; the catalog domain also the interface, the static facts and the root fields.
  const catalog = domain === CATALOG_DOMAIN;
  types.push(catalog ? governanceCatalogSdl([...new Set(all.map((s) => s.product.domain))], domain) : domainCatalogSdl(domain));
  if (own.some((s) => s.timeFields.length)) types.push(TIME_UNIT_SDL);
  const query = [...own.map((s) => queryFields(s, all)), ...(catalog ? [CATALOG_QUERY_FIELDS] : [])];
  return [FEDERATION_LINK, COMMON_SDL.trim(), ...types, `type Query {\n${query.join('\n')}\n}`].join('\n\n') + '\n';
}
