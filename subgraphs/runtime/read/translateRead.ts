/**
 * Turns a GraphQL field's arguments and selection into a {@link ReadRequest}: names are looked up in
 * the product's shape (so only contract columns reach SQL) and what the type system cannot check is
 * checked here (page bounds, cursors, sizes of filters, one field per sort key). Selections arrive
 * as the field names selected, so this is plain data in, plain data out.
 */
import {
  AGGREGATE_FUNCTIONS,
  BadUserInputError,
  type AggregateFunction,
  type FieldShape,
  type LogicalType,
  type MeasureShape,
  type ProductShape,
  type ReverseShape,
} from '../../../schema/index.js';
import type { Aggregate, AggregateFn, BucketUnit, Column, CompareOp, Condition, GroupColumn, Selected } from '../sql/index.js';
import { rowCondition } from './applyGrant.js';
import { checkOffset, checkPageSize, columnOf, decodeCursor, translateOrderBy, translateWhere, type Limits } from '../graphql/translateArgs.js';
import type { AggregateRead, ByKeyRead, ConnectionRead, ListRead, ProfileRead, ReverseRead } from './ReadRequest.js';

/** The arguments of the generated query fields and reverse lists. */
export interface ReadArgs {
  readonly where?: unknown;
  readonly orderBy?: unknown;
  readonly limit?: number;
  readonly offset?: number;
  readonly first?: number;
  readonly after?: string;
  readonly groupBy?: readonly string[];
  readonly buckets?: readonly { readonly field: string; readonly unit: string }[];
  readonly having?: Readonly<Record<string, unknown>>;
}

/** What an aggregate's selection asks for beyond sum, avg, min and max (GraphQL field names). */
export interface AnalystSelection {
  readonly countDistinct?: Iterable<string>;
  readonly median?: Iterable<string>;
  /** Each `percentile(p, discrete)` field selected, with the fields selected under it. */
  readonly percentiles?: readonly { readonly p: unknown; readonly discrete?: unknown; readonly fields: Iterable<string> }[];
  /** The measures selected. */
  readonly measures?: Iterable<string>;
}

/** At most this many different percentiles in one aggregate query: each is a sort of the group's values. */
export const MAX_PERCENTILES = 10;

/** What translation needs of the product besides its shape: the reverse lists on its type (they read no column of it) and the bounds. */
export interface ReadContext {
  readonly shape: ProductShape;
  readonly reverse: readonly ReverseShape[];
  readonly limits: Limits;
}

/** The columns a selection needs: its data fields, the columns behind its references, and always the key, in contract order. */
export function columnsFor(rc: ReadContext, selected: Iterable<string>): Selected[] {
  const { shape } = rc;
  const wanted = new Set<string>(shape.keys.map((k) => k.name));
  for (const name of selected) {
    const ref = shape.referenceNamed(name);
    if (ref) for (const f of ref.from) wanted.add(f.name);
    else if (!rc.reverse.some((r) => r.name === name)) wanted.add(name);
  }
  return shape.fields.filter((f) => wanted.has(f.name)).map((f) => ({ column: columnOf(f), as: f.name }));
}

/** A stable text naming a column set, for loader keys. */
export const columnsKey = (columns: readonly Selected[]): string => columns.map((c) => c.as).join(',');

/** `orders(where, orderBy, limit, offset)` selecting `selected` on each row. */
export function translateList(rc: ReadContext, args: ReadArgs, selected: Iterable<string>): ListRead {
  const limit = checkPageSize('limit', args.limit, rc.limits);
  const offset = checkOffset(args.offset);
  return {
    kind: 'list',
    columns: columnsFor(rc, selected),
    where: translateWhere(args.where, rc.shape, rc.limits),
    orderBy: translateOrderBy(args.orderBy, rc.shape),
    limit,
    offset,
  };
}

/** `ordersConnection(where, orderBy, first, after)`: `top` is what the connection selects, `node` what its edges' nodes select. */
export function translateConnection(rc: ReadContext, args: ReadArgs, top: ReadonlySet<string>, node: Iterable<string>): ConnectionRead {
  const first = checkPageSize('first', args.first, rc.limits);
  const offset = decodeCursor(args.after);
  return {
    kind: 'connection',
    columns: columnsFor(rc, node),
    where: translateWhere(args.where, rc.shape, rc.limits),
    orderBy: translateOrderBy(args.orderBy, rc.shape),
    first,
    offset,
    page: top.has('edges') || top.has('pageInfo'),
    total: top.has('totalCount'),
  };
}

/** A look-up by key selecting `selected`; `byCaller` when the caller named the key (`order(orderId)`), not a reference. */
export function translateByKey(rc: ReadContext, selected: Iterable<string>, byCaller: boolean): ByKeyRead {
  return { kind: 'byKey', columns: columnsFor(rc, selected), where: undefined, byCaller };
}

