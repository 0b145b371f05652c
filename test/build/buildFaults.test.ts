/**
 * Bad input and faults of a build, each on a copy of the built sample mesh with one thing broken:
 * the message names the product and the problem, the exit code is 1, nothing is half-published (no
 * new version, no staging folder left), and the previous version keeps serving. Also: a consuming
 * domain's read of an upstream product is masked and on the access log, and a refused read too.
 */
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { readManifest, type AccessEvent } from '../../schema/index.js';
import { readAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { cli } from '../support/cli.js';
import { copyOfSeededData, testStateDir } from '../support/startTestMesh.js';

/** A copy of the sample's declarations and data, to break. */
async function sample(): Promise<{ subgraphs: string; data: string; env: Record<string, string> }> {
  const subgraphs = await mkdtemp(path.join(tmpdir(), 'meshgate-faults-'));
  await cp(path.join(REPO_ROOT, 'subgraphs'), subgraphs, { recursive: true, filter: (src) => !src.includes(`${path.sep}runtime`) });
  const data = await copyOfSeededData();
  return { subgraphs, data, env: { MESHGATE_SUBGRAPHS_DIR: subgraphs, MESHGATE_DATA_DIR: data, MESHGATE_STATE_DIR: await testStateDir(), MESHGATE_DUCKDB_MEMORY: '1GB' } };
}

const store = (data: string, product: string): string =>
  path.join(data, { 'customer-profiles': 'customers/customer-profiles', 'orders-enriched': 'commerce/orders-enriched', payments: 'payments/payments' }[product]!);

/** Builds `product` and checks that nothing changed in its store but, at most, a version kept aside. */
async function refused(s: Awaited<ReturnType<typeof sample>>, product: string, extra: Record<string, string> = {}): Promise<string> {
  const dir = store(s.data, product);
  const before = await readManifest(dir);
  const versions = await readdir(path.join(dir, 'versions'));
  const run = await cli(['build', product], { ...s.env, ...extra });
  expect(run.code).toBe(1);
  expect(await readManifest(dir)).toEqual(before);
  expect(await readdir(path.join(dir, 'versions'))).toEqual(versions);
  expect((await readdir(dir)).filter((n) => n.startsWith('.staging'))).toEqual([]);
  return run.stdout;
}

const transform = (s: Awaited<ReturnType<typeof sample>>, domain: string, file: string): string => path.join(s.subgraphs, domain, 'transforms', file);

describe('a build that cannot make its version', () => {
  it('names a transform that is not SQL', async () => {
    const s = await sample();
    await writeFile(transform(s, 'customers', 'customer-profiles.sql'), 'SELEC customer_id FROM crm_accounts');
    expect(await refused(s, 'customer-profiles')).toMatch(/^FAILED customer-profiles: its transform transforms\/customer-profiles\.sql is not one SELECT: .*syntax error/);
  });

  it('names a transform holding a statement other than one SELECT', async () => {
    const s = await sample();
    await writeFile(transform(s, 'customers', 'customer-profiles.sql'), "SELECT 1; COPY crm_accounts TO '/tmp/x.csv'");
    expect(await refused(s, 'customer-profiles')).toMatch(/^FAILED customer-profiles: its transform transforms\/customer-profiles\.sql is not one SELECT/);
  });

  it('names an input the transform reads without declaring it', async () => {
    const s = await sample();
    const file = transform(s, 'commerce', 'orders-enriched.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replace('FROM orders o', 'FROM orders o JOIN payments p ON p.order_id = o.order_id'));
    expect(await refused(s, 'orders-enriched')).toMatch(
      /it reads "payments", which is not a declared input \(declared: orders-db as orders_db, customer-profiles as customer_profiles\)/,
    );
  });

  it('refuses a transform that reads a file, or the system', async () => {
    const s = await sample();
    await writeFile(transform(s, 'customers', 'customer-profiles.sql'), "SELECT * FROM read_csv('/etc/passwd')");
    expect(await refused(s, 'customer-profiles')).toMatch(/it calls read_csv\(\): a transform reads its declared inputs only, never files or the system/);
  });

  it('names a column the contract lacks, and one of the wrong type', async () => {
    const s = await sample();
    const file = transform(s, 'customers', 'customer-profiles.sql');
    const sql = await readFile(file, 'utf8');
    await writeFile(file, sql.replace('FROM latest', ', 1 AS loyalty_tier FROM latest').replace('AS TIMESTAMP) AS signup_at', 'AS VARCHAR) AS signup_at'));
    const out = await refused(s, 'customer-profiles');
    expect(out).toMatch(/its transform transforms\/customer-profiles\.sql does not produce its contract: /);
    expect(out).toMatch(/its column "signup_at" is VARCHAR, which the contract's TIMESTAMP cannot hold/);
    expect(out).toMatch(/it produces a column "loyalty_tier" that the contract lacks/);
  });

  it('keeps a version with repeated keys aside, with its report, and never serves it', async () => {
    const s = await sample();
    const file = transform(s, 'customers', 'customer-profiles.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/QUALIFY .*\n/, ''));
    const out = await refused(s, 'customer-profiles');
    const id = /kept aside in failed\/(v\S+): /.exec(out)?.[1];
    expect(id).toBeDefined();
    expect(out).toMatch(/rows repeat a key value of "customer_id"/);
    const report = JSON.parse(await readFile(path.join(store(s.data, 'customer-profiles'), 'failed', id!, 'version.json'), 'utf8')) as { status: string };
    expect(report.status).toBe('failed');
  });

  it('refuses an input cycle, naming it', async () => {
    const s = await sample();
    const file = path.join(s.subgraphs, 'customers', 'data-product.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('inputs:\n', 'inputs:\n  - { source: orders-enriched, type: data-product, domain: commerce, purpose: analytics }\n'),
    );
    const run = await cli(['build'], s.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /the products' inputs form a cycle, so no order can build them: (customer-profiles → orders-enriched → customer-profiles|orders-enriched → customer-profiles → orders-enriched)/,
    );
  });

  it('names an upstream product that has no published version', async () => {
    const s = await sample();
    await rm(path.join(store(s.data, 'customer-profiles'), '_manifest.json'));
    expect(await refused(s, 'orders-enriched')).toMatch(
      /^FAILED orders-enriched: input customer-profiles \(data-product\) is unavailable: it has no published version yet \(build it first\)/,
    );
  });

  it('names an input type it has no connector for', async () => {
    const s = await sample();
    const file = path.join(s.subgraphs, 'payments', 'data-product.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('inputs:\n', 'inputs:\n  - { source: psp-events, type: kafka }\n'));
    expect(await refused(s, 'payments')).toMatch(/input psp-events is of type "kafka", which this platform has no connector for: it is declared for lineage only/);
  });

  it('never lets a descriptor point a landing folder outside the data root', async () => {
    const s = await sample();
    const file = path.join(s.subgraphs, 'customers', 'data-product.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('format: csv', 'format: csv\n    path: ../../etc'));
    const run = await cli(['build', 'customer-profiles'], s.env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/data-product\.yaml: inputs\[0\]\.path: a relative path inside the data root, without "\.\."/);
  });
});

describe("a consuming domain's read of an upstream product", () => {
  it('is masked as its policy says, and is an entry in the access log', async () => {
    const s = await sample();
    const run = await cli(['build', 'orders-enriched'], s.env);
    expect(run.code).toBe(0);
    const log = await readAccessLog({ dataRoot: s.data, rawDir: path.join(s.data, 'governance', 'access-log-raw') });
    const entry = log.entries.find((e: AccessEvent) => e.subject === 'service:commerce');
    expect(entry).toMatchObject({
      roles: 'service:commerce',
      purpose: 'analytics',
      operation_type: 'build',
      operation_name: 'build orders-enriched',
      products: 'customer-profiles',
      decision: 'mask',
      pii_unmasked_count: 0,
    });
    expect(entry!.masks_applied.split(',')).toEqual([
      'customer-profiles.birth_date=year',
      'customer-profiles.email=email',
      'customer-profiles.full_name=redact',
      'customer-profiles.phone=last4',
    ]);
    const version = JSON.parse(
      await readFile(
        path.join(store(s.data, 'orders-enriched'), 'versions', (await readdir(path.join(store(s.data, 'orders-enriched'), 'versions'))).sort().at(-1)!, 'version.json'),
        'utf8',
      ),
    ) as { inputs: { source: string; masked?: Record<string, string> }[] };
    expect(version.inputs.find((i) => i.source === 'customer-profiles')?.masked).toMatchObject({ email: 'email', full_name: 'redact' });
  });

  it('is refused, and logged as denied, when no rule grants it to the consuming domain', async () => {
    const s = await sample();
    const policy = path.join(s.subgraphs, 'no-service-grants.yaml');
    const text = await readFile(path.join(REPO_ROOT, 'policies', 'access.yaml'), 'utf8');
    await writeFile(policy, text.replace(/roles: \[["']?service:commerce["']?\]/, 'roles: [service:nobody]'));
    expect(await refused(s, 'orders-enriched', { MESHGATE_POLICY_FILE: policy })).toMatch(
      /input customer-profiles \(data-product\): the commerce domain may not read it: no access rule of .* grants it to service:commerce for the purpose "analytics"/,
    );
    const log = await readAccessLog({ dataRoot: s.data, rawDir: path.join(s.data, 'governance', 'access-log-raw') });
    expect(log.entries.find((e) => e.subject === 'service:commerce')).toMatchObject({
      decision: 'deny',
      fields_denied: 'customer-profiles',
      http_status: 403,
      error_code: 'FORBIDDEN',
    });
  });
});

describe('a full disk during a build', () => {
  const root = process.getuid?.() === 0;
  (root ? it : it.skip)('publishes nothing and keeps the previous version serving', async () => {
    const s = await sample();
    const dir = store(s.data, 'customer-profiles');
    const saved = await mkdtemp(path.join(tmpdir(), 'meshgate-saved-'));
    await cp(dir, saved, { recursive: true });
    // A product folder on a file system with room for what it holds and a little more, not for a new version.
    const usedKb = Number(execFileSync('du', ['-sk', saved]).toString().split('\t')[0]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${usedKb + 8}k`, 'tmpfs', dir]);
    try {
      await cp(saved, dir, { recursive: true });
      await mkdir(path.join(dir, 'failed'), { recursive: true });
      const out = await refused(s, 'customer-profiles');
      expect(out).toMatch(/^FAILED customer-profiles: /);
      expect(out).toMatch(/disk is full|No space left/i);
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});
