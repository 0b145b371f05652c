/** Opens the locked-down DuckDB a process serves its products from. */
import { Database } from '../../subgraphs/runtime/index.js';
import type { Config } from '../config.js';

/** Opens the database with the configured memory, threads and query timeout, reading only under MESHGATE_DATA_DIR. */
export function openDatabase(config: Config): Promise<Database> {
  return Database.open({
    dataDirs: [config.MESHGATE_DATA_DIR],
    memoryLimit: config.MESHGATE_DUCKDB_MEMORY,
    threads: config.MESHGATE_DUCKDB_THREADS,
    queryTimeoutMs: config.MESHGATE_QUERY_TIMEOUT_MS,
  });
}
