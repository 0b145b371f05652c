/**
 * The subgraph's result cache: the rows of a statement, kept by everything they depend on, so a
 * dashboard's repeated query costs no SQL. The key is the caller's grant on the product, the
 * statement's text and its bound values; the text names the table of one published version
 * (`orders__v3`), so a newly served version is a new key and the next request reads it. A result is
 * never shared between two grants, even when they would compile to the same statement. Identical
 * statements in flight under the same grant are merged into one (lru-cache's `fetch`), so sixteen
 * clients asking the same page at once cost one query. Results are held in memory, bounded by their
 * estimated size; errors are never kept.
 */
import { LRUCache } from 'lru-cache';
import type { Database, Row } from '../duckdb/Database.js';
import type { SqlQuery, SqlValue } from '../sql/index.js';

/** Runs a product's statements under a caller's grant. */
export interface StatementRunner {
  /** The rows of `q`, read under `grant` (a text that differs whenever the caller's grant on the product differs). */
  query(q: SqlQuery, grant: string): Promise<Row[]>;
}

/** How big the cache may grow. */
export interface ResultCacheOptions {
  /** Total estimated size of the kept results; default 64 MiB. */
  readonly maxBytes?: number;
}

/** What the cache did since start (served on /metrics). */
export interface ResultCacheStats {
  /** Answered from a kept result. */
  hits: number;
  /** Ran the statement. */
  misses: number;
  /** Waited for the same statement already running under the same grant. */
  merged: number;
}

/** A bigint bound value keyed apart from a string or number with the same digits. */
const valueKey = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? ['bigint', v.toString()] : v);

/** The cache key: grant, statement text and bound values, none of which can run into the next. */
function keyOf(q: SqlQuery, grant: string): string {
  return JSON.stringify([grant, q.text, q.values as readonly SqlValue[]], valueKey);
}

/** Rough bytes a result holds in memory (V8 strings are up to 2 bytes a character, plus object overhead). */
function sizeOf(rows: readonly Row[]): number {
  let bytes = 64;
  for (const row of rows) {
    bytes += 64;
    for (const value of Object.values(row)) {
      // A list or struct value (an array or object) is counted by its JSON text: a rough, never-zero size.
      if (typeof value === 'string') bytes += 24 + 2 * value.length;
      else if (typeof value === 'object' && value !== null) bytes += 24 + 2 * JSON.stringify(value).length;
      else bytes += 16;
    }
  }
  return bytes;
}

/** Statements run straight on the database: no cache, no merging (MESHGATE_RESULT_CACHE=off). */
export function uncached(db: Database): StatementRunner {
  return { query: (q) => db.query(q) };
}

/** The cached, merging runner over `db`. */
export class ResultCache implements StatementRunner {
  readonly stats: ResultCacheStats = { hits: 0, misses: 0, merged: 0 };
  private readonly cache: LRUCache<string, Row[], SqlQuery>;

  constructor(
    private readonly db: Database,
    options: ResultCacheOptions = {},
  ) {
    const maxBytes = options.maxBytes ?? 64 * 2 ** 20;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new TypeError(`ResultCache: maxBytes must be a positive integer, got ${String(maxBytes)}`);
    this.cache = new LRUCache<string, Row[], SqlQuery>({
      maxSize: maxBytes,
      // One result may take at most an eighth of the cache, so a large page cannot flush every dashboard's.
      maxEntrySize: Math.max(1, Math.floor(maxBytes / 8)),
      // The key (grant, statement, values) is held too: counted, so the bound holds for small results.
      sizeCalculation: (rows, key) => sizeOf(rows) + 2 * key.length,
      // A result evicted while its statement runs is still handed to everyone waiting for it.
      ignoreFetchAbort: true,
      fetchMethod: (_key, _stale, { context }) => this.db.query(context),
    });
  }

  async query(q: SqlQuery, grant: string): Promise<Row[]> {
    const status: LRUCache.Status<string, Row[], SqlQuery> = {};
    const rows = await this.cache.fetch(keyOf(q, grant), { context: q, status });
    if (status.fetch === 'hit') this.stats.hits++;
    else if (status.fetch === 'inflight') this.stats.merged++;
    else this.stats.misses++;
    // fetchMethod always resolves to rows or rejects; undefined would mean lru-cache aborted the fetch.
    if (!rows) throw new Error('the result cache lost a query in flight');
    return rows;
  }

  /** Results kept now and their estimated bytes. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.calculatedSize };
  }
}
