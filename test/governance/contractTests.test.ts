/**
 * The contract tests against real Parquet, written here with DuckDB: each kind of bad data
 * (duplicate keys, nulls, stale data, a missing or mistyped column, orphans, a damaged file)
 * yields the exact finding a domain team would read; good data passes every test.
 */
import { mkdir, mkdtemp, rm, truncate, utimes, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { loadMesh, productsByName } from '../../schema/index.js';
import { testContracts, type ContractTestReport } from '../../subgraphs/runtime/contracts/index.js';
import { publishInPlace } from '../support/publishInPlace.js';
import { customers, descriptor, orders, property, writeMesh, type FixtureProduct } from './meshFixture.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const HOUR = 3_600_000;
const CUSTOMERS_SQL =
  "SELECT 'C' || i AS customer_id, 'c' || i || '@example.com' AS email, TIMESTAMP '2026-01-01' + to_days(CAST(i AS INTEGER)) AS signup_at FROM range(1, 11) t(i)";
const ORDERS_SQL =
  "SELECT 'O' || i AS order_id, 'C' || (1 + i % 10) AS customer_id, CAST(10 * i AS DOUBLE) AS total_amount, TIMESTAMP '2026-06-01 11:30:00' - to_minutes(CAST(i AS INTEGER)) AS order_ts FROM range(1, 21) t(i)";

let instance: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  db = await instance.connect();
});

afterAll(() => {
  db.closeSync();
  instance.closeSync();
});

/** Writes one Parquet file from a SELECT, its modification time set `ageMs` before NOW. */
async function parquet(file: string, select: string, ageMs = 5 * 60_000): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await db.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  const t = new Date(NOW.getTime() - ageMs);
  await utimes(file, t, t);
}

/** A mesh of the products with data written by `write` under its data root; runs the contract tests of `only` (default: all). */
async function run(products: readonly FixtureProduct[], write: (root: string) => Promise<void>, only?: readonly string[]): Promise<ContractTestReport> {
  const meshDir = await writeMesh(products);
  const dataRoot = await mkdtemp(path.join(tmpdir(), 'meshgate-contract-data-'));
  await write(dataRoot);
  const mesh = await loadMesh(meshDir, { dataRoot });
  expect(mesh.problems).toEqual([]);
  const byName = productsByName(mesh);
  for (const p of byName.values()) await publishInPlace(p, NOW);
  const chosen = only ? only.map((n) => byName.get(n)!) : [...byName.values()];
  return testContracts(chosen, { mesh: byName, now: NOW, baseDir: dataRoot });
}

const goodData = async (root: string): Promise<void> => {
  await parquet(path.join(root, 'customers/customers/data.parquet'), CUSTOMERS_SQL);
  await parquet(path.join(root, 'shop/orders/data.parquet'), ORDERS_SQL);
};

describe('contract tests on good data', () => {
  it('pass every test, with no finding', async () => {
    const report = await run([customers(), orders()], goodData);
    expect(report.findings).toEqual([]);
    expect(report.products).toEqual([
      { name: 'customers', rows: 10 },
      { name: 'orders', rows: 20 },
    ]);
    expect(report.results.filter((r) => r.product === 'orders').map((r) => [r.test, r.field ?? null, r.actual])).toEqual([
      ['data-present', null, '1 file'],
      ['field-type', 'order_id', 'VARCHAR'],
      ['field-type', 'customer_id', 'VARCHAR'],
      ['field-type', 'total_amount', 'DOUBLE'],
      ['field-type', 'order_ts', 'TIMESTAMP'],
      ['not-null', 'order_id', '0 nulls'],
      ['not-null', 'customer_id', '0 nulls'],
      ['not-null', 'total_amount', '0 nulls'],
      ['not-null', 'order_ts', '0 nulls'],
      ['completeness', null, '100%'],
      ['key-unique', 'order_id', '0 duplicates'],
      ['reference-integrity', 'customer_id', '0 orphans'],
      ['freshness', null, '5m (data as of 2026-06-01T11:55:00Z)'],
    ]);
  });

  it('read every Parquet file below a folder location as one output', async () => {
    const report = await run([customers()], async (root) => {
      await parquet(path.join(root, 'customers/customers/date=2026-05-31/part-0.parquet'), `${CUSTOMERS_SQL} WHERE i <= 4`);
      await parquet(path.join(root, 'customers/customers/date=2026-06-01/part-0.parquet'), `${CUSTOMERS_SQL} WHERE i > 4`);
    });
    expect(report.findings).toEqual([]);
    expect(report.products).toEqual([{ name: 'customers', rows: 10 }]);
  });

  it('pass on an empty output: nothing is late, nothing is missing', async () => {
    const report = await run([customers()], (root) => parquet(path.join(root, 'customers/customers/empty.parquet'), `${CUSTOMERS_SQL} LIMIT 0`, 30 * 24 * HOUR));
    expect(report.findings).toEqual([]);
    expect(report.results.find((r) => r.test === 'freshness')).toMatchObject({ actual: 'no rows', pass: true });
    expect(report.results.find((r) => r.test === 'completeness')).toMatchObject({ actual: '100%', pass: true });
  });
});

