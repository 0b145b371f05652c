/**
 * The floor: the runtime's own statements run straight on DuckDB in this process (same database
 * settings, same indexed tables, same result decoding), with no GraphQL and no HTTP in the way.
 */
import { meshShapes, type ProductShape } from '../schema/index.js';
import { ProductTable, type Row } from '../subgraphs/runtime/index.js';
import { allOf, buildCount, buildSelect, type SqlQuery } from '../subgraphs/runtime/sql/index.js';
import type { Config } from '../cli/config.js';
import { loadServedMesh, openDatabase } from '../cli/mesh/index.js';
import type { BenchInputs, FloorSql, Scenario } from './scenarios.js';
import { summarize, type Measurement } from './stats.js';

/** How many requests are in flight at once, for the floor and for autocannon alike. */
export const CONCURRENCY = 10;

/** An open floor database. */
export interface Floor {
  /** The mesh's domains (each gets a subgraph). */
  readonly domains: readonly string[];
  /** The names of the mesh's data products (what an access context grants). */
  readonly products: readonly string[];
  readonly inputs: BenchInputs;
  /** Runs the statements of a scenario's i-th request once and returns them. */
  statements(scenario: Scenario, i: number): Promise<SqlQuery[]>;
  /** Statements run so far (the runtime's counter). */
  statementCount(): number;
  /** Runs a scenario with `connections` ({@link CONCURRENCY} unless given) requests in flight for `durationS` seconds. */
  measure(scenario: Scenario, durationS: number, connections?: number): Promise<Measurement>;
  close(): void;
}

/** Opens a database configured as the runtime's, loads every product, and picks the rotating inputs. */
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
      domains: mesh.domains.map((d) => d.name),
      products: mesh.domains.flatMap((d) => d.products.map((p) => p.name)),
      inputs,
      async statements(scenario, i) {
        const seen: SqlQuery[] = [];
        await scenario.floor(i, inputs, { ...sql, run: (q) => (seen.push(q), db.query(q)) });
        return seen;
      },
      statementCount: () => db.statements,
      measure: (scenario, durationS, connections = CONCURRENCY) => closedLoop((i) => scenario.floor(i, inputs, sql), connections, durationS * 1000),
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

/** 1000 customer keys spread evenly over the table, and the offsets of the first 100 pages of orders and of customers. */
async function pickInputs(sql: FloorSql): Promise<BenchInputs> {
  const c = sql.shape('Customer');
  const key = { name: c.key.field.name, type: c.key.field.type };
  const customers = await sql.table('Customer');
  const all = await sql.run(buildSelect({ table: customers, columns: [{ column: key, as: 'k' }], where: allOf(), orderBy: [], key }, await count(sql, customers), 0));
  const step = Math.max(1, Math.floor(all.length / 1000));
  const customerIds = all
    .filter((_, i) => i % step === 0)
    .slice(0, 1000)
    .map((r: Row) => String(r.k));
  const orders = await count(sql, await sql.table('Order'));
  if (customerIds.length === 0 || orders === 0) throw new Error('bench: the sample data is empty');
  return { customerIds, offsets: firstPages(orders), customerOffsets: firstPages(all.length) };
}

/** The offsets of the first (at most 100) full pages of 100 rows of a table of `rows` rows. */
const firstPages = (rows: number): number[] => Array.from({ length: Math.max(1, Math.min(100, Math.floor(rows / 100))) }, (_, i) => i * 100);

async function count(sql: FloorSql, table: string): Promise<number> {
  const rows = await sql.run(buildCount(table, allOf()));
  return Number(rows[0]?.count ?? 0);
}

/** Calls `call(i)` from `concurrency` loops until `durationMs` has passed, timing each call. */
export async function closedLoop(call: (i: number) => Promise<unknown>, concurrency: number, durationMs: number): Promise<Measurement> {
  const latencies: number[] = [];
  let next = 0;
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
  return summarize(latencies, Number(process.hrtime.bigint() - start) / 1e6);
}
