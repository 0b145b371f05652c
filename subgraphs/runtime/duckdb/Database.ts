/**
 * The process's one DuckDB instance (creating one costs ~45 ms; connections are cheap), locked down
 * before any request: only the data directories are readable, external access is off and the
 * configuration is locked. Queries run on a small pool of connections, each under a time budget
 * enforced with `interrupt()`. Each connection can keep its statements prepared, by text (a shape's
 * text is the same from request to request; only the bound values change).
 */
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement, type DuckDBResultReader } from '@duckdb/node-api';
import { MeshgateError } from '../../../schema/index.js';
import { buildLockDown, type SqlQuery } from '../sql/index.js';

/**
 * Statements each connection keeps prepared unless told otherwise: a shape's text repeats from
 * request to request, and running a kept statement skips parsing, binding and planning (a key
 * look-up costs 0.6x the CPU, a batch of 50 keys 0.65x; BENCHMARKS.md, "DuckDB levers").
 */
export const PREPARED_PER_CONNECTION = 64;

/** How the database is bounded. */
export interface DatabaseOptions {
  /** Directories DuckDB may read; nothing else is reachable. */
  readonly dataDirs: readonly string[];
  readonly memoryLimit?: string;
  /** DuckDB's worker threads; 1 unless given (a second thread costs CPU on every shape measured and gains no wall time under load). */
  readonly threads?: number;
  readonly connections?: number;
  readonly queryTimeoutMs?: number;
  /** Statements kept prepared per connection ({@link PREPARED_PER_CONNECTION} unless given), the least recently used dropped first; 0 prepares every statement anew. */
  readonly preparedStatements?: number;
}

/** A pooled connection and the statements it keeps prepared, by text, least recently used first. */
interface Pooled {
  readonly connection: DuckDBConnection;
  readonly prepared: Map<string, DuckDBPreparedStatement>;
}

/** A result row, as JSON-safe values (BIGINT as string, DATE and TIMESTAMP as text). */
export type Row = Record<string, unknown>;

/** A locked-down DuckDB with a connection pool. */
export class Database {
  /** Statements run since start: tests and metrics read it to prove batching. */
  statements = 0;
  /** Seconds statements took since start (run and rows decoded, not the wait for a connection), summed over concurrent ones: the DuckDB time metrics report. */
  seconds = 0;
  private readonly idle: Pooled[] = [];
  private readonly waiting: ((c: Pooled) => void)[] = [];

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly timeoutMs: number,
    private readonly keepPrepared: number,
  ) {}

  /** Opens the instance, applies the lock-down and fills the pool. */
  static async open(options: DatabaseOptions): Promise<Database> {
    const instance = await DuckDBInstance.create(':memory:');
    const setup = await instance.connect();
    for (const statement of buildLockDown({ dataDirs: options.dataDirs, memoryLimit: options.memoryLimit ?? '2GB', threads: options.threads ?? 1 })) {
      await setup.run(statement);
    }
    setup.closeSync();
    const db = new Database(instance, options.queryTimeoutMs ?? 5_000, Math.max(0, Math.trunc(options.preparedStatements ?? PREPARED_PER_CONNECTION)));
    for (let i = 0; i < Math.max(1, options.connections ?? 4); i++) db.idle.push({ connection: await instance.connect(), prepared: new Map() });
    return db;
  }

  private acquire(): Promise<Pooled> {
    const c = this.idle.pop();
    return c ? Promise.resolve(c) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(c: Pooled): void {
    const next = this.waiting.shift();
    if (next) next(c);
    else this.idle.push(c);
  }

  /** Runs one parameterised statement and returns its rows, interrupting it past the time budget. */
  async query(q: SqlQuery): Promise<Row[]> {
    const c = await this.acquire();
    this.statements++;
    const started = performance.now();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      c.connection.interrupt();
    }, this.timeoutMs);
    try {
      const reader = await this.run(c, q);
      return reader.getRowObjectsJson() as Row[];
    } catch (error) {
      if (timedOut)
        throw new MeshgateError('QUERY_TOO_COMPLEX', `The query ran past its ${this.timeoutMs / 1000} s time budget; narrow the filter or ask for fewer rows.`, { cause: error });
      throw error;
    } finally {
      this.seconds += (performance.now() - started) / 1000;
      clearTimeout(timer);
      this.release(c);
    }
  }

  /**
   * Runs `q` on `c`: through the statement `c` keeps prepared for its text, or prepared anew. A
   * statement that fails (a bad value, an interrupt) is dropped, so the next use prepares it again.
   */
  private async run(c: Pooled, q: SqlQuery): Promise<DuckDBResultReader> {
    if (this.keepPrepared === 0) return c.connection.runAndReadAll(q.text, q.values as never);
    let statement = c.prepared.get(q.text);
    if (statement) c.prepared.delete(q.text);
    else statement = await c.connection.prepare(q.text);
    try {
      statement.bind(q.values as never);
      const reader = await statement.runAndReadAll();
      c.prepared.set(q.text, statement);
      for (const [text, old] of c.prepared) {
        if (c.prepared.size <= this.keepPrepared) break;
        c.prepared.delete(text);
        old.destroySync();
      }
      return reader;
    } catch (error) {
      statement.destroySync();
      throw error;
    }
  }

  /** How many statements each connection keeps prepared now (tests read it). */
  preparedCounts(): number[] {
    return this.idle.map((c) => c.prepared.size);
  }

  /** Runs trusted statements (table loads), outside the time budget. */
  async exec(text: string): Promise<Row[]> {
    const c = await this.acquire();
    try {
      return (await c.connection.runAndReadAll(text)).getRowObjectsJson() as Row[];
    } finally {
      this.release(c);
    }
  }

  /** Closes every connection and the instance. */
  close(): void {
    for (const c of this.idle.splice(0)) {
      for (const statement of c.prepared.values()) statement.destroySync();
      c.connection.closeSync();
    }
    this.instance.closeSync();
  }
}
