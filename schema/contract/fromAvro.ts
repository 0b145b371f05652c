/**
 * Reads a contract from an Avro record schema (`.avsc`), the design article's format. Avro carries
 * names, types, docs and nullability; meshgate's extra attributes (`key`, `classification`,
 * `references`, `purposes` on fields; `version`, `compatibility`, `purposes` on the record) ride
 * along as Avro custom attributes, which Avro tools ignore.
 */
import { z } from 'zod';
import type { DeclarationProblem, Loaded } from '../errors.js';
import { pascalCase } from '../naming.js';
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
import { guessProblems } from './guesses.js';
import { readMeasures } from './measures.js';
import { parseCollecting, type Placeholder } from './parseCollecting.js';
import { snakeCase, withFieldHints } from './problemHints.js';
import type { Contract, FieldContract, LogicalType, StructMember, ValueType } from './types.js';

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

/** A mapped Avro type: a value type and whether a union with "null" made it nullable. */
type Mapped = ValueType & { readonly nullable: boolean };

/** Why a type cannot be mapped, and where below the field's `type` (`.items`, `.fields[0].type`). */
interface Unmapped {
  readonly problem: string;
  readonly at: string;
}

const avroMember = z.looseObject({ name: columnNameSchema, type: avroType, doc: z.string().optional(), classification: classificationSchema });

const SIMPLE: Record<string, LogicalType> = { string: 'string', int: 'integer', long: 'bigint', float: 'double', double: 'double', boolean: 'boolean' };

/** The logical type of an Avro logical type on its underlying type (`time-millis` on `int`), if meshgate reads it. */
function logicalOf(logical: unknown, base: unknown): LogicalType | undefined {
  if (logical === 'date' && base === 'int') return 'date';
  if ((logical === 'timestamp-millis' || logical === 'timestamp-micros') && base === 'long') return 'timestamp';
  if ((logical === 'time-millis' && base === 'int') || (logical === 'time-micros' && base === 'long')) return 'time';
  if (logical === 'uuid' && base === 'string') return 'uuid';
  // meshgate's own: a string holding a JSON document.
  if (logical === 'json' && base === 'string') return 'json';
  return undefined;
}

/** Maps an Avro record's fields to struct members (each with its own classification). */
function mapMembers(fields: unknown): StructMember[] | Unmapped {
  if (!Array.isArray(fields) || fields.length === 0) return { problem: 'a record with at least one field', at: '.fields' };
  const members: StructMember[] = [];
  for (const [i, raw] of fields.entries()) {
    const parsed = avroMember.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { problem: issue.message, at: `.fields[${i}]${issue.path.map((k) => `.${String(k)}`).join('')}` };
    }
    const m = parsed.data;
    const mapped = mapAvroType(m.type);
    if ('problem' in mapped) return { problem: mapped.problem, at: `.fields[${i}].type${mapped.at}` };
    members.push({ ...mapped, name: m.name, ...(m.doc !== undefined && { description: m.doc }), classification: m.classification });
  }
  return members;
}

/** Maps one Avro type to a value type, or says why it cannot. */
function mapAvroType(type: unknown): Mapped | Unmapped {
  if (Array.isArray(type)) {
    const rest = type.filter((t) => t !== 'null');
    if (rest.length !== 1) return { problem: 'a union of "null" and one type', at: '' };
    const inner = mapAvroType(rest[0]);
    return 'problem' in inner ? inner : { ...inner, nullable: type.length > rest.length };
  }
  if (typeof type === 'string') {
    return SIMPLE[type]
      ? { type: SIMPLE[type], nullable: false }
      : { problem: `a supported Avro type (string, int, long, float, double, boolean, array, record, enum, or a logical type), not "${type}"`, at: '' };
  }
  const t = type as { type?: unknown; logicalType?: unknown; symbols?: unknown; precision?: unknown; scale?: unknown; name?: unknown; items?: unknown; fields?: unknown };
  if (t.type === 'enum' && Array.isArray(t.symbols)) {
    return { type: 'string', nullable: false, enum: t.symbols.map(String), ...(typeof t.name === 'string' && { enumName: t.name }) };
  }
  if (t.type === 'array') {
    const items = mapAvroType(t.items);
    if ('problem' in items) return { ...items, at: `.items${items.at}` };
    return { type: 'list', nullable: false, items };
  }
  if (t.type === 'record') {
    const members = mapMembers(t.fields);
    if (!Array.isArray(members)) return members;
    return { type: 'struct', nullable: false, members, ...(typeof t.name === 'string' && { structName: t.name }) };
  }
  if (t.logicalType === 'decimal' && (t.type === 'bytes' || t.type === 'fixed')) {
    const precision = Number(t.precision);
    const scale = Number(t.scale ?? 0);
    if (!Number.isInteger(precision) || precision < 1 || precision > 38 || !Number.isInteger(scale) || scale < 0 || scale > precision) {
      return { problem: 'a decimal with an integer "precision" of 1 to 38 and a "scale" of 0 to the precision, e.g. "precision": 12, "scale": 2', at: '' };
    }
    return { type: 'decimal', nullable: false, precision, scale };
  }
  const logical = logicalOf(t.logicalType, t.type);
  if (logical) return { type: logical, nullable: false };
  if (typeof t.type === 'string' && t.logicalType === undefined) return mapAvroType(t.type);
  return { problem: `a supported Avro type, not ${JSON.stringify(type)}`, at: '' };
}

/** What stands in for a refused part of an Avro schema, so the rest is still read (see parseCollecting). */
const avroPlaceholder: Placeholder = (path, value) => {
  const [top, index, attribute] = path;
  if (path.length === 1 && top === 'name') return typeof value === 'string' && value ? pascalCase(value) : 'Record';
  if (top !== 'fields' || typeof index !== 'number') return undefined;
  if (path.length === 2) return { name: `field_${index}`, type: 'string', classification: 'none' };
  if (path.length !== 3) return undefined;
  if (attribute === 'name') return typeof value === 'string' && snakeCase(value) ? snakeCase(value) : `field_${index}`;
  if (attribute === 'classification') return 'none';
  if (attribute === 'type') return 'string';
  return undefined;
};

/** Reads an Avro record schema (already JSON-parsed) into a contract; a refused one carries what could be read as `partial`. */
export function contractFromAvro(file: string, json: unknown): Loaded<Contract> {
  const parsed = parseCollecting(file, avroRecord, json, avroPlaceholder);
  if (!parsed.data) return { errors: [...withFieldHints(parsed.problems, json), ...guessProblems(file, json)] };
  const record = parsed.data;
  const problems: DeclarationProblem[] = [...withFieldHints(parsed.problems, json), ...guessProblems(file, json)];
  const fields: FieldContract[] = [];
  record.fields.forEach((f, i) => {
    const mapped = mapAvroType(f.type);
    if ('problem' in mapped) {
      problems.push({ file, path: `fields[${i}].type${mapped.at}`, message: `expected ${mapped.problem}` });
    }
    fields.push({
      name: f.name,
      // An unreadable type reads as a string for the checks that follow; the problem above refuses the contract.
      ...('problem' in mapped ? { type: 'string' as const, nullable: false } : mapped),
      ...(f.doc !== undefined && { description: f.doc }),
      key: f.key,
      classification: f.classification,
      ...(f.references && { references: f.references }),
      purposes: f.purposes,
    });
  });
  const measures = readMeasures(file, 'measures', record.measures, fields, problems);
  const finished = finishContract(file, {
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
  if (!problems.length) return finished;
  return { errors: [...problems, ...(finished.errors ?? [])], partial: finished.value ?? finished.partial! };
}
