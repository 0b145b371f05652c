/**
 * Turns GraphQL arguments into the SQL builder's terms, checking what the type system cannot:
 * sizes of lists and trees, one field per sort key, paging bounds, cursors. Names are looked up in
 * the product's shape, so only contract columns ever reach SQL.
 */
import { BadUserInputError, structIsNull, type FieldShape, type MemberShape, type ProductShape, type StructShape, type ValueShape } from '../../../schema/index.js';
import type { Column, CompareOp, Condition, Direction, ListOp, Sort, SqlValue } from '../sql/index.js';

/** Bounds on what one request may ask for. */
export interface Limits {
  readonly maxLimit: number;
  readonly maxInList: number;
  readonly maxConditions: number;
  readonly maxGroups: number;
}

/** The defaults: a page is at most 1000 rows; use a connection to read more. */
export const DEFAULT_LIMITS: Limits = { maxLimit: 1000, maxInList: 1000, maxConditions: 200, maxGroups: 10_000 };

const COMPARE_OPS = new Set<string>(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike']);

/** The logical types whose column needs its full value type in SQL (a decimal's precision and scale, a list's elements, a struct's members). */
const TYPED = new Set<string>(['decimal', 'list', 'struct']);

/** The column of a field shape. */
export const columnOf = (f: FieldShape): Column => ({ name: f.field.name, type: f.field.type, ...(TYPED.has(f.field.type) && { value: f.field }) });

function checkString(value: SqlValue): SqlValue {
  if (typeof value === 'string' && value.length > 4096) throw new BadUserInputError('A filter value may be at most 4096 characters long.');
  return value;
}

/** Translates a `<Type>Where` input into a condition. */
export function translateWhere(where: unknown, shape: ProductShape, limits: Limits): Condition | undefined {
  if (where === undefined || where === null) return undefined;
  let count = 0;
  const visit = (w: Record<string, unknown>, depth: number): Condition => {
    if (depth > 16) throw new BadUserInputError('A where filter may nest and/or/not at most 16 levels deep.');
    const items: Condition[] = [];
    for (const [name, value] of Object.entries(w)) {
      if (value === undefined || value === null) continue;
      if (name === 'and' || name === 'or') {
        items.push({ kind: name, items: (value as Record<string, unknown>[]).map((v) => visit(v, depth + 1)) });
      } else if (name === 'not') {
        items.push({ kind: 'not', item: visit(value as Record<string, unknown>, depth + 1) });
      } else {
        const field = shape.fieldNamed(name);
        if (!field) throw new BadUserInputError(`Unknown field "${name}" in the ${shape.whereType} filter.`);
        const conditions = fieldConditions(field, value as Record<string, unknown>, limits);
        items.push(...conditions);
        // Each operator of a field filter is a condition of its own: `{ gt, lt, neq }` counts three.
        count += conditions.length - 1;
      }
      if ((count += 1) > limits.maxConditions) throw new BadUserInputError(`A where filter may hold at most ${limits.maxConditions} conditions.`);
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  return visit(where as Record<string, unknown>, 0);
}

/** The conditions of one field's filter: by its value's kind (a scalar or enum, a list, a struct's members). */
function fieldConditions(field: FieldShape, filter: Record<string, unknown>, limits: Limits): Condition[] {
  return valueConditions(field, columnOf(field), field.name, filter, limits);
}

function valueConditions(shape: ValueShape, column: Column, label: string, filter: Record<string, unknown>, limits: Limits): Condition[] {
  if (shape.struct && shape.filter === shape.struct.where) return memberConditions(shape.struct, column, label, filter, limits);
  if (column.type === 'list') return listConditions(column, label, filter, limits);
  return scalarConditions(column, label, filter, limits);
}

/** `address: { country: { eq: "DE" } }`: each member's filter, on the member's path. */
function memberConditions(struct: StructShape, column: Column, label: string, filter: Record<string, unknown>, limits: Limits): Condition[] {
  const out: Condition[] = [];
  for (const [name, value] of Object.entries(filter)) {
    if (value === undefined || value === null) continue;
    const m: MemberShape | undefined = struct.members.find((x) => x.name === name);
    if (!m && name === 'isNull' && structIsNull(struct)) {
      out.push({ kind: 'isNull', column, isNull: value as boolean });
      continue;
    }
    if (!m) throw new BadUserInputError(`Unknown member "${name}" in the ${struct.where} filter.`);
    const member: Column = { name: column.name, type: m.member.type, value: m.member, path: [...(column.path ?? []), m.member.name] };
    out.push(...valueConditions(m, member, `${label}.${m.name}`, value as Record<string, unknown>, limits));
  }
  return out;
}

const LIST_OPS = new Set<string>(['contains', 'containsAny', 'containsAll', 'isEmpty']);

/** `tags: { containsAny: ["a", "b"] }`. */
function listConditions(column: Column, label: string, filter: Record<string, unknown>, limits: Limits): Condition[] {
  const out: Condition[] = [];
  for (const [op, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (op === 'isNull') {
      if (value !== null) out.push({ kind: 'isNull', column, isNull: value as boolean });
    } else if (!LIST_OPS.has(op)) {
      throw new BadUserInputError(`Unknown operator "${op}" on the list field "${label}".`);
    } else if (value === null) {
      throw new BadUserInputError(`"${label}.${op}" needs a value, not null: use isNull for null lists.`);
    } else if (op === 'containsAny' || op === 'containsAll') {
      const values = value as SqlValue[];
      if (values.length > limits.maxInList) throw new BadUserInputError(`"${label}.${op}" may list at most ${limits.maxInList} values.`);
      out.push({ kind: 'list', column, op, values: values.map(checkString) });
    } else {
      out.push({ kind: 'list', column, op: op as ListOp, values: [checkString(value as SqlValue)] });
    }
  }
  return out;
}

/**
 * A decimal filter value must fit the column's DECIMAL(p,s): DuckDB would round extra fraction
 * digits when casting (`eq: "12.345"` would match 12.35) and fail on too many integer digits.
 */
function checkDecimal(column: Column, label: string, value: SqlValue): SqlValue {
  if (column.type !== 'decimal' || typeof value !== 'string') return value;
  const precision = column.value?.precision ?? 18;
  const scale = column.value?.scale ?? 0;
  const [whole = '', fraction = ''] = value.replace(/^[-+]/, '').split('.');
  if (fraction.replace(/0+$/, '').length > scale || whole.replace(/^0+/, '').length > precision - scale) {
    throw new BadUserInputError(
      `"${label}" is a decimal(${precision},${scale}): ${JSON.stringify(value)} does not fit; give at most ${precision - scale} digits before the point and ${scale} after.`,
    );
  }
  return value;
}

function scalarConditions(column: Column, label: string, filter: Record<string, unknown>, limits: Limits): Condition[] {
  const out: Condition[] = [];
  for (const [op, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (op === 'isNull') {
      if (value !== null) out.push({ kind: 'isNull', column, isNull: value as boolean });
    } else if (op === 'in' || op === 'nin') {
      if (value === null) throw new BadUserInputError(`"${label}.${op}" needs a list, not null.`);
      const values = value as SqlValue[];
      if (values.length > limits.maxInList) throw new BadUserInputError(`"${label}.${op}" may list at most ${limits.maxInList} values.`);
      out.push({ kind: 'in', column, negated: op === 'nin', values: values.map((v) => checkDecimal(column, label, checkString(v))) });
    } else if (COMPARE_OPS.has(op)) {
      if (value === null) throw new BadUserInputError(`"${label}.${op}" cannot compare with null: use isNull.`);
      out.push({ kind: 'compare', column, op: op as CompareOp, value: checkDecimal(column, label, checkString(value as SqlValue)) });
    } else {
      throw new BadUserInputError(`Unknown operator "${op}" on field "${label}".`);
    }
  }
  return out;
}

/** Translates `orderBy: [{ field: DIRECTION }]`, one field per item. */
export function translateOrderBy(orderBy: unknown, shape: ProductShape): Sort[] {
  if (!orderBy) return [];
  return (orderBy as Record<string, unknown>[]).map((item, i) => {
    const set = Object.entries(item).filter(([, v]) => v !== null && v !== undefined);
    if (set.length !== 1) throw new BadUserInputError(`orderBy[${i}] must set exactly one field, it sets ${set.length}.`);
    const [name, direction] = set[0]!;
    const field = shape.fieldNamed(name);
    if (!field) throw new BadUserInputError(`Unknown field "${name}" in orderBy[${i}].`);
    if (!field.sortable) throw new BadUserInputError(`orderBy[${i}]: ${shape.label(field.field.name)} is a ${field.field.type} and has no order; sort by a scalar field.`);
    return { column: columnOf(field), direction: direction as Direction };
  });
}

/** Checks a page size: 0 to the configured cap; beyond it the request is refused, never silently cut. */
export function checkPageSize(name: string, value: unknown, limits: Limits): number {
  const n = value === undefined || value === null ? 100 : (value as number);
  if (!Number.isInteger(n) || n < 0 || n > limits.maxLimit) {
    throw new BadUserInputError(
      `"${name}" must be between 0 and ${limits.maxLimit} (the cap on one page), got ${n}; page through larger results with offset or a connection cursor.`,
    );
  }
  return n;
}

/** Checks an offset: a non-negative integer. */
export function checkOffset(value: unknown): number {
  const n = value === undefined || value === null ? 0 : (value as number);
  if (!Number.isInteger(n) || n < 0) throw new BadUserInputError(`"offset" must be zero or more, got ${n}.`);
  return n;
}

const CURSOR_PREFIX = 'mg1:';

/** An opaque cursor for the row at `offset` (0-based). */
export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`).toString('base64url');
}

/** The offset after a cursor; a cursor that meshgate did not make is BAD_USER_INPUT. */
export function decodeCursor(cursor: unknown): number {
  if (cursor === undefined || cursor === null) return 0;
  const text = typeof cursor === 'string' && cursor.length < 64 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const m = /^mg1:(\d{1,12})$/.exec(text);
  if (!m) throw new BadUserInputError('Malformed cursor: pass the endCursor or an edge cursor from a previous page unchanged.');
  return Number(m[1]) + 1;
}
