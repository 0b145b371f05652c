/**
 * Reads a contract written in ODCS v3 vocabulary (Open Data Contract Standard): the first schema
 * object is the product's output; `classification` holds meshgate's privacy class; `primaryKey`
 * marks the key; references, purposes, compatibility and the GraphQL list name travel as ODCS
 * `customProperties`. An enumeration is read from `logicalTypeOptions.enum` or, as
 * `meshgate contract export --odcs` writes it for the official v3.0.2 schema, an `enum` custom
 * property; a quality rule names its metric in `metric` (v3.1) or `rule` (v3.0).
 */
import { z } from 'zod';
import type { DeclarationProblem, Loaded } from '../errors.js';
import { zodProblems } from '../descriptor/zodProblems.js';
import { pascalCase, singular } from '../naming.js';
import {
  classificationSchema,
  columnNameSchema,
  compatibilitySchema,
  compositeReferencesSchema,
  orderSchema,
  purposesSchema,
  referenceSchema,
  versionSchema,
} from './fieldAttributes.js';
import { finishContract } from './finishContract.js';
import { readMeasures } from './measures.js';
import { parseCollecting, type Placeholder } from './parseCollecting.js';
import { snakeCase, withFieldHints } from './problemHints.js';
import type { Classification, FieldContract, LogicalType, QualityRule, StructMember, ValueType } from './types.js';
import type { Contract } from './types.js';

const customProperties = z.array(z.looseObject({ property: z.string(), value: z.unknown() })).default([]);

const LOGICAL_NAMES = ['string', 'date', 'timestamp', 'number', 'integer', 'boolean', 'array', 'object'] as const;
const logicalTypeSchema = z.enum(LOGICAL_NAMES, { error: () => `one of ${LOGICAL_NAMES.join(', ')}` });
const typeOptions = z.looseObject({ enum: z.array(z.string()).optional(), precision: z.number().int().optional(), scale: z.number().int().optional() }).optional();

/** What every ODCS property, element and member shares: its type (an array's `items`, an object's `properties`). */
interface OdcsValue {
  logicalType: (typeof LOGICAL_NAMES)[number];
  physicalType?: string | undefined;
  required: boolean;
  logicalTypeOptions?: { enum?: string[] | undefined; precision?: number | undefined; scale?: number | undefined } | undefined;
  customProperties: { property: string; value: unknown }[];
  items?: OdcsValue | undefined;
  properties?: (OdcsValue & { name: string; description?: string | undefined; classification: Classification })[] | undefined;
}

const valueFields = {
  logicalType: logicalTypeSchema,
  physicalType: z.string().optional(),
  required: z.boolean().default(false),
  logicalTypeOptions: typeOptions,
  customProperties,
};
const element: z.ZodType<OdcsValue> = z.lazy(() => z.looseObject({ ...valueFields, items: element.optional(), properties: z.array(member).optional() })) as never;
const member: z.ZodType<NonNullable<OdcsValue['properties']>[number]> = z.lazy(() =>
  z.looseObject({
    ...valueFields,
    name: columnNameSchema,
    description: z.string().optional(),
    classification: classificationSchema,
    items: element.optional(),
    properties: z.array(member).optional(),
  }),
) as never;

const property = z.looseObject({
  ...valueFields,
  name: columnNameSchema,
  description: z.string().optional(),
  primaryKey: z.boolean().default(false),
  primaryKeyPosition: z.number().int().min(1).optional(),
  classification: classificationSchema,
  items: element.optional(),
  properties: z.array(member).optional(),
});

/** ODCS v3.0 names a quality rule's metric `rule`; v3.1 names it `metric`. */
const metricFromRule = (q: unknown): unknown => {
  if (q === null || typeof q !== 'object' || 'metric' in q || !('rule' in q)) return q;
  const { rule, ...rest } = q as { rule: unknown };
  return { metric: rule, ...rest };
};
const quality = z.array(z.preprocess(metricFromRule, z.looseObject({ metric: z.string() }))).default([]);

const odcs = z.looseObject({
  apiVersion: z.string().regex(/^v3\./, 'an ODCS v3 apiVersion such as "v3.0.2"'),
  kind: z.literal('DataContract', { error: () => '"DataContract"' }),
  version: versionSchema,
  description: z.looseObject({ purpose: z.string().optional() }).optional(),
  customProperties,
  schema: z
    .array(z.looseObject({ name: z.string().min(1), description: z.string().optional(), properties: z.array(property).min(1), quality, customProperties }))
    .min(1, 'at least one schema object'),
});