describe('contract tests on bad data', () => {
  it('count duplicate keys, with examples', async () => {
    const report = await run([customers()], (root) =>
      parquet(path.join(root, 'customers/customers/data.parquet'), `${CUSTOMERS_SQL} UNION ALL SELECT * FROM (${CUSTOMERS_SQL}) WHERE customer_id IN ('C2', 'C5')`),
    );
    expect(report.findings).toEqual([
      {
        rule: 'key-unique',
        severity: 'violation',
        product: 'customers',
        field: 'customer_id',
        file: 'customers/customers/',
        message: '2 rows repeat a key value of "customer_id" (e.g. C2, C5)',
        fix: "Publish one row per customer_id: deduplicate in the product's transform.",
      },
    ]);
  });

  it('count nulls in a required field, and the completeness they cost', async () => {
    const report = await run([customers()], (root) =>
      parquet(
        path.join(root, 'customers/customers/data.parquet'),
        `SELECT customer_id, CASE WHEN customer_id IN ('C1', 'C2') THEN NULL ELSE email END AS email, signup_at FROM (${CUSTOMERS_SQL})`,
      ),
    );
    expect(report.findings).toEqual([
      {
        rule: 'not-null',
        severity: 'violation',
        product: 'customers',
        field: 'email',
        file: 'customers/customers/',
        message: '2 nulls in "email", which the contract declares required',
        fix: 'Fill email in every row, or declare it nullable in the contract (a breaking change for consumers).',
      },
      {
        rule: 'completeness',
        severity: 'violation',
        product: 'customers',
        file: 'customers/customers/',
        message: '93.33% of the required values are present (2 nulls over 3 required fields), the SLA promises 99.5%',
        fix: 'Fill the required fields the not-null findings name, or lower the completeness the SLA promises.',
      },
    ]);
  });

  it('find stale data from the declared freshness field', async () => {
    const stale = orders({ descriptor: { sla: { freshness: '1h', freshness_field: 'order_ts' } } });
    const report = await run(
      [customers(), stale],
      async (root) => {
        await goodData(root);
        await parquet(path.join(root, 'shop/orders/data.parquet'), `SELECT * REPLACE (order_ts - INTERVAL 3 HOUR AS order_ts) FROM (${ORDERS_SQL})`);
      },
      ['orders'],
    );
    expect(report.findings).toEqual([
      {
        rule: 'freshness',
        severity: 'violation',
        product: 'orders',
        field: 'order_ts',
        file: 'shop/orders/',
        message: 'the data is 3h 31m old (newest order_ts 2026-06-01T08:29:00Z), the SLA promises 1h',
        fix: 'Build the product again (meshgate build; `meshgate up` builds it on its schedule), or promise a looser freshness in the SLA.',
      },
    ]);
  });

  it("find stale data from the version's time when no freshness field is declared", async () => {
    const report = await run([customers()], (root) => parquet(path.join(root, 'customers/customers/data.parquet'), CUSTOMERS_SQL, 26 * HOUR));
    expect(report.findings).toEqual([
      {
        rule: 'freshness',
        severity: 'violation',
        product: 'customers',
        file: 'customers/customers/',
        message: 'the data is 26h old (data as of 2026-05-31T10:00:00Z), the SLA promises 1h',
        fix: 'Build the product again (meshgate build; `meshgate up` builds it on its schedule), or promise a looser freshness in the SLA.',
      },
    ]);
  });

  it('name a missing column, and test the rest', async () => {
    const report = await run([customers()], (root) => parquet(path.join(root, 'customers/customers/data.parquet'), `SELECT customer_id, signup_at FROM (${CUSTOMERS_SQL})`));
    expect(report.findings).toEqual([
      {
        rule: 'field-present',
        severity: 'violation',
        product: 'customers',
        field: 'email',
        file: 'customers/customers/',
        message: 'column "email" is missing from the Parquet output at customers/customers/',
        fix: 'Write the column "email" (VARCHAR) in the output, or drop it from the contract in a new major version.',
      },
    ]);
    expect(report.results.filter((r) => r.test === 'not-null').map((r) => r.field)).toEqual(['customer_id', 'signup_at']);
  });

  it('name a column of the wrong type', async () => {
    const report = await run([customers()], (root) =>
      parquet(path.join(root, 'customers/customers/data.parquet'), `SELECT customer_id, email, CAST(signup_at AS VARCHAR) AS signup_at FROM (${CUSTOMERS_SQL})`),
    );
    expect(report.findings).toEqual([
      {
        rule: 'field-type',
        severity: 'violation',
        product: 'customers',
        field: 'signup_at',
        file: 'customers/customers/',
        message: 'column "signup_at" is VARCHAR in the Parquet output, the contract says timestamp (TIMESTAMP)',
        fix: 'Write signup_at as TIMESTAMP, or change its type in the contract in a new major version.',
      },
    ]);
  });

  it('count orphaned references, with examples', async () => {
    const report = await run(
      [customers(), orders()],
      async (root) => {
        await parquet(path.join(root, 'customers/customers/data.parquet'), `${CUSTOMERS_SQL} WHERE i <= 8`);
        await parquet(path.join(root, 'shop/orders/data.parquet'), ORDERS_SQL);
      },
      ['orders'],
    );
    expect(report.findings).toEqual([
      {
        rule: 'reference-integrity',
        severity: 'violation',
        product: 'orders',
        field: 'customer_id',
        file: 'shop/orders/',
        message: '4 rows reference a customer_id that customers does not have (e.g. C10, C9)',
        fix: 'Publish only rows whose customer_id is a customer_id of customers, or publish customers first.',
      },
    ]);
  });

  it('name a truncated file and say what was expected', async () => {
    const report = await run([customers()], async (root) => {
      const file = path.join(root, 'customers/customers/data.parquet');
      await parquet(file, CUSTOMERS_SQL);
      await truncate(file, (await stat(file)).size - 100);
    });
    expect(report.findings).toEqual([
      {
        rule: 'data-readable',
        severity: 'violation',
        product: 'customers',
        file: 'customers/customers/data.parquet',
        message: expect.stringMatching(/^customers\/customers\/data\.parquet: expected a Parquet file, but it is truncated or damaged \(.*\)$/) as unknown as string,
        fix: 'Publish a new version (meshgate build or meshgate publish): a published version is never rewritten in place.',
      },
    ]);
    expect(report.results).toHaveLength(1);
  });

  it('name a file that is not Parquet', async () => {
    const report = await run([customers()], async (root) => {
      await mkdir(path.join(root, 'customers/customers'), { recursive: true });
      await writeFile(path.join(root, 'customers/customers/data.parquet'), 'customer_id,email\nC1,c1@example.com\n');
    });
    expect(report.findings).toEqual([
      {
        rule: 'data-readable',
        severity: 'violation',
        product: 'customers',
        file: 'customers/customers/data.parquet',
        message: 'customers/customers/data.parquet: expected a Parquet file, but it is not Parquet (it does not start with the PAR1 magic bytes)',
        fix: 'Publish a new version (meshgate build or meshgate publish): a published version is never rewritten in place.',
      },
    ]);
  });

  it('name a file its published version lists that does not exist', async () => {
    const report = await run([customers()], async (root) => {
      await parquet(path.join(root, 'customers/customers/versions/v1/part-0.parquet'), CUSTOMERS_SQL);
    });
    expect(report.findings).toEqual([]);
    const gone = await run([customers()], async (root) => {
      const file = path.join(root, 'customers/customers/versions/v1/part-0.parquet');
      await parquet(file, CUSTOMERS_SQL);
      const mesh = await loadMesh(await writeMesh([customers()]), { dataRoot: root });
      await publishInPlace(productsByName(mesh).get('customers')!, NOW);
      await rm(file);
    });
    expect(gone.findings).toEqual([
      {
        rule: 'data-present',
        severity: 'violation',
        product: 'customers',
        file: 'customers/customers/versions/v1/part-0.parquet',
        message: "customers/customers/versions/v1/part-0.parquet does not exist: expected the product's Parquet output there",
        fix: 'A file of the published version is gone: publish a new version (meshgate build or meshgate publish); never remove files under a served version.',
      },
    ]);
  });

  it('warn, without failing, about a product that has published nothing yet', async () => {
    const report = await run([customers()], async () => undefined);
    expect(report.findings).toEqual([
      {
        rule: 'data-present',
        severity: 'warning',
        product: 'customers',
        file: 'customers/customers/',
        message: 'no version of it is published at customers/customers/ yet, so its data was not tested',
        fix: "Publish its files (meshgate publish customers --from DIR), or let its domain's job publish it (the mesh runs it).",
      },
    ]);
  });
});

