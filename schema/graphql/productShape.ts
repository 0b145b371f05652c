/**
 * The GraphQL names and types derived from a product's contract (README.md, "The GraphQL shape of a
 * product", shows them as a client sees them). The SDL printer, the subgraph runtime, the gateway's access analysis and the
 * compatibility check all read this one shape: every name is decided here, and every look-up of a
 * field (by GraphQL name, by column, by `groupBy` enum value) goes through it.
 */
import type { DataProduct } from '../descriptor/DataProduct.js';
import { referencedFields, type FieldContract, type LogicalType, type MeasureContract, type StructMember, type ValueType } from '../contract/types.js';
import { measureColumns } from '../contract/measures.js';
import { camelCase, GRAPHQL_NAME, pascalCase, screamingSnake } from '../naming.js';

/** A GraphQL enum generated from a contract enumeration: its values are the symbols, verbatim. */
export interface EnumShape {
  readonly name: string;
  readonly values: readonly string[];
  /** `<Name>Filter`. */
  readonly filter: string;
}

/** A struct's nested object type and the `where` input that filters its members. */
export interface StructShape {
  /** The object type, e.g. `OrderAddress`. */
  readonly name: string;
  /** `<Name>Where`: one filter per member. */
  readonly where: string;
  readonly members: readonly MemberShape[];
}

/** The GraphQL typing of a value (a field's, a member's or a list's elements'). */
export interface ValueShape {
  /** GraphQL type without the outer `!`: `String`, `[String!]`, `OrderAddress`, `OrderStatus`. */
  readonly type: string;
  /** The filter input, or undefined when the value cannot be filtered (a list of structs). */
  readonly filter: string | undefined;
  /** For a struct, or a list of structs: the nested object type. */
  readonly struct?: StructShape;
  /** For an enumeration with a name, or a list of them: the GraphQL enum. */
  readonly enum?: EnumShape;
  /** For a list: its elements' shape. */
  readonly items?: ValueShape;
}

/** A struct member as GraphQL sees it. */
export interface MemberShape extends ValueShape {
  readonly member: StructMember;
  /** GraphQL field name (camelCase of the member). */
  readonly name: string;
  /** `address.country`: the column and member path, as masks and refusals name it. */
  readonly path: string;
}

/** A contract field as GraphQL sees it. */
export interface FieldShape extends ValueShape {
  readonly field: FieldContract;
  /** GraphQL field name (camelCase of the column). */
  readonly name: string;
  /** GraphQL type without the outer `!`: ID, String, Int, Float, Decimal, BigInt, Boolean, Date, DateTime, Time, UUID, JSON, a list `[T!]`, a struct's object type or an enum. */
  readonly type: string;
  /** The `<Type>Filter` input used in `where` (a struct's `<Struct>Where`), or undefined when the field cannot be filtered. */
  readonly filter: string | undefined;
  /** Whether `orderBy` may sort by it: scalars and enums, not lists, structs or JSON. */
  readonly sortable: boolean;
  /** Whether it is a value of `<Type>Field`, for `groupBy` (decided here only, in {@link groupable}). */
  readonly groupable: boolean;
  /** The `<Product>Field` enum value naming this field in `groupBy`. */
  readonly enumValue: string;
  readonly numeric: boolean;
  /** Ordered (min/max make sense): numbers, dates, timestamps. */
  readonly ordered: boolean;
}

/** A reference from one field, or several (to a composite key), to another product's entity. */
export interface ReferenceShape {
  /** The referencing columns' shapes, one per key column of the target, in its key order. */
  readonly from: readonly FieldShape[];
  /** The target's key columns, `from[i]` holding `to[i]`. */
  readonly to: readonly string[];
  /** The object field that resolves the entity, e.g. `customer`, `orderLine`. */
  readonly name: string;
  readonly target: DataProduct;
}

/** The aggregate functions of `<Type>Group`, each a field of the group. */
export const AGGREGATE_FUNCTIONS = ['sum', 'avg', 'min', 'max'] as const;
/** One aggregate function. */
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

/** The time units a bucket truncates to, in UTC (`WEEK` starts on Monday, as ISO 8601 weeks do). */
export const TIME_UNITS = ['HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'] as const;
/** One time unit of a bucket. */
export type TimeUnit = (typeof TIME_UNITS)[number];
/** The GraphQL enum of {@link TIME_UNITS}, declared once per subgraph. */
export const TIME_UNIT_ENUM = 'TimeUnit';