const DUCKDB_TYPES: Record<string, LogicalType> = {
  VARCHAR: 'string',
  TEXT: 'string',
  STRING: 'string',
  INTEGER: 'integer',
  INT: 'integer',
  SMALLINT: 'integer',
  BIGINT: 'bigint',
  HUGEINT: 'bigint',
  DOUBLE: 'double',
  FLOAT: 'double',
  REAL: 'double',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
  TIMESTAMPTZ: 'timestamp',
  'TIMESTAMP WITH TIME ZONE': 'timestamp',
  TIME: 'time',
  UUID: 'uuid',
  JSON: 'json',
};
const LOGICAL: Record<string, LogicalType> = { string: 'string', date: 'date', timestamp: 'timestamp', number: 'double', integer: 'bigint', boolean: 'boolean' };

type Props = z.infer<typeof customProperties>;
const custom = (props: Props, name: string): unknown => props.find((p) => p.property === name)?.value;

/** Reads one custom property through a zod schema, recording a problem when it does not fit. */
function readCustom<T extends z.ZodType>(file: string, path: string, props: Props, name: string, schema: T, problems: DeclarationProblem[]): z.infer<T> | undefined {
  const raw = custom(props, name);
  if (raw === undefined) return undefined;
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const at = props.findIndex((p) => p.property === name);
  problems.push(...zodProblems(file, r.error, `${path}customProperties[${at}].value`));
  return undefined;
}

/** Maps an ODCS value's type: an array by its `items`, an object by its `properties` (a struct; without them, JSON), a number with a precision as a decimal. */
function mapType(p: OdcsValue, at: string): { value: ValueType } | { problem: string; at: string } {
  const enumName = custom(p.customProperties, 'enumName');
  const named = typeof enumName === 'string' ? { enumName } : {};
  if (p.logicalType === 'array') {
    if (!p.items) return { problem: 'an array with its "items"', at: `${at}items` };
    const items = mapType(p.items, `${at}items.`);
    if ('problem' in items) return items;
    return { value: { type: 'list', items: { ...items.value, nullable: !p.items.required } } };
  }
  if (p.logicalType === 'object' && p.properties?.length) {
    const members: StructMember[] = [];
    for (const [i, m] of p.properties.entries()) {
      const mapped = mapType(m, `${at}properties[${i}].`);
      if ('problem' in mapped) return mapped;
      members.push({ ...mapped.value, name: m.name, ...(m.description !== undefined && { description: m.description }), nullable: !m.required, classification: m.classification });
    }
    const structName = custom(p.customProperties, 'structName');
    return { value: { type: 'struct', members, ...(typeof structName === 'string' && { structName }) } };
  }
  const o = p.logicalTypeOptions;
  if (p.logicalType === 'number' && o?.precision !== undefined) return { value: { type: 'decimal', precision: o.precision, scale: o.scale ?? 0 } };
  if (!p.physicalType) return { value: { type: p.logicalType === 'object' ? 'json' : (LOGICAL[p.logicalType] ?? 'string'), ...named } };
  const phys = p.physicalType.toUpperCase().trim();
  const dec = /^DECIMAL\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(phys);
  if (dec) return { value: { type: 'decimal', precision: Number(dec[1]), scale: Number(dec[2]) } };
  if (DUCKDB_TYPES[phys]) return { value: { type: DUCKDB_TYPES[phys], ...named } };
  return { problem: `a supported physicalType (${Object.keys(DUCKDB_TYPES).join(', ')}, DECIMAL(p,s)), not "${p.physicalType}"`, at: `${at}physicalType` };
}

/**
 * The key columns in ODCS order: by `primaryKeyPosition` (1, 2, ...), which a composite key must
 * give on every key property so the order never depends on where a property is listed.
 */