/** A reverse list `r` (`Customer.orders(where, orderBy, limit)`) of this product's rows. */
export function translateReverse(rc: ReadContext, r: ReverseShape, args: ReadArgs, selected: Iterable<string>): ReverseRead {
  const limit = checkPageSize('limit', args.limit, rc.limits);
  return {
    kind: 'reverse',
    columns: columnsFor(rc, selected),
    where: translateWhere(args.where, rc.shape, rc.limits),
    orderBy: translateOrderBy(args.orderBy, rc.shape),
    references: r.reference.from.map(columnOf),
    limit,
  };
}

/** The key of a percentile's (p, discrete) pair, as its resolver finds its values. */
export const percentileKey = (p: number, discrete: boolean): string => `${discrete ? 'disc' : 'cont'}:${p}`;

/** A measure as the SQL builder's aggregate: its function over its column, only over the rows its filter matches. */
function measureAggregate(shape: ProductShape, m: MeasureShape, as: string): Aggregate {
  const c = m.measure;
  const f = c.column === undefined ? undefined : shape.fieldOfColumn(c.column);
  return {
    fn: c.aggregate,
    ...(f && { column: columnOf(f), ...(f.field.scale !== undefined && { scale: f.field.scale }) }),
    as,
    ...(c.filter && { filter: rowCondition(c.filter, shape) }),
    measure: m.name,
  };
}

/** An aggregate of `fn` over the field `f`, under the alias `as`. */
const aggregateOf = (fn: AggregateFn, f: FieldShape, as: string): Aggregate => ({ fn, column: columnOf(f), as, ...(f.field.scale !== undefined && { scale: f.field.scale }) });

const HAVING_OPS = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']);

/** The conditions of one `having` filter (`{ gt: 10 }`) on the aggregate aliased `alias`, whose values are of `type`. */
function havingConditions(label: string, alias: string, type: LogicalType, filter: Record<string, unknown>, limits: Limits): Condition[] {
  const column: Column = { name: alias, type };
  const out: Condition[] = [];
  for (const [op, value] of Object.entries(filter ?? {})) {
    if (value === undefined) continue;
    if (op === 'isNull') {
      if (value !== null) out.push({ kind: 'isNull', column, isNull: value as boolean });
    } else if (op === 'in' || op === 'nin') {
      if (value === null) throw new BadUserInputError(`"having.${label}.${op}" needs a list, not null.`);
      const values = value as (string | number)[];
      if (values.length > limits.maxInList) throw new BadUserInputError(`"having.${label}.${op}" may list at most ${limits.maxInList} values.`);
      out.push({ kind: 'in', column, negated: op === 'nin', values });
    } else if (HAVING_OPS.has(op)) {
      if (value === null) throw new BadUserInputError(`"having.${label}.${op}" cannot compare with null: use isNull.`);
      out.push({ kind: 'compare', column, op: op as CompareOp, value: value as string | number });
    } else {
      throw new BadUserInputError(`Unknown operator "${op}" in having.${label}.`);
    }
  }
  return out;
}

/** The logical type of an aggregate's value, for binding what `having` compares it with. */
function valueType(fn: AggregateFn, f: FieldShape | undefined): LogicalType {
  if (fn === 'count' || fn === 'countDistinct') return 'bigint';
  if (!f) return 'double';
  if (fn === 'min' || fn === 'max') return f.field.type;
  return f.field.type === 'decimal' ? 'decimal' : 'double';
}

/**
 * The `having` filter as a condition on aliases of aggregates computed for it (`__h<n>`, never part
 * of the answer), which it appends to `aggregates`: only aggregates of contract fields and measures
 * reach SQL, so the access rules see each of them.
 */
function translateHaving(shape: ProductShape, having: Readonly<Record<string, unknown>> | undefined, aggregates: Aggregate[], limits: Limits): Condition | undefined {
  if (!having) return undefined;
  const items: Condition[] = [];
  const add = (label: string, a: Omit<Aggregate, 'as'>, type: LogicalType, filter: unknown): void => {
    if (filter === null || filter === undefined) return;
    const as = `__h${aggregates.length}`;
    aggregates.push({ ...a, as });
    items.push(...havingConditions(label, as, type, filter as Record<string, unknown>, limits));
  };
  for (const [name, value] of Object.entries(having)) {
    if (value === null || value === undefined) continue;
    if (name === 'count') add('count', { fn: 'count' }, 'bigint', value);
    else if (name === 'sum' || name === 'avg' || name === 'countDistinct') {
      for (const [fieldName, filter] of Object.entries(value as Record<string, unknown>)) {
        const f = shape.fieldNamed(fieldName);
        if (!f) throw new BadUserInputError(`Unknown field "${fieldName}" in having.${name}.`);
        const { as: _as, ...a } = aggregateOf(name, f, '');
        add(`${name}.${fieldName}`, a, valueType(name, f), filter);
      }
    } else {
      const m = shape.measureNamed(name);
      if (!m) throw new BadUserInputError(`Unknown measure "${name}" in having.`);
      const { as: _as, ...a } = measureAggregate(shape, m, '');
      add(name, a, valueType(m.measure.aggregate, m.measure.column === undefined ? undefined : shape.fieldOfColumn(m.measure.column)), value);
    }
  }
  if (items.length > limits.maxConditions) throw new BadUserInputError(`A having filter may hold at most ${limits.maxConditions} conditions.`);
  return items.length === 0 ? undefined : items.length === 1 ? items[0] : { kind: 'and', items };
}