describe("the contract's ODCS quality rules", () => {
  const withQuality = (quality: Record<string, unknown>[]): FixtureProduct => ({
    ...customers(),
    descriptor: descriptor('customers', 'customers', { sla: { freshness: '1h' } }),
    contract: {
      apiVersion: 'v3.0.2',
      kind: 'DataContract',
      version: '1.0.0',
      schema: [
        {
          name: 'Customer',
          quality,
          properties: [
            property('customer_id', { primaryKey: true }),
            property('email', { required: false }),
            property('segment', { logicalTypeOptions: { enum: ['consumer', 'business'] } }),
          ],
        },
      ],
    },
  });
  const data = (root: string) =>
    parquet(
      path.join(root, 'customers/customers/data.parquet'),
      "SELECT 'C' || i AS customer_id, CASE WHEN i <= 2 THEN NULL WHEN i = 3 THEN '' ELSE 'c' || i || '@example.com' END AS email, CASE WHEN i = 10 THEN 'vip' ELSE 'consumer' END AS segment FROM range(1, 11) t(i)",
    );
  const quality = async (rules: Record<string, unknown>[]) => (await run([withQuality(rules)], data)).results.filter((r) => r.test === 'quality');

  it('measure each metric and compare it with its operator', async () => {
    const results = await quality([
      { metric: 'rowCount', mustBeBetween: [5, 20] },
      { metric: 'nullValues', field: 'email', mustBeLessThan: 25, unit: 'percent' },
      { metric: 'missingValues', arguments: { properties: ['email'] }, mustBe: 3 },
      { metric: 'invalidValues', field: 'segment', mustBe: 1 },
      { metric: 'invalidValues', field: 'email', arguments: { pattern: '^c[0-9]+@' }, mustBeLessOrEqualTo: 1 },
      { metric: 'duplicateValues', arguments: { properties: ['segment'] }, mustBeGreaterOrEqualTo: 8 },
      { metric: 'rowCount', mustNotBe: 0, mustBeGreaterThan: 9 },
    ]);
    expect(results.map((r) => [r.field ?? null, r.expected, r.actual, r.pass])).toEqual([
      [null, 'rowCount in (5, 20)', '10', true],
      ['email', 'nullValues(email) % < 25', '20%', true],
      ['email', 'missingValues(email) = 3', '3', true],
      ['segment', 'invalidValues(segment) = 1', '1', true],
      ['email', 'invalidValues(email) ≤ 1', '1', true],
      ['segment', 'duplicateValues(segment) ≥ 8', '8', true],
      [null, 'rowCount ≠ 0 and > 9', '10', true],
    ]);
  });

  it('report a rule that fails with what it promised and what was measured', async () => {
    const [r] = await quality([{ metric: 'nullValues', field: 'email', mustBe: 0, description: 'every customer has an email' }]);
    expect(r!.finding).toEqual({
      rule: 'quality',
      severity: 'violation',
      product: 'customers',
      field: 'email',
      file: 'customers/customers/',
      message: 'quality rule #1 (nullValues) "every customer has an email" fails: nullValues(email) = 0, measured 2',
      fix: "Correct the data the rule describes in the product's transform, or change the rule in the contract if it no longer holds.",
    });
  });

  it('treat mustBeBetween bounds as exclusive, as ODCS defines them', async () => {
    const [r] = await quality([{ metric: 'rowCount', mustBeBetween: [0, 10] }]);
    expect(r).toMatchObject({ expected: 'rowCount in (0, 10)', actual: '10', pass: false });
  });

  it('report a rule that cannot be run', async () => {
    const results = await quality([
      { metric: 'freshValues', mustBe: 0 },
      { metric: 'nullValues', mustBe: 0 },
      { metric: 'rowCount', mustBe: 'many' },
      { metric: 'invalidValues', field: 'email', mustBe: 0 },
    ]);
    expect(results.map((r) => r.finding?.message)).toEqual([
      'quality rule #1 (freshValues) cannot be run: unknown metric "freshValues": expected one of rowCount, nullValues, missingValues, invalidValues, duplicateValues',
      'quality rule #2 (nullValues) cannot be run: nullValues needs one field (field, property or arguments.properties: [name])',
      'quality rule #3 (rowCount) cannot be run: mustBe expects a number, got "many"',
      'quality rule #4 (invalidValues) cannot be run: invalidValues needs arguments.validValues or arguments.pattern (or an enum on "email")',
    ]);
  });
});
