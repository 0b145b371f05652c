/** The sample-data generators and `meshgate seed`, checked from the outside with a separate DuckDB. */
import { mkdtemp, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { REPO_ROOT } from '../../cli/config.js';
import { main } from '../../cli/main.js';
import { loadDataProduct, type LogicalType } from '../../schema/index.js';
import { generate as generateOrders } from '../../subgraphs/commerce/generate.js';
import { generate as generateCustomers } from '../../subgraphs/customers/generate.js';
import { generate as generatePayments } from '../../subgraphs/payments/generate.js';
import { seedSample } from '../../subgraphs/sample/index.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const DOMAINS = ['customers', 'commerce', 'payments'] as const;
const DUCKDB_TYPE: Record<LogicalType, string> = {
  string: 'VARCHAR',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  decimal: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

let temp: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

function files(root: string) {
  return {
    customers: path.join(root, 'customers/customer-profiles/data.parquet'),
    commerce: path.join(root, 'commerce/orders-enriched/data.parquet'),
    payments: path.join(root, 'payments/payments/data.parquet'),
  };
}
const a = () => files(path.join(temp, 'a'));

async function seed(dir: string, options: { seed?: number; scale?: number; ifMissing?: boolean } = {}): Promise<string[]> {
  const lines: string[] = [];
  await seedSample({
    scale: options.scale ?? 0.05,
    seed: options.seed ?? 42,
    dataRoot: path.join(temp, dir),
    ifMissing: options.ifMissing ?? false,
    log: (l) => lines.push(l),
    now: NOW,
  });
  return lines;
}

async function query(sql: string, values?: Record<string, string>): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql, values)).getRowObjectsJS();
}

async function scalar(sql: string, values?: Record<string, string>): Promise<unknown> {
  const [row] = await query(sql, values);
  return row ? Object.values(row)[0] : undefined;
}

