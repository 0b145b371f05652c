/**
 * Serves one product: the list, connection, by-key and aggregate queries, batched entity look-ups
 * and batched reverse lists, and the catalog's sample and profile of it. Every read takes the same four steps: translate the field's arguments
 * and selection into a plain request (read/translateRead.ts), apply the caller's grant to it once
 * (read/applyGrant.ts), build its statements (read/buildRead.ts), run them. Each request costs one
 * parameterised statement per query (plus one count when a connection's totalCount is asked for);
 * batched reads cost one per batch.
 */
import { isObjectType, type GraphQLResolveInfo } from 'graphql';
import { AGGREGATE_FUNCTIONS, BadUserInputError, collectFields, fieldArguments, type AggregateFunction, type ProductShape, type ReverseShape } from '../../../schema/index.js';
import { countRows, type SubgraphContext } from '../context.js';
import type { Row } from '../duckdb/Database.js';
import type { ProductTable } from '../duckdb/ProductTable.js';
import { selectedAt, selectedFields, type Selection } from '../graphql/selection.js';
import { columnOf, encodeCursor, type Limits } from '../graphql/translateArgs.js';
import { matchKey, rowMatchKey, type SqlValue } from '../sql/index.js';
import { applyGrant } from '../read/applyGrant.js';
import { buildRead, type ReadStatements } from '../read/buildRead.js';
import type { Granted, GrantedRead, ReadRequest } from '../read/ReadRequest.js';
import { requestLoader } from '../read/requestLoader.js';
import type { StatementRunner } from '../read/ResultCache.js';
import { observeRead, type SubgraphTelemetry } from '../SubgraphTelemetry.js';
import {
  columnsKey,
  percentileKey,
  translateAggregate,
  translateByKey,
  translateConnection,
  translateList,
  translateProfile,
  translateReverse,
  type AnalystSelection,
  type ReadArgs,
  type ReadContext,
} from '../read/translateRead.js';

/** Everything needed to serve one product. */
export class ProductRuntime {
  /** Reverse lists pointing at this product from the same subgraph, set once the subgraph is assembled. */
  reverse: readonly ReverseShape[] = [];

  constructor(
    readonly shape: ProductShape,
    readonly table: ProductTable,
    /** Runs the statements: through the result cache, or straight on DuckDB when it is off. */
    private readonly runner: StatementRunner,
    readonly limits: Limits,
    /** The secret of keyed-hash masks. */
    private readonly hashKey: string,
    /** Where each read's time, rows and span are reported; absent: nowhere. */
    private readonly telemetry?: SubgraphTelemetry,
  ) {}

  private get rc(): ReadContext {
    return { shape: this.shape, reverse: this.reverse, limits: this.limits };
  }

  /** Applies the request's access context to a read (the one place a read is granted). */
  private grant<R extends ReadRequest>(read: R, ctx: SubgraphContext): Granted<R> {
    return applyGrant(read, ctx.access, this.shape, this.hashKey);
  }

  /** The table this request reads the product from: the version current at its first read, for all its reads. */
  private async tableFor(ctx: SubgraphContext): Promise<string> {
    const name = this.shape.product.name;
    const pinned = ctx.tables.get(name);
    if (pinned) return pinned;
    const table = await this.table.table();
    ctx.tables.set(name, ctx.tables.get(name) ?? table);
    return ctx.tables.get(name)!;
  }

  /**
   * The caller's grant on this product as a text: results are cached and merged under it, so two
   * callers share a result only when their grants are the same (the statement alone could be).
   */
  private grantKey(ctx: SubgraphContext): string {
    if (ctx.access === null) return 'open';
    return JSON.stringify(ctx.access.products[this.shape.product.name] ?? null);
  }