function keyOrder(file: string, properties: readonly z.infer<typeof property>[], problems: DeclarationProblem[]): string[] {
  const keyed = properties.map((p, i) => ({ p, i })).filter(({ p }) => p.primaryKey);
  if (keyed.length > 1)
    for (const { p, i } of keyed) {
      const position = p.primaryKeyPosition;
      if (position === undefined)
        problems.push({
          file,
          path: `schema[0].properties[${i}].primaryKeyPosition`,
          message: `a composite key needs the position of each key property: add primaryKeyPosition: 1..${keyed.length}`,
        });
      else if (position > keyed.length || keyed.filter((k) => k.p.primaryKeyPosition === position).length > 1)
        problems.push({ file, path: `schema[0].properties[${i}].primaryKeyPosition`, message: `expected a distinct position from 1 to ${keyed.length}, got ${position}` });
    }
  return keyed.sort((a, b) => (a.p.primaryKeyPosition ?? 0) - (b.p.primaryKeyPosition ?? 0)).map(({ p }) => p.name);
}

/** What stands in for a refused part of an ODCS property, so the rest is still read (see parseCollecting). */
const odcsPlaceholder: Placeholder = (path, value) => {
  const [top, , properties, index, attribute] = path;
  if (top !== 'schema' || properties !== 'properties' || typeof index !== 'number' || path.length !== 5) return undefined;
  if (attribute === 'name') return typeof value === 'string' && snakeCase(value) ? snakeCase(value) : `field_${index}`;
  if (attribute === 'classification') return 'none';
  if (attribute === 'logicalType') return 'string';
  return undefined;
};

/** Reads an ODCS v3 contract (already YAML-parsed) into a contract; a refused one carries what could be read as `partial`. */
export function contractFromOdcs(file: string, doc: unknown): Loaded<Contract> {
  const parsed = parseCollecting(file, odcs, doc, odcsPlaceholder);
  if (!parsed.data) return { errors: withFieldHints(parsed.problems, doc) };
  const c = parsed.data;
  const table = c.schema[0]!;
  const problems: DeclarationProblem[] = withFieldHints(parsed.problems, doc);
  const fields: FieldContract[] = [];
  table.properties.forEach((p, i) => {
    const path = `schema[0].properties[${i}].`;
    const mapped = mapType(p, path);
    if ('problem' in mapped) problems.push({ file, path: mapped.at, message: `expected ${mapped.problem}` });
    const references = readCustom(file, path, p.customProperties, 'references', referenceSchema, problems);
    const values = p.logicalTypeOptions?.enum ?? readCustom(file, path, p.customProperties, 'enum', z.array(z.string()), problems);
    fields.push({
      name: p.name,
      // An unreadable type reads as a string for the checks that follow; the problem above refuses the contract.
      ...('problem' in mapped ? { type: 'string' as const } : mapped.value),
      ...(p.description !== undefined && { description: p.description }),
      nullable: !p.required && !p.primaryKey,
      key: p.primaryKey,
      classification: p.classification,
      ...(references && { references }),
      purposes: readCustom(file, path, p.customProperties, 'purposes', purposesSchema, problems) ?? [],
      ...(values && { enum: values }),
    });
  });
  const compatibility = readCustom(file, '', c.customProperties, 'compatibility', compatibilitySchema, problems) ?? 'BACKWARD';
  const purposes = readCustom(file, '', c.customProperties, 'purposes', purposesSchema, problems) ?? [];
  const listField = readCustom(file, '', c.customProperties, 'graphqlField', z.string(), problems);
  const order = readCustom(file, '', c.customProperties, 'order', orderSchema, problems);
  const composite = readCustom(file, '', c.customProperties, 'references', compositeReferencesSchema, problems);
  const keys = keyOrder(file, table.properties, problems);
  const measures = readMeasures(
    file,
    `customProperties[${c.customProperties.findIndex((p) => p.property === 'measures')}].value`,
    custom(c.customProperties, 'measures'),
    fields,
    problems,
  );
  const finished = finishContract(file, {
    typeName: /^[A-Z][A-Za-z0-9]*$/.test(table.name) ? table.name : pascalCase(singular(table.name)),
    ...(listField !== undefined && { listField }),
    version: c.version,
    ...((table.description ?? c.description?.purpose) !== undefined && { description: table.description ?? c.description?.purpose }),
    fields,
    keys,
    ...(order && { order }),
    ...(composite && { references: composite }),
    compatibility,
    purposes,
    quality: table.quality as QualityRule[],
    measures,
  });
  if (!problems.length) return finished;
  return { errors: [...problems, ...(finished.errors ?? [])], partial: finished.value ?? finished.partial! };
}
