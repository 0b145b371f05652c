/**
 * Writes a product's contract as an ODCS v3.0.2 data contract that validates against the official
 * JSON Schema, and that `contractFromOdcs` reads back into the same contract. Where ODCS v3.0.2 has
 * no slot for something the contract model holds, it travels as a `customProperties` entry:
 * `compatibility`, `purposes`, `graphqlField` and `measures` on the contract; `references`, `purposes` and
 * `enum` on a property (v3.0.2 allows no `enum` in a string's `logicalTypeOptions`). Timestamps are
 * `logicalType: date` (v3.0.2 has no timestamp logical type) with `physicalType: TIMESTAMP`, and
 * quality rules name their metric in v3.0.2's `rule` key.
 */
import type { DataProduct } from '../descriptor/DataProduct.js';
import { measureSpecOf } from './measures.js';
import type { Contract, FieldContract, LogicalType, ValueType } from './types.js';

/** What of a product the ODCS document says besides its contract. */
export type OdcsProductInfo = Pick<DataProduct, 'name' | 'domain' | 'owner' | 'description' | 'status' | 'contract'>;

/** An ODCS custom property. */
interface CustomProperty {
  readonly property: string;
  readonly value: unknown;
}

const LOGICAL: Record<LogicalType, string> = {
  string: 'string',
  integer: 'integer',
  bigint: 'integer',
  double: 'number',
  decimal: 'number',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'date',
  time: 'string',
  uuid: 'string',
  json: 'object',
  list: 'array',
  struct: 'object',
};
const PHYSICAL: Record<Exclude<LogicalType, 'decimal'>, string> = {
  string: 'VARCHAR',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  time: 'TIME',
  uuid: 'UUID',
  json: 'JSON',
  list: 'LIST',
  struct: 'STRUCT',
};

/** The DuckDB type a value is served as, which `contractFromOdcs` maps back to the logical type. */
function physicalType(f: ValueType): string {
  return f.type === 'decimal' ? `DECIMAL(${f.precision ?? 18},${f.scale ?? 0})` : PHYSICAL[f.type];
}

/** A value's type in ODCS: a list as an `array` with its `items`, a struct as an `object` with its `properties` (members keep their classification). */
function valueType(v: ValueType): Record<string, unknown> {
  if (v.type === 'list') return { logicalType: 'array', items: { ...valueType(v.items!), required: !v.items!.nullable } };
  if (v.type === 'struct') {
    const properties = (v.members ?? []).map((m) => ({
      name: m.name,
      ...valueType(m),
      required: !m.nullable,
      classification: m.classification,
      ...(m.description !== undefined && { description: m.description }),
    }));
    return { logicalType: 'object', properties, ...(v.structName !== undefined && { customProperties: [{ property: 'structName', value: v.structName }] }) };
  }
  return { logicalType: LOGICAL[v.type], physicalType: physicalType(v), ...(v.enumName !== undefined && { customProperties: [{ property: 'enumName', value: v.enumName }] }) };
}

function property(f: FieldContract): Record<string, unknown> {
  const custom: CustomProperty[] = [];
  if (f.references) custom.push({ property: 'references', value: `${f.references.product}.${f.references.field}` });
  if (f.purposes.length) custom.push({ property: 'purposes', value: [...f.purposes] });
  if (f.enum) custom.push({ property: 'enum', value: [...f.enum] });
  if (f.enumName !== undefined) custom.push({ property: 'enumName', value: f.enumName });
  if (f.structName !== undefined) custom.push({ property: 'structName', value: f.structName });
  const { customProperties: _own, ...typed } = valueType(f);
  return {
    name: f.name,
    ...typed,
    required: !f.nullable,
    ...(f.key && { primaryKey: true, unique: true }),
    classification: f.classification,
    ...(f.description !== undefined && { description: f.description }),
    ...(custom.length && { customProperties: custom }),
  };
}

/** Builds the ODCS v3.0.2 document of a product's contract (a plain object, ready for YAML). */
export function toOdcs(product: OdcsProductInfo): Record<string, unknown> {
  const c: Contract = product.contract;
  const purpose = product.description ?? c.description;
  return {
    apiVersion: 'v3.0.2',
    kind: 'DataContract',
    id: product.name,
    name: product.name,
    version: c.version,
    status: product.status,
    domain: product.domain,
    dataProduct: product.name,
    ...(purpose !== undefined && { description: { purpose } }),
    team: [{ username: product.owner, role: 'owner' }],
    customProperties: [
      { property: 'compatibility', value: c.compatibility },
      { property: 'purposes', value: [...c.purposes] },
      { property: 'graphqlField', value: c.listField },
      ...(c.order.length ? [{ property: 'order', value: [...c.order] }] : []),
      ...(c.references.length
        ? [{ property: 'references', value: c.references.map(({ fields, ...r }) => ({ ...r, columns: [...r.columns], ...(fields.length && { fields: [...fields] }) })) }]
        : []),
      ...(c.measures.length ? [{ property: 'measures', value: c.measures.map(measureSpecOf) }] : []),
    ],
    schema: [
      {
        name: c.typeName,
        logicalType: 'object',
        physicalType: 'table',
        ...(c.description !== undefined && { description: c.description }),
        // A composite key's order is its own: ODCS says it with primaryKeyPosition.
        properties: c.fields.map((f) => ({ ...property(f), ...(c.keys.length > 1 && f.key && { primaryKeyPosition: c.keys.indexOf(f.name) + 1 }) })),
        ...(c.quality.length && { quality: c.quality.map(({ metric, ...rest }) => ({ rule: metric, ...rest })) }),
      },
    ],
  };
}