/** A measure the contract declares, as a field of `<Type>Group`. */
export interface MeasureShape {
  readonly measure: MeasureContract;
  /** GraphQL field name (camelCase of the measure's name). */
  readonly name: string;
  /** GraphQL type of its value (nullable: a group with no matching row has none, except counts, which are 0). */
  readonly type: string;
  /** The contract columns it reads (its column and its filter's), which the access rules check. */
  readonly columns: readonly string[];
}

/** Every GraphQL type generated for a product, by role. */
export interface ProductTypeNames {
  /** The object type, e.g. `Order`. */
  readonly object: string;
  readonly where: string;
  readonly orderBy: string;
  /** The enum of `groupBy`, e.g. `OrderField`. */
  readonly fieldEnum: string;
  readonly connection: string;
  readonly edge: string;
  readonly group: string;
  readonly groupKey: string;
  /** The type of each aggregate function's field of a group: `OrderSums`, `OrderAverages`, `OrderExtremes` (min and max). */
  readonly aggregates: Readonly<Record<AggregateFunction, string>>;
  /** `OrderDistinctCounts`: the Int count of distinct values per field. */
  readonly distinct: string;
  /** `OrderQuantiles`: the type of `median` and `percentile(p)`. */
  readonly quantiles: string;
  /** `OrderTimeField`: the enum of the date and timestamp fields a bucket may truncate. */
  readonly timeField: string;
  /** `OrderTimeBucket`: the input of one bucket (a time field and a unit). */
  readonly bucket: string;
  /** `OrderHaving`: conditions on a group's aggregates, and the inputs of its sums and averages. */
  readonly having: string;
  readonly havingNumbers: string;
  readonly havingDistinct: string;
  /** `OrderGroupOrderBy`: one sort key of groups (count, a measure, or a field's sum, average or distinct count), and its per-field inputs. */
  readonly groupOrderBy: string;
  readonly numbersOrderBy: string;
  readonly distinctOrderBy: string;
}

/** The GraphQL shape of one product. */
export interface ProductShape {
  readonly product: DataProduct;
  readonly typeName: string;
  readonly listField: string;
  readonly connectionField: string;
  /** The by-key look-up (`order`, `orderLine`); absent for a keyless product, which has no entity either. */
  readonly byKeyField?: string;
  readonly aggregateField: string;
  readonly whereType: string;
  readonly orderByType: string;
  readonly fieldEnum: string;
  /** Every generated type name. */
  readonly types: ProductTypeNames;
  /** The `Query` fields: list, connection, by key (not for a keyless product), aggregate. */
  readonly rootFields: readonly string[];
  /** The key fields in key order: one, several (a composite key: `@key(fields: "orderId lineNumber")`), or none (keyless). */
  readonly keys: readonly FieldShape[];
  /** The fields every order ends with so it is total and pages never overlap: the key, or a keyless product's declared order followed by its other fields. */
  readonly order: readonly FieldShape[];
  readonly fields: readonly FieldShape[];
  /** References to products that are served (others stay plain values). */
  readonly references: readonly ReferenceShape[];
  /** The date and timestamp fields, which `buckets` may truncate. */
  readonly timeFields: readonly FieldShape[];
  /** The fields `countDistinct` counts (scalars: not lists, structs or JSON). */
  readonly distinctFields: readonly FieldShape[];
  /** The fields `median` and `percentile(p)` cover: numbers, dates and timestamps. */
  readonly quantileFields: readonly FieldShape[];
  /** The measures the contract declares, in order. */
  readonly measures: readonly MeasureShape[];
  /** The measure with this GraphQL name. */
  measureNamed(name: string): MeasureShape | undefined;
  /** The field with this GraphQL name. */
  fieldNamed(name: string): FieldShape | undefined;
  /** The field of this contract column. */
  fieldOfColumn(column: string): FieldShape | undefined;
  /** The field a `groupBy` enum value names. */
  fieldOfEnum(value: string): FieldShape | undefined;
  /** The reference resolved by this object field (`customer`). */
  referenceNamed(name: string): ReferenceShape | undefined;
  /** `Order.totalAmount` for the column `total_amount`: how messages name a field. */
  label(column: string): string;
}

const GRAPHQL_TYPES: Record<LogicalType, string> = {
  string: 'String',
  integer: 'Int',
  bigint: 'BigInt',
  double: 'Float',
  decimal: 'Decimal',
  boolean: 'Boolean',
  date: 'Date',
  timestamp: 'DateTime',
  time: 'Time',
  uuid: 'UUID',
  json: 'JSON',
  // Lists and structs are typed by their elements and members (see fieldShape).
  list: 'String',
  struct: 'String',
};

