/**
 * The GraphQL names and types derived from a product's contract (README.md, "The GraphQL shape of a
 * product", shows them as a client sees them). The SDL printer, the subgraph runtime, the gateway's access analysis and the
 * compatibility check all read this one shape: every name is decided here, and every look-up of a
 * field (by GraphQL name, by column, by `groupBy` enum value) goes through it.
 */
import type { DataProduct } from '../descriptor/DataProduct.js';
import type { FieldContract, LogicalType, StructMember, ValueType } from '../contract/types.js';
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

/** A reference from a field to another product's entity. */
export interface ReferenceShape {
  /** The referencing column's shape. */
  readonly from: FieldShape;
  /** The object field that resolves the entity, e.g. `customer`. */
  readonly name: string;
  readonly target: DataProduct;
}

/** The aggregate functions of `<Type>Group`, each a field of the group. */
export const AGGREGATE_FUNCTIONS = ['sum', 'avg', 'min', 'max'] as const;
/** One aggregate function. */
export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

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
}

/** The GraphQL shape of one product. */
export interface ProductShape {
  readonly product: DataProduct;
  readonly typeName: string;
  readonly listField: string;
  readonly connectionField: string;
  readonly byKeyField: string;
  readonly aggregateField: string;
  readonly whereType: string;
  readonly orderByType: string;
  readonly fieldEnum: string;
  /** Every generated type name. */
  readonly types: ProductTypeNames;
  /** The four `Query` fields: list, connection, by key, aggregate. */
  readonly rootFields: readonly string[];
  readonly key: FieldShape;
  readonly fields: readonly FieldShape[];
  /** References to products that are served (others stay plain values). */
  readonly references: readonly ReferenceShape[];
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
 * Whether a field is a value of `<Type>Field` (grouping): the one place this is decided, so
 * grouping by more kinds of fields (a list by its elements) changes only this.
 */
export const groupable = (field: FieldContract): boolean => sortableType(field.type);

/** The GraphQL shape of a field: the key is `ID`, otherwise by its value type. */
function fieldShape(field: FieldContract, owner: string): FieldShape {
  const value = field.key ? { type: 'ID', filter: 'IDFilter' } : valueShape(field, owner, field.name, field.name);
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
  };
}

/** Derives the shape of a product; `served` says which products references may resolve to. */
export function productShape(product: DataProduct, served: ReadonlyMap<string, DataProduct>): ProductShape {
  const c = product.contract;
  const fields = c.fields.map((f) => fieldShape(f, c.typeName));
  const key = fields.find((f) => f.field.key)!;
  const names = new Set(fields.map((f) => f.name));
  const references: ReferenceShape[] = [];
  for (const from of fields) {
    const target = from.field.references && served.get(from.field.references.product);
    if (!target) continue;
    let name = referenceName(from.field.name);
    if (names.has(name)) name = `${name}Ref`;
    names.add(name);
    references.push({ from, name, target });
  }
  const types = typeNames(c.typeName);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const byColumn = new Map(fields.map((f) => [f.field.name, f]));
  const byEnum = new Map(fields.filter((f) => f.groupable).map((f) => [f.enumValue, f]));
  const byReference = new Map(references.map((r) => [r.name, r]));
  const listField = c.listField;
  const byKeyField = c.typeName.charAt(0).toLowerCase() + c.typeName.slice(1);
  return {
    product,
    typeName: c.typeName,
    listField,
    connectionField: `${listField}Connection`,
    byKeyField,
    aggregateField: `${listField}Aggregate`,
    whereType: types.where,
    orderByType: types.orderBy,
    fieldEnum: types.fieldEnum,
    types,
    rootFields: [listField, `${listField}Connection`, byKeyField, `${listField}Aggregate`],
    key,
    fields,
    references,
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
  return [...new Set([t.object, t.where, t.orderBy, t.fieldEnum, t.edge, t.connection, t.groupKey, ...Object.values(t.aggregates), t.group, ...structs])];
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
