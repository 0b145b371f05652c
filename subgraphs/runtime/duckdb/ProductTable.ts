/**
 * A product's published version loaded into an indexed DuckDB table (key look-ups cost ~1 ms instead
 * of 12-16 ms straight from Parquet), its low-cardinality string columns as ENUM types (a grouped
 * aggregate over them costs less than half the CPU; BENCHMARKS.md, "DuckDB levers"). What is served is exactly the version the product's manifest
 * names (schema/publish), never whatever files lie in its folder: a new manifest is a new version,
 * loaded beside the old one and swapped in atomically. A version that cannot be served (a column
 * missing or of the wrong type, a key that repeats) is refused when it loads, and the previous
 * version keeps serving; until a first good load the product is unavailable.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST_FILE, ProductUnavailableError, readManifest, manifestFiles, type DataProduct, type LogicalType, type Manifest, type ValueType } from '../../../schema/index.js';
import {
  buildCreateEnum,
  buildCreateIndex,
  buildCreateLeadIndex,
  buildCreateTable,
  buildDescribe,
  buildDistinctCounts,
  buildDropTable,
  buildDropType,
  buildRepeatedKeys,
  duckType,
} from '../sql/index.js';
import type { Column } from '../sql/index.js';
import type { Database } from './Database.js';

/**
 * A non-key string column with at most this many distinct values is stored as an ENUM (DuckDB's
 * one-byte ENUM); it reads, filters, sorts and groups exactly as the VARCHAR would.
 */
export const ENUM_MAX_DISTINCT = 256;

/** The version being served. */
interface Served {
  readonly table: string;
  readonly manifest: Manifest;
}

