/**
 * The GraphQL names and types derived from a product's contract (README.md, "The GraphQL shape of a
 * product", shows them as a client sees them). The SDL printer and the subgraph runtime both read this
 * one shape, so a name is decided in exactly one place.
 */
import type { DataProduct } from '../descriptor/DataProduct.js';
import type { FieldContract, LogicalType } from '../contract/types.js';
import { camelCase, pascalCase, screamingSnake } from '../naming.js';

/** A contract field as GraphQL sees it. */
export interface FieldShape {
  readonly field: FieldContract;
  /** GraphQL field name (camelCase of the column). */
  readonly name: string;
  /** GraphQL named type without `!`: ID, String, Int, Float, BigInt, Boolean, Date, DateTime. */
  readonly type: string;
  /** The `<Type>Filter` input used in `where`. */
  readonly filter: string;
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
  readonly key: FieldShape;
  readonly fields: readonly FieldShape[];
  /** References to products that are served (others stay plain values). */
  readonly references: readonly ReferenceShape[];
}

const GRAPHQL_TYPES: Record<LogicalType, string> = {
  string: 'String', integer: 'Int', bigint: 'BigInt', double: 'Float', decimal: 'Float', boolean: 'Boolean', date: 'Date', timestamp: 'DateTime',
};

/** The GraphQL type of a field: the key is `ID`, otherwise by logical type. */
function fieldShape(field: FieldContract): FieldShape {
  const type = field.key ? 'ID' : GRAPHQL_TYPES[field.type];
  const numeric = !field.key && ['integer', 'bigint', 'double', 'decimal'].includes(field.type);
  return {
    field,
    name: camelCase(field.name),
    type,
    filter: `${type}Filter`,
    enumValue: screamingSnake(camelCase(field.name)),
    numeric,
    ordered: numeric || field.type === 'date' || field.type === 'timestamp',
  };
}

/** The entity field name for a reference column: `customer_id` → `customer`. */
function referenceName(column: string): string {
  return camelCase(column.replace(/_(id|key|ref)$/, ''));
}

/** Derives the shape of a product; `served` says which products references may resolve to. */
export function productShape(product: DataProduct, served: ReadonlyMap<string, DataProduct>): ProductShape {
  const c = product.contract;
  const fields = c.fields.map(fieldShape);
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
  return {
    product,
    typeName: c.typeName,
    listField: c.listField,
    connectionField: `${c.listField}Connection`,
    byKeyField: c.typeName.charAt(0).toLowerCase() + c.typeName.slice(1),
    aggregateField: `${c.listField}Aggregate`,
    whereType: `${c.typeName}Where`,
    orderByType: `${c.typeName}OrderBy`,
    fieldEnum: `${c.typeName}Field`,
    key,
    fields,
    references,
  };
}

/** A reverse list contributed to a referenced type: `Customer.orders` from orders' `customer_id`. */
export interface ReverseShape {
  /** The shape of the referencing product (the list's items). */
  readonly source: ProductShape;
  readonly reference: ReferenceShape;
  /** The list field on the referenced type. */
  readonly name: string;
}

/** Every reverse list that points at `target`, named `<listField>` or `<listField>By<Reference>` when ambiguous. */
export function reverseShapes(target: DataProduct, all: readonly ProductShape[]): ReverseShape[] {
  const found = all.flatMap((source) => source.references.filter((r) => r.target.name === target.name).map((reference) => ({ source, reference })));
  return found.map(({ source, reference }) => {
    const ambiguous = found.filter((f) => f.source === source).length > 1;
    return { source, reference, name: ambiguous ? `${source.listField}By${pascalCase(reference.name)}` : source.listField };
  });
}
