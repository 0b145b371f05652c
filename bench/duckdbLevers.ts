/**
 * DuckDB's levers (issue 12), measured on the bench data, apart from GraphQL and HTTP:
 *
 *   node --import tsx bench/duckdbLevers.ts [--scale 1] [--rounds 5] [--cell-ms 250] [--json FILE]
 *
 * The statements are the runtime's own: an in-process open mesh answers each bench shape (with
 * rotating variables) and every statement it runs is recorded. They are then replayed, statement
 * role by statement role, at concurrency 1 and 16, on databases opened by the runtime's own
 * `Database.open` (the same lock-down and pool) with one lever changed at a time: DuckDB threads,
 * statements kept prepared per connection, ENUM columns for low-cardinality strings, rows stored in
 * key order or in the common sort's order, no key index. Each variant's tables are loaded by the
 * runtime's own table builders. Rounds interleave the variants (in a rotated order); each figure is
 * the median over rounds of CPU ms per statement (process.cpuUsage: every thread of this process,
 * DuckDB's included) and of the wall p50. Last, reading results: `getRowObjectsJson` against the
 * alternatives that give the same JSON-safe values. The seeded data is never written.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance, DuckDBTypeId, JsonDuckDBValueConverter, type DuckDBResultReader, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { readConfig, REPO_ROOT } from '../cli/config.js';
import { startMesh } from '../cli/mesh/index.js';
import { runBuilds } from '../cli/mesh/runBuilds.js';
import { manifestFiles, readManifest, type DataProduct } from '../schema/index.js';
import { Database, ENUM_MAX_DISTINCT, PREPARED_PER_CONNECTION, type Row } from '../subgraphs/runtime/index.js';
import {
  buildCreateEnum,
  buildCreateIndex,
  buildCreateTable,
  buildDistinctCounts,
  buildLockDown,
  type Column,
  type SqlQuery,
  type TableLayout,
} from '../subgraphs/runtime/sql/index.js';
import { seedSample } from '../subgraphs/sample/index.js';
import { benchEnv } from './benchAccess.js';
import { percentile } from './stats.js';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** The layouts a product table is loaded in. */
type LayoutName = 'base' | 'enum' | 'sorted-key' | 'sorted-common' | 'no-index' | 'combined';

/** One database configuration: DuckDB threads and statements kept prepared per connection. */
interface DbVariant {
  readonly name: string;
  readonly threads: number;
  readonly prepared: number;
}

/** What one variant runs: a database and a table layout. */
interface Variant {
  readonly name: string;
  readonly db: string;
  readonly layout: LayoutName;
  /** The lever this variant changes against the floor, for the report. */
  readonly lever: string;
}

const DBS: readonly DbVariant[] = [
  { name: 't1', threads: 1, prepared: 0 },
  { name: 't2', threads: 2, prepared: 0 },
  { name: 't1-prepared', threads: 1, prepared: PREPARED_PER_CONNECTION },
  { name: 't2-prepared', threads: 2, prepared: PREPARED_PER_CONNECTION },
];

const VARIANTS: readonly Variant[] = [
  { name: 'floor (1 thread)', db: 't1', layout: 'base', lever: 'the one-thread floor: the statement as the runtime runs it, 1 thread' },
  { name: '2 threads (old default)', db: 't2', layout: 'base', lever: 'threads' },
  { name: '1 thread, prepared', db: 't1-prepared', layout: 'base', lever: 'prepared statements' },
  { name: '2 threads, prepared', db: 't2-prepared', layout: 'base', lever: 'prepared statements' },
  { name: '1 thread, ENUM', db: 't1', layout: 'enum', lever: 'ENUM columns' },
  // The bench's versions are written in key order, so this one stores the same order as the floor: an A/A check of the noise.
  { name: '1 thread, key order (A/A)', db: 't1', layout: 'sorted-key', lever: 'sorted load' },
  { name: '1 thread, common-sort order', db: 't1', layout: 'sorted-common', lever: 'sorted load' },
  { name: '1 thread, no key index', db: 't1', layout: 'no-index', lever: 'key index' },
  { name: '1 thread, prepared, ENUM', db: 't1-prepared', layout: 'combined', lever: 'the levers adopted together' },
];