/** Runs the CLI, capturing what it writes. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const [write1, write2] = [process.stdout.write, process.stderr.write];
  process.stdout.write = ((chunk: string) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => err.push(String(chunk)) > 0) as typeof process.stderr.write;
  try {
    return { code: await main(args), stdout: out.join(''), stderr: err.join('') };
  } finally {
    [process.stdout.write, process.stderr.write] = [write1, write2];
  }
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let k = 0; k < digits.length; k++) {
    let d = Number(digits[digits.length - 1 - k]);
    if (k % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

beforeAll(async () => {
  temp = await mkdtemp(path.join(os.tmpdir(), 'meshgate-seed-'));
  await seed('a');
  await seed('b');
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});

afterAll(async () => {
  db?.closeSync();
  instance?.closeSync();
  await rm(temp, { recursive: true, force: true });
});

describe('seedSample', () => {
  it('writes 500 customers, 5,000 orders and 5,000 payments at scale 0.05', async () => {
    const f = a();
    expect(await scalar('SELECT count(*) FROM read_parquet($f)', { f: f.customers })).toBe(500n);
    expect(await scalar('SELECT count(*) FROM read_parquet($f)', { f: f.commerce })).toBe(5_000n);
    expect(await scalar('SELECT count(*) FROM read_parquet($f)', { f: f.payments })).toBe(5_000n);
  });

  it('writes unique, zero-padded keys in key order', async () => {
    for (const [file, key, pattern] of [
      [a().customers, 'customer_id', '^C\\d{7}$'],
      [a().commerce, 'order_id', '^O\\d{9}$'],
      [a().payments, 'payment_id', '^P\\d{9}$'],
    ] as const) {
      const [row] = await query(
        `SELECT count(*) AS n, count(DISTINCT ${key}) AS distinct_keys, count(*) FILTER (NOT regexp_full_match(${key}, $pattern)) AS malformed,
           count(*) FILTER (${key} <= prev) AS out_of_order
         FROM (SELECT ${key}, lag(${key}) OVER (ORDER BY file_row_number) AS prev FROM read_parquet($f, file_row_number = true))`,
        { f: file, pattern },
      );
      expect(row?.distinct_keys).toBe(row?.n);
      expect({ key, malformed: row?.malformed, out_of_order: row?.out_of_order }).toEqual({ key, malformed: 0n, out_of_order: 0n });
    }
    expect(await scalar('SELECT min(customer_id) FROM read_parquet($f)', { f: a().customers })).toBe('C0000001');
  });

  it('references only customers that exist', async () => {
    const orphans = 'SELECT count(*) FROM read_parquet($o) o ANTI JOIN read_parquet($c) c USING (customer_id)';
    expect(await scalar(orphans, { o: a().commerce, c: a().customers })).toBe(0n);
  });

  it('settles only orders that exist, about one payment per order', async () => {
    const orphans = 'SELECT count(*) FROM read_parquet($p) p ANTI JOIN read_parquet($o) o USING (order_id)';
    expect(await scalar(orphans, { p: a().payments, o: a().commerce })).toBe(0n);
    const perOrder = await query(
      `SELECT n, count(*) AS orders FROM (SELECT order_id, count(payment_id) AS n FROM read_parquet($o) o LEFT JOIN read_parquet($p) p USING (order_id) GROUP BY ALL)
       GROUP BY n ORDER BY n`,
      { o: a().commerce, p: a().payments },
    );
    const orders = Object.fromEntries(perOrder.map((r) => [String(r.n), Number(r.orders)]));
    expect(orders['1']).toBeGreaterThan(4_700);
    expect(Object.keys(orders).every((n) => ['0', '1', '2'].includes(n))).toBe(true);
  });

  it('writes the columns, types, required values and enums each contract declares', async () => {
    for (const domain of DOMAINS) {
      const loaded = await loadDataProduct(path.join(REPO_ROOT, 'subgraphs', domain, 'data-product.yaml'), { dataRoot: path.join(temp, 'a') });
      if (loaded.errors) throw new Error(JSON.stringify(loaded.errors));
      const { fields } = loaded.value.contract;
      const described = await query('DESCRIBE SELECT * FROM read_parquet($f)', { f: a()[domain] });
      expect(described.map((c) => `${c.column_name} ${c.column_type}`)).toEqual(fields.map((f) => `${f.name} ${DUCKDB_TYPE[f.type]}`));
      for (const f of fields) {
        if (!f.nullable)
          expect([domain, f.name, await scalar(`SELECT count(*) FILTER (${f.name} IS NULL) FROM read_parquet($f)`, { f: a()[domain] })]).toEqual([domain, f.name, 0n]);
        if (f.enum) {
          const values = await query(`SELECT DISTINCT ${f.name} AS v FROM read_parquet($f)`, { f: a()[domain] });
          expect(values.map((r) => r.v).filter((v) => !f.enum?.includes(String(v)))).toEqual([]);
        }
      }
    }
  });

  it('leaves some nulls in the nullable columns, at about the intended rates', async () => {
    const rate = (file: string, column: string) => scalar(`SELECT avg(CASE WHEN ${column} IS NULL THEN 1 ELSE 0 END) FROM read_parquet($f)`, { f: file });
    expect(await rate(a().customers, 'phone')).toBeGreaterThan(0.01);
    expect(await rate(a().customers, 'phone')).toBeLessThan(0.12);
    expect(await rate(a().customers, 'birth_date')).toBeGreaterThan(0.002);
    expect(await rate(a().customers, 'birth_date')).toBeLessThan(0.08);
    expect(await rate(a().commerce, 'discount_amount')).toBeGreaterThan(0.6);
    expect(await rate(a().commerce, 'discount_amount')).toBeLessThan(0.8);
  });

  it('fills card_number exactly when the method is card, with Luhn-valid 16-digit numbers', async () => {
    const mismatched = "SELECT count(*) FROM read_parquet($f) WHERE (method = 'card') <> (card_number IS NOT NULL)";
    expect(await scalar(mismatched, { f: a().payments })).toBe(0n);
    const cards = await query("SELECT DISTINCT card_number AS n FROM read_parquet($f) WHERE method = 'card'", { f: a().payments });
    expect(cards.length).toBeGreaterThan(100);
    expect(cards.map((r) => String(r.n)).filter((n) => !/^[45]\d{15}$/.test(n) || !luhnValid(n))).toEqual([]);
  });

  it('writes names with apostrophes and accents, and plain-ASCII emails derived from them', async () => {
    const [row] = await query(
      `SELECT count(*) FILTER (full_name LIKE '%''%') AS apostrophes, count(*) FILTER (NOT regexp_full_match(full_name, '[ -~]*')) AS non_ascii,
         count(*) FILTER (NOT regexp_full_match(email, '[a-z]+\\.[a-z]+[0-9]+@[a-z]+\\.[a-z]+')) AS bad_emails,
         count(*) FILTER (NOT regexp_full_match(phone, '\\+[1-9][0-9]{9,13}')) AS bad_phones,
         count(*) FILTER (birth_date < DATE '1940-01-01' OR birth_date > DATE '2007-12-31') AS bad_births
       FROM read_parquet($f)`,
      { f: a().customers },
    );
    expect(row).toEqual({ apostrophes: expect.any(BigInt), non_ascii: expect.any(BigInt), bad_emails: 0n, bad_phones: 0n, bad_births: 0n });
    expect(row?.apostrophes).toBeGreaterThan(0n);
    expect(row?.non_ascii).toBeGreaterThan(0n);
  });

  it("places orders in the year before now, after the customer's signup, with order_date their UTC day", async () => {
    const [row] = await query(
      `SELECT count(*) FILTER (o.order_ts > $now::TIMESTAMP OR o.order_ts < $now::TIMESTAMP - INTERVAL 366 DAY) AS outside_year,
         count(*) FILTER (o.order_ts < c.signup_at) AS before_signup, count(*) FILTER (o.order_date <> o.order_ts::DATE) AS wrong_date,
         count(*) FILTER (o.discount_amount >= o.total_amount OR o.total_amount NOT BETWEEN 5 AND 2000 OR o.item_count NOT BETWEEN 1 AND 12) AS bad_amounts
       FROM read_parquet($o) o JOIN read_parquet($c) c USING (customer_id)`,
      { o: a().commerce, c: a().customers, now: '2025-06-01 12:00:00' },
    );
    expect(row).toEqual({ outside_year: 0n, before_signup: 0n, wrong_date: 0n, bad_amounts: 0n });
  });

  it("charges each order's total less its discount, in the order's currency, after the order", async () => {
    const wrong = `SELECT count(*) FROM read_parquet($p) p JOIN read_parquet($o) o USING (order_id)
      WHERE abs(p.amount - (o.total_amount - coalesce(o.discount_amount, 0))) > 0.005 OR p.amount_cents <> round(p.amount * 100)
        OR p.currency <> o.currency OR p.paid_at <= o.order_ts OR p.paid_at > o.order_ts + INTERVAL 1 HOUR`;
    expect(await scalar(wrong, { p: a().payments, o: a().commerce })).toBe(0n);
  });

  it('writes byte-identical files for the same seed and scale', async () => {
    const b = files(path.join(temp, 'b'));
    for (const domain of DOMAINS) expect((await readFile(a()[domain])).equals(await readFile(b[domain]))).toBe(true);
  });

  it('writes the same bytes whatever the thread count', async () => {
    for (const threads of ['1', '4']) {
      const inst = await DuckDBInstance.create(':memory:', { threads });
      const connection = await inst.connect();
      const f = files(path.join(temp, `threads-${threads}`));
      const base = { scale: 0.05, seed: 42, now: NOW };
      await generateCustomers(connection, { ...base, outFile: f.customers });
      await generateOrders(connection, { ...base, outFile: f.commerce, inputs: { 'customer-profiles': f.customers } });
      await generatePayments(connection, { ...base, outFile: f.payments, inputs: { 'orders-enriched': f.commerce } });
      connection.closeSync();
      inst.closeSync();
      for (const domain of DOMAINS) expect([domain, (await readFile(f[domain])).equals(await readFile(a()[domain]))]).toEqual([domain, true]);
    }
  });

  it('writes different values for a different seed', async () => {
    await seed('c', { seed: 7 });
    const differing = 'SELECT count(*) FROM read_parquet($x) x JOIN read_parquet($y) y USING (customer_id) WHERE x.full_name <> y.full_name';
    expect(await scalar(differing, { x: a().customers, y: files(path.join(temp, 'c')).customers })).toBeGreaterThan(400n);
  });

  it('keeps existing outputs with ifMissing, and rebuilds those downstream of a missing one', async () => {
    await seed('d', { scale: 0.01 });
    const d = files(path.join(temp, 'd'));
    const before = (await stat(d.customers)).mtimeMs;
    expect(await seed('d', { scale: 0.01, ifMissing: true })).toEqual(DOMAINS.map((x) => expect.stringMatching(new RegExp(`^seeding ${x}: kept .*\\(exists\\)$`))));
    expect((await stat(d.customers)).mtimeMs).toBe(before);
    await unlink(d.commerce);
    const lines = await seed('d', { scale: 0.01, ifMissing: true });
    expect(lines).toEqual([
      expect.stringMatching(/^seeding customers: kept/),
      expect.stringMatching(/^seeding commerce: 1,000 rows in/),
      expect.stringMatching(/^seeding payments: 1,000 rows in/),
    ]);
  });

  it('refuses a scale that is not a positive number, naming it', async () => {
    await expect(seedSample({ scale: 0, seed: 42, dataRoot: temp, ifMissing: false, log: () => undefined })).rejects.toThrow(/scale must be a positive number, got 0/);
  });
});

describe('meshgate seed', () => {
  it.each([['0'], ['-1'], ['abc'], ['']])('exits with 2 for --scale=%s', async (scale) => {
    const { code, stderr } = await cli(['seed', `--scale=${scale}`]);
    expect(code).toBe(2);
    expect(stderr).toContain('--scale must be a positive number');
  });

  it('exits with 2 for --scale 0 and an unknown option', async () => {
    expect((await cli(['seed', '--scale', '0'])).code).toBe(2);
    expect((await cli(['seed', '--rows', '5'])).code).toBe(2);
  });

  it('prints progress on stderr and one summary line on stdout', async () => {
    const dir = path.join(temp, 'cli');
    const { code, stdout, stderr } = await cli(['seed', '--scale', '0.01', '--seed', '3', '--data-dir', dir]);
    expect(code).toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^seeding customers: 100 rows in \d+\.\d s$/),
      expect.stringMatching(/^seeding commerce: 1,000 rows in \d+\.\d s$/),
      expect.stringMatching(/^seeding payments: 1,000 rows in \d+\.\d s$/),
    ]);
    expect(stdout).toMatch(/^seeded 3 of 3 products \(2,100 rows\) into .+ in \d+\.\d s\n$/);
    expect(await readdir(path.dirname(files(dir).payments))).toEqual(['data.parquet']);
  });
});
