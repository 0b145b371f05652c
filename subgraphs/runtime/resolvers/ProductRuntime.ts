/**
 * Serves one product: the list, connection, by-key and aggregate queries, batched entity look-ups
 * and batched reverse lists. Each request becomes one parameterised statement per query (plus one
 * count when a connection's totalCount is asked for).
 */
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { ProductShape, ReverseShape } from '../../../schema/index.js';
import { countRows, type SubgraphContext } from '../context.js';
import type { Database, Row } from '../duckdb/Database.js';
import type { ProductTable } from '../duckdb/ProductTable.js';
import { selectedAt, selectedFields } from '../graphql/selection.js';
import { checkOffset, checkPageSize, columnOf, decodeCursor, encodeCursor, translateOrderBy, translateWhere, type Limits } from '../graphql/translateArgs.js';
import { allOf, buildCount, buildKeyLookup, buildReverseList, buildSelect, MATCH_ALIAS, type Condition, type Selected, type SelectSpec } from '../sql/index.js';
import { conditionColumns, grantFor, maskColumns, refuseRevealing, rowCondition, sortColumns } from './enforce.js';
import { columnsFor, columnsKey } from './columns.js';
import { aggregate } from './aggregate.js';

/** Arguments of the list and connection fields. */
export interface ListArgs {
  readonly where?: unknown;
  readonly orderBy?: unknown;
  readonly limit?: number;
  readonly offset?: number;
  readonly first?: number;
  readonly after?: string;
  readonly groupBy?: readonly string[];
}

/** Everything needed to serve one product. */
export class ProductRuntime {
  /** Reverse lists pointing at this product from the same subgraph, set once the subgraph is assembled. */
  reverse: readonly ReverseShape[] = [];

  constructor(
    readonly shape: ProductShape,
    readonly table: ProductTable,
    readonly db: Database,
    readonly limits: Limits,
    /** The secret of keyed-hash masks. */
    private readonly hashKey: string,
  ) {}

  /** The row policy of this request for this product, from the gateway's access context. */
  rowFilter(ctx: SubgraphContext): Condition | undefined {
    const grant = grantFor(ctx, this.shape);
    return grant?.rows ? rowCondition(grant.rows, this.shape) : undefined;
  }

  /**
   * The select spec for a caller's where and orderBy: masks on the columns, the row policy AND-ed
   * around the caller's filter (an `or` of the caller cannot widen it), and no filter or sort on a
   * column the caller sees masked.
   */
  async spec(ctx: SubgraphContext, columns: readonly Selected[], args: ListArgs): Promise<SelectSpec> {
    const grant = grantFor(ctx, this.shape);
    const where = translateWhere(args.where, this.shape, this.limits);
    refuseRevealing(grant, this.shape, 'Filtering on', conditionColumns(where));
    const orderBy = translateOrderBy(args.orderBy, this.shape);
    refuseRevealing(grant, this.shape, 'Sorting by', sortColumns(orderBy));
    return {
      table: await this.table.table(),
      columns: maskColumns(grant, columns, this.shape, this.hashKey),
      where: allOf(grant?.rows ? rowCondition(grant.rows, this.shape) : undefined, where),
      orderBy,
      key: columnOf(this.shape.key),
    };
  }

