/**
 * PostgreSQL's types as a build sees them. A snapshot keeps each column's type in DuckDB
 * ({@link duckTypeOf}: the text PostgreSQL prints is parsed by DuckDB as that type). A change
 * record's row is JSON ({@link jsonValueOf}), the shape every change stream shares: numbers and
 * booleans as JSON numbers and booleans (int8 keeps every digit: its text is written as is), the
 * rest as the text PostgreSQL prints (timestamps in UTC, ISO style).
 */
import type { InputColumnType } from '../../../sql/index.js';
import type { PgColumn } from './PgSource.js';

/** Type OIDs of pg_type that map to a DuckDB type other than VARCHAR. */
const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

const SIMPLE: Partial<Record<number, InputColumnType>> = {
  [OID.bool]: 'BOOLEAN',
  [OID.int8]: 'BIGINT',
  [OID.int2]: 'SMALLINT',
  [OID.int4]: 'INTEGER',
  [OID.oid]: 'BIGINT',
  [OID.json]: 'JSON',
  [OID.jsonb]: 'JSON',
  [OID.float4]: 'FLOAT',
  [OID.float8]: 'DOUBLE',
  [OID.date]: 'DATE',
  [OID.time]: 'TIME',
  [OID.timestamp]: 'TIMESTAMP',
  [OID.timestamptz]: 'TIMESTAMPTZ',
  [OID.uuid]: 'UUID',
};

/** DuckDB's widest exact decimal. */
const MAX_DECIMAL_PRECISION = 38;

/**
 * The DuckDB type a column loads as. `numeric(p,s)` is DECIMAL(p,s) (exact) up to DuckDB's 38
 * digits; a `numeric` without a declared precision can hold any number of digits, so it is a
 * DOUBLE. Types DuckDB has no reading for (intervals, arrays, bytea, enums, ranges...) keep
 * PostgreSQL's text, as VARCHAR.
 */
export function duckTypeOf(column: PgColumn): InputColumnType {
  if (column.typeOid === OID.numeric) {
    if (column.typeMod < 4) return 'DOUBLE';
    const precision = ((column.typeMod - 4) >> 16) & 0xffff;
    const scale = (column.typeMod - 4) & 0xffff;
    return precision <= MAX_DECIMAL_PRECISION && scale <= precision ? `DECIMAL(${precision},${scale})` : 'DOUBLE';
  }
  return SIMPLE[column.typeOid] ?? 'VARCHAR';
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/** A value's JSON text in a change record's row. */
export function jsonValueOf(typeOid: number, text: string | null): string {
  if (text === null) return 'null';
  switch (typeOid) {
    case OID.bool:
      return text === 't' ? 'true' : 'false';
    case OID.int2:
    case OID.int4:
    case OID.int8:
    case OID.oid:
    case OID.float4:
    case OID.float8:
    case OID.numeric:
      // NaN and Infinity have no JSON number: they stay text.
      return NUMBER.test(text) ? text : JSON.stringify(text);
    default:
      return JSON.stringify(text);
  }
}
