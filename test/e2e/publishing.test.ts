/**
 * Publishing under a running mesh: a product serves exactly the version its manifest names. A new
 * version is published atomically while queries run (none fails, and each answer comes from one
 * version); a version that fails its gate is never served; a version whose key repeats is refused
 * when it loads, and the previous one keeps serving; files dropped beside a version are never
 * unioned with it; and removing files does not quietly change what is served.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, readdir, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readManifest, writeManifest } from '../../schema/index.js';
import { cli } from '../support/cli.js';
import { servedFiles } from '../support/referenceRows.js';
import { copyOfSeededData, startTestMesh, testStateDir, type TestMesh } from '../support/startTestMesh.js';

const COUNT = '{ customersAggregate { count } customersConnection(first: 1) { totalCount } }';

async function duck(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(sql);
  c.closeSync();
  instance.closeSync();
}

let mesh: TestMesh;
let dataRoot: string;
let env: Record<string, string>;
const lines: string[] = [];
const store = (): string => path.join(dataRoot, 'customers/customer-profiles');

async function counts(): Promise<[number, number]> {
  const r = await mesh.query<{ customersAggregate: { count: number }[]; customersConnection: { totalCount: number } }>(COUNT);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return [r.data!.customersAggregate[0]!.count, r.data!.customersConnection.totalCount];
}

/** Waits until the served count is `n` (a product table looks at its manifest every 2 s). */
async function until(n: number): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if ((await counts())[0] === n) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the served count never became ${n}`);
}

/** A folder with one Parquet file of the served customers, changed by `select` over `t`. */
async function variant(select: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-publish-'));
  const files = (await servedFiles(store())).map((f) => `'${f}'`).join(', ');
  await duck(`CREATE TABLE t AS SELECT * FROM read_parquet([${files}]); COPY (${select}) TO '${path.join(dir, 'part.parquet')}' (FORMAT parquet)`);
  return dir;
}

beforeAll(async () => {
  dataRoot = await copyOfSeededData();
  mesh = await startTestMesh({ dataRoot, log: (l) => lines.push(l) });
  env = { MESHGATE_DATA_DIR: dataRoot, MESHGATE_STATE_DIR: await testStateDir(), MESHGATE_DUCKDB_MEMORY: '1GB' };
});
afterAll(() => mesh?.close());

describe('a product serves exactly its published version', () => {
  it('never unions a Parquet file dropped beside the version with it', async () => {
    const [before] = await counts();
    const [served] = await servedFiles(store());
    await cp(served!, path.join(store(), 'stray.parquet'));
    await cp(served!, path.join(path.dirname(served!), 'stray.parquet'));
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await counts()).toEqual([before, before]);
    const one = await mesh.query<{ customer: { customerId: string } | null }>('{ customer(customerId: "C0000001") { customerId } }');
    expect(one.data?.customer?.customerId).toBe('C0000001');
    await rm(path.join(store(), 'stray.parquet'));
    await rm(path.join(path.dirname(served!), 'stray.parquet'));
  });

  it('publishes a new version atomically under a steady load: no request fails, every answer is one version', async () => {
    const [before] = await counts();
    const dir = await variant('SELECT * FROM t ORDER BY customer_id LIMIT 7');
    let stop = false;
    const seen: [number, number][] = [];
    const failures: string[] = [];
    const loop = async (): Promise<void> => {
      while (!stop) {
        try {
          seen.push(await counts());
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    };
    const load = Promise.all([loop(), loop(), loop(), loop()]);
    const run = await cli(['publish', 'customer-profiles', '--from', dir], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^published customer-profiles v\d{6}-\d{8}T\d{6}Z \(7 rows\)\n$/);
    await until(7);
    stop = true;
    await load;
    expect(failures).toEqual([]);
    expect(seen.length).toBeGreaterThan(20);
    for (const [aggregate, total] of seen) {
      expect(aggregate).toBe(total);
      expect([before, 7]).toContain(aggregate);
    }
  });

  it('never serves a version that fails its gate, and keeps it aside with its report', async () => {
    const [before] = await counts();
    const dir = await variant("SELECT * FROM t UNION ALL SELECT * FROM t WHERE customer_id = 'C0000001'");
    const run = await cli(['publish', 'customer-profiles', '--from', dir], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAILED customer-profiles: version (v\d{6}-\d{8}T\d{6}Z) failed its gate and is kept aside in failed\/\1: .*repeat a key value of "customer_id"/);
    const id = /failed\/(v\S+):/.exec(run.stdout)![1]!;
    const report = JSON.parse(await readFile(path.join(store(), 'failed', id, 'version.json'), 'utf8')) as { status: string; findings: { check: string }[] };
    expect(report.status).toBe('failed');
    expect(report.findings.map((f) => f.check)).toContain('contract-key-unique');
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await counts())[0]).toBe(before);
    expect((await readManifest(store())).kind === 'ok' && (await readdir(path.join(store(), 'versions'))).includes(id)).toBe(false);
    // The catalog shows the refused version with its report, newest first, and the served one still serving.
    const analyst = { authorization: `Bearer ${await mesh.token({ roles: ['analyst'] })}` };
    type Versions = {
      dataProduct: {
        currentVersion: { version: string };
        versions: { version: string; status: string; serving: boolean; testsFailed: number; findings: { check: string; message: string | null }[] }[];
      };
    };
    const catalog = await mesh.query<Versions>(
      '{ dataProduct(name: "customer-profiles") { currentVersion { version } versions(limit: 3) { version status serving testsFailed findings { check message } } } }',
      undefined,
      analyst,
    );
    const [newest, ...older] = catalog.data!.dataProduct.versions;
    expect(newest).toMatchObject({ version: id, status: 'FAILED', serving: false });
    expect(newest!.testsFailed).toBeGreaterThan(0);
    expect(newest!.findings).toContainEqual({ check: 'contract-key-unique', message: expect.stringMatching(/repeat/) });
    expect(older.find((v) => v.serving)?.version).toBe(catalog.data!.dataProduct.currentVersion.version);
  });

  it('refuses, when it loads, a version whose key repeats, and keeps serving the previous one', async () => {
    const [before] = await counts();
    const dir = await variant("SELECT * FROM t UNION ALL SELECT * FROM t WHERE customer_id = 'C0000002'");
    const read = await readManifest(store());
    if (read.kind !== 'ok') throw new Error('no manifest');
    // Bypasses the gate (a hand-made manifest), as only a broken publisher would.
    await cp(path.join(dir, 'part.parquet'), path.join(store(), 'versions', read.manifest.version, 'dup.parquet'));
    await writeManifest(store(), { ...read.manifest, version: `${read.manifest.version}-dup`, files: [`versions/${read.manifest.version}/dup.parquet`] });
    for (let i = 0; i < 30 && !lines.some((l) => l.includes('-dup is refused')); i++) {
      await counts();
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(lines.find((l) => l.includes('-dup is refused'))).toMatch(
      /customer-profiles: version v\S+-dup is refused \(1 row\(s\) of version v\S+-dup repeat a key, e\.g\. customer_id "C0000002"\): still serving version v\S+/,
    );
    expect((await counts())[0]).toBe(before);
    await writeManifest(store(), read.manifest);
  });

  it('keeps serving its version when its manifest is removed, and says so', async () => {
    const [before] = await counts();
    const manifest = path.join(store(), '_manifest.json');
    const text = await readFile(manifest, 'utf8');
    await rm(manifest);
    for (let i = 0; i < 30 && !lines.some((l) => l.includes('its manifest is gone')); i++) {
      await counts();
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(lines.find((l) => l.includes('its manifest is gone'))).toMatch(
      /customer-profiles: its manifest is gone: still serving version v\S+; retire data by publishing a new version/,
    );
    expect((await counts())[0]).toBe(before);
    await writeFile(manifest, text);
  });
});
