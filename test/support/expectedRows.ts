/**
 * Expected answers computed in JavaScript over the reference rows, following the semantics README.md
 * documents ("A tour for analysts", "The GraphQL shape of a product") rather than the runtime's SQL:
 * `neq`/`nin` never match null, `not` is the complement, LIKE patterns escape with `\`, ASC puts
 * nulls last and DESC first, the key breaks ties, groups come in key order with nulls last.
 */
import type { FieldType, Row, Table, Value } from './referenceRows.js';

/** A sort direction of `<Type>OrderBy`. */
export type Direction = 'ASC' | 'DESC' | 'ASC_NULLS_FIRST' | 'DESC_NULLS_LAST';

/** `orderBy: [{ field: DIRECTION }]`. */
export type OrderBy = readonly Readonly<Record<string, Direction>>[];

/** A `<Type>Where` input, as sent in variables. */
export type Where = { readonly [field: string]: unknown };

/** An ISO 8601 DateTime with any offset → the UTC text the API returns (microseconds kept). */
export function utcInstant(text: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!m) throw new Error(`not an ISO 8601 instant: ${text}`);
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const offsetMinutes = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offsetMinutes * 60_000;
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction.padEnd(6, '0')}Z`;
}

/** The same instant as `utc` (API form) written in the zone `offset` (`+02:00`, `-05:30`). */
export function inZone(utc: string, offset: string): string {
  const minutes = (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const shifted = new Date(Date.parse(`${utc.slice(0, 19)}Z`) + minutes * 60_000).toISOString().slice(0, 19);
  return `${shifted}.${utc.slice(20, 26)}${offset}`;
}

/** Orders two non-null values of a field type. */
export function compareValues(a: Value, b: Value, type: FieldType): number {
  if (type === 'BigInt') return Math.sign(Number(BigInt(a as string) - BigInt(b as string)));
  if (type === 'Int' || type === 'Float' || type === 'Boolean') return Math.sign(Number(a) - Number(b));
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** An input value in the form the rows hold it in. */
function inputValue(value: unknown, type: FieldType): Value {
  if (type === 'DateTime') return utcInstant(String(value));
  if (type === 'BigInt') return String(BigInt(value as string));
  return value as Value;
}

/** A SQL LIKE pattern as a regular expression: `%` any run, `_` one character, `\` escapes. */
export function likeRegExp(pattern: string, caseInsensitive = false): RegExp {
  const chars = Array.from(pattern);
  let source = '';
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\') source += i + 1 < chars.length ? escape(chars[++i]!) : '(?!)';
    else source += c === '%' ? '[\\s\\S]*' : c === '_' ? '[\\s\\S]' : escape(c);
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
}

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

type Truth = boolean | null;
const all = (xs: readonly Truth[]): Truth => (xs.includes(false) ? false : xs.includes(null) ? null : true);
const any = (xs: readonly Truth[]): Truth => (xs.includes(true) ? true : xs.includes(null) ? null : false);

function fieldTruth(type: FieldType, value: Value, filter: Record<string, unknown>): Truth {
  const parts: Truth[] = [];
  for (const [op, arg] of Object.entries(filter)) {
    if (arg === undefined || arg === null) continue;
    if (op === 'isNull') {
      parts.push(arg ? value === null : value !== null);
      continue;
    }
    if (value === null) {
      parts.push(null);
      continue;
    }
    const cmp = (x: unknown): number => compareValues(value, inputValue(x, type), type);
    if (op === 'eq') parts.push(cmp(arg) === 0);
    else if (op === 'neq') parts.push(cmp(arg) !== 0);
    else if (op === 'gt') parts.push(cmp(arg) > 0);
    else if (op === 'gte') parts.push(cmp(arg) >= 0);
    else if (op === 'lt') parts.push(cmp(arg) < 0);
    else if (op === 'lte') parts.push(cmp(arg) <= 0);
    else if (op === 'in') parts.push((arg as unknown[]).some((x) => cmp(x) === 0));
    else if (op === 'nin') parts.push(!(arg as unknown[]).some((x) => cmp(x) === 0));
    else if (op === 'like' || op === 'ilike') parts.push(likeRegExp(String(arg), op === 'ilike').test(String(value)));
    else throw new Error(`expectedRows: unknown operator ${op}`);
  }
  return all(parts);
}

/** SQL's three-valued truth of a where filter for one row; `not` turns unknown into a match. */
export function whereTruth(table: Table, where: Where, row: Row): Truth {
  const parts: Truth[] = [];
  for (const [name, value] of Object.entries(where)) {
    if (value === undefined || value === null) continue;
    if (name === 'and') parts.push(all((value as Where[]).map((w) => whereTruth(table, w, row))));
    else if (name === 'or') parts.push(any((value as Where[]).map((w) => whereTruth(table, w, row))));
    else if (name === 'not') parts.push(whereTruth(table, value as Where, row) !== true);
    else {
      const type = table.fields[name];
      if (!type) throw new Error(`expectedRows: ${table.typeName} has no field ${name}`);
      parts.push(fieldTruth(type, row[name] ?? null, value as Record<string, unknown>));
    }
  }
  return all(parts);
}

/** The rows a where filter selects, in their stored order. */
export const filterRows = (table: Table, where: Where = {}, rows: readonly Row[] = table.rows): Row[] => rows.filter((r) => whereTruth(table, where, r) === true);

/** Compares rows by sort keys, each with its direction and null placement. */
function rowComparator(table: Table, sorts: readonly (readonly [string, Direction])[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const [field, direction] of sorts) {
      const x = a[field] ?? null;
      const y = b[field] ?? null;
      if (x === null && y === null) continue;
      const nullsFirst = direction === 'DESC' || direction === 'ASC_NULLS_FIRST';
      if (x === null) return nullsFirst ? -1 : 1;
      if (y === null) return nullsFirst ? 1 : -1;
      const c = compareValues(x, y, table.fields[field]!);
      if (c !== 0) return direction.startsWith('DESC') ? -c : c;
    }
    return 0;
  };
}

/** Rows sorted as `orderBy` asks, the key ascending as the last tiebreaker. */
export function sortRows(table: Table, rows: readonly Row[], orderBy: OrderBy = []): Row[] {
  const sorts = orderBy.map((item) => Object.entries(item)[0]!);
  if (!sorts.some(([f]) => f === table.key)) sorts.push([table.key, 'ASC']);
  return [...rows].sort(rowComparator(table, sorts));
}

/** Filter, sort and slice: what a list query should return. */
export const expectedPage = (table: Table, args: { where?: Where; orderBy?: OrderBy; limit?: number; offset?: number }): Row[] =>
  sortRows(table, filterRows(table, args.where), args.orderBy).slice(args.offset ?? 0, (args.offset ?? 0) + (args.limit ?? 100));

/** The key values of rows. */
export const keysOf = (table: Table, rows: readonly Row[]): string[] => rows.map((r) => String(r[table.key]));

/** One group: its key values and its rows. */
export interface Group {
  readonly key: Readonly<Record<string, Value>>;
  readonly rows: readonly Row[];
}

/** Rows grouped by fields, groups ordered by the keys ascending with nulls last. */
export function groupRows(table: Table, rows: readonly Row[], fields: readonly string[]): Group[] {
  const groups = new Map<string, { key: Record<string, Value>; rows: Row[] }>();
  for (const row of rows) {
    const key = Object.fromEntries(fields.map((f) => [f, row[f] ?? null]));
    const id = JSON.stringify(fields.map((f) => row[f] ?? null));
    const group = groups.get(id) ?? { key, rows: [] };
    group.rows.push(row);
    groups.set(id, group);
  }
  const byKey = rowComparator(
    table,
    fields.map((f) => [f, 'ASC'] as const),
  );
  return [...groups.values()].sort((a, b) => byKey(a.key, b.key));
}

const present = (rows: readonly Row[], field: string): Value[] => rows.map((r) => r[field] ?? null).filter((v) => v !== null);

/** `sum` as the API returns it: BigInt exact as a string, other numbers as a float, null over no values. */
export function sumOf(table: Table, rows: readonly Row[], field: string): number | string | null {
  const values = present(rows, field);
  if (values.length === 0) return null;
  if (table.fields[field] === 'BigInt') return values.reduce<bigint>((s, v) => s + BigInt(v as string), 0n).toString();
  return values.reduce<number>((s, v) => s + Number(v), 0);
}

/** `avg` over the non-null values, null over none. */
export function avgOf(rows: readonly Row[], field: string): number | null {
  const values = present(rows, field).map(Number);
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
}

/** `min` or `max` over the non-null values, null over none. */
export function extremeOf(table: Table, rows: readonly Row[], field: string, which: 'min' | 'max'): Value {
  const values = present(rows, field);
  const type = table.fields[field]!;
  return values.reduce<Value>((best, v) => (best === null || (which === 'min' ? compareValues(v, best, type) < 0 : compareValues(v, best, type) > 0) ? v : best), null);
}
