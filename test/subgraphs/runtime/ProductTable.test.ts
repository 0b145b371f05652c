import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { REPO_ROOT } from '../../../cli/config.js';
import { loadMesh, meshShapes, type DataProduct, type ProductShape } from '../../../schema/index.js';
import { Database, DEFAULT_LIMITS, ProductTable, type Row } from '../../../subgraphs/runtime/index.js';
import { columnOf, translateOrderBy, translateWhere } from '../../../subgraphs/runtime/graphql/translateArgs.js';
import {
  allOf,
  buildAggregate,
  buildCount,
  buildCreateTable,
  buildReverseList,
  buildSelect,
  buildTableProfile,
  type Column,
  type Condition,
  type Selected,
  type SqlQuery,
} from '../../../subgraphs/runtime/sql/index.js';
import { publishInPlace } from '../../support/publishInPlace.js';

// A product table stores its low-cardinality string columns as ENUM types: every read must answer
// exactly as the same data loaded as VARCHAR does (rows, order, values, the SQL unchanged).
describe('a product table with ENUM columns', () => {
  const dataRoot = mkdtempSync(path.join(tmpdir(), 'meshgate-enum-'));
  let db: Database;
  let product: DataProduct;
  let shape: ProductShape;
  let table: string;
  let served: ProductTable;
  const plain = 'orders_as_varchar';
  const lines: string[] = [];

  // Statuses chosen to catch an ENUM that sorts or compares unlike VARCHAR: case, accents, a quote,
  // LIKE's wildcards as data, an empty string, a prefix of another value; and NULLs.
  const STATUSES = ['paid', 'Paid', 'placed', 'pa_d', 'pa%d', 'é', 'Z', "O'Brien", '', 'paidx'];

  beforeAll(async () => {
    const mesh = await loadMesh(path.join(REPO_ROOT, 'subgraphs'), { dataRoot });
    shape = meshShapes(mesh).find((s) => s.product.name === 'orders-enriched')!;
    product = shape.product;
    mkdirSync(product.storeDir, { recursive: true });
    await writeOrders(path.join(product.storeDir, 'part-0.parquet'), STATUSES);
    const files = await publishInPlace(product);
    db = await Database.open({ dataDirs: [dataRoot], threads: 1 });
    served = new ProductTable(db, product, (l) => lines.push(l), 0);
    table = await served.table();
    await db.exec(buildCreateTable(plain, columns(), files));
  });
  afterAll(() => db.close());

  const columns = (): Column[] => product.contract.fields.map((f) => ({ name: f.name, type: f.type }));
  const col = (field: string): Column => columnOf(shape.fieldNamed(field)!);
  const key = (): Column => col('orderId');
  const selected = (...fields: string[]): Selected[] => ['orderId', ...fields].map((f) => ({ column: col(f), as: f }));
  /** Runs `build(t)` on the ENUM table and on the VARCHAR one; both answers, for comparing. */
  const both = async (build: (t: string) => SqlQuery): Promise<[unknown[], unknown[]]> => [await db.query(build(table)), await db.query(build(plain))];

  it('stores the non-key string columns of at most 256 distinct values as ENUM types, the others as VARCHAR', async () => {
    const types = new Map((await db.exec(`DESCRIBE "${table}"`)).map((r) => [String(r.column_name), String(r.column_type)]));
    expect(types.get('status')).toMatch(/^ENUM\(/);
    expect(types.get('shipping_country')).toMatch(/^ENUM\(/);
    expect(types.get('currency')).toMatch(/^ENUM\(/);
    // A reference with few distinct values too: look-ups of the customers it names bind its values as text.
    expect(types.get('customer_id')).toMatch(/^ENUM\(/);
    // 300 distinct channels, and the key, stay VARCHAR.
    expect(types.get('channel')).toBe('VARCHAR');
    expect(types.get('order_id')).toBe('VARCHAR');
    expect(types.get('total_amount')).toBe('DOUBLE');
  });

  it.each([
    { status: { eq: 'paid' } },
    { status: { eq: 'not-a-status' } },
    { status: { neq: 'paid' } },
    { status: { neq: 'not-a-status' } },
    { status: { in: ['paid', 'not-a-status', "O'Brien"] } },
    { status: { nin: ['paid', ''] } },
    { status: { like: 'pa%' } },
    { status: { like: 'pa\\_d' } },
    { status: { like: 'pa\\%d' } },
    { status: { ilike: 'PA%' } },
    { status: { gt: 'p' } },
    { status: { lte: 'Z' } },
    { status: { isNull: true } },
    { shippingCountry: { isNull: false }, status: { gte: '' } },
    { or: [{ status: { eq: 'é' } }, { not: { shippingCountry: { in: ['DE', 'FR'] } } }] },
    { shippingCountry: { like: '%E' }, currency: { eq: 'EUR' } },
  ])('filters %j exactly as the VARCHAR table does', async (where) => {
    const condition = translateWhere(where, shape, DEFAULT_LIMITS)!;
    const spec = (t: string) => ({ table: t, columns: selected('status', 'shippingCountry'), where: condition, orderBy: [], order: [key()] });
    const [rows, expected] = await both((t) => buildSelect(spec(t), 1000, 0));
    expect(rows).toEqual(expected);
    const [count, expectedCount] = await both((t) => buildCount(t, condition));
    expect(count).toEqual(expectedCount);
  });

  it.each(['ASC', 'DESC', 'ASC_NULLS_FIRST', 'DESC_NULLS_LAST'])('sorts by an ENUM column %s as by the VARCHAR, page by page', async (direction) => {
    const orderBy = translateOrderBy([{ status: direction }, { shippingCountry: 'DESC' }], shape);
    for (const offset of [0, 37, 290]) {
      const [rows, expected] = await both((t) =>
        buildSelect({ table: t, columns: selected('status', 'shippingCountry', 'totalAmount'), where: allOf(), orderBy, order: [key()] }, 25, offset),
      );
      expect(rows).toEqual(expected);
    }
  });

  it('groups and aggregates by ENUM columns in the same order, with the same figures', async () => {
    const groupBy = ['status', 'shippingCountry'].map((f) => ({ column: col(f), as: `key.${f}` }));
    const aggregates = [
      { fn: 'sum' as const, column: col('totalAmount'), as: 'sum.totalAmount' },
      { fn: 'min' as const, column: col('status'), as: 'min.status' },
      { fn: 'max' as const, column: col('currency'), as: 'max.currency' },
    ];
    const where: Condition = { kind: 'compare', column: col('status'), op: 'neq', value: 'Z' };
    const [rows, expected] = await both((t) => buildAggregate(t, groupBy, aggregates, where, 1000));
    expect(rows.length).toBeGreaterThan(10);
    expect(rows).toEqual(expected);
  });

  it.each(['redact', 'hash', 'last4', 'email', 'null'] as const)('reads an ENUM column through the %s mask as the VARCHAR reads', async (mask) => {
    const columns: Selected[] = [...selected('shippingCountry'), { column: col('status'), as: 'status', mask: { name: mask, key: 'a-secret-of-at-least-32-bytes!!!' } }];
    const orderBy = translateOrderBy([{ status: 'DESC' }], shape);
    const [rows, expected] = await both((t) => buildSelect({ table: t, columns, where: allOf(), orderBy, order: [key()] }, 50, 10));
    expect(rows).toEqual(expected);
  });

  it('lists the rows referencing each parent through an ENUM reference as through the VARCHAR one', async () => {
    const orderBy = translateOrderBy([{ status: 'ASC' }], shape);
    const parents = ['C-001', 'C-007', 'C-039', 'not-a-customer'];
    const [rows, expected] = await both((t) =>
      buildReverseList(
        { table: t, columns: selected('status', 'totalAmount'), where: allOf(), orderBy, order: [key()] },
        [col('customerId')],
        parents.map((p) => [p]),
        3,
      ),
    );
    // The runtime groups a reverse list's rows by parent, each group in the statement's order.
    const byParent = (r: unknown[]) => parents.map((p) => (r as Row[]).filter((x) => x.__match === p));
    expect(byParent(rows)).toEqual(byParent(expected));
    expect(byParent(rows).map((g) => g.length)).toEqual([3, 3, 3, 0]);
  });

  it("profiles ENUM columns as VARCHAR ones (the catalog's distinct counts, minimum and maximum)", async () => {
    const profiled = ['status', 'shipping_country', 'currency', 'channel'].map((name) => ({ name, ordered: true }));
    const [rows, expected] = await both((t) => buildTableProfile(t, profiled, allOf()));
    expect(rows).toEqual(expected);
  });

  it('drops the ENUM types of a version it refuses, and keeps serving the previous one with its own', async () => {
    const typesNow = async (): Promise<string[]> =>
      (await db.exec("SELECT type_name FROM duckdb_types() WHERE type_name LIKE 'orders-enriched__%' ORDER BY 1")).map((r) => String(r.type_name));
    const before = await typesNow();
    // customer_id (40 distinct), status, currency and shipping_country: the string columns 0, 1, 3 and 4 after the key.
    expect(before).toEqual([0, 1, 3, 4].map((i) => `${table}__enum${i}`));
    // A second version whose Parquet repeats a key: refused after its ENUM types were made.
    mkdirSync(path.join(product.storeDir, 'v2'));
    await writeOrders(path.join(product.storeDir, 'v2', 'part-0.parquet'), ['other', 'values'], true);
    await publishInPlace(product);
    await expect(served.table()).resolves.toBe(table);
    expect(lines.join('\n')).toMatch(/repeat a key/);
    expect(await typesNow()).toEqual(before);
    const [rows, expected] = await both((t) => buildSelect({ table: t, columns: selected('status'), where: allOf(), orderBy: [], order: [key()] }, 1000, 0));
    expect(rows).toEqual(expected);
  });
});

/** Writes 300 orders: statuses cycling through `statuses` (every 7th NULL), 300 distinct channels, 5 currencies; `repeatKey` repeats one order id. */
async function writeOrders(file: string, statuses: readonly string[], repeatKey = false): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  try {
    const list = `[${statuses.map((s) => `'${s.replaceAll("'", "''")}'`).join(', ')}]`;
    await c.run(`COPY (SELECT
        CASE WHEN ${repeatKey} AND i = 2 THEN 'O-0001' ELSE printf('O-%04d', i) END AS order_id,
        printf('C-%03d', i % 40) AS customer_id,
        TIMESTAMP '2026-01-01' + to_minutes(i * 7) AS order_ts,
        DATE '2026-01-01' + (i % 30)::INTEGER AS order_date,
        CASE WHEN i % 7 = 0 THEN NULL ELSE ${list}[1 + i % ${statuses.length}] END AS status,
        printf('channel-%03d', i) AS channel,
        (1 + i % 5)::INTEGER AS item_count,
        round(10 + (i * 37 % 1000) / 7.0, 2)::DOUBLE AS total_amount,
        CASE WHEN i % 3 = 0 THEN NULL ELSE 1.5 END::DOUBLE AS discount_amount,
        ['EUR', 'USD', 'GBP', 'CHF', 'SEK'][1 + i % 5] AS currency,
        CASE WHEN i % 11 = 0 THEN NULL ELSE ['DE', 'FR', 'US', 'de', 'AT', 'GB'][1 + i % 6] END AS shipping_country
      FROM range(1, 301) r(i)) TO '${file}' (FORMAT parquet)`);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}
