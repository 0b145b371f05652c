/**
 * Usage of each product from the access log, the governance domain's own product: answered and
 * refused requests and distinct callers over 7 and 30 days, batched into one statement per request;
 * and, only for a caller who may read the access log itself, who and what read a product most, the
 * subject read through the mask the access log's policy gives that caller. Counts are of the
 * entries the product holds (compacted within about 20 s of their requests).
 */
import type { AccessContext, ProductGrant } from '../../../policies/index.js';
import { ProductUnavailableError } from '../../../schema/index.js';
import type { SubgraphContext } from '../context.js';
import type { Database, Row } from '../duckdb/Database.js';
import type { ProductTable } from '../duckdb/ProductTable.js';
import { requestLoader } from '../read/requestLoader.js';
import { buildConsumers, buildTopReaders, buildUsage } from '../sql/index.js';

/** Usage over one window. */
export interface UsageWindowView {
  readonly days: number;
  readonly queries: number;
  readonly refused: number;
  readonly consumers: number;
  readonly topConsumers: readonly { name: string | null; count: number }[] | null;
  readonly topOperations: readonly { name: string | null; count: number }[] | null;
}

/** A product's usage. */
export interface UsageView {
  readonly last7Days: UsageWindowView;
  readonly last30Days: UsageWindowView;
}

const DAY_MS = 86_400_000;
const TOP = 5;

/** DuckDB's TIMESTAMP text of an instant (the log's times are UTC). */
const sqlTime = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** Reads usage from the access-log product's served table. */
export class UsageFacts {
  constructor(
    private readonly db: Database,
    /** The access-log product's table, and the product's name (its grant decides who sees top readers). */
    private readonly log: ProductTable,
    private readonly hashKey: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The table to read, or null while the access log has no published version yet (no usage recorded). */
  private async table(): Promise<string | null> {
    try {
      return await this.log.table();
    } catch (error) {
      if (error instanceof ProductUnavailableError) return null;
      throw error;
    }
  }

  /** Whether the caller may read the access log itself (its policy, not a role name, decides). */
  private logGrant(access: AccessContext | null): ProductGrant | undefined {
    return access === null ? { masks: {}, denied: [], rows: null } : access.products[this.log.product.name];
  }

  /** Whether the caller may be told who read a product (they may read every entry of the access log). */
  mayNameReaders(access: AccessContext | null): boolean {
    const grant = this.logGrant(access);
    return grant !== undefined && grant.rows === null;
  }

  /** The usage of `product`, batched with every other product's in the same request. */
  async usage(product: string, ctx: SubgraphContext): Promise<UsageView> {
    const loader = requestLoader<Row | undefined>(ctx, 'catalog:usage', 100, () => async (names) => {
      const table = await this.table();
      if (!table) return names.map(() => undefined);
      const now = this.now();
      const rows = await this.db.query(buildUsage(table, names, sqlTime(now - 7 * DAY_MS), sqlTime(now - 30 * DAY_MS)));
      const byName = new Map(rows.map((r) => [String(r.product), r]));
      return names.map((n) => byName.get(n));
    });
    const counts = await loader.load(product);
    const grant = this.logGrant(ctx.access);
    const top = async (days: number): Promise<Pick<UsageWindowView, 'topConsumers' | 'topOperations'>> => {
      // Only a caller who may read every entry of the log sees who read what (a row policy on the log would need the same rows here).
      if (!grant || grant.rows) return { topConsumers: null, topOperations: null };
      const table = await this.table();
      if (!table) return { topConsumers: [], topOperations: [] };
      const since = sqlTime(this.now() - days * DAY_MS);
      const subjectMask = grant.masks.subject;
      const subjectDenied = grant.denied.includes('subject');
      const [consumers, operations] = await Promise.all([
        subjectDenied
          ? Promise.resolve(null)
          : this.db.query(buildTopReaders(table, product, since, 'subject', TOP, subjectMask && { name: subjectMask, ...(subjectMask === 'hash' && { key: this.hashKey }) })),
        grant.denied.includes('operation_name') ? Promise.resolve(null) : this.db.query(buildTopReaders(table, product, since, 'operation_name', TOP)),
      ]);
      const list = (rows: Row[] | null) => rows?.map((r) => ({ name: (r.name as string | null) ?? null, count: Number(r.count) })) ?? null;
      return { topConsumers: list(consumers), topOperations: list(operations) };
    };
    const window = async (days: 7 | 30): Promise<UsageWindowView> => ({
      days,
      queries: Number(counts?.[`q${days}`] ?? 0),
      refused: Number(counts?.[`r${days}`] ?? 0),
      consumers: Number(counts?.[`c${days}`] ?? 0),
      ...(await top(days)),
    });
    const [last7Days, last30Days] = await Promise.all([window(7), window(30)]);
    return { last7Days, last30Days };
  }

  /** The applications (client names) that read each of `products` in the last 30 days. */
  async consumers(products: readonly string[]): Promise<{ product: string; name: string; count: number }[]> {
    const table = products.length ? await this.table() : null;
    if (!table) return [];
    const rows = await this.db.query(buildConsumers(table, products, sqlTime(this.now() - 30 * DAY_MS)));
    return rows.map((r) => ({ product: String(r.product), name: String(r.name), count: Number(r.count) }));
  }
}