/** A bench shape: the GraphQL of its i-th request. */
interface Shape {
  readonly id: string;
  document(i: number, ctx: { customerIds: readonly string[] }): string;
}

/** The shapes of issue 12's bench, as documents sent to the gateway of an open mesh. */
const SHAPES: readonly Shape[] = [
  { id: 'point', document: (i, ctx) => `{ customer(customerId: ${JSON.stringify(ctx.customerIds[i % ctx.customerIds.length])}) { customerId fullName email country } }` },
  {
    id: 'page20',
    document: (i) =>
      `{ orders(where: { shippingCountry: { eq: ${JSON.stringify(COUNTRIES[i % COUNTRIES.length])} }, totalAmount: { gt: 50 } }, orderBy: [{ orderTs: DESC }], limit: 20, offset: ${20 * (i % 25)}) { orderId orderTs totalAmount status } }`,
  },
  { id: 'aggregate', document: () => '{ ordersAggregate(groupBy: [SHIPPING_COUNTRY, STATUS]) { key { shippingCountry status } count sum { totalAmount } avg { totalAmount } } }' },
  {
    id: 'join50',
    document: (i) => `{ orders(limit: 50, offset: ${50 * ((i * 37) % 200)}) { orderId totalAmount customer { fullName country } payments { paymentId amount status } } }`,
  },
];
const COUNTRIES = ['DE', 'FR', 'US', 'GB', 'NL', 'ES'];
/** Requests per shape whose statements are recorded (and rotated through when replayed). */
const ROTATION = 24;

/** A statement role: one statement of one shape, e.g. the join's key look-up of ~50 customers. */
interface Role {
  readonly id: string;
  readonly statements: SqlQuery[];
}

/** What a statement does, from its text: the role's name within its shape. */
function roleOf(shape: string, q: SqlQuery): string {
  const table = / FROM "([^"]+)__v\d+"/.exec(q.text)?.[1] ?? 'unknown';
  const kind = q.text.includes('row_number() OVER') ? 'reverse list' : q.text.includes('"__match"') ? 'by key' : q.text.includes('GROUP BY') ? 'grouped' : 'page';
  return `${shape}: ${table} ${kind}`;
}

interface Args {
  readonly scale: number;
  readonly rounds: number;
  readonly cellMs: number;
  readonly json?: string;
}