/** A product's current table, reloaded when its manifest names another version. */
export class ProductTable {
  private current: Served | null = null;
  /** The last version looked at (served or refused), so a refused one is not loaded again and again. */
  private lastSeen = '';
  /**
   * Table names are numbered across every ProductTable of the process, not per instance: a hot
   * reload makes a new ProductTable for a product whose old one still serves, in the same database.
   */
  private static generation = 0;
  /** Why no version is served, as a client may read it. */
  private problem = 'its data has not been loaded yet';
  private logged = '';
  private lastCheck = 0;
  private pending: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    readonly product: DataProduct,
    private readonly log: (line: string) => void,
    private readonly checkEveryMs = 2_000,
  ) {}

  /** The data version served: the manifest's version id (empty before the first load). */
  get version(): string {
    return this.current?.manifest.version ?? '';
  }

  /** Why no version is served (for the operator: it may name files), or undefined while one is. */
  get unavailableReason(): string | undefined {
    return this.current ? undefined : this.logged || this.problem;
  }

  /** The manifest of the version served, if any. */
  get manifest(): Manifest | undefined {
    return this.current?.manifest;
  }

  /** The manifest of the version `table` holds, while it is served or kept for the requests still reading it. */
  manifestOf(table: string): Manifest | undefined {
    return this.tables.get(table);
  }

  private readonly tables = new Map<string, Manifest>();

  /** The manifest file's identity when it was last read: a publish renames a new file into place, so any change shows here. */
  private manifestStat = '';

  private statManifest(): string {
    try {
      const st = statSync(path.join(this.product.storeDir, MANIFEST_FILE), { throwIfNoEntry: false, bigint: true });
      return st ? `${st.ino}:${st.mtimeNs}:${st.size}` : 'none';
    } catch (error) {
      // Unreadable (e.g. EACCES): reading the manifest says why, and the version served keeps serving.
      return `error:${(error as NodeJS.ErrnoException).code ?? 'unknown'}`;
    }
  }

  /** The table to query now; throws PRODUCT_UNAVAILABLE when there is no good data. */
  async table(): Promise<string> {
    // Every request stats the manifest (a few microseconds): a version published a moment ago is
    // loaded before this request reads, so results (and the result cache, keyed by table) never lag
    // a publish. Without data, every request reads the manifest again; with data, it is read again
    // when it changed, and at least every checkEveryMs. Only another version loads a table. A reload
    // under way is awaited too, so two fields of one request never see two versions.
    if (this.pending) await this.pending;
    if (!this.current || this.statManifest() !== this.manifestStat || Date.now() - this.lastCheck > this.checkEveryMs) await this.refresh();
    if (!this.current) throw new ProductUnavailableError(`The data product "${this.product.name}" is unavailable: ${this.problem}.`);
    return this.current.table;
  }

  /** Loads the version the manifest names, if it is not the one served. */
  refresh(): Promise<void> {
    this.lastCheck = Date.now();
    this.pending ??= this.reload().finally(() => (this.pending = null));
    return this.pending;
  }

  private async reload(): Promise<void> {
    // Taken before the read, so a publish landing while this reload runs is seen by the next request.
    this.manifestStat = this.statManifest();
    const read = await readManifest(this.product.storeDir);
    if (read.kind === 'none') {
      return this.fail(
        this.current
          ? `its manifest is gone: still serving version ${this.current.manifest.version}; retire data by publishing a new version or retiring the product, not by deleting files`
          : `no version of it is published yet (build it with "meshgate build ${this.product.name}" or publish one with "meshgate publish ${this.product.name} --from DIR")`,
      );
    }
    if (read.kind === 'bad') return this.fail(this.current ? `${read.reason}: still serving version ${this.current.manifest.version}` : read.reason);
    const manifest = read.manifest;
    if (manifest.version === this.lastSeen) return;
    this.lastSeen = manifest.version;
    const table = `${this.product.name}__v${++ProductTable.generation}`;
    try {
      const files = manifestFiles(this.product.storeDir, manifest);
      if (files.length === 0) throw new ProductUnavailableError(`version ${manifest.version} lists no file`);
      await this.check(files);
      const columns: Column[] = this.product.contract.fields.map((f) => ({ name: f.name, type: f.type, value: f }));
      const keys = this.product.contract.keys.map((name) => columns.find((c) => c.name === name)!);
      const enums = await this.createEnums(table, columns, keys, files);
      await this.db.exec(buildCreateTable(table, columns, files, { enums }));
      // A keyless product has no key to repeat nor to look up by: no index either.
      if (keys.length) {
        await this.refuseRepeatedKeys(table, keys, manifest.version);
        await this.db.exec(buildCreateIndex(table, keys));
        if (keys.length > 1) await this.db.exec(buildCreateLeadIndex(table, keys[0]!));
      }
    } catch (error) {
      await this.dropTable(table);
      // DuckDB's own words name files: the log gets them, a client only that the output cannot be read.
      const known = error instanceof ProductUnavailableError;
      const detail = known ? error.message : `its Parquet output cannot be read (${(error as Error).message.split('\n')[0]})`;
      const refused = (why: string): string =>
        this.current
          ? `version ${manifest.version} is refused (${why}): still serving version ${this.current.manifest.version}`
          : `version ${manifest.version} is refused (${why})`;
      return this.fail(refused(detail), refused(known ? detail : 'its Parquet output cannot be read'));
    }
    const previous = this.current;
    this.current = { table, manifest };
    this.tables.set(table, manifest);
    this.problem = '';
    this.logged = '';
    if (previous)
      setTimeout(() => {
        this.tables.delete(previous.table);
        void this.dropTable(previous.table);
      }, 30_000).unref();
    this.log(`${this.product.name}: serving version ${manifest.version} (${manifest.rows} rows)`);
  }

  /** Drops every table this product holds: called once nothing reads through it any more (a hot reload replaced it). */
  async retire(): Promise<void> {
    const tables = [...this.tables.keys()];
    this.current = null;
    this.tables.clear();
    for (const table of tables) await this.dropTable(table);
  }

  /** The ENUM types of a table's columns, by table. */
  private readonly enumTypes = new Map<string, readonly string[]>();

  /**
   * Makes an ENUM type for each non-key string column of at most {@link ENUM_MAX_DISTINCT} distinct
   * values (one pass over the files counts them all), named after the table; returns column to type.
   */
  private async createEnums(table: string, columns: readonly Column[], keys: readonly Column[], files: readonly string[]): Promise<Map<string, string>> {
    const strings = columns.filter((c) => c.type === 'string' && !keys.some((k) => k.name === c.name));
    const enums = new Map<string, string>();
    if (strings.length === 0) return enums;
    const [counts] = await this.db.exec(buildDistinctCounts(strings, files));
    const types: string[] = [];
    this.enumTypes.set(table, types);
    for (const [i, column] of strings.entries()) {
      const distinct = Number(counts?.[`d${i}`] ?? 0);
      if (distinct === 0 || distinct > ENUM_MAX_DISTINCT) continue;
      const type = `${table}__enum${i}`;
      await this.db.exec(buildCreateEnum(type, column, files));
      types.push(type);
      enums.set(column.name, type);
    }
    return enums;
  }

  /** Drops a table, then its ENUM types (DuckDB would drop a type still in use). */
  private async dropTable(table: string): Promise<void> {
    await this.db.exec(buildDropTable(table)).catch(() => undefined);
    for (const type of this.enumTypes.get(table) ?? []) await this.db.exec(buildDropType(type)).catch(() => undefined);
    this.enumTypes.delete(table);
  }

  /** A key repeated inside one version would make a look-up return either row: the version is refused. */
  private async refuseRepeatedKeys(table: string, keys: readonly Column[], version: string): Promise<void> {
    const [row] = await this.db.exec(buildRepeatedKeys(table, keys));
    const repeated = Number(row?.repeated ?? 0);
    const named = keys.map((k) => k.name).join(', ');
    if (repeated > 0)
      throw new ProductUnavailableError(`${repeated} row(s) of version ${version} repeat a key, e.g. ${keys.length > 1 ? `(${named})` : named} ${JSON.stringify(row?.example)}`);
  }

  /** Checks that the files hold every contract column with a compatible type. */
  private async check(files: readonly string[]): Promise<void> {
    const described = await this.db.exec(buildDescribe(files));
    const actual = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
    for (const f of this.product.contract.fields) {
      const type = actual.get(f.name);
      if (!type) throw new ProductUnavailableError(`column "${f.name}" is missing from its Parquet output`);
      if (!isCompatibleType(f, type)) throw new ProductUnavailableError(`column "${f.name}" is ${type} in Parquet, the contract says ${duckType(f)}`);
    }
  }

  /** Records why the manifest's version is not served: `problem` for the log, `forClients` (no file names) for an answer. */
  private fail(problem: string, forClients = problem): void {
    if (this.logged !== problem) this.log(`${this.product.name}: ${this.current ? '' : 'unavailable: '}${problem}`);
    this.logged = problem;
    this.problem = forClients;
  }
}

