/**
 * The DuckDB instance of one build. The platform loads the inputs first, with file access, then
 * locks the instance down to the version's staging folder alone: the transform runs in a session
 * that can read no file, attach nothing, change no setting, and sees only the input tables.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { buildLockDown, buildUtcTimeZone, type SqlQuery } from '../sql/index.js';

/** A result row with JS values (BIGINT as bigint, DATE and TIMESTAMP as objects are avoided: use the Json variant where text is wanted). */
export type BuildRow = Record<string, unknown>;

/** One build's DuckDB. */
export class BuildSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly bounds: { readonly memoryLimit: string; readonly threads: number },
  ) {}

  /** Opens an in-memory instance that reads timestamps in UTC. */
  static async open(bounds: { readonly memoryLimit: string; readonly threads: number }): Promise<BuildSession> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(Math.max(1, bounds.threads)), memory_limit: bounds.memoryLimit });
    const connection = await instance.connect();
    await connection.run(buildUtcTimeZone());
    return new BuildSession(instance, connection, bounds);
  }

  /** Runs one statement and returns its rows as JSON-safe values (BIGINT and DECIMAL as text, dates as ISO text). */
  async rows(statement: string | SqlQuery): Promise<BuildRow[]> {
    const { text, values } = typeof statement === 'string' ? { text: statement, values: [] } : statement;
    const reader = await this.connection.runAndReadAll(text, values as never);
    return reader.getRowObjectsJson() as BuildRow[];
  }

  /** Runs one statement for its effect. */
  async run(statement: string | SqlQuery): Promise<void> {
    const { text, values } = typeof statement === 'string' ? { text: statement, values: [] } : statement;
    await this.connection.run(text, values as never);
  }

  /** From now on the session can write only into `dir` and read no file at all but what it writes there. */
  async lockDown(dir: string): Promise<void> {
    for (const statement of buildLockDown({ dataDirs: [dir], ...this.bounds })) await this.connection.run(statement);
  }

  /** Closes the connection and the instance. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
