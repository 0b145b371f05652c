/**
 * The process's one DuckDB instance (creating one costs ~45 ms; connections are cheap), locked down
 * before any request: only the data directories are readable, external access is off and the
 * configuration is locked. Queries run on a small pool of connections, each under a time budget
 * enforced with `interrupt()`.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { MeshgateError } from '../../../schema/index.js';
import { buildLockDown, type SqlQuery } from '../sql/index.js';

/** How the database is bounded. */
export interface DatabaseOptions {
  /** Directories DuckDB may read; nothing else is reachable. */
  readonly dataDirs: readonly string[];
  readonly memoryLimit?: string;
  readonly threads?: number;
  readonly connections?: number;
  readonly queryTimeoutMs?: number;
}

/** A result row, as JSON-safe values (BIGINT as string, DATE and TIMESTAMP as text). */
export type Row = Record<string, unknown>;

/** A locked-down DuckDB with a connection pool. */
export class Database {
  /** Statements run since start: tests and metrics read it to prove batching. */
  statements = 0;
  /** Seconds statements took since start (run and rows decoded, not the wait for a connection), summed over concurrent ones: the DuckDB time metrics report. */
  seconds = 0;
  private readonly idle: DuckDBConnection[] = [];
  private readonly waiting: ((c: DuckDBConnection) => void)[] = [];

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly timeoutMs: number,
  ) {}

  /** Opens the instance, applies the lock-down and fills the pool. */
  static async open(options: DatabaseOptions): Promise<Database> {
    const instance = await DuckDBInstance.create(':memory:');
    const setup = await instance.connect();
    for (const statement of buildLockDown({ dataDirs: options.dataDirs, memoryLimit: options.memoryLimit ?? '2GB', threads: options.threads ?? 2 })) {
      await setup.run(statement);
    }
    setup.closeSync();
    const db = new Database(instance, options.queryTimeoutMs ?? 5_000);
    for (let i = 0; i < Math.max(1, options.connections ?? 4); i++) db.idle.push(await instance.connect());
    return db;
  }

  private acquire(): Promise<DuckDBConnection> {
    const c = this.idle.pop();
    return c ? Promise.resolve(c) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(c: DuckDBConnection): void {
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
      c.interrupt();
    }, this.timeoutMs);
    try {
      const reader = await c.runAndReadAll(q.text, q.values as never);
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

  /** Runs trusted statements (table loads), outside the time budget. */
  async exec(text: string): Promise<Row[]> {
    const c = await this.acquire();
    try {
      return (await c.runAndReadAll(text)).getRowObjectsJson() as Row[];
    } finally {
      this.release(c);
    }
  }

  /** Closes every connection and the instance. */
  close(): void {
    for (const c of this.idle.splice(0)) c.closeSync();
    this.instance.closeSync();
  }
}