/** A contract enumeration as a GraphQL enum, when it is named (Avro enums are) and every value is a GraphQL enum value; else it stays a String. */
function enumShape(v: ValueType, fallbackName: string): EnumShape | undefined {
  if (!v.enum?.length || v.type !== 'string' || v.enumName === undefined) return undefined;
  if (!v.enum.every((e) => GRAPHQL_NAME.test(e) && !['true', 'false', 'null'].includes(e))) return undefined;
  const name = GRAPHQL_NAME.test(v.enumName) ? v.enumName : fallbackName;
  return { name, values: v.enum, filter: `${name}Filter` };
}

/** The type name of a struct: the product's type, then the record's name (or the field's), so two products' `Address` records never share a type. */
function structTypeName(owner: string, v: ValueType, fieldName: string): string {
  const own = v.structName && GRAPHQL_NAME.test(v.structName) ? v.structName : pascalCase(fieldName);
  return own.startsWith(owner) ? own : `${owner}${own}`;
}

/** The GraphQL typing of a value; `owner` names the enclosing type (for nested type names), `path` the column path. */
function valueShape(v: ValueType, owner: string, fieldName: string, path: string): ValueShape {
  if (v.type === 'list') {
    const items = valueShape(v.items!, owner, fieldName, path);
    const named = items.type;
    return {
      type: `[${named}${v.items!.nullable ? '' : '!'}]`,
      // A list of structs or of JSON has no element equality to test.
      filter: items.struct || v.items!.type === 'json' ? undefined : `${named}ListFilter`,
      items,
      ...(items.struct && { struct: items.struct }),
      ...(items.enum && { enum: items.enum }),
    };
  }
  if (v.type === 'struct') {
    const name = structTypeName(owner, v, fieldName);
    const members = (v.members ?? []).map((m): MemberShape => {
      const mPath = `${path}.${m.name}`;
      return { ...valueShape(m, name, m.name, mPath), member: m, name: camelCase(m.name), path: mPath };
    });
    return { type: name, filter: `${name}Where`, struct: { name, where: `${name}Where`, members } };
  }
  const e = enumShape(v, `${owner}${pascalCase(fieldName)}`);
  if (e) return { type: e.name, filter: e.filter, enum: e };
  const type = GRAPHQL_TYPES[v.type];
  return { type, filter: `${type}Filter` };
}

/** Sorting needs a total order on the value itself: scalars and enums, not lists, structs or JSON. */
const sortableType = (t: LogicalType): boolean => !['list', 'struct', 'json'].includes(t);

/**
 * Whether a field is a value of `<Type>Field` (grouping): the one place this is decided. A list of
 * scalars groups by its elements (a row counts in the group of each); structs and JSON do not group.
 */
export const groupable = (field: FieldContract): boolean => (field.type === 'list' ? sortableType(field.items!.type) : sortableType(field.type));

/**
 * The GraphQL shape of a field: a one-column key is `ID`, as is a string column of a composite key;
 * the other columns of a composite key keep their own scalar (`lineNumber: Int!`), so a look-up
 * passes them typed. Otherwise by its value type.
 */
function fieldShape(field: FieldContract, owner: string, compositeKey = false): FieldShape {
  const id = field.key && (!compositeKey || field.type === 'string');
  const value = id ? { type: 'ID', filter: 'IDFilter' } : valueShape(field, owner, field.name, field.name);
  const numeric = !field.key && ['integer', 'bigint', 'double', 'decimal'].includes(field.type);
  return {
    ...value,
    field,
    name: camelCase(field.name),
    enumValue: screamingSnake(camelCase(field.name)),
    numeric,
    ordered: numeric || field.type === 'date' || field.type === 'timestamp' || field.type === 'time',
    sortable: sortableType(field.type),
    groupable: groupable(field),
  };
}

/**
 * The GraphQL type of an aggregate's value over `f`: a sum of 64-bit integers stays a BigInt and a
 * decimal stays exact (its own type: the Decimal scalar); other numbers are Floats.
 */
export function sumType(f: FieldShape): string {
  return f.type === 'BigInt' || f.type === 'Decimal' ? f.type : 'Float';
}

/** The GraphQL type of an average or a quantile over `f`: exact for a decimal, a Float for other numbers, the field's own type for dates and timestamps. */
export function quantileType(f: FieldShape): string {
  return f.type === 'Decimal' || !f.numeric ? f.type : 'Float';
}