  /** `orders(where, orderBy, limit, offset)`. */
  async list(args: ListArgs, ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<Row[]> {
    const limit = checkPageSize('limit', args.limit, this.limits);
    const offset = checkOffset(args.offset);
    const spec = await this.spec(ctx, columnsFor(this.shape, selectedFields(info, this.shape.typeName), this.reverse), args);
    const rows = limit === 0 ? [] : await this.db.query(buildSelect(spec, limit, offset));
    countRows(ctx, this.shape.product.name, rows.length);
    return rows;
  }

  /** `ordersConnection(where, orderBy, first, after)`: offset cursors over a total order. */
  async connection(args: ListArgs, ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<unknown> {
    const first = checkPageSize('first', args.first, this.limits);
    const offset = decodeCursor(args.after);
    const top = selectedFields(info, `${this.shape.typeName}Connection`);
    const columns = columnsFor(this.shape, selectedAt(info, ['edges', 'node'], this.shape.typeName), this.reverse);
    const spec = await this.spec(ctx, columns, args);
    const [rows, total] = await Promise.all([
      top.has('edges') || top.has('pageInfo') ? this.db.query(buildSelect(spec, first + 1, offset)) : Promise.resolve([]),
      top.has('totalCount') ? this.db.query(buildCount(spec.table, spec.where)).then((r) => Number(r[0]?.count ?? 0)) : Promise.resolve(0),
    ]);
    const edges = rows.slice(0, first).map((node, i) => ({ cursor: encodeCursor(offset + i), node }));
    countRows(ctx, this.shape.product.name, edges.length);
    return { totalCount: total, edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  /** `order(orderId)`: through the same batched loader as entity look-ups. */
  byKey(key: string, ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<Row | null> {
    refuseRevealing(grantFor(ctx, this.shape), this.shape, 'Looking up by', [columnOf(this.shape.key)]);
    return this.entity(key, ctx, selectedFields(info, this.shape.typeName));
  }

  /** Resolves an entity reference (from the gateway or a local reference), batched per request. */
  entity(key: unknown, ctx: SubgraphContext, selection: ReturnType<typeof selectedFields>): Promise<Row | null> {
    if (key === null || key === undefined) return Promise.resolve(null);
    const columns = columnsFor(this.shape, selection, this.reverse);
    const id = `entity:${this.shape.product.name}:${columnsKey(columns)}`;
    let loader = ctx.loaders.get(id) as DataLoader<string, Row | null> | undefined;
    if (!loader) {
      loader = new DataLoader<string, Row | null>((keys) => this.lookup(ctx, columns, keys), { maxBatchSize: this.limits.maxInList });
      ctx.loaders.set(id, loader as DataLoader<string, Row | Row[] | null>);
    }
    return loader.load(String(key));
  }

  private async lookup(ctx: SubgraphContext, columns: readonly Selected[], keys: readonly string[]): Promise<(Row | null)[]> {
    const key = columnOf(this.shape.key);
    const grant = grantFor(ctx, this.shape);
    const masked = maskColumns(grant, columns, this.shape, this.hashKey);
    const rows = await this.db.query(buildKeyLookup(await this.table.table(), masked, key, keys, allOf(this.rowFilter(ctx))));
    countRows(ctx, this.shape.product.name, rows.length);
    const byKey = new Map(rows.map((r) => [String(r[MATCH_ALIAS]), r]));
    return keys.map((k) => byKey.get(k) ?? null);
  }

  /** A reverse list (`Customer.orders`): one statement per batch of parents, `limit` rows per parent. */
  reverseList(r: ReverseShape, parentKey: unknown, args: ListArgs, ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<Row[]> {
    if (parentKey === null || parentKey === undefined) return Promise.resolve([]);
    const limit = checkPageSize('limit', args.limit, this.limits);
    const columns = columnsFor(this.shape, selectedFields(info, this.shape.typeName), this.reverse);
    const id = `reverse:${r.name}:${this.shape.product.name}:${columnsKey(columns)}:${JSON.stringify([args.where, args.orderBy, limit])}`;
    let loader = ctx.loaders.get(id) as DataLoader<string, Row[]> | undefined;
    if (!loader) {
      loader = new DataLoader<string, Row[]>(async (parents) => {
        const rows = limit === 0 ? [] : await this.db.query(buildReverseList(await this.spec(ctx, columns, args), columnOf(r.reference.from), parents, limit));
        countRows(ctx, this.shape.product.name, rows.length);
        const groups = new Map<string, Row[]>(parents.map((p) => [p, []]));
        for (const row of rows) groups.get(String(row[MATCH_ALIAS]))?.push(row);
        return parents.map((p) => groups.get(p)!);
      }, { maxBatchSize: this.limits.maxInList });
      ctx.loaders.set(id, loader as DataLoader<string, Row | Row[] | null>);
    }
    return loader.load(String(parentKey));
  }

  /** `ordersAggregate(where, groupBy)`. */
  async aggregate(args: ListArgs, ctx: SubgraphContext, info: GraphQLResolveInfo): Promise<unknown[]> {
    return aggregate(this, args, ctx, info);
  }
}