function parse(argv: readonly string[]): Args {
  const { values } = parseArgs({ args: [...argv], options: { scale: { type: 'string' }, rounds: { type: 'string' }, 'cell-ms': { type: 'string' }, json: { type: 'string' } } });
  return { scale: Number(values.scale ?? 1), rounds: Number(values.rounds ?? 5), cellMs: Number(values['cell-ms'] ?? 250), json: values.json };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const dataRoot = path.join(REPO_ROOT, 'bench', 'data', `scale-${args.scale}`);
  const stateDir = path.join(REPO_ROOT, 'bench', 'data', 'state');
  await seedSample({ scale: args.scale, seed: 42, dataRoot, ifMissing: true, log });
  const config = readConfig({ ...benchEnv(process.env, stateDir, 'off'), MESHGATE_HOST: '127.0.0.1', MESHGATE_DATA_DIR: dataRoot, MESHGATE_DUCKDB_MEMORY: '8GB' });
  await buildIfMissing(config);

  log(`recording the runtime's statements (scale ${args.scale}, ${ROTATION} requests per shape)...`);
  const { roles, products } = await recordStatements(config);
  for (const r of roles) log(`  ${r.id}: ${r.statements.length} statements, e.g. ${r.statements[0]!.text.slice(0, 160)}...`);

  log('opening the variant databases and loading their tables...');
  const dbs = new Map<string, Database>();
  const loads: Record<string, Record<string, number>> = {};
  try {
    for (const d of DBS) dbs.set(d.name, await Database.open({ dataDirs: [dataRoot], memoryLimit: '8GB', threads: d.threads, preparedStatements: d.prepared }));
    const layouts = await decideLayouts(products);
    for (const d of DBS) {
      const needed = new Set(VARIANTS.filter((v) => v.db === d.name).map((v) => v.layout));
      for (const layout of needed) loads[`${d.name}/${layout}`] = await loadTables(dbs.get(d.name)!, products, layout, layouts);
    }
    log(`  ENUM columns: ${[...layouts.enumColumns].map(([p, cols]) => `${p}: ${cols.join(', ') || 'none'}`).join('; ')}`);
    log(
      `  load ms per layout (t1): ${Object.entries(loads['t1/base'] ? loads : {})
        .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
        .join('; ')}`,
    );
    const verdicts = await checkSameRows(dbs, roles);

    const results = await measureAll(dbs, roles, args);
    const reading = await measureReading(dataRoot, products, roles);
    const report = {
      scale: args.scale,
      rounds: args.rounds,
      cellMs: args.cellMs,
      variants: VARIANTS,
      enumColumns: Object.fromEntries(layouts.enumColumns),
      loads,
      verdicts,
      results,
      reading,
    };
    process.stdout.write(`${formatReport(report)}\n`);
    if (args.json) {
      await mkdir(path.dirname(args.json), { recursive: true });
      await writeFile(args.json, `${JSON.stringify(report, null, 2)}\n`);
    }
  } finally {
    for (const db of dbs.values()) db.close();
  }
}

/** Builds the sample products where the data root has none yet (as `meshgate bench` does). */
async function buildIfMissing(config: ReturnType<typeof readConfig>): Promise<void> {
  const stores = ['customers/customer-profiles', 'commerce/orders-enriched', 'payments/payments'].map((d) => path.join(config.MESHGATE_DATA_DIR, d));
  if (!(await Promise.all(stores.map(readManifest))).some((m) => m.kind !== 'ok')) return;
  log('building the sample products from their raw sources...');
  const run = await runBuilds(config, [], log);
  if ('cycle' in run || run.outcomes.some((o) => o.status === 'failed')) throw new Error('bench: the sample does not build (see above)');
}

/** A served product: its name, contract columns, key and the files of its served version. */
interface ProductData {
  readonly name: string;
  readonly columns: readonly Column[];
  readonly key: Column;
  readonly files: readonly string[];
  /** The column its common sort orders by (the bench's page sorts orders by orderTs, newest first). */
  readonly commonSort?: { readonly column: Column; readonly descending: boolean };
}

