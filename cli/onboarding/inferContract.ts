/**
 * What `meshgate init` reads from a domain's file: its columns with their contract types, whether
 * each holds nulls, the classification guessed for each, and the key (or, without one, an order).
 * From Parquet, DuckDB describes the file and counts and samples each column; from an Avro schema,
 * its own types are kept. Sampled values stay in this module: only counts leave it.
 */
import path from 'node:path';
import { singular } from '../../schema/naming.js';
import { Database } from '../../subgraphs/runtime/index.js';
import { buildColumnCounts, buildColumnSample, buildDescribeParquet, buildListElementSample } from '../../subgraphs/runtime/sql/index.js';
import { avroOfDuckdb, isUnsupported, type AvroType } from './avroTypes.js';
import { guessClassification, type Guess } from './guessClassification.js';

/** Values sampled per text column for the classification guesses. */
export const SAMPLE_SIZE = 20;

/** One column as the scaffold writes it. */
export interface InferredColumn {
  readonly name: string;
  /** The Avro type without its null branch. */
  readonly type: AvroType;
  readonly nullable: boolean;
  readonly guess: Guess;
  /** Already declared by the input (an Avro schema with meshgate's attributes): kept, not guessed. */
  readonly declared?: { readonly classification?: string; readonly key?: boolean };
  readonly doc?: string;
  /** Extra attributes of an Avro input field, kept as they are. */
  readonly rest?: Readonly<Record<string, unknown>>;
  /** For Parquet: unique and never null over every row. */
  readonly unique?: boolean;
}

/** What was inferred, and the key (or order) guessed. */
export interface Inferred {
  readonly columns: readonly InferredColumn[];
  readonly rows?: number;
  readonly key?: { readonly column: string; readonly reason: string };
  readonly order?: { readonly columns: readonly string[]; readonly reason: string };
  readonly recordName?: string;
  readonly recordDoc?: string;
}

const ID_NAME = /^(id|key|uuid)$|_(id|key|uuid)$/;
const KEYABLE = new Set(['string', 'int', 'long']);
const keyable = (t: AvroType): boolean => (typeof t === 'string' ? KEYABLE.has(t) : !Array.isArray(t) && (t as { logicalType?: unknown }).logicalType === 'uuid');
const isText = (t: AvroType): boolean =>
  t === 'string' || (typeof t === 'object' && !Array.isArray(t) && (t as { type?: unknown }).type === 'string' && (t as { logicalType?: unknown }).logicalType === undefined);

/** The key guess among unique, never-null columns named like an identifier: the product's own id first (`touch_id` for touch-points). */
function chooseKey(columns: readonly InferredColumn[], product: string, verified: boolean, rows?: number): Inferred['key'] {
  const candidates = columns.filter((c) => ID_NAME.test(c.name) && keyable(c.type) && !c.nullable && (!verified || c.unique));
  // The product's own identifier first: `touch_point_id` or `touch_id` for touch-points.
  const words = product.split('-');
  const own = [`${[...words.slice(0, -1), singular(words[words.length - 1]!)].join('_')}_id`, `${words[0]}_id`];
  const chosen = own.map((name) => candidates.find((c) => c.name === name)).find((c) => c !== undefined) ?? candidates[0];
  if (!chosen) return undefined;
  const reason = verified
    ? `${chosen.name}: named like an identifier, and unique and never null in all ${rows ?? 0} rows of the file`
    : `${chosen.name}: named like an identifier; its uniqueness is not verified (no data was read)`;
  return { column: chosen.name, reason };
}

/** Without a key, the order a keyless product's pages are sorted by: its timestamps and dates first, then its other plain columns. */
function chooseOrder(columns: readonly InferredColumn[]): Inferred['order'] {
  const logical = (c: InferredColumn): unknown => (typeof c.type === 'object' && !Array.isArray(c.type) ? (c.type as { logicalType?: unknown }).logicalType : undefined);
  const plain = columns.filter((c) => typeof c.type === 'string' || (logical(c) !== undefined && logical(c) !== 'json' && logical(c) !== 'decimal'));
  const timeFirst = [...plain.filter((c) => /^(timestamp|date)/.test(String(logical(c) ?? ''))), ...plain.filter((c) => !/^(timestamp|date)/.test(String(logical(c) ?? '')))];
  const chosen = timeFirst.map((c) => c.name);
  return {
    columns: chosen,
    reason: 'no column is a unique, never-null identifier, so the product is keyless; its rows are ordered by these columns (time first) so pages stay stable',
  };
}

