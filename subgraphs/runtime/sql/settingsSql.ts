/** Statements that configure a DuckDB instance before it runs anything else (values are trusted configuration). */
import { quoteLiteral } from './SqlQuery.js';

/** What the lock-down bounds. */
export interface LockDown {
  /** Directories DuckDB may read; nothing else is reachable. */
  readonly dataDirs: readonly string[];
  /** DuckDB's memory limit, e.g. `2GB`. */
  readonly memoryLimit: string;
  /** Worker threads, at least 1. */
  readonly threads: number;
}

/**
 * The lock-down a serving instance gets, in order: bounded memory and threads, only the data
 * directories readable, no external access, no extension installed or loaded behind the operator's
 * back, and last the configuration locked, so that no later statement can undo any of it.
 */
export function buildLockDown(options: LockDown): readonly string[] {
  const dirs = options.dataDirs.map((d) => quoteLiteral(d.endsWith('/') ? d : `${d}/`)).join(', ');
  return [
    `SET memory_limit = ${quoteLiteral(options.memoryLimit)}`,
    `SET threads = ${Math.max(1, Math.trunc(options.threads))}`,
    `SET allowed_directories = [${dirs}]`,
    'SET enable_external_access = false',
    'SET autoinstall_known_extensions = false',
    'SET autoload_known_extensions = false',
    'SET lock_configuration = true',
  ];
}

/** Makes a session read timestamps in UTC, whatever the machine's zone. */
export function buildUtcTimeZone(): string {
  return "SET TimeZone = 'UTC'";
}
