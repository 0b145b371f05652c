/**
 * The sample tables' rows, read straight from the Parquet files of the versions the products serve
 * (their manifests name them), with a DuckDB of the test's own, so expected answers never pass
 * through meshgate's runtime or SQL builder. Values take the form the
 * GraphQL API returns them in (README.md, "A tour for applications"): Date `YYYY-MM-DD`, DateTime `YYYY-MM-DDTHH:MM:SS.ffffffZ`,
 * BigInt as a string, Int and Float as numbers, Boolean as a boolean, null for a missing value.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { manifestFiles, readManifest } from '../../schema/index.js';

/** A value as a GraphQL response carries it. */
export type Value = string | number | boolean | null;

/** The GraphQL scalar a field is served as. */
export type FieldType = 'ID' | 'String' | 'Int' | 'Float' | 'BigInt' | 'Boolean' | 'Date' | 'DateTime';

/** One row, keyed by GraphQL field name. */
export type Row = Readonly<Record<string, Value>>;

/** The sample products, by their GraphQL list field. */
export type TableName = 'customers' | 'orders' | 'payments';

/** What a test needs to know about a sample product to query it and compute answers. */
export interface Table {
  readonly name: TableName;
  readonly typeName: string;
  readonly key: string;
  /** Fields in contract order, with their GraphQL scalar. */
  readonly fields: Readonly<Record<string, FieldType>>;
  readonly rows: readonly Row[];
  /** Rows by key. */
  readonly byKey: ReadonlyMap<string, Row>;
}

/** Every sample table. */
export type ReferenceRows = Readonly<Record<TableName, Table>>;

const SOURCES: Readonly<Record<TableName, { readonly file: string; readonly typeName: string; readonly key: string }>> = {
  customers: { file: 'customers/customer-profiles', typeName: 'Customer', key: 'customerId' },
  orders: { file: 'commerce/orders-enriched', typeName: 'Order', key: 'orderId' },
  payments: { file: 'payments/payments', typeName: 'Payment', key: 'paymentId' },
};

const SCALARS: Readonly<Record<string, FieldType>> = {
  VARCHAR: 'String',
  INTEGER: 'Int',
  BIGINT: 'BigInt',
  DOUBLE: 'Float',
  BOOLEAN: 'Boolean',
  DATE: 'Date',
  TIMESTAMP: 'DateTime',
};

/** `order_ts` → `orderTs`. */
export const camelCase = (column: string): string => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** DuckDB's `2026-06-13 00:29:13.96552` → `2026-06-13T00:29:13.965520Z`. */
export function isoTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/.exec(text);
  if (!m) throw new Error(`unexpected TIMESTAMP text ${text}`);
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0')}Z`;
}

function toValue(raw: unknown, type: FieldType): Value {
  if (raw === null || raw === undefined) return null;
  switch (type) {
    case 'DateTime':
      return isoTimestamp(String(raw));
    case 'Date':
      return String(raw).slice(0, 10);
    case 'BigInt':
      return String(raw);
    case 'Int':
    case 'Float':
      return Number(raw);
    case 'Boolean':
      return Boolean(raw);
    default:
      return String(raw);
  }
}

/** The files of the version a product's folder serves (its manifest's). */
export async function servedFiles(storeDir: string): Promise<string[]> {
  const read = await readManifest(storeDir);
  if (read.kind !== 'ok') throw new Error(`${storeDir} serves no version (${read.kind === 'bad' ? read.reason : 'no manifest'})`);
  return manifestFiles(storeDir, read.manifest);
}

async function readTable(instance: DuckDBInstance, dataRoot: string, name: TableName): Promise<Table> {
  const source = SOURCES[name];
  const files = await servedFiles(path.join(dataRoot, source.file));
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet([${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}])`);
    const fields: Record<string, FieldType> = {};
    const columns = reader.columnNames();
    reader.columnTypes().forEach((t, i) => {
      const field = camelCase(columns[i]!);
      const scalar = SCALARS[String(t)];
      if (!scalar) throw new Error(`no GraphQL scalar for ${String(t)} (${columns[i]})`);
      fields[field] = field === source.key ? 'ID' : scalar;
    });
    const rows = (reader.getRowObjectsJson() as Record<string, unknown>[]).map((raw) =>
      Object.fromEntries(columns.map((c) => [camelCase(c), toValue(raw[c], fields[camelCase(c)]!)])),
    );
    return { name, typeName: source.typeName, key: source.key, fields, rows, byKey: new Map(rows.map((r) => [String(r[source.key]), r])) };
  } finally {
    connection.closeSync();
  }
}

const loaded = new Map<string, Promise<ReferenceRows>>();

/** Reads every sample table under `dataRoot`, once per test file (module state is per file in Jest). */
export function referenceRows(dataRoot: string): Promise<ReferenceRows> {
  let rows = loaded.get(dataRoot);
  if (!rows) {
    rows = (async () => {
      const instance = await DuckDBInstance.create(':memory:');
      try {
        const [customers, orders, payments] = await Promise.all((['customers', 'orders', 'payments'] as const).map((n) => readTable(instance, dataRoot, n)));
        return { customers: customers!, orders: orders!, payments: payments! };
      } finally {
        instance.closeSync();
      }
    })();
    loaded.set(dataRoot, rows);
  }
  return rows;
}
