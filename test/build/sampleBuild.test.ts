/**
 * The sample mesh built as a real mesh: `meshgate seed` writes the raw operational sources, and the
 * real build pipeline (test/support/builtSample.ts: buildProducts, the real policy, an access log
 * kept in memory) makes the three products from them with the domains' transforms. The products
 * are read back from their published versions and checked against the raw sources they came from.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readManifest, type VersionRecord } from '../../schema/index.js';
import { testContracts } from '../../subgraphs/runtime/contracts/index.js';
import { buildProducts } from '../../subgraphs/runtime/index.js';
import { buildSample, servedFiles, type BuiltSample } from '../support/builtSample.js';

const NOW = new Date('2025-06-01T12:00:00Z');

let temp: string;
let sample: BuiltSample;
let instance: DuckDBInstance;
let db: DuckDBConnection;

const literal = (file: string): string => `'${file.replaceAll("'", "''")}'`;

/** A product's served version, as a table expression. */
async function served(name: string): Promise<string> {
  return `read_parquet([${(await servedFiles(sample.products.get(name)!)).map(literal).join(', ')}])`;
}

/** The record of a product's served version. */
async function record(name: string): Promise<VersionRecord> {
  const product = sample.products.get(name)!;
  const read = await readManifest(product.storeDir);
  if (read.kind !== 'ok') throw new Error(`${name} serves nothing: ${read.kind}`);
  return JSON.parse(await readFile(path.join(product.storeDir, 'versions', read.manifest.version, 'version.json'), 'utf8')) as VersionRecord;
}

const landing = (...parts: string[]) => path.join(temp, 'landing', ...parts);

async function query(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJS();
}

async function scalar(sql: string): Promise<unknown> {
  const [row] = await query(sql);
  return row ? Object.values(row)[0] : undefined;
}

/** The dump's rows (the orders table's final state) as a table expression with the table's columns. */
async function dumpTable(): Promise<string> {
  const text = await readFile(landing('commerce', 'orders-db.sql'), 'utf8');
  const body = text.slice(text.indexOf('FROM stdin;\n') + 'FROM stdin;\n'.length, text.indexOf('\\.\n'));
  const file = path.join(temp, 'orders-table.tsv');
  await writeFile(file, body);
  const columns =
    "{'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'order_ts': 'TIMESTAMPTZ', 'status': 'VARCHAR', 'channel': 'VARCHAR', 'item_count': 'INTEGER', 'total_amount': 'DECIMAL(10,2)', 'discount_amount': 'DECIMAL(10,2)', 'currency': 'VARCHAR', 'ship_to_country': 'VARCHAR', 'updated_at': 'TIMESTAMPTZ'}";
  return `read_csv(${literal(file)}, delim = '\t', header = false, nullstr = '\\N', columns = ${columns})`;
}

beforeAll(async () => {
  temp = await mkdtemp(path.join(os.tmpdir(), 'meshgate-sample-build-'));
  sample = await buildSample(temp, { scale: 0.02, now: NOW });
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
  await db.run("SET TimeZone = 'UTC'");
});

afterAll(async () => {
  db?.closeSync();
  instance?.closeSync();
  await rm(temp, { recursive: true, force: true });
});