/** Sends each shape's requests to an in-process open mesh and records the statements each runs, by role. */
async function recordStatements(config: ReturnType<typeof readConfig>): Promise<{ roles: Role[]; products: ProductData[] }> {
  const running = await startMesh({ config, ephemeralPorts: true, buildTimers: false, log: () => undefined });
  const { db } = running;
  const query = db.query;
  let current: string | undefined;
  const byRole = new Map<string, SqlQuery[]>();
  db.query = (q) => {
    if (current) {
      const id = roleOf(current, q);
      byRole.set(id, [...(byRole.get(id) ?? []), q]);
    }
    return query.call(db, q);
  };
  const post = async (document: string): Promise<unknown> => {
    const res = await fetch(running.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: document }) });
    const body = (await res.json()) as { data?: unknown; errors?: unknown };
    if (res.status !== 200 || body.errors) throw new Error(`bench: ${document.slice(0, 80)}... failed: ${JSON.stringify(body).slice(0, 300)}`);
    return body.data;
  };
  try {
    const all = (await post('{ customers(limit: 1000) { customerId } }')) as { customers: { customerId: string }[] };
    const customerIds = all.customers.filter((_, i) => i % 40 === 7).map((c) => c.customerId);
    for (const shape of SHAPES) {
      current = shape.id;
      for (let i = 0; i < ROTATION; i++) await post(shape.document(i, { customerIds }));
      current = undefined;
    }
    const products: ProductData[] = [];
    for (const d of running.mesh.domains)
      for (const p of d.products) {
        const files = await servedFiles(p);
        // The levers are measured on one-column keys (the sample's products); a composite-key or keyless product is left out.
        if (!files || p.contract.keys.length !== 1) continue;
        const columns = p.contract.fields.map((f) => ({ name: f.name, type: f.type }));
        const key = columns.find((c) => c.name === p.contract.keys[0])!;
        const ts = columns.find((c) => c.name === 'order_ts');
        products.push({ name: p.name, columns, key, files, ...(ts && { commonSort: { column: ts, descending: true } }) });
      }
    return { roles: [...byRole].map(([id, statements]) => ({ id, statements })), products };
  } finally {
    db.query = query;
    await running.close();
  }
}

async function servedFiles(p: DataProduct): Promise<readonly string[] | undefined> {
  const read = await readManifest(p.storeDir);
  return read.kind === 'ok' ? manifestFiles(p.storeDir, read.manifest) : undefined;
}

/** The ENUM columns of each product, as ProductTable decides them: every non-key string column with 1 to {@link ENUM_MAX_DISTINCT} distinct values. */
async function decideLayouts(products: readonly ProductData[]): Promise<{ enumColumns: Map<string, string[]> }> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const enumColumns = new Map<string, string[]>();
    for (const p of products) {
      const strings = p.columns.filter((col) => col.type === 'string' && col.name !== p.key.name);
      if (strings.length === 0) {
        enumColumns.set(p.name, []);
        continue;
      }
      const [row] = (await c.runAndReadAll(buildDistinctCounts(strings, p.files))).getRowObjectsJson();
      enumColumns.set(
        p.name,
        strings.filter((_, i) => Number(row![`d${i}`]) <= ENUM_MAX_DISTINCT && Number(row![`d${i}`]) > 0).map((col) => col.name),
      );
    }
    return { enumColumns };
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** Loads every product in `layout` as `<product>__<layout>`; returns the load time per product (ms). */
async function loadTables(db: Database, products: readonly ProductData[], layout: LayoutName, decided: { enumColumns: Map<string, string[]> }): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  for (const p of products) {
    const table = tableName(p.name, layout);
    const t0 = performance.now();
    const tableLayout: { enums?: Map<string, string>; orderBy?: TableLayout['orderBy'] } = {};
    if (layout === 'enum' || layout === 'combined') {
      const enums = new Map<string, string>();
      for (const [i, name] of (decided.enumColumns.get(p.name) ?? []).entries()) {
        const type = `${table}__e${i}`;
        await db.exec(
          buildCreateEnum(
            type,
            p.columns.find((c) => c.name === name)!,
            p.files,
          ),
        );
        enums.set(name, type);
      }
      tableLayout.enums = enums;
    }
    if (layout === 'sorted-key') tableLayout.orderBy = [{ column: p.key }];
    if (layout === 'sorted-common') tableLayout.orderBy = p.commonSort ? [p.commonSort, { column: p.key }] : [{ column: p.key }];
    await db.exec(buildCreateTable(table, p.columns, p.files, tableLayout));
    if (layout !== 'no-index') await db.exec(buildCreateIndex(table, p.key));
    times[p.name] = Math.round(performance.now() - t0);
  }
  return times;
}

const tableName = (product: string, layout: LayoutName): string => `${product}__${layout}`;

/** `q` against the variant's tables instead of the recorded mesh's. */
function retarget(q: SqlQuery, layout: LayoutName): SqlQuery {
  return { text: q.text.replace(/"([^"]+)__v\d+"/g, (_, product: string) => `"${tableName(product, layout)}"`), values: q.values };
}