const UNITS: Readonly<Record<string, BucketUnit>> = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter', YEAR: 'year' };

/** The grouped-by fields and time buckets: each field once, under its `key.<field>` alias (a bucket's key is its start). */
function translateGroups(shape: ProductShape, args: ReadArgs): GroupColumn[] {
  const out: GroupColumn[] = [];
  const seen = new Set<string>();
  for (const e of new Set(args.groupBy ?? [])) {
    const f = shape.fieldOfEnum(e);
    if (!f) throw new BadUserInputError(`Unknown groupBy field "${e}".`);
    seen.add(f.name);
    out.push({ column: columnOf(f), as: `key.${f.name}`, ...(f.field.type === 'list' && { elements: true }) });
  }
  for (const b of args.buckets ?? []) {
    const f = shape.timeFields.find((t) => t.enumValue === b.field);
    if (!f) throw new BadUserInputError(`Unknown bucket field "${b.field}": name a date or timestamp field of ${shape.types.timeField}.`);
    const unit = UNITS[b.unit];
    if (!unit) throw new BadUserInputError(`Unknown bucket unit "${b.unit}": use one of ${Object.keys(UNITS).join(', ')}.`);
    if (seen.has(f.name))
      throw new BadUserInputError(`${b.field} is grouped more than once: name it in groupBy or in one bucket, since the group's key.${f.name} holds one value.`);
    if (unit === 'hour' && f.field.type === 'date') throw new BadUserInputError(`${b.field} is a date, which has no hours: bucket it by DAY or a longer unit.`);
    seen.add(f.name);
    out.push({ column: columnOf(f), as: `key.${f.name}`, unit });
  }
  return out;
}

/**
 * `ordersAggregate(where, groupBy, buckets, having)`: `byFunction` names the fields selected under
 * each of sum, avg, min and max, `more` the distinct counts, quantiles and measures selected.
 */
export function translateAggregate(
  rc: ReadContext,
  args: ReadArgs,
  byFunction: Readonly<Partial<Record<AggregateFunction, Iterable<string>>>>,
  more: AnalystSelection = {},
): AggregateRead {
  const { shape } = rc;
  const groupBy = translateGroups(shape, args);
  const aggregates: Aggregate[] = [];
  for (const fn of AGGREGATE_FUNCTIONS) {
    for (const name of byFunction[fn] ?? []) {
      const f = shape.fieldNamed(name);
      if (f) aggregates.push(aggregateOf(fn, f, `${fn}.${f.name}`));
    }
  }
  for (const name of more.countDistinct ?? []) {
    const f = shape.distinctFields.find((x) => x.name === name);
    if (f) aggregates.push(aggregateOf('countDistinct', f, `countDistinct.${f.name}`));
  }
  for (const name of more.median ?? []) {
    const f = shape.quantileFields.find((x) => x.name === name);
    if (f) aggregates.push(aggregateOf('median', f, `median.${f.name}`));
  }
  const percentiles: { p: number; discrete: boolean }[] = [];
  for (const sel of more.percentiles ?? []) {
    const p = sel.p;
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1)
      throw new BadUserInputError(`percentile(p: ${String(p)}): p must be between 0 and 1, e.g. 0.9 for the 90th percentile.`);
    const discrete = sel.discrete === true;
    let i = percentiles.findIndex((x) => x.p === p && x.discrete === discrete);
    if (i < 0) {
      if (percentiles.length >= MAX_PERCENTILES) throw new BadUserInputError(`An aggregate query may ask for at most ${MAX_PERCENTILES} different percentiles.`);
      i = percentiles.push({ p, discrete }) - 1;
    }
    for (const name of sel.fields) {
      const f = shape.quantileFields.find((x) => x.name === name);
      if (f && !aggregates.some((a) => a.as === `percentile.${i}.${f.name}`)) aggregates.push({ ...aggregateOf('percentile', f, `percentile.${i}.${f.name}`), p, discrete });
    }
  }
  for (const name of new Set(more.measures ?? [])) {
    const m = shape.measureNamed(name);
    if (m) aggregates.push(measureAggregate(shape, m, `measure.${m.name}`));
  }
  const having = translateHaving(shape, args.having, aggregates, rc.limits);
  return {
    kind: 'aggregate',
    where: translateWhere(args.where, shape, rc.limits),
    groupBy,
    aggregates,
    ...(having && { having }),
    ...(percentiles.length && { percentiles }),
  };
}

/** The catalog's profile of the columns named (contract column names, in contract order; an unknown name is left out). */
export function translateProfile(rc: ReadContext, columns: Iterable<string>): ProfileRead {
  const wanted = new Set(columns);
  return { kind: 'profile', where: undefined, columns: rc.shape.fields.filter((f) => wanted.has(f.field.name)).map((f) => ({ ...columnOf(f), ordered: f.ordered })) };
}
