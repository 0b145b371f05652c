/**
 * The only place SQL text is made: identifiers go through {@link quoteIdent}, values through bound
 * parameters ({@link Params}), and a trusted literal (a configured file path) through
 * {@link quoteLiteral}. No caller's input is ever spliced into SQL text.
 */
import type { LogicalType, ValueType } from '../../../schema/index.js';

/** A value bound to a `$n` parameter. */
export type SqlValue = string | number | boolean | bigint | null;

/** One parameterised statement. */
export interface SqlQuery {
  readonly text: string;
  readonly values: readonly SqlValue[];
}

/** Quotes an identifier (column or table name). Names come from contracts; quoting is belt and braces. */
export function quoteIdent(name: string): string {
  if (name.includes('\0')) throw new TypeError('identifier contains NUL');
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a literal from trusted configuration (a data path). Never use it for a caller's value. */
export function quoteLiteral(text: string): string {
  if (text.includes('\0')) throw new TypeError('literal contains NUL');
  return `'${text.replaceAll("'", "''")}'`;
}

/** The DuckDB type a parameter of a logical type is cast to, so comparisons never depend on inference. */
export const PARAM_CASTS: Record<LogicalType, string> = {
  string: 'VARCHAR',
  integer: 'BIGINT',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  // The contract's DECIMAL(p,s) when the value type is known (duckType); a bare decimal is DuckDB's default.
  decimal: 'DECIMAL(18,3)',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
  time: 'TIME',
  uuid: 'UUID',
  json: 'JSON',
  // Never a parameter's cast: a list or struct is compared through its elements' or members' types.
  list: 'VARCHAR',
  struct: 'VARCHAR',
};

/**
 * The DuckDB type of a value type: `DECIMAL(12,2)`, `VARCHAR[]`, `STRUCT("street" VARCHAR, "country" VARCHAR)`.
 * `integer` is what a contract's integer is stored as (INTEGER in a version's Parquet, BIGINT for a parameter).
 */
export function duckType(v: ValueType, integer = 'BIGINT'): string {
  switch (v.type) {
    case 'decimal': {
      const precision = Math.trunc(v.precision ?? 18);
      const scale = Math.trunc(v.scale ?? 0);
      if (!(precision >= 1 && precision <= 38 && scale >= 0 && scale <= precision)) throw new TypeError(`not a decimal type: DECIMAL(${precision},${scale})`);
      return `DECIMAL(${precision},${scale})`;
    }
    case 'list':
      return `${duckType(v.items!, integer)}[]`;
    case 'struct':
      return `STRUCT(${(v.members ?? []).map((m) => `${quoteIdent(m.name)} ${duckType(m, integer)}`).join(', ')})`;
    case 'integer':
      return integer;
    default:
      return PARAM_CASTS[v.type];
  }
}

/** Collects bound values and hands out their `$n` placeholders. */
export class Params {
  readonly values: SqlValue[] = [];

  /** Binds a value and returns its placeholder, cast to `type` when given (a value type casts to its exact DuckDB type, e.g. DECIMAL(12,2), so equality is exact). */
  add(value: SqlValue, type?: LogicalType | ValueType): string {
    this.values.push(value);
    if (!type) return `$${this.values.length}`;
    return `$${this.values.length}::${typeof type === 'string' ? PARAM_CASTS[type] : duckType(type)}`;
  }
}
