/** A plain DuckDB connection for the contract tests (trusted files, no serving lockdown), whose failures name what could not be read. */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { buildUtcTimeZone, type SqlQuery } from '../sql/index.js';

/** DuckDB refused to read the data (a damaged file, files that do not share one schema): an expected failure, not a bug. */
export class DataReadError extends Error {
  override readonly name = 'DataReadError';
}

/** One value of a result row as a number (BIGINT arrives as bigint), or null. */
export function numberOf(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'bigint' ? Number(value) : Number(value);
}

/** The DuckDB instance and connection one run of the contract tests uses. */
export class DataSession {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Opens an in-memory DuckDB; timestamps are read in UTC. */
  static async open(threads = 2): Promise<DataSession> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    const connection = await instance.connect();
    await connection.run(buildUtcTimeZone()).catch(() => undefined);
    return new DataSession(instance, connection);
  }

  /** Runs a statement and returns its rows; a DuckDB error becomes a {@link DataReadError}. */
  async rows(statement: string | SqlQuery): Promise<Record<string, unknown>[]> {
    const { text, values } = typeof statement === 'string' ? { text: statement, values: [] } : statement;
    try {
      const reader = await this.connection.runAndReadAll(text, values as never);
      return reader.getRowObjectsJS() as Record<string, unknown>[];
    } catch (error) {
      throw new DataReadError((error instanceof Error ? error.message : String(error)).split('\n')[0]!);
    }
  }

  /** The `value` column of the first row, as a number or null. */
  async value(statement: string | SqlQuery): Promise<number | null> {
    return numberOf((await this.rows(statement))[0]?.value);
  }

  /** Closes the connection and the instance. */
  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
