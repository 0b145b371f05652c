/**
 * A read as plain data: what a GraphQL field asks of one product, translated from its arguments and
 * selection before anything is enforced or any SQL is written. Each read kind (the five of the generated fields, and the catalog's profile) goes
 * through the same three steps: `translateRead` makes a request, `applyGrant` applies the caller's
 * grant to it (masks, row policy, refusals), `buildRead` turns the granted request into statements.
 * Keys of a batched read (entity look-ups, reverse lists) arrive at build time, one batch at a time.
 */
import type { Aggregate, Column, Condition, GroupColumn, Selected, Sort } from '../sql/index.js';

/** What a row-returning read selects, filters and sorts by. */
interface RowsRead {
  /** The columns to read, each under the GraphQL field name the result row carries. */
  readonly columns: readonly Selected[];
  /** The caller's `where`, if any. */
  readonly where: Condition | undefined;
  readonly orderBy: readonly Sort[];
}

/** `orders(where, orderBy, limit, offset)`. */
export interface ListRead extends RowsRead {
  readonly kind: 'list';
  readonly limit: number;
  readonly offset: number;
}

/** `ordersConnection(where, orderBy, first, after)`: a page of `first` rows after `offset`, and what of it is selected. */
export interface ConnectionRead extends RowsRead {
  readonly kind: 'connection';
  readonly first: number;
  readonly offset: number;
  /** Whether edges or pageInfo are selected (they need the page). */
  readonly page: boolean;
  /** Whether totalCount is selected (it needs a count). */
  readonly total: boolean;
}

/** Rows by key, batched: `order(orderId)` (the caller names the key) or an entity reference (another row names it). */
export interface ByKeyRead {
  readonly kind: 'byKey';
  readonly columns: readonly Selected[];
  readonly where: undefined;
  /** The caller chose the key, so the look-up reveals it like a filter would. */
  readonly byCaller: boolean;
}

/** A reverse list (`Customer.orders`), batched over parents: at most `limit` rows per parent. */
export interface ReverseRead extends RowsRead {
  readonly kind: 'reverse';
  /** The columns of the rows that point at the parent (several for a composite key), in the parent's key order. */
  readonly references: readonly Column[];
  readonly limit: number;
}

/** `ordersAggregate(where, groupBy, buckets, having)`, with the aggregates its selection (and its `having`) asks for. */
export interface AggregateRead {
  readonly kind: 'aggregate';
  readonly where: Condition | undefined;
  /** The grouped-by fields and the time buckets, each under its `key.<field>` alias. */
  readonly groupBy: readonly GroupColumn[];
  /** Every aggregate computed: those selected, and those only `having` reads (aliased `__h<n>`, left out of the answer). */
  readonly aggregates: readonly Aggregate[];
  /** A condition on the aggregates' aliases (SQL HAVING). */
  readonly having?: Condition;
  /** The (distinct p, discrete) pairs of the `percentile` fields selected, in the order their aliases number them. */
  readonly percentiles?: readonly { readonly p: number; readonly discrete: boolean }[];
}

/** The catalog's column profile of the rows the caller may read (nulls, distinct values, min and max per column). */
export interface ProfileRead {
  readonly kind: 'profile';
  readonly where: undefined;
  /** The columns profiled, each with whether min and max make sense for it. */
  readonly columns: readonly (Column & { readonly ordered: boolean })[];
}

/** Any read of one product. */
export type ReadRequest = ListRead | ConnectionRead | ByKeyRead | ReverseRead | AggregateRead | ProfileRead;

/** A read with the caller's grant applied: masked columns, and `where` the caller's filter AND-ed inside the row policy. */
export type Granted<R extends ReadRequest> = R extends ReadRequest ? Omit<R, 'where'> & { readonly where: Condition } : never;

/** Any granted read. */
export type GrantedRead = Granted<ReadRequest>;