/** How a variant's rows compare with the floor's: the same JSON, the same but for the last digits of some DOUBLE (a sum in another order), or different. */
type Verdict = 'same' | 'doubles differ in their last digits' | 'different';

/** Whether two JSON values are equal, doubles within a relative 1e-12 (`loose`) or exactly. */
function sameJson(a: unknown, b: unknown, loose: boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (loose && Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)));
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i], loose));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return JSON.stringify(ka) === JSON.stringify(Object.keys(b)) && ka.every((k) => sameJson((a as Row)[k], (b as Row)[k], loose));
  }
  return a === b;
}

/**
 * Rows as the runtime consumes them: a key look-up's rows are matched by key and a reverse list's
 * grouped by parent (each group in the statement's order), so only those orders are compared.
 */
function asConsumed(role: Role, rows: Row[]): unknown {
  if (!role.id.endsWith('by key') && !role.id.endsWith('reverse list')) return rows;
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(String(r.__match), [...(groups.get(String(r.__match)) ?? []), r]);
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Compares every variant's answer to every recorded statement with the floor's: rows, their order and their values. */
async function checkSameRows(dbs: ReadonlyMap<string, Database>, roles: readonly Role[]): Promise<Record<string, Record<string, Verdict>>> {
  const floor = VARIANTS[0]!;
  const verdicts: Record<string, Record<string, Verdict>> = {};
  for (const v of VARIANTS.slice(1)) verdicts[v.name] = {};
  for (const role of roles)
    for (const q of role.statements) {
      const expected = asConsumed(role, await dbs.get(floor.db)!.query(retarget(q, floor.layout)));
      for (const v of VARIANTS.slice(1)) {
        const got = asConsumed(role, await dbs.get(v.db)!.query(retarget(q, v.layout)));
        const verdict: Verdict = sameJson(got, expected, false) ? 'same' : sameJson(got, expected, true) ? 'doubles differ in their last digits' : 'different';
        const was = verdicts[v.name]![role.id];
        if (was === undefined || was === 'same' || verdict === 'different') verdicts[v.name]![role.id] = verdict;
      }
    }
  for (const [v, byRole] of Object.entries(verdicts))
    for (const [role, verdict] of Object.entries(byRole)) if (verdict !== 'same') log(`  NOTE: "${v}" answers ${role}: ${verdict}`);
  return verdicts;
}

/** One cell's figures: CPU ms per statement and the wall p50 (ms). */
interface Cell {
  readonly cpuMs: number;
  readonly p50Ms: number;
  readonly statements: number;
}

/** `rounds` interleaved rounds: every variant, every role, at 1 and 16 in flight; medians over rounds. */
async function measureAll(
  dbs: ReadonlyMap<string, Database>,
  roles: readonly Role[],
  args: Args,
): Promise<Record<string, Record<string, { c1: Cell; c16: Cell; rounds: { c1: Cell[]; c16: Cell[] } }>>> {
  const samples = new Map<string, { c1: Cell[]; c16: Cell[] }>();
  const keyOf = (v: Variant, r: Role): string => `${v.name}\u0000${r.id}`;
  // Warm-up: every statement once on every variant (plans, caches, the first page of each table).
  for (const v of VARIANTS) for (const r of roles) for (const q of r.statements) await dbs.get(v.db)!.query(retarget(q, v.layout));
  for (let round = 0; round < args.rounds; round++) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]!);
    log(`  round ${round + 1}/${args.rounds}`);
    for (const r of roles)
      for (const concurrency of [1, 16] as const)
        for (const v of order) {
          const cell = await measureCell(dbs.get(v.db)!, r.statements, v.layout, concurrency, args.cellMs);
          const s = samples.get(keyOf(v, r)) ?? { c1: [], c16: [] };
          (concurrency === 1 ? s.c1 : s.c16).push(cell);
          samples.set(keyOf(v, r), s);
        }
  }
  const out: Record<string, Record<string, { c1: Cell; c16: Cell; rounds: { c1: Cell[]; c16: Cell[] } }>> = {};
  for (const v of VARIANTS) {
    out[v.name] = {};
    for (const r of roles) {
      const s = samples.get(keyOf(v, r))!;
      out[v.name]![r.id] = { c1: medianCell(s.c1), c16: medianCell(s.c16), rounds: s };
    }
  }
  return out;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const medianCell = (cells: readonly Cell[]): Cell => ({
  cpuMs: median(cells.map((c) => c.cpuMs)),
  p50Ms: median(cells.map((c) => c.p50Ms)),
  statements: cells.reduce((n, c) => n + c.statements, 0),
});