/**
 * The type of `f` in `<Type>GroupKey`: a list field is grouped by its elements, so its key holds one
 * element (of the element's scalar type); every other field its own type.
 */
export function groupKeyType(f: FieldShape): string {
  // The elements' own GraphQL type: a list of enums groups by enum values.
  return f.field.type === 'list' && f.items ? f.items.type : f.type;
}

/** A declared measure as a group field; the readers checked its column and filter, so they resolve. */
function measureShape(m: MeasureContract, fields: readonly FieldShape[]): MeasureShape {
  const f = m.column === undefined ? undefined : fields.find((x) => x.field.name === m.column);
  const type = m.aggregate === 'count' || m.aggregate === 'countDistinct' || !f ? 'Int' : m.aggregate === 'sum' ? sumType(f) : m.aggregate === 'avg' ? quantileType(f) : f.type;
  return { measure: m, name: camelCase(m.name), type, columns: measureColumns(m) };
}
/** Whether a struct's where input has its own `isNull` (it has, unless a member is named so). */
export const structIsNull = (s: StructShape): boolean => !s.members.some((m) => m.name === 'isNull');

/** Every struct type a product generates (nested ones included), outermost first. */
export function structShapes(shape: ProductShape): StructShape[] {
  const out = new Map<string, StructShape>();
  const visit = (v: ValueShape): void => {
    const s = v.struct;
    if (!s || out.has(s.name)) return;
    out.set(s.name, s);
    s.members.forEach(visit);
  };
  shape.fields.forEach(visit);
  return [...out.values()];
}

/** Every GraphQL enum a product generates (from fields and struct members). */
export function enumShapes(shape: ProductShape): EnumShape[] {
  const out = new Map<string, EnumShape>();
  const visit = (v: ValueShape): void => {
    if (v.enum) out.set(v.enum.name, v.enum);
    v.struct?.members.forEach(visit);
  };
  shape.fields.forEach(visit);
  return [...out.values()];
}

/** The entity field name for a reference column: `customer_id` → `customer`. */
function referenceName(column: string): string {
  return camelCase(column.replace(/_(id|key|ref)$/, ''));
}

/** Every type name generated for the object type `t`. */
function typeNames(t: string): ProductTypeNames {
  const extremes = `${t}Extremes`;
  return {
    object: t,
    where: `${t}Where`,
    orderBy: `${t}OrderBy`,
    fieldEnum: `${t}Field`,
    connection: `${t}Connection`,
    edge: `${t}Edge`,
    group: `${t}Group`,
    groupKey: `${t}GroupKey`,
    aggregates: { sum: `${t}Sums`, avg: `${t}Averages`, min: extremes, max: extremes },
    distinct: `${t}DistinctCounts`,
    quantiles: `${t}Quantiles`,
    timeField: `${t}TimeField`,
    bucket: `${t}TimeBucket`,
    having: `${t}Having`,
    havingNumbers: `${t}HavingNumbers`,
    havingDistinct: `${t}HavingDistinctCounts`,
    groupOrderBy: `${t}GroupOrderBy`,
    numbersOrderBy: `${t}NumbersOrderBy`,
    distinctOrderBy: `${t}DistinctCountsOrderBy`,
  };
}

