/**
 * The only place SQL text is made: identifiers go through {@link quoteIdent}, values through bound
 * parameters ({@link Params}), and a trusted literal (a configured file path) through
 * {@link quoteLiteral}. No caller's input is ever spliced into SQL text.
 */
import type { LogicalType } from '../../../schema/index.js';

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
  decimal: 'DOUBLE',
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

/** Collects bound values and hands out their `$n` placeholders. */
export class Params {
  readonly values: SqlValue[] = [];

  /** Binds a value and returns its placeholder, cast to `type` when given. */
  add(value: SqlValue, type?: LogicalType): string {
    this.values.push(value);
    return type ? `$${this.values.length}::${PARAM_CASTS[type]}` : `$${this.values.length}`;
  }
}