/** Infers the scaffold from a Parquet file through DuckDB. */
export async function inferFromParquet(file: string, product: string): Promise<Inferred | { readonly error: string }> {
  const db = await Database.open({ dataDirs: [path.dirname(file)], connections: 1, threads: 1, memoryLimit: '1GB', queryTimeoutMs: 60_000 });
  try {
    let described: Record<string, unknown>[];
    try {
      described = await db.exec(buildDescribeParquet(file));
    } catch (error) {
      return { error: `cannot read ${file} as Parquet: ${(error as Error).message.split('\n')[0]}` };
    }
    const columns: InferredColumn[] = [];
    let rows = 0;
    for (const d of described) {
      const name = String(d.column_name);
      // A struct member's classification is guessed from its name only.
      const type = avroOfDuckdb(String(d.column_type), name, (member, memberType) => {
        const guess = guessClassification(member.name, undefined);
        return { name: member.name, type: memberType, classification: guess.classification, classificationGuessed: guess.reason };
      });
      if (isUnsupported(type)) return { error: `column "${name}": ${type.unsupported}` };
      const [counts] = await db.exec(buildColumnCounts(file, name));
      const total = Number(counts!.total);
      const present = Number(counts!.present);
      rows = total;
      const items = typeof type === 'object' && !Array.isArray(type) && (type as { type?: unknown }).type === 'array' ? (type as { items: AvroType }).items : undefined;
      const sample = isText(type) ? buildColumnSample(file, name, SAMPLE_SIZE) : items !== undefined && isText(items) ? buildListElementSample(file, name, SAMPLE_SIZE) : undefined;
      const values = sample !== undefined ? (await db.exec(sample)).map((r) => String(r.value)) : undefined;
      columns.push({
        name,
        type,
        nullable: present < total,
        guess: guessClassification(name, values),
        unique: total > 0 && present === total && Number(counts!.distinct) === total,
      });
    }
    const key = chooseKey(columns, product, true, rows);
    return { columns, rows, ...(key ? { key } : { order: chooseOrder(columns) }) };
  } finally {
    db.close();
  }
}

type AvroField = { name?: unknown; type?: unknown; doc?: unknown; classification?: unknown; key?: unknown } & Record<string, unknown>;

/** Infers the scaffold from an Avro record schema: its types kept, nullability from its unions, classifications guessed from names. */
export function inferFromAvro(json: unknown, product: string): Inferred | { readonly error: string } {
  const record = json as { type?: unknown; name?: unknown; doc?: unknown; fields?: unknown };
  if (typeof record !== 'object' || record === null || record.type !== 'record' || !Array.isArray(record.fields))
    return { error: 'expected an Avro record schema ({"type": "record", "name": ..., "fields": [...]})' };
  const columns: InferredColumn[] = [];
  for (const [i, raw] of (record.fields as AvroField[]).entries()) {
    if (typeof raw !== 'object' || raw === null || typeof raw.name !== 'string') return { error: `fields[${i}]: expected a field with a "name"` };
    const { name, type, doc, classification, key, ...rest } = raw;
    const union = Array.isArray(type) ? (type as AvroType[]) : undefined;
    const nonNull = union ? union.filter((t) => t !== 'null') : [type as AvroType];
    const declared = { ...(typeof classification === 'string' && { classification }), ...(typeof key === 'boolean' && { key }) };
    columns.push({
      name,
      type: nonNull.length === 1 ? nonNull[0]! : (nonNull as AvroType),
      nullable: union !== undefined && union.length > nonNull.length,
      guess: guessClassification(name, undefined),
      ...(Object.keys(declared).length > 0 && { declared }),
      ...(typeof doc === 'string' && { doc }),
      ...(Object.keys(rest).length > 0 && { rest }),
    });
  }
  const declaredKey = columns.some((c) => c.declared?.key === true);
  const key = declaredKey ? undefined : chooseKey(columns, product, false);
  return {
    columns,
    ...(key && { key }),
    ...(!declaredKey && !key && { order: chooseOrder(columns) }),
    ...(typeof record.name === 'string' && { recordName: record.name }),
    ...(typeof record.doc === 'string' && { recordDoc: record.doc }),
  };
}