/** Runs `statements` round robin from `concurrency` loops for at least `cellMs` (and 20 statements). */
async function measureCell(db: Database, statements: readonly SqlQuery[], layout: LayoutName, concurrency: number, cellMs: number): Promise<Cell> {
  const qs = statements.map((q) => retarget(q, layout));
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const loop = async (): Promise<void> => {
    while (performance.now() - t0 < cellMs || next < 20) {
      const q = qs[next++ % qs.length]!;
      const s = performance.now();
      await db.query(q);
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const cpu = process.cpuUsage(cpu0);
  latencies.sort((a, b) => a - b);
  return { cpuMs: (cpu.user + cpu.system) / 1000 / latencies.length, p50Ms: percentile(latencies, 50), statements: latencies.length };
}

/**
 * Reading results: `getRowObjectsJson` against `getColumns` with one converter per column chosen
 * from its type (the same JSON-safe values: BIGINT and HUGEINT as strings, DATE and TIMESTAMP as
 * text, a non-finite DOUBLE as text, anything else through DuckDB's own JSON converter). The
 * statements' results are read many times over on a plain instance; CPU µs per result.
 */
async function measureReading(
  dataRoot: string,
  products: readonly ProductData[],
  roles: readonly Role[],
): Promise<Record<string, { rows: number; jsonUs: number; columnsUs: number; same: boolean }>> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    // Only the lock-down's memory limit: this instance reads results, it serves nothing.
    await c.run(buildLockDown({ dataDirs: [dataRoot], memoryLimit: '8GB', threads: 1 })[0]!);
    for (const p of products) await c.run(buildCreateTable(tableName(p.name, 'base'), p.columns, p.files));
    const out: Record<string, { rows: number; jsonUs: number; columnsUs: number; same: boolean }> = {};
    for (const r of roles) {
      const readers: DuckDBResultReader[] = [];
      for (const q of r.statements.slice(0, 8)) {
        const x = retarget(q, 'base');
        readers.push(await c.runAndReadAll(x.text, x.values as never));
      }
      const same = readers.every((rd) => JSON.stringify(rd.getRowObjectsJson()) === JSON.stringify(readByColumns(rd)));
      const time = (read: (rd: DuckDBResultReader) => unknown): number => {
        const runs: number[] = [];
        for (let k = 0; k < 7; k++) {
          const cpu0 = process.cpuUsage();
          let n = 0;
          for (let j = 0; j < 25; j++)
            for (const rd of readers) {
              read(rd);
              n++;
            }
          const cpu = process.cpuUsage(cpu0);
          runs.push((cpu.user + cpu.system) / n);
        }
        return median(runs);
      };
      // Interleaved: json, columns, json, columns.
      const json = [time((rd) => rd.getRowObjectsJson()), 0];
      const cols = [time(readByColumns), 0];
      json[1] = time((rd) => rd.getRowObjectsJson());
      cols[1] = time(readByColumns);
      out[r.id] = { rows: median(readers.map((rd) => rd.currentRowCount)), jsonUs: median(json), columnsUs: median(cols), same };
    }
    return out;
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

const asIs = (v: DuckDBValue): unknown => v;
const asText = (v: DuckDBValue): unknown => String(v);
const asJsonNumber = (v: DuckDBValue): unknown => (Number.isFinite(v) ? v : String(v));

/** How a column of `type` reads as JSON-safe values, as `getRowObjectsJson` reads it. */
function columnConverter(type: DuckDBType): (v: DuckDBValue) => unknown {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
      return asIs;
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return asJsonNumber;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.DATE:
    case DuckDBTypeId.TIMESTAMP:
      return asText;
    default:
      return (v) => JsonDuckDBValueConverter(v, type, JsonDuckDBValueConverter);
  }
}

/** The rows of a result as `getRowObjectsJson` gives them, read column by column. */
export function readByColumns(reader: DuckDBResultReader): Row[] {
  const names = reader.deduplicatedColumnNames();
  const convert = reader.columnTypes().map(columnConverter);
  const columns = reader.getColumns();
  const n = reader.currentRowCount;
  const rows: Row[] = new Array<Row>(n);
  for (let i = 0; i < n; i++) {
    const row: Row = {};
    for (let j = 0; j < names.length; j++) {
      const v = columns[j]![i]!;
      row[names[j]!] = v === null ? null : convert[j]!(v);
    }
    rows[i] = row;
  }
  return rows;
}

interface Report {
  readonly scale: number;
  readonly rounds: number;
  readonly cellMs: number;
  readonly variants: readonly Variant[];
  readonly enumColumns: Record<string, string[]>;
  readonly loads: Record<string, Record<string, number>>;
  readonly verdicts: Record<string, Record<string, Verdict>>;
  readonly results: Awaited<ReturnType<typeof measureAll>>;
  readonly reading: Awaited<ReturnType<typeof measureReading>>;
}

/** The report as text: per role, each variant's CPU ms per statement and wall p50 at 1 and 16 in flight, and its CPU against the floor's. */
function formatReport(r: Report): string {
  const lines = [`DuckDB levers, scale ${r.scale}: medians of ${r.rounds} interleaved rounds; CPU ms per statement (x the 1-thread floor), wall p50 ms`];
  const floor = r.results[VARIANTS[0]!.name]!;
  for (const role of Object.keys(floor)) {
    lines.push('', role);
    lines.push(`  ${'variant'.padEnd(30)} ${'CPU c1'.padStart(14)} ${'p50 c1'.padStart(8)} ${'CPU c16'.padStart(14)} ${'p50 c16'.padStart(8)}`);
    for (const v of VARIANTS) {
      const cell = r.results[v.name]![role]!;
      const f = floor[role]!;
      const cpu = (c: Cell, base: Cell): string => `${c.cpuMs.toFixed(3)} (${(c.cpuMs / base.cpuMs).toFixed(2)}x)`;
      const verdict = r.verdicts[v.name]?.[role];
      const note = verdict && verdict !== 'same' ? `  (rows: ${verdict})` : '';
      lines.push(
        `  ${v.name.padEnd(30)} ${cpu(cell.c1, f.c1).padStart(14)} ${cell.c1.p50Ms.toFixed(3).padStart(8)} ${cpu(cell.c16, f.c16).padStart(14)} ${cell.c16.p50Ms.toFixed(3).padStart(8)}${note}`,
      );
    }
  }
  lines.push('', 'reading results (CPU µs per result): getRowObjectsJson / by columns, same values?');
  for (const [role, x] of Object.entries(r.reading)) lines.push(`  ${role} (${x.rows} rows): ${x.jsonUs.toFixed(1)} / ${x.columnsUs.toFixed(1)}, ${x.same ? 'same' : 'DIFFERENT'}`);
  lines.push('', `ENUM columns: ${JSON.stringify(r.enumColumns)}`, `table loads (ms): ${JSON.stringify(r.loads)}`);
  return lines.join('\n');
}

await main();
