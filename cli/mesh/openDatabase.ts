/** Opens the locked-down DuckDB a process serves its products from. */
import { Database, ResultCache, uncached, type StatementRunner } from '../../subgraphs/runtime/index.js';
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

/** How the process's subgraphs run product statements: through one result cache for the process (MESHGATE_RESULT_CACHE, MESHGATE_RESULT_CACHE_MB), or straight on DuckDB. */
export function openStatementRunner(config: Config, db: Database): StatementRunner {
  return config.MESHGATE_RESULT_CACHE === 'on' ? new ResultCache(db, { maxBytes: config.MESHGATE_RESULT_CACHE_MB * 2 ** 20 }) : uncached(db);
}

/** The result cache's counts in the Prometheus text format (nothing when it is off). */
export function statementRunnerMetrics(runner: StatementRunner): string {
  if (!(runner instanceof ResultCache)) return '';
  const { hits, misses, merged } = runner.stats;
  const { entries, bytes } = runner.size;
  return [
    '# HELP meshgate_result_cache_requests_total Product statements asked of the result cache, by outcome (hit, miss: run on DuckDB, merged: waited for the same one in flight).',
    '# TYPE meshgate_result_cache_requests_total counter',
    `meshgate_result_cache_requests_total{outcome="hit"} ${hits}`,
    `meshgate_result_cache_requests_total{outcome="miss"} ${misses}`,
    `meshgate_result_cache_requests_total{outcome="merged"} ${merged}`,
    '# HELP meshgate_result_cache_entries Results kept in the cache.',
    '# TYPE meshgate_result_cache_entries gauge',
    `meshgate_result_cache_entries ${entries}`,
    '# HELP meshgate_result_cache_bytes Estimated bytes of the results kept.',
    '# TYPE meshgate_result_cache_bytes gauge',
    `meshgate_result_cache_bytes ${bytes}`,
    '',
  ].join('\n');
}
