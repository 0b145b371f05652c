/**
 * Reads a contract from an Avro record schema (`.avsc`), the design article's format. Avro carries
 * names, types, docs and nullability; meshgate's extra attributes (`key`, `classification`,
 * `references`, `purposes` on fields; `version`, `compatibility`, `purposes` on the record) ride
 * along as Avro custom attributes, which Avro tools ignore.
 */
import { z } from 'zod';
import type { DeclarationProblem, Result } from '../errors.js';
import { zodProblems } from '../descriptor/zodProblems.js';
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
import type { Contract, FieldContract, LogicalType } from './types.js';

const avroType: z.ZodType<unknown> = z.lazy(() => z.union([z.string(), z.array(avroType), z.looseObject({ type: z.unknown() })]));

const avroField = z.looseObject({
  name: columnNameSchema,
  type: avroType,
  doc: z.string().optional(),
  key: z.boolean().default(false),
  classification: classificationSchema,
  references: referenceSchema.optional(),
  purposes: purposesSchema.default([]),
});

const avroRecord = z.looseObject({
  type: z.literal('record', { error: () => 'an Avro "record" schema' }),
  name: z.string().regex(/^[A-Z][A-Za-z0-9]*$/, 'a PascalCase record name such as "Order" (it becomes the GraphQL type)'),
  doc: z.string().optional(),
  version: versionSchema.default('1.0.0'),
  compatibility: compatibilitySchema.default('BACKWARD'),
  purposes: purposesSchema.default([]),
  graphqlField: z.string().optional(),
  order: orderSchema.optional(),
  references: compositeReferencesSchema.optional(),
  measures: z.unknown().optional(),
  fields: z.array(avroField).min(1, 'at least one field'),
});

interface Mapped {
  readonly type: LogicalType;
  readonly nullable: boolean;
  readonly enum?: string[];
  readonly precision?: number;
  readonly scale?: number;
}

/** Maps one Avro field type to a logical type, or says why it cannot. */
function mapAvroType(type: unknown): Mapped | string {
  if (Array.isArray(type)) {
    const rest = type.filter((t) => t !== 'null');
    if (rest.length !== 1) return 'a union of "null" and one type';
    const inner = mapAvroType(rest[0]);
    return typeof inner === 'string' ? inner : { ...inner, nullable: type.length > rest.length };
  }
  if (typeof type === 'string') {
    const simple: Record<string, LogicalType> = { string: 'string', int: 'integer', long: 'bigint', float: 'double', double: 'double', boolean: 'boolean' };
    return simple[type] ? { type: simple[type], nullable: false } : `a supported Avro type (string, int, long, float, double, boolean, or a logical type), not "${type}"`;
  }
  const t = type as { type?: unknown; logicalType?: unknown; symbols?: unknown; precision?: unknown; scale?: unknown };
  if (t.type === 'enum' && Array.isArray(t.symbols)) return { type: 'string', nullable: false, enum: t.symbols.map(String) };
  if (t.logicalType === 'date') return { type: 'date', nullable: false };
  if (t.logicalType === 'timestamp-millis' || t.logicalType === 'timestamp-micros') return { type: 'timestamp', nullable: false };
  if (t.logicalType === 'decimal') return { type: 'decimal', nullable: false, precision: Number(t.precision ?? 18), scale: Number(t.scale ?? 0) };
  if (typeof t.type === 'string' && t.logicalType === undefined) return mapAvroType(t.type);
  return `a supported Avro type, not ${JSON.stringify(type)}`;
}

/** Reads an Avro record schema (already JSON-parsed) into a contract. */
export function contractFromAvro(file: string, json: unknown): Result<Contract> {
  const parsed = avroRecord.safeParse(json);
  if (!parsed.success) return { errors: zodProblems(file, parsed.error) };
  const record = parsed.data;
  const problems: DeclarationProblem[] = [];
  const fields: FieldContract[] = [];
  record.fields.forEach((f, i) => {
    const mapped = mapAvroType(f.type);
    if (typeof mapped === 'string') {
      problems.push({ file, path: `fields[${i}].type`, message: `expected ${mapped}` });
      return;
    }
    fields.push({
      name: f.name,
      ...mapped,
      ...(f.doc !== undefined && { description: f.doc }),
      key: f.key,
      classification: f.classification,
      ...(f.references && { references: f.references }),
      purposes: f.purposes,
    });
  });
  const measures = readMeasures(file, 'measures', record.measures, fields, problems);
  if (problems.length) return { errors: problems };
  return finishContract(file, {
    typeName: record.name,
    ...(record.graphqlField !== undefined && { listField: record.graphqlField }),
    version: record.version,
    ...(record.doc !== undefined && { description: record.doc }),
    fields,
    ...(record.order && { order: record.order }),
    ...(record.references && { references: record.references }),
    compatibility: record.compatibility,
    purposes: record.purposes,
    quality: [],
    measures,
  });
}