const FAMILIES: Record<Exclude<LogicalType, 'list' | 'struct' | 'decimal'>, RegExp> = {
  string: /^(VARCHAR|TEXT|STRING)$/,
  integer: /^(TINYINT|SMALLINT|INTEGER|UTINYINT|USMALLINT)$/,
  bigint: /^(TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER)$/,
  double: /^(FLOAT|DOUBLE|DECIMAL.*|INTEGER|BIGINT|SMALLINT)$/,
  boolean: /^BOOLEAN$/,
  date: /^DATE$/,
  timestamp: /^TIMESTAMP.*$/,
  time: /^TIME$/,
  uuid: /^UUID$/,
  // Parquet keeps a JSON column as text with a JSON annotation; read back, it may be either.
  json: /^(JSON|VARCHAR)$/,
};

/** Digits before the point an integer type can hold. */
const INTEGER_DIGITS: Record<string, number> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 19, UTINYINT: 3, USMALLINT: 5, UINTEGER: 10 };

/** The members of a DuckDB STRUCT type's text (`STRUCT("street" VARCHAR, zip INTEGER)`), by name; undefined when it is no struct. */
function structMembers(duck: string): Map<string, string> | undefined {
  const m = /^STRUCT\((.*)\)$/s.exec(duck);
  if (!m) return undefined;
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const body = m[1]!;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && ch === ',') {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  const out = new Map<string, string>();
  for (const part of parts) {
    const p = /^\s*(?:"((?:[^"]|"")*)"|(\S+))\s+(.+?)\s*$/s.exec(part);
    if (!p) return undefined;
    out.set((p[1]?.replaceAll('""', '"') ?? p[2]!).toLowerCase(), p[3]!);
  }
  return out;
}

/**
 * Whether a Parquet column type can be served as the contract's type without loss (the contract
 * tests use it too): a list's elements and a struct's members each by their own type, a decimal
 * as a decimal (or integer) whose digits fit on both sides of the point, or a double.
 */
export function isCompatibleType(logical: LogicalType | ValueType, duck: string): boolean {
  const v: ValueType = typeof logical === 'string' ? { type: logical } : logical;
  const d = duck.toUpperCase().trim();
  if (v.type === 'list') {
    const m = /^(.*)\[\]$/s.exec(d);
    return !!m && (!v.items || isCompatibleType(v.items, m[1]!));
  }
  if (v.type === 'struct') {
    const members = structMembers(d);
    return !!members && (v.members ?? []).every((m) => members.has(m.name) && isCompatibleType(m, members.get(m.name)!));
  }
  if (v.type === 'decimal') {
    const precision = v.precision ?? 18;
    const scale = v.scale ?? 0;
    const m = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(d);
    if (m) return Number(m[2]) <= scale && Number(m[1]) - Number(m[2]) <= precision - scale;
    // A double written for a decimal (money kept as DOUBLE upstream) is cast to the contract's scale when loaded: from there on it is exact.
    if (d === 'DOUBLE' || d === 'FLOAT') return true;
    return INTEGER_DIGITS[d] !== undefined && INTEGER_DIGITS[d] <= precision - scale;
  }
  return FAMILIES[v.type].test(d);
}
