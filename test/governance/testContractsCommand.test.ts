/** `meshgate test-contracts` from the outside, on a freshly seeded sample mesh and on broken copies of it. */
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { REPO_ROOT } from '../../cli/config.js';
import { compactAccessLog } from '../../subgraphs/governance/compactAccessLog.js';
import type { ContractTestResult } from '../../subgraphs/runtime/contracts/index.js';
import { cli } from '../support/cli.js';
import { copyOfSeededData, seededDataRoot } from '../support/startTestMesh.js';
import { servedFiles } from '../support/referenceRows.js';

const ENV = { MESHGATE_SUBGRAPHS_DIR: path.join(REPO_ROOT, 'subgraphs') };
let seeded: string;

beforeAll(async () => {
  seeded = await seededDataRoot();
});

afterAll(async () => {
  await rm(seeded, { recursive: true, force: true });
});

/** A copy of the seeded data root, to break. */
const copy = (): Promise<string> => copyOfSeededData();

describe('meshgate test-contracts on a freshly seeded sample', () => {
  it('passes every test and exits 0, warning only that the access log (both versions) has published nothing yet', async () => {
    const run = await cli(['test-contracts', '--data-dir', seeded], ENV);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /^testing orders-enriched \(5,000 rows\)\.\.\.\ntesting order-lines \([\d,]+ rows\)\.\.\.\ntesting shipment-events \([\d,]+ rows\)\.\.\.\ntesting customer-profiles \(500 rows\)\.\.\.\ntesting access-log\.\.\.\ntesting access-log-v2\.\.\.\ntesting payments \(5,000 rows\)\.\.\.\n/,
    );
    expect(run.stderr).toMatch(/\n\d+ tests on 7 products: \d+ passed, 0 failed, 2 warnings \(\d+\.\d s\)\n$/);
    expect(run.stdout.split('\n')[0]).toMatch(/^PRODUCT\s+TEST\s+FIELD\s+EXPECTED\s+ACTUAL\s+RESULT$/);
    expect(run.stdout).toMatch(/\npayments\s+data-present\s+-\s+at least 1 Parquet file\s+1 file\s+ok\n/);
    expect(run.stdout).toMatch(/\s+reference-integrity\s+order_id\s+0 orphans \(orders-enriched\.order_id\)\s+0 orphans\s+ok\n/);
    expect(run.stdout).toMatch(/\nwarning access-log data-present: no version of it is published at .*governance\/access-log\/ yet/);
    expect(run.stdout).toMatch(/\nwarning access-log-v2 data-present: no version of it is published at .*governance\/access-log-v2\/ yet/);
  });

  it('passes on the empty access log the governance domain publishes before it serves', async () => {
    const dir = await copy();
    await compactAccessLog(path.join(dir, 'governance/access-log-raw'), path.join(dir, 'governance/access-log'), () => undefined);
    const run = await cli(['test-contracts', 'access-log', '--json', '--data-dir', dir], ENV);
    expect(run.code).toBe(0);
    const { results, summary } = JSON.parse(run.stdout) as { results: ContractTestResult[]; summary: { failed: number; warnings: number; products: unknown } };
    expect(summary).toMatchObject({ failed: 0, warnings: 0, products: [{ name: 'access-log', rows: 0 }] });
    expect(results.every((r) => r.pass)).toBe(true);
    expect(results.find((r) => r.test === 'freshness')).toMatchObject({ actual: 'no rows' });
  });

  it('passes on the empty access-log-v2 published beside it', async () => {
    const dir = await copy();
    await compactAccessLog(path.join(dir, 'governance/access-log-raw'), path.join(dir, 'governance/access-log'), () => undefined);
    const run = await cli(['test-contracts', 'access-log-v2', '--json', '--data-dir', dir], ENV);
    expect(run.code).toBe(0);
    const { results, summary } = JSON.parse(run.stdout) as { results: ContractTestResult[]; summary: { failed: number; warnings: number; products: unknown } };
    expect(summary).toMatchObject({ failed: 0, warnings: 0, products: [{ name: 'access-log-v2', rows: 0 }] });
    expect(results.every((r) => r.pass)).toBe(true);
  });
});

describe('meshgate test-contracts on broken data', () => {
  it('exits 1 and names the failure', async () => {
    const dir = await copy();
    // A served file damaged in place (publishing never does this; a disk or a person can).
    const [file] = (await servedFiles(path.join(dir, 'payments/payments'))) as [string];
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    await db.run(`COPY (SELECT * FROM read_parquet('${file}') UNION ALL (SELECT * FROM read_parquet('${file}') ORDER BY payment_id LIMIT 3)) TO '${file}.tmp' (FORMAT parquet)`);
    db.closeSync();
    instance.closeSync();
    await cp(`${file}.tmp`, file);
    await rm(`${file}.tmp`);
    const run = await cli(['test-contracts', 'payments', '--data-dir', dir], ENV);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\s+key-unique\s+payment_id\s+0 duplicates\s+3 duplicates\s+FAIL\n/);
    expect(run.stdout).toMatch(
      /\nFAIL payments\.payment_id key-unique: 3 rows repeat a key value of "payment_id" \(e\.g\. P\d+, P\d+, P\d+\)\n {2}fix: Publish one row per payment_id: deduplicate in the product's transform\.\n/,
    );
    expect(run.stderr).toMatch(/tests on 1 product: \d+ passed, 1 failed, 0 warnings/);
  });

  it('exits 1 on a file that is not Parquet, naming it', async () => {
    const dir = await copy();
    const [served] = (await servedFiles(path.join(dir, 'customers/customer-profiles'))) as [string];
    await cp(path.join(REPO_ROOT, 'package.json'), served);
    const run = await cli(['test-contracts', '--json', '--data-dir', dir], ENV);
    expect(run.code).toBe(1);
    const { findings } = JSON.parse(run.stdout) as { findings: { rule: string; product: string; severity: string; message: string }[] };
    expect(findings.filter((f) => f.severity === 'violation').map((f) => [f.rule, f.product])).toEqual([['data-readable', 'customer-profiles']]);
    expect(findings[0]!.message).toMatch(/customers\/customer-profiles\/versions\/v\d{6}-\d{8}T\d{6}Z\/part-0\.parquet: expected a Parquet file, but it is not Parquet/);
    expect(findings.filter((f) => f.severity === 'warning').map((f) => [f.rule, f.product])).toEqual([
      ['reference-integrity', 'orders-enriched'],
      ['data-present', 'access-log'],
      ['data-present', 'access-log-v2'],
    ]);
  });
});

describe('meshgate test-contracts misused', () => {
  it('exits 2 on an unknown product, naming the known ones', async () => {
    const run = await cli(['test-contracts', 'orders', '--data-dir', seeded], ENV);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^meshgate test-contracts: unknown product "orders": expected one of orders-enriched, order-lines, shipment-events, customer-profiles, access-log, access-log-v2, payments\n/,
    );
  });

  it('exits 2 on a data root that does not exist, rather than finding no data', async () => {
    const run = await cli(['test-contracts', '--data-dir', '/nonexistent/data'], ENV);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^meshgate test-contracts: no such folder \/nonexistent\/data \(--data-dir or MESHGATE_DATA_DIR\): expected the data root/);
  });

  it('exits 2 on an unknown option', async () => {
    const run = await cli(['test-contracts', '--fast'], ENV);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Unknown option '--fast'/);
  });
});
