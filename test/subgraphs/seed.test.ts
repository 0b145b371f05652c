/** The sample generators and `meshgate seed`: the raw operational sources they write, read back from the files as a CDC consumer or an ETL job would. */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { generator as commerce } from '../../subgraphs/commerce/generate.js';
import { generator as customers } from '../../subgraphs/customers/generate.js';
import { generator as payments } from '../../subgraphs/payments/generate.js';
import type { SampleGenerator } from '../../subgraphs/runtime/sampleData.js';
import { seedSample } from '../../subgraphs/sample/index.js';
import { cli } from '../support/cli.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const LIFECYCLES = [
  ['placed', 'paid', 'shipped', 'delivered', 'returned'],
  ['placed', 'cancelled'],
];

/** A change record as the stream holds it. */
interface Change {
  readonly before: Record<string, unknown> | null;
  readonly after: Record<string, unknown> | null;
  readonly source: { readonly table: string; readonly snapshot: boolean };
  readonly op: 'c' | 'r' | 'u' | 'd';
  readonly lsn: number;
  readonly ts_ms: number;
  readonly file: string;
}

let temp: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

const root = (dir: string) => path.join(temp, dir);
const landing = (dir: string, ...parts: string[]) => path.join(root(dir), 'landing', ...parts);

async function seed(dir: string, options: { seed?: number; scale?: number; ifMissing?: boolean } = {}): Promise<string[]> {
  const lines: string[] = [];
  await seedSample({ scale: options.scale ?? 0.05, seed: options.seed ?? 42, dataRoot: root(dir), ifMissing: options.ifMissing ?? false, log: (l) => lines.push(l), now: NOW });
  return lines;
}

/** Every file under `dir`, relative to it, in name order. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

async function query(sql: string, values?: Record<string, string>): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql, values)).getRowObjectsJS();
}

/** The CRM exports, every value as the text the CSV holds. */
const CRM = (dir: string) => `read_csv('${path.join(landing(dir, 'customers', 'crm-accounts'), '*.csv').replaceAll("'", "''")}', all_varchar = true, filename = true)`;

/** The change records of a stream folder, in file-name order and line order. */
async function changes(dir: string): Promise<Change[]> {
  const folder = landing(dir, 'commerce', 'orders-db');
  const records: Change[] = [];
  for (const file of (await readdir(folder)).sort()) {
    const lines = (await readFile(path.join(folder, file), 'utf8')).split('\n').filter(Boolean);
    records.push(...lines.map((l) => ({ ...(JSON.parse(l) as Omit<Change, 'file'>), file })));
  }
  return records;
}

/** The rows of the PostgreSQL dump's COPY section, by order id. */
async function dumpRows(dir: string): Promise<Map<string, string[]>> {
  const text = await readFile(landing(dir, 'commerce', 'orders-db.sql'), 'utf8');
  const body = text.slice(text.indexOf('FROM stdin;\n') + 'FROM stdin;\n'.length, text.indexOf('\\.\n'));
  return new Map(
    body
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t'))
      .map((f) => [f[0]!, f]),
  );
}

