/** Compiles a granted read into its statements through sql/ (which writes all SQL text): one per read, plus a count for a connection's totalCount. */
import {
  buildAggregate,
  buildCount,
  buildTableProfile,
  buildKeyLookup,
  buildReverseList,
  buildSelect,
  type Column,
  type SelectSpec,
  type SqlQuery,
  type SqlValue,
} from '../sql/index.js';
import type { GrantedRead } from './ReadRequest.js';

/** Where a read runs: the product's current table, its key columns, the columns ending every order, and the cap on groups. */
export interface ReadTarget {
  readonly table: string;
  readonly keys: readonly Column[];
  /** The key, or a keyless product's declared order. */
  readonly order: readonly Column[];
  readonly maxGroups: number;
}

/** The statements of a read: the one returning its rows (none when it asks for no rows), and a connection's count. */
export interface ReadStatements {
  readonly rows?: SqlQuery;
  readonly count?: SqlQuery;
}

/** Builds the statements of `read`; `batch` holds the keys (by key) or parent references (reverse) of one batch, each a tuple in key order. */
export function buildRead(read: GrantedRead, target: ReadTarget, batch: readonly (readonly SqlValue[])[] = []): ReadStatements {
  const spec = (r: Extract<GrantedRead, { orderBy: unknown }>): SelectSpec => ({
    table: target.table,
    columns: r.columns,
    where: r.where,
    orderBy: r.orderBy,
    order: target.order,
  });
  switch (read.kind) {
    case 'list':
      return read.limit === 0 ? {} : { rows: buildSelect(spec(read), read.limit, read.offset) };
    case 'connection':
      return {
        ...(read.page && { rows: buildSelect(spec(read), read.first + 1, read.offset) }),
        ...(read.total && { count: buildCount(target.table, read.where) }),
      };
    case 'byKey':
      return { rows: buildKeyLookup(target.table, read.columns, target.keys, batch, read.where) };
    case 'reverse':
      return read.limit === 0 ? {} : { rows: buildReverseList(spec(read), read.references, batch, read.limit) };
    case 'aggregate':
      return { rows: buildAggregate(target.table, read.groupBy, read.aggregates, read.where, target.maxGroups, read.having) };
    case 'profile':
      return { rows: buildTableProfile(target.table, read.columns, read.where) };
  }
}
