/**
 * The floor: the runtime's own statements run straight on DuckDB in this process (same database
 * settings, same indexed tables, same result decoding), with no GraphQL and no HTTP in the way.
 */
import { meshShapes, type ProductShape } from '../schema/index.js';
import { ProductTable, type Row } from '../subgraphs/runtime/index.js';
import { allOf, buildCount, buildSelect, type SqlQuery } from '../subgraphs/runtime/sql/index.js';
import type { Config } from '../cli/config.js';
import { loadServedMesh, openDatabase } from '../cli/mesh/index.js';
import { benchInputs, type BenchInputs, type FloorSql, type Scenario } from './scenarios.js';
import { summarize, type Measurement } from './stats.js';

/** An open floor database. */
export interface Floor {
  /** DuckDB threads it runs with. */
  readonly threads: number;
  /** The mesh's domains (each gets a subgraph). */
  readonly domains: readonly string[];
  /** The names of the mesh's data products (what an access context grants). */
  readonly products: readonly string[];
  readonly inputs: BenchInputs;
  /** Runs the statements of a scenario's i-th request once and returns them. */
  statements(scenario: Scenario, i: number): Promise<SqlQuery[]>;
  /** Runs the statements of a scenario's i-th request once and returns the rows of each. */
  rows(scenario: Scenario, i: number): Promise<Row[][]>;
  /** Statements run so far and the seconds they took (the runtime's counters). */
  duckdb(): { readonly statements: number; readonly seconds: number };
  /**
   * Runs a scenario's requests `first`, `first + 1`, ... from `connections` loops for `durationS`
   * seconds; resolves to the measurement and how many requests were started.
   */
  measure(scenario: Scenario, durationS: number, connections: number, first?: number): Promise<{ measurement: Measurement; started: number }>;
  close(): void;
}

/** Opens a database configured as the runtime's (MESHGATE_DUCKDB_THREADS included), loads every product, and picks the rotating inputs. */
export async function openFloor(config: Config, log: (line: string) => void): Promise<Floor> {
  const mesh = await loadServedMesh(config, log);
  if (mesh.problems.length) throw new Error(`the mesh's declarations have problems: ${mesh.problems.map((p) => p.message).join('; ')}`);
  const db = await openDatabase(config);
  try {
    const shapes = new Map<string, ProductShape>(meshShapes(mesh).map((s) => [s.typeName, s]));
    const tables = new Map<string, ProductTable>([...shapes].map(([t, s]) => [t, new ProductTable(db, s.product, log)]));
    // Tables load on first use (the inputs below load the scenarios' own): a product without data yet, such as
    // an empty access log, must not stop the floor, as it does not stop the subgraphs.
    const shape = (typeName: string): ProductShape => shapes.get(typeName) ?? missing(typeName);
    const table = (typeName: string): Promise<string> => (tables.get(typeName) ?? missing(typeName)).table();
    const sql: FloorSql = { shape, table, run: (q) => db.query(q) };
    const inputs = await pickInputs(sql);
    return {
      threads: config.MESHGATE_DUCKDB_THREADS,
      domains: mesh.domains.map((d) => d.name),
      products: mesh.domains.flatMap((d) => d.products.map((p) => p.name)),
      inputs,
      async statements(scenario, i) {
        const seen: SqlQuery[] = [];
        await scenario.floor(i, inputs, { ...sql, run: (q) => (seen.push(q), db.query(q)) });
        return seen;
      },
      rows: (scenario, i) => scenario.floor(i, inputs, sql),
      duckdb: () => ({ statements: db.statements, seconds: db.seconds }),
      measure: (scenario, durationS, connections, first = 0) => closedLoop((i) => scenario.floor(i, inputs, sql), connections, durationS * 1000, first),
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

function missing(typeName: string): never {
  throw new Error(`bench: the mesh serves no ${typeName} product (the scenarios need the sample mesh)`);
}

/** Every customer key, and the sizes of the orders and customers tables. */
async function pickInputs(sql: FloorSql): Promise<BenchInputs> {
  const c = sql.shape('Customer');
  const key = { name: c.keys[0]!.field.name, type: c.keys[0]!.field.type };
  const customers = await sql.table('Customer');
  const all = await sql.run(buildSelect({ table: customers, columns: [{ column: key, as: 'k' }], where: allOf(), orderBy: [], order: [key] }, await count(sql, customers), 0));
  const orders = await count(sql, await sql.table('Order'));
  if (all.length === 0 || orders === 0) throw new Error('bench: the sample data is empty');
  return benchInputs(
    all.map((r: Row) => String(r.k)),
    orders,
    all.length,
  );
}

async function count(sql: FloorSql, table: string): Promise<number> {
  const rows = await sql.run(buildCount(table, allOf()));
  return Number(rows[0]?.count ?? 0);
}

/** Calls `call(first)`, `call(first + 1)`, ... from `concurrency` loops until `durationMs` has passed, timing each call. */
export async function closedLoop(
  call: (i: number) => Promise<unknown>,
  concurrency: number,
  durationMs: number,
  first = 0,
): Promise<{ measurement: Measurement; started: number }> {
  const latencies: number[] = [];
  let next = first;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(durationMs * 1e6));
  const loop = async (): Promise<void> => {
    while (process.hrtime.bigint() < deadline) {
      const t0 = process.hrtime.bigint();
      await call(next++);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  return { measurement: summarize(latencies, Number(process.hrtime.bigint() - start) / 1e6), started: next - first };
}
