/**
 * Turns a GraphQL field's arguments and selection into a {@link ReadRequest}: names are looked up in
 * the product's shape (so only contract columns reach SQL) and what the type system cannot check is
 * checked here (page bounds, cursors, sizes of filters, one field per sort key). Selections arrive
 * as the field names selected, so this is plain data in, plain data out.
 */
import { AGGREGATE_FUNCTIONS, BadUserInputError, type AggregateFunction, type ProductShape, type ReverseShape } from '../../../schema/index.js';
import type { Aggregate, Selected } from '../sql/index.js';
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
}

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

/** `ordersAggregate(where, groupBy)`: `byFunction` names the fields selected under each of sum, avg, min and max. */
export function translateAggregate(rc: ReadContext, args: ReadArgs, byFunction: Readonly<Partial<Record<AggregateFunction, Iterable<string>>>>): AggregateRead {
  const { shape } = rc;
  const groupBy: Selected[] = [...new Set(args.groupBy ?? [])].map((e) => {
    const f = shape.fieldOfEnum(e);
    if (!f) throw new BadUserInputError(`Unknown groupBy field "${e}".`);
    return { column: columnOf(f), as: `key.${f.name}` };
  });
  const aggregates: Aggregate[] = [];
  for (const fn of AGGREGATE_FUNCTIONS) {
    for (const name of byFunction[fn] ?? []) {
      const f = shape.fieldNamed(name);
      if (f) aggregates.push({ fn, column: columnOf(f), as: `${fn}.${f.name}` });
    }
  }
  return { kind: 'aggregate', where: translateWhere(args.where, shape, rc.limits), groupBy, aggregates };
}

/** The catalog's profile of the columns named (contract column names, in contract order; an unknown name is left out). */
export function translateProfile(rc: ReadContext, columns: Iterable<string>): ProfileRead {
  const wanted = new Set(columns);
  return { kind: 'profile', where: undefined, columns: rc.shape.fields.filter((f) => wanted.has(f.field.name)).map((f) => ({ ...columnOf(f), ordered: f.ordered })) };
}