/** The settlement records of the PSP's files. */
async function settlements(dir: string): Promise<Record<string, unknown>[]> {
  const folder = landing(dir, 'payments', 'psp-settlements');
  const lines = await Promise.all((await readdir(folder)).sort().map((f) => readFile(path.join(folder, f), 'utf8')));
  return lines.flatMap((t) =>
    t
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  );
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

/** PostgreSQL's timestamptz text (UTC) as the stream's ISO-8601. */
const isoOf = (pg: string): string => `${pg.replace(' ', 'T').replace(/\+00$/, '')}Z`;

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
  it("writes the raw sources where the descriptors' inputs read them, and no product", async () => {
    const files = await filesUnder(root('a'));
    expect(files.every((f) => f.startsWith(`landing${path.sep}`))).toBe(true);
    expect(files.filter((f) => f.includes('crm-accounts'))).toEqual([
      'landing/customers/crm-accounts/accounts-2025-05-25-full.csv',
      'landing/customers/crm-accounts/accounts-2025-06-01-changes.csv',
    ]);
    const stream = files.filter((f) => f.includes('orders-db/')).map((f) => path.basename(f));
    expect(stream[0]).toBe('orders-0000-snapshot.jsonl');
    expect(stream.slice(1)).toEqual(expect.arrayContaining(['orders-2025-05-02.jsonl', 'orders-2025-05-31.jsonl']));
    expect(stream.slice(1).every((f) => /^orders-2025-0[56]-\d\d\.jsonl$/.test(f))).toBe(true);
    expect(files).toContain('landing/commerce/orders-db.sql');
    expect(files.filter((f) => f.includes('psp-settlements')).every((f) => /settlements-\d{4}-\d\d\.jsonl$/.test(f))).toBe(true);
  });

  it('exports 500 CRM accounts, those changed since the full export again in the later one, newer', async () => {
    const [row] = await query(
      `WITH x AS (SELECT *, filename LIKE '%-full.csv' AS full_export FROM ${CRM('a')})
       SELECT count(DISTINCT customer_id) AS accounts, count(*) FILTER (full_export) AS in_full, count(*) FILTER (NOT full_export) AS in_later,
         (SELECT count(*) FROM x a JOIN x b USING (customer_id) WHERE a.full_export AND NOT b.full_export) AS twice,
         (SELECT count(*) FROM x a JOIN x b USING (customer_id) WHERE a.full_export AND NOT b.full_export AND NOT (b.updated_at::TIMESTAMPTZ > a.updated_at::TIMESTAMPTZ)) AS not_newer
       FROM x`,
    );
    expect(row).toMatchObject({ accounts: 500n, not_newer: 0n });
    expect(Number(row?.twice)).toBeGreaterThan(5);
    expect(Number(row?.in_full) + Number(row?.in_later)).toBe(500 + Number(row?.twice));
    expect(Number(row?.in_later)).toBeGreaterThan(Number(row?.twice));
  });

  it('writes emails as CRM users type them, consent as Y or N, and times as ISO-8601 UTC', async () => {
    const [row] = await query(
      `SELECT count(*) FILTER (email <> lower(trim(email))) AS untidy, count(*) FILTER (marketing_opt_in NOT IN ('Y', 'N')) AS bad_consent,
         count(*) FILTER (NOT regexp_full_match(updated_at, '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z')) AS bad_times,
         count(*) FILTER (NOT regexp_full_match(lower(trim(email)), '[a-z]+\\.[a-z]+[0-9]+@[a-z]+\\.[a-z]+')) AS bad_emails
       FROM ${CRM('a')}`,
    );
    expect(row).toMatchObject({ bad_consent: 0n, bad_times: 0n, bad_emails: 0n });
    expect(Number(row?.untidy)).toBeGreaterThan(20);
  });

  it('streams the orders table as a CDC tool does: a snapshot, then creates and updates, positions increasing', async () => {
    const records = await changes('a');
    expect(new Set(records.map((r) => r.op))).toEqual(new Set(['r', 'c', 'u', 'd']));
    expect(records.filter((r) => r.file.includes('snapshot')).every((r) => r.op === 'r' && r.before === null && r.source.snapshot)).toBe(true);
    expect(records.filter((r) => !r.file.includes('snapshot')).some((r) => r.op === 'r')).toBe(false);
    expect(records.every((r) => r.source.table === 'orders')).toBe(true);
    const out = records.filter((r, i) => i > 0 && (r.lsn <= records[i - 1]!.lsn || r.ts_ms < records[i - 1]!.ts_ms));
    expect(out).toEqual([]);
    const horizon = NOW.getTime() - 30 * 86_400_000;
    expect(records.filter((r) => r.op === 'r').every((r) => Date.parse(String(r.after?.order_ts)) < horizon)).toBe(true);
    expect(records.filter((r) => r.op === 'c').every((r) => Date.parse(String(r.after?.order_ts)) >= horizon && r.after?.status === 'placed')).toBe(true);
    expect(records.every((r) => r.ts_ms < NOW.getTime())).toBe(true);
  });

  it("carries each order through its lifecycle, every update's before being the row as it was", async () => {
    const last = new Map<string, Change>();
    const statuses = new Map<string, string[]>();
    const problems: string[] = [];
    for (const r of await changes('a')) {
      const id = String((r.after ?? r.before)?.order_id);
      const previous = last.get(id);
      if ((r.op === 'u' || r.op === 'd') && JSON.stringify(r.before) !== JSON.stringify(previous?.after)) problems.push(`${id}: ${r.op} before is not the last after`);
      if ((r.op === 'c' || r.op === 'r') && previous) problems.push(`${id}: ${r.op} of an order that exists`);
      if (r.after) statuses.set(id, [...(statuses.get(id) ?? []), String(r.after.status)]);
      last.set(id, r);
    }
    const offPath = [...statuses].filter(([, s]) => s.length > 1 && !LIFECYCLES.some((l) => l.slice(0, s.length).join() === s.join()));
    expect({ problems, offPath }).toEqual({ problems: [], offPath: [] });
    expect([...statuses.values()].some((s) => s.join() === LIFECYCLES[0]!.join())).toBe(true);
  });

  it("ends each order's changes in its final state, the dump's row; test orders are created and then deleted", async () => {
    const last = new Map<string, Change>();
    for (const r of await changes('a')) last.set(String((r.after ?? r.before)?.order_id), r);
    const dump = await dumpRows('a');
    const deleted = [...last.values()].filter((r) => r.op === 'd');
    expect(deleted.map((r) => String(r.before?.order_id)).sort()).toEqual(['T000000001', 'T000000002', 'T000000003', 'T000000004', 'T000000005']);
    expect(deleted.every((r) => r.after === null && !dump.has(String(r.before?.order_id)))).toBe(true);
    const live = [...last.values()].filter((r) => r.op !== 'd');
    expect(live).toHaveLength(5_000);
    expect(dump.size).toBe(5_000);
    const mismatched = live.filter((r) => {
      const row = dump.get(String(r.after?.order_id));
      return !row || row[3] !== r.after?.status || isoOf(row[10]!) !== r.after?.updated_at || isoOf(row[2]!) !== r.after?.order_ts || Number(row[6]) !== r.after?.total_amount;
    });
    expect(mismatched.map((r) => r.after?.order_id)).toEqual([]);
    // The order system leaves the shipping country out when an order ships to the customer's own.
    const shipTo = live.map((r) => r.after?.ship_to_country);
    expect(shipTo.filter((c) => c !== null && !/^[A-Z]{2}$/.test(String(c)))).toEqual([]);
    expect(shipTo.filter((c) => c === null).length).toBeGreaterThan(4_000);
  });

  it('dumps the orders table as psql -f loads it: its DDL with the key, then one COPY of the rows', async () => {
    const text = await readFile(landing('a', 'commerce', 'orders-db.sql'), 'utf8');
    expect(text).toMatch(/CREATE TABLE public\.orders \(\n {4}order_id text PRIMARY KEY,/);
    expect(text).toContain('order_ts timestamp with time zone NOT NULL');
    expect(text).toContain('total_amount numeric(10,2) NOT NULL');
    expect(text).toMatch(
      /\nCOPY public\.orders \(order_id, customer_id, order_ts, status, channel, item_count, total_amount, discount_amount, currency, ship_to_country, updated_at\) FROM stdin;\n/,
    );
    expect(text.endsWith('\n\\.\nCOMMIT;\n')).toBe(true);
    const rows = [...(await dumpRows('a')).values()];
    expect(rows.filter((f) => f.length !== 11 || !/^O\d{9}$/.test(f[0]!) || !/^\d+\.\d\d$/.test(f[6]!) || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}\+00$/.test(f[2]!))).toEqual([]);
    expect(rows.some((f) => f[9] === '\\N') && rows.some((f) => f[7] === '\\N')).toBe(true);
  });

  it("settles every order and each test order, in minor units and the PSP's status words", async () => {
    const records = await settlements('a');
    const dump = await dumpRows('a');
    expect(records).toHaveLength(5_005);
    expect(new Set(records.map((r) => r.merchant_reference)).size).toBe(5_005);
    expect(records.filter((r) => !dump.has(String(r.order_id))).map((r) => r.order_id)).toEqual(['T000000001', 'T000000002', 'T000000003', 'T000000004', 'T000000005']);
    expect(new Set(records.map((r) => r.status))).toEqual(new Set(['AUTHORISED', 'SETTLED', 'REFUNDED', 'REFUSED']));
    expect(records.filter((r) => !Number.isInteger(r.amount_cents) || (r.method === 'card') !== (typeof r.card_number === 'string'))).toEqual([]);
    expect(records.filter((r) => r.method === 'card' && !luhnValid(String(r.card_number)))).toEqual([]);
    const paidBeforeOrdered = records.filter((r) => dump.has(String(r.order_id)) && Date.parse(String(r.processed_at)) <= Date.parse(isoOf(dump.get(String(r.order_id))![2]!)));
    expect(paidBeforeOrdered).toEqual([]);
  });

  it('writes byte-identical files for the same seed and scale', async () => {
    const files = await filesUnder(root('a'));
    expect(await filesUnder(root('b'))).toEqual(files);
    for (const f of files) expect([f, (await readFile(path.join(root('a'), f))).equals(await readFile(path.join(root('b'), f)))]).toEqual([f, true]);
  });

  it('writes the same bytes whatever the thread count', async () => {
    const sample: [string, SampleGenerator][] = [
      ['customers', customers],
      ['commerce', commerce],
      ['payments', payments],
    ];
    for (const threads of ['1', '4']) {
      const inst = await DuckDBInstance.create(':memory:', { threads });
      const connection = await inst.connect();
      const dir = `threads-${threads}`;
      for (const [domain, generator] of sample) {
        const options = { scale: 0.05, seed: 42, now: NOW, table: `sample_${domain}`, upstream: Object.fromEntries(generator.reads.map((d) => [d, `sample_${d}`])) };
        await generator.state(connection, options);
        await generator.write(connection, { ...options, landing: Object.fromEntries(generator.sources.map((s) => [s, landing(dir, domain, s)])) });
      }
      connection.closeSync();
      inst.closeSync();
      const files = await filesUnder(root('a'));
      expect(await filesUnder(root(dir))).toEqual(files);
      for (const f of files) expect([threads, f, (await readFile(path.join(root(dir), f))).equals(await readFile(path.join(root('a'), f)))]).toEqual([threads, f, true]);
    }
  });

  it('writes different values for a different seed', async () => {
    await seed('c', { seed: 7 });
    const differing = await query(`SELECT count(*) AS n FROM ${CRM('a')} x JOIN ${CRM('c')} y USING (customer_id) WHERE x.first_name <> y.first_name`);
    expect(Number(differing[0]?.n)).toBeGreaterThan(400);
  });

  it("keeps existing sources with ifMissing, and writes again those of the domains after a missing one's", async () => {
    await seed('d', { scale: 0.01 });
    const crm = landing('d', 'customers', 'crm-accounts', 'accounts-2025-05-25-full.csv');
    const before = (await stat(crm)).mtimeMs;
    expect(await seed('d', { scale: 0.01, ifMissing: true })).toEqual(
      ['customers', 'commerce', 'payments'].map((x) => expect.stringMatching(new RegExp(`^seeding ${x}: kept .*\\(exists\\)$`))),
    );
    expect((await stat(crm)).mtimeMs).toBe(before);
    await rm(landing('d', 'commerce', 'orders-db'), { recursive: true });
    expect(await seed('d', { scale: 0.01, ifMissing: true })).toEqual([
      expect.stringMatching(/^seeding customers: kept/),
      expect.stringMatching(/^seeding commerce: [\d,]+ change records in \d+ files, and a PostgreSQL dump of 1,000 orders in/),
      expect.stringMatching(/^seeding payments: 1,002 settlement records in/),
    ]);
  });

  it("forgets a change stream's mirror when it writes a new stream, so the next build starts from its snapshot", async () => {
    const state = path.join(root('e'), 'commerce', 'orders-enriched', '_state', 'orders-db');
    await mkdir(state, { recursive: true });
    await writeFile(path.join(state, 'mirror-99999999999.parquet'), 'the mirror of an earlier history');
    const lines = await seed('e', { scale: 0.01 });
    expect(lines).toContainEqual(expect.stringMatching(/^seeding commerce: orders-enriched's mirror of orders-db was of the old stream/));
    await expect(stat(state)).rejects.toThrow(/ENOENT/);
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

  it('says in its help that it writes the raw sources and that meshgate build makes the products', async () => {
    const { code, stdout } = await cli(['seed', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain("Writes the sample mesh's raw operational sources, not its products");
    expect(stdout).toContain('commerce/orders-db.sql');
    expect(stdout).toMatch(/Then `meshgate build` makes customer-profiles, orders-enriched and payments/);
  });

  it('prints progress on stderr and one summary line on stdout that points to meshgate build', async () => {
    const dir = path.join(temp, 'cli');
    const { code, stdout, stderr } = await cli(['seed', '--scale', '0.01', '--seed', '3', '--data-dir', dir]);
    expect(code).toBe(0);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^seeding customers: \d+ accounts in the full export, \d+ in the later one in \d+\.\d s$/),
      expect.stringMatching(/^seeding commerce: [\d,]+ change records in \d+ files, and a PostgreSQL dump of 1,000 orders in \d+\.\d s$/),
      expect.stringMatching(/^seeding payments: 1,002 settlement records in \d+ monthly files in \d+\.\d s$/),
    ]);
    expect(stdout).toMatch(/^seeded the raw sources of 3 of 3 domains \([\d,]+ records in \d+ files\) into .+ in \d+\.\d s; `meshgate build` makes the products from them\n$/);
    expect(await readdir(dir)).toEqual(['landing']);
  });
});