  /** Builds a granted read's statements against the request's version of the product and runs them (rows and count at once). */
  private async run(read: GrantedRead, ctx: SubgraphContext, batch?: readonly (readonly SqlValue[])[]): Promise<{ rows: Row[]; count: number }> {
    const target = { table: await this.tableFor(ctx), keys: this.shape.keys.map(columnOf), order: this.shape.order.map(columnOf), maxGroups: this.limits.maxGroups };
    const statements: ReadStatements = buildRead(read, target, batch);
    const grant = this.grantKey(ctx);
    const ended = observeRead(this.telemetry, ctx, this.shape.product.name, (statements.rows ? 1 : 0) + (statements.count ? 1 : 0));
    const both = Promise.all([
      statements.rows ? this.runner.query(statements.rows, grant) : Promise.resolve([]),
      statements.count ? this.runner.query(statements.count, grant).then((r) => Number(r[0]?.count ?? 0)) : Promise.resolve(0),
    ]);
    if (ended)
      both.then(
        ([rows]) => ended(rows.length),
        () => ended(0, true),
      );
    const [rows, count] = await both;
    return { rows, count };
  }

  /** `orders(where, orderBy, limit, offset)`. */
  async list(args: ReadArgs, ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<Row[]> {
    const read = this.grant(translateList(this.rc, args, selectedFields(info, this.shape.typeName).keys()), ctx);
    const { rows } = await this.run(read, ctx);
    countRows(ctx, this.shape.product.name, rows.length);
    return rows;
  }

  /** `ordersConnection(where, orderBy, first, after)`: offset cursors over a total order. */
  async connection(args: ReadArgs, ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<unknown> {
    const top = new Set(selectedFields(info, this.shape.types.connection).keys());
    const read = this.grant(translateConnection(this.rc, args, top, selectedAt(info, ['edges', 'node'], this.shape.typeName).keys()), ctx);
    const { rows, count } = await this.run(read, ctx);
    const edges = rows.slice(0, read.first).map((node, i) => ({ cursor: encodeCursor(read.offset + i), node }));
    countRows(ctx, this.shape.product.name, edges.length);
    return { totalCount: count, edges, pageInfo: { hasNextPage: rows.length > read.first, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** `order(orderId)`, `orderLine(orderId, lineNumber)`: through the same batched loader as entity look-ups, the key (every column, in key order) chosen by the caller. */
  byKey(key: readonly unknown[], ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<Row | null> {
    return this.lookUp(key, ctx, selectedFields(info, this.shape.typeName), true);
  }

  /** Resolves an entity reference (from the gateway or a local reference) by its key values in key order, batched per request. */
  entity(key: readonly unknown[], ctx: SubgraphContext, selection: Selection): Promise<Row | null> {
    return this.lookUp(key, ctx, selection, false);
  }

  /** A batch's tuples back from the match texts its loader was given (see matchKey). */
  private static tuples(keys: readonly string[], n: number): string[][] {
    return keys.map((k) => (n === 1 ? [k] : (JSON.parse(k) as string[])));
  }

  // Async, so a refusal rejects this one look-up (an error at its path) instead of throwing out of the caller's loop.
  private async lookUp(key: readonly unknown[], ctx: SubgraphContext, selection: Selection, byCaller: boolean): Promise<Row | null> {
    // No entity has a null key column, and a keyless product has no entity at all.
    if (key.length === 0 || key.some((v) => v === null || v === undefined)) return null;
    const n = this.shape.keys.length;
    const read = translateByKey(this.rc, selection.keys(), byCaller);
    const id = `${byCaller ? 'key' : 'entity'}:${this.shape.product.name}:${columnsKey(read.columns)}`;
    const loader = requestLoader<Row | null>(ctx, id, this.limits.maxInList, () => {
      const granted = this.grant(read, ctx);
      return async (keys) => {
        const { rows } = await this.run(granted, ctx, ProductRuntime.tuples(keys, n));
        countRows(ctx, this.shape.product.name, rows.length);
        const byKey = new Map(rows.map((r) => [rowMatchKey(r, n), r]));
        return keys.map((k) => byKey.get(k) ?? null);
      };
    });
    return loader.load(matchKey(key));
  }

  /** A reverse list (`Customer.orders`, `OrderLine.shipmentEvents`): one statement per batch of parents, `limit` rows per parent; `parentKey` holds the parent's key values in key order. */
  async reverseList(r: ReverseShape, parentKey: readonly unknown[], args: ReadArgs, ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<Row[]> {
    if (parentKey.length === 0 || parentKey.some((v) => v === null || v === undefined)) return [];
    const n = r.reference.from.length;
    const selection = selectedFields(info, this.shape.typeName);
    const read = translateReverse(this.rc, r, args, selection.keys());
    const id = `reverse:${r.name}:${this.shape.product.name}:${columnsKey(read.columns)}:${JSON.stringify([args.where, args.orderBy, read.limit])}`;
    const loader = requestLoader<Row[]>(ctx, id, this.limits.maxInList, () => {
      const granted = this.grant(read, ctx);
      return async (parents) => {
        const { rows } = await this.run(granted, ctx, ProductRuntime.tuples(parents, n));
        countRows(ctx, this.shape.product.name, rows.length);
        const groups = new Map<string, Row[]>(parents.map((p) => [p, []]));
        for (const row of rows) groups.get(rowMatchKey(row, n))?.push(row);
        return parents.map((p) => groups.get(p)!);
      };
    });
    return loader.load(matchKey(parentKey));
  }

  /** The catalog's sample: the first `limit` rows by key of the fields named (GraphQL names), read exactly as a list query would read them. */
  async sample(fields: readonly string[], limit: number, ctx: SubgraphContext): Promise<Row[]> {
    const read = this.grant(translateList(this.rc, { limit }, fields), ctx);
    const { rows } = await this.run(read, ctx);
    countRows(ctx, this.shape.product.name, rows.length);
    return rows;
  }

  private readonly profiles = new Map<string, Promise<Row[]>>();
  private profiledTable = '';

  /**
   * The profile of `columns` (contract column names) over the rows the caller may read (their row
   * policy applies): rows, and per column its nulls, distinct values, and min and max. Profiling is
   * aggregating, so a column the caller reads masked or not at all is refused. One pass per
   * version, row policy and column set, kept until the version changes.
   */
  async profile(columns: Iterable<string>, ctx: SubgraphContext): Promise<ProfileFigures> {
    const read = this.grant(translateProfile(this.rc, columns), ctx);
    const table = await this.tableFor(ctx);
    // Keyed by everything the figures depend on: the version, the row policy and the columns (their aliases are positions).
    const key = JSON.stringify([read.where, read.columns.map((c) => c.name)]);
    if (table !== this.profiledTable || this.profiles.size >= 64) {
      this.profiles.clear();
      this.profiledTable = table;
    }
    let pending = this.profiles.get(key);
    if (!pending) {
      pending = this.run(read, ctx).then((r) => r.rows);
      pending.catch(() => this.profiles.delete(key));
      this.profiles.set(key, pending);
    }
    const [row = {}] = await pending;
    const figures = new Map<string, ColumnFigures>();
    read.columns.forEach((c, i) =>
      figures.set(c.name, {
        nulls: Number(row[`n${i}`] ?? 0),
        distinct: Number(row[`d${i}`] ?? 0),
        min: (row[`lo${i}`] as string | null | undefined) ?? null,
        max: (row[`hi${i}`] as string | null | undefined) ?? null,
      }),
    );
    return { version: this.table.manifestOf(table)?.version ?? this.table.version, rows: Number(row.rows ?? 0), columns: figures };
  }

  /** `ordersAggregate(where, groupBy) { key {..} count sum {..} avg {..} min {..} max {..} }`: one grouped statement. */
  async aggregate(args: ReadArgs, ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<unknown[]> {
    const top = selectedFields(info, this.shape.types.group);
    const byFunction: Partial<Record<AggregateFunction, Iterable<string>>> = {};
    for (const fn of AGGREGATE_FUNCTIONS) if (top.has(fn)) byFunction[fn] = selectedAt(info, [fn], this.shape.types.aggregates[fn]).keys();
    const t = this.shape.types;
    const more: AnalystSelection = {
      countDistinct: top.has('countDistinct') ? selectedAt(info, ['countDistinct'], t.distinct).keys() : [],
      median: top.has('median') ? selectedAt(info, ['median'], t.quantiles).keys() : [],
      percentiles: top.has('percentile') ? percentileSelections(info, t.group, t.quantiles) : [],
      measures: this.shape.measures.filter((m) => top.has(m.name)).map((m) => m.name),
    };
    const read = this.grant(translateAggregate(this.rc, args, byFunction, more), ctx);
    const { rows } = await this.run(read, ctx);
    const max = this.limits.maxGroups;
    countRows(ctx, this.shape.product.name, Math.min(rows.length, max));
    if (rows.length > max) throw new BadUserInputError(`The grouping yields more than ${max} groups; group by fewer fields or narrow the where filter.`);
    const percentiles = (read.percentiles ?? []).map((q) => percentileKey(q.p, q.discrete));
    return rows.map((row) => toGroup(row, percentiles));
  }
}

/** The profile figures of one column, over the rows the caller may read. */
export interface ColumnFigures {
  readonly nulls: number;
  readonly distinct: number;
  /** The smallest and largest value of an ordered column, as DuckDB's text; null for other columns or without rows. */
  readonly min: string | null;
  readonly max: string | null;
}

/** A profile of the served version over the rows the caller may read, per column profiled (by column name). */
export interface ProfileFigures {
  readonly version: string;
  readonly rows: number;
  readonly columns: ReadonlyMap<string, ColumnFigures>;
}

/** Each `percentile(p, discrete)` selected on the aggregate's groups (aliases may ask for several), with the fields selected under it. */
function percentileSelections(info: GraphQLResolveInfo, groupType: string, quantilesType: string): NonNullable<AnalystSelection['percentiles']> {
  const scope = { fragments: info.fragments, variables: info.variableValues };
  const type = info.schema.getType(groupType);
  const def = isObjectType(type) ? type.getFields().percentile : undefined;
  if (!def) return [];
  const nodes = collectFields(
    info.fieldNodes.map((n) => n.selectionSet),
    groupType,
    scope,
  ).filter((c) => c.node.name.value === 'percentile');
  return nodes.map(({ node }) => {
    const args = fieldArguments(def, node, scope.variables);
    const fields = collectFields([node.selectionSet], quantilesType, scope).map((c) => c.node.name.value);
    return { p: args.p, discrete: args.discrete, fields };
  });
}

/**
 * Shapes a grouped row (`key.country`, `__count`, `sum.totalAmount`, `measure.revenue`,
 * `percentile.0.totalAmount`, ...) as a `<Type>Group` object; `percentiles` names the
 * (p, discrete) pair each percentile alias number stands for. A percentile is a function of its
 * arguments, which GraphQL's default resolver calls, so aliases asking for different p each get theirs.
 */
function toGroup(row: Row, percentiles: readonly string[]): Record<string, unknown> {
  const parts: Record<string, Record<string, unknown>> = { key: {}, sum: {}, avg: {}, min: {}, max: {}, countDistinct: {}, median: {} };
  const byPercentile = percentiles.map(() => ({}) as Record<string, unknown>);
  const group: Record<string, unknown> = { count: Number(row.__count) };
  for (const [alias, value] of Object.entries(row)) {
    const dot = alias.indexOf('.');
    if (dot <= 0) continue;
    const head = alias.slice(0, dot);
    const rest = alias.slice(dot + 1);
    if (head === 'measure') group[rest] = value;
    else if (head === 'percentile') {
      const at = rest.indexOf('.');
      byPercentile[Number(rest.slice(0, at))]![rest.slice(at + 1)] = value;
    } else if (parts[head]) parts[head][rest] = head === 'countDistinct' ? Number(value) : value;
  }
  const keyed = new Map(percentiles.map((k, i) => [k, byPercentile[i]!]));
  return { ...parts, ...group, percentile: (args: { p: number; discrete?: boolean }) => keyed.get(percentileKey(args.p, args.discrete === true)) ?? {} };
}