/** Derives the shape of a product; `served` says which products references may resolve to. */
export function productShape(product: DataProduct, served: ReadonlyMap<string, DataProduct>): ProductShape {
  const c = product.contract;
  const composite = c.keys.length > 1;
  const fields = c.fields.map((f) => fieldShape(f, c.typeName, composite));
  const byColumnOf = (column: string): FieldShape | undefined => fields.find((f) => f.field.name === column);
  const ofColumn = (column: string): FieldShape => byColumnOf(column)!;
  const keys = c.keys.map(ofColumn);
  const names = new Set(fields.map((f) => f.name));
  const references: ReferenceShape[] = [];
  const add = (name: string, from: readonly FieldShape[], target: DataProduct): void => {
    if (names.has(name)) name = `${name}Ref`;
    names.add(name);
    references.push({ from, to: target.contract.keys, name, target });
  };
  for (const from of fields) {
    const target = from.field.references && served.get(from.field.references.product);
    // A single column references only a one-column key (the mesh's loader says why otherwise).
    if (target?.contract.keys.length === 1) add(referenceName(from.field.name), [from], target);
  }
  for (const ref of c.references) {
    const target = served.get(ref.product);
    const from = ref.columns.map((column) => byColumnOf(column));
    // Served only when it names the target's key in order (the references-resolve rule reports any other).
    if (!target || referencedFields(ref, target.contract).join() !== target.contract.keys.join() || target.contract.keys.length !== from.length || from.some((f) => !f)) continue;
    // Named like the target's look-up (`orderLine`): its type name with a lower-case first letter.
    add(ref.as ?? target.contract.typeName.charAt(0).toLowerCase() + target.contract.typeName.slice(1), from as FieldShape[], target);
  }
  const types = typeNames(c.typeName);
  const measures = c.measures.map((m) => measureShape(m, fields));
  const byMeasure = new Map(measures.map((m) => [m.name, m]));
  const byName = new Map(fields.map((f) => [f.name, f]));
  const byColumn = new Map(fields.map((f) => [f.field.name, f]));
  const byEnum = new Map(fields.filter((f) => f.groupable).map((f) => [f.enumValue, f]));
  const byReference = new Map(references.map((r) => [r.name, r]));
  const listField = c.listField;
  const byKeyField = keys.length ? c.typeName.charAt(0).toLowerCase() + c.typeName.slice(1) : undefined;
  return {
    product,
    typeName: c.typeName,
    listField,
    connectionField: `${listField}Connection`,
    ...(byKeyField && { byKeyField }),
    aggregateField: `${listField}Aggregate`,
    whereType: types.where,
    orderByType: types.orderBy,
    fieldEnum: types.fieldEnum,
    types,
    rootFields: [listField, `${listField}Connection`, ...(byKeyField ? [byKeyField] : []), `${listField}Aggregate`],
    keys,
    // A keyless product's declared order, then its other columns: rows that tie on the declared order still sort the same way on every page.
    order: keys.length ? keys : [...c.order.map(ofColumn), ...fields.filter((f) => !c.order.includes(f.field.name))],
    fields,
    references,
    timeFields: fields.filter((f) => f.field.type === 'date' || f.field.type === 'timestamp'),
    distinctFields: fields.filter((f) => !['list', 'struct', 'json'].includes(f.field.type)),
    quantileFields: fields.filter((f) => f.numeric || f.field.type === 'date' || f.field.type === 'timestamp'),
    measures,
    measureNamed: (name) => byMeasure.get(name),
    fieldNamed: (name) => byName.get(name),
    fieldOfColumn: (column) => byColumn.get(column),
    fieldOfEnum: (value) => byEnum.get(value),
    referenceNamed: (name) => byReference.get(name),
    // A struct member's path (`address.country`) is labelled member by member: `Order.address.country`.
    label: (column) => `${c.typeName}.${byColumn.get(column)?.name ?? (column.includes('.') ? column.split('.').map(camelCase).join('.') : column)}`,
  };
}

/** Every type name a product generates, for finding which product owns a type. */
export function generatedTypeNames(shape: ProductShape): string[] {
  const t = shape.types;
  const structs = structShapes(shape).flatMap((s) => [s.name, s.where]);
  return [
    ...new Set([
      t.object,
      t.where,
      t.orderBy,
      t.fieldEnum,
      t.edge,
      t.connection,
      t.groupKey,
      ...Object.values(t.aggregates),
      t.distinct,
      t.quantiles,
      t.timeField,
      t.bucket,
      t.having,
      t.havingNumbers,
      t.havingDistinct,
      t.groupOrderBy,
      t.numbersOrderBy,
      t.distinctOrderBy,
      t.group,
      ...structs,
    ]),
  ];
}

/** A reverse list contributed to a referenced type: `Customer.orders` from orders' `customer_id`. */
export interface ReverseShape {
  /** The shape of the referencing product (the list's items). */
  readonly source: ProductShape;
  readonly reference: ReferenceShape;
  /** The list field on the referenced type. */
  readonly name: string;
}

// The reference name is camelCase already; pascalCase would lower-case it first (billingPerson → Billingperson).
const upperFirst = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/** Every reverse list that points at `target`, named `<listField>` or `<listField>By<Reference>` when ambiguous. */
export function reverseShapes(target: DataProduct, all: readonly ProductShape[]): ReverseShape[] {
  const found = all.flatMap((source) => source.references.filter((r) => r.target.name === target.name).map((reference) => ({ source, reference })));
  return found.map(({ source, reference }) => {
    const ambiguous = found.filter((f) => f.source === source).length > 1;
    return { source, reference, name: ambiguous ? `${source.listField}By${upperFirst(reference.name)}` : source.listField };
  });
}