describe('the sample mesh built from its raw sources', () => {
  it("builds customer-profiles, then orders-enriched, then its lines, payments and the lines' shipment events, and publishes each", () => {
    expect(sample.outcomes.map((o) => [o.product, o.status, o.status === 'failed' ? o.message : ''])).toEqual([
      ['customer-profiles', 'published', ''],
      ['orders-enriched', 'published', ''],
      ['order-lines', 'published', ''],
      ['payments', 'published', ''],
      ['shipment-events', 'published', ''],
    ]);
    const rows = new Map(sample.outcomes.map((o) => [o.product, o.status === 'published' ? o.rows : 0]));
    expect([rows.get('customer-profiles'), rows.get('orders-enriched'), rows.get('payments')]).toEqual([200, 2_000, 2_000]);
  });

  it("adds each order's lines up to its total to the cent, in DECIMAL", async () => {
    const [row] = await query(
      `SELECT count(*) AS orders, count(*) FILTER (l.total <> CAST(o.total_amount AS DECIMAL(12, 2))) AS wrong, any_value(typeof(l.total)) AS type
       FROM (SELECT order_id, sum(line_amount) AS total FROM ${await served('order-lines')} GROUP BY order_id) l JOIN ${await served('orders-enriched')} o USING (order_id)`,
    );
    expect(row).toEqual({ orders: expect.any(BigInt), wrong: 0n, type: 'DECIMAL(38,2)' });
    expect(Number(row!.orders)).toBeGreaterThan(1_900);
  });

  it("keeps an account's latest CRM version, its email tidied, its consent a boolean", async () => {
    const crm = `read_csv(${literal(landing('customers', 'crm-accounts', '*.csv'))}, all_varchar = true, filename = true)`;
    const [row] = await query(
      `WITH raw AS (SELECT *, filename LIKE '%-full.csv' AS full_export FROM ${crm}),
        changed AS (SELECT n.* FROM raw n JOIN raw o USING (customer_id) WHERE o.full_export AND NOT n.full_export)
       SELECT (SELECT count(*) FROM changed) AS changed,
         (SELECT count(*) FROM changed c JOIN ${await served('customer-profiles')} p USING (customer_id)
           WHERE p.email = lower(trim(c.email)) AND p.lifetime_value = CAST(c.lifetime_value AS DOUBLE)
             AND p.segment = c.segment AND p.marketing_opt_in = (c.marketing_opt_in = 'Y')) AS latest_kept,
         (SELECT count(*) FROM ${await served('customer-profiles')} WHERE email <> lower(trim(email))) AS untidy,
         (SELECT count(*) FROM raw WHERE email <> lower(trim(email))) AS untidy_raw`,
    );
    expect(Number(row?.changed)).toBeGreaterThan(2);
    expect(row?.latest_kept).toBe(row?.changed);
    expect(row?.untidy).toBe(0n);
    expect(Number(row?.untidy_raw)).toBeGreaterThan(5);
  });

  it('holds every order of the orders table in its final status, and none of the deleted test orders', async () => {
    const orders = await served('orders-enriched');
    const table = await dumpTable();
    expect(await scalar(`SELECT count(*) FROM ${orders} WHERE order_id LIKE 'T%'`)).toBe(0n);
    const [row] = await query(
      `SELECT (SELECT count(*) FROM ${table}) AS in_table, (SELECT count(*) FROM ${orders}) AS in_product,
         (SELECT count(*) FROM ${table} t JOIN ${orders} o USING (order_id)
           WHERE o.status = t.status AND o.order_ts = CAST(t.order_ts AS TIMESTAMP) AND o.total_amount = CAST(t.total_amount AS DOUBLE)
             AND o.discount_amount IS NOT DISTINCT FROM CAST(t.discount_amount AS DOUBLE) AND o.order_date = CAST(CAST(t.order_ts AS TIMESTAMP) AS DATE)) AS same`,
    );
    expect(row).toEqual({ in_table: 2_000n, in_product: 2_000n, same: 2_000n });
    const stream = `read_json(${literal(landing('commerce', 'orders-db', '*.jsonl'))}, format = 'newline_delimited')`;
    expect(await scalar(`SELECT list(before->>'order_id' ORDER BY lsn) FROM ${stream} WHERE op = 'd'`)).toEqual(['T000000002', 'T000000001']);
  });

  it("ships an order to its customer's country when the order system has none", async () => {
    const [row] = await query(
      `SELECT count(*) FILTER (t.ship_to_country IS NULL) AS domestic, count(*) FILTER (t.ship_to_country IS NOT NULL) AS abroad,
         count(*) FILTER (o.shipping_country = coalesce(t.ship_to_country, c.country)) AS right
       FROM ${await dumpTable()} t JOIN ${await served('orders-enriched')} o USING (order_id) JOIN ${await served('customer-profiles')} c ON c.customer_id = t.customer_id`,
    );
    expect(Number(row?.domestic)).toBeGreaterThan(1_800);
    expect(Number(row?.abroad)).toBeGreaterThan(20);
    expect(row?.right).toBe(2_000n);
  });

  it("keeps only the payments of known orders, amounts from minor units, statuses in the contract's words", async () => {
    const psp = `read_json(${literal(landing('payments', 'psp-settlements', '*.jsonl'))}, format = 'newline_delimited')`;
    const payments = await served('payments');
    const [row] = await query(
      `SELECT (SELECT count(*) FROM ${psp}) AS reported, (SELECT count(*) FROM ${psp} WHERE order_id LIKE 'T%') AS of_test_orders,
         (SELECT count(*) FROM ${payments}) AS kept, (SELECT count(*) FROM ${payments} WHERE payment_id LIKE 'PT%' OR amount <> amount_cents / 100) AS wrong,
         (SELECT list(DISTINCT status ORDER BY status) FROM ${payments}) AS statuses`,
    );
    expect(row).toEqual({ reported: 2_002n, of_test_orders: 2n, kept: 2_000n, wrong: 0n, statuses: ['authorized', 'captured', 'failed', 'refunded'] });
  });

  it("records the commerce domain's read of customer-profiles in the access log, PII masked", () => {
    const read = sample.facts.find((f) => f.subject === 'service:commerce');
    expect(read).toMatchObject({
      products: 'customer-profiles',
      purpose: 'analytics',
      operation_type: 'build',
      operation_name: 'build orders-enriched',
      decision: 'mask',
      status: 'ok',
      pii_unmasked: '',
      pii_unmasked_count: 0,
      rows_total: 200,
    });
    expect(read?.masks_applied.split(',')).toEqual([
      'customer-profiles.birth_date=year',
      'customer-profiles.email=email',
      'customer-profiles.full_name=redact',
      'customer-profiles.phone=last4',
    ]);
    expect(read?.fields_read.split(',')).toContain('customer-profiles.country');
    expect(sample.facts.find((f) => f.subject === 'service:payments')).toMatchObject({ products: 'orders-enriched', purpose: 'finance', decision: 'allow', rows_total: 2_000 });
    // The commerce domain reads its own orders for its lines and shipment events, and the lines for the events: a struct member masked is recorded as masked.
    const lines = sample.facts.find((f) => f.products === 'order-lines');
    expect(lines).toMatchObject({
      subject: 'service:commerce',
      operation_name: 'build shipment-events',
      decision: 'mask',
      masks_applied: 'order-lines.ship_to.postal_code=redact',
      pii_unmasked: '',
    });
    expect(sample.facts).toHaveLength(5);
  });

  it('records what each version read: the landing files, the change stream to its position, the upstream version masked', async () => {
    const orders = await record('orders-enriched');
    expect(orders.inputs).toEqual([
      expect.objectContaining({ source: 'orders-db', type: 'postgres-cdc', rows: 2_000, checkpoint: expect.stringMatching(/^lsn \d+ \(\d+ new change\(s\)\)$/) }),
      expect.objectContaining({
        source: 'customer-profiles',
        type: 'data-product',
        rows: 200,
        masked: { full_name: 'redact', email: 'email', phone: 'last4', birth_date: 'year' },
      }),
    ]);
    expect((await record('customer-profiles')).inputs).toEqual([expect.objectContaining({ source: 'crm-accounts', type: 'files', checkpoint: '2 file(s)' })]);
  });

  it('passes the customers contract tests on the built version', async () => {
    const report = await testContracts([sample.products.get('customer-profiles')!], { mesh: sample.products, now: new Date() });
    expect(report.results.filter((r) => !r.pass)).toEqual([]);
    expect(report.products).toEqual([{ name: 'customer-profiles', rows: 200 }]);
    expect(sample.outcomes.map((o) => (o.status === 'published' ? o.warnings : o.findings))).toEqual([[], [], [], [], []]);
  });

  it('builds the same orders again from the mirror when the stream has no new change', async () => {
    const before = await query(`SELECT * FROM ${await served('orders-enriched')} ORDER BY order_id`);
    const run = await buildProducts([sample.products.get('orders-enriched')!], sample.env);
    if ('cycle' in run) throw new Error('cycle');
    expect(run.outcomes.map((o) => o.status)).toEqual(['published']);
    expect((await record('orders-enriched')).inputs[0]?.checkpoint).toMatch(/\(0 new change\(s\)\)$/);
    expect(await query(`SELECT * FROM ${await served('orders-enriched')} ORDER BY order_id`)).toEqual(before);
  });
});
