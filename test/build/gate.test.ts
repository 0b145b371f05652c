/**
 * The quality gate's anomaly checks and retention. A new version's profile is compared with the
 * served version's by the thresholds a descriptor declares, each to warn (published, the warning
 * recorded) or to block (kept aside); and old versions go as retention says, never the served one.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadDataProduct, readManifest, type DataProduct, type Profile } from '../../schema/index.js';
import { compareProfiles } from '../../subgraphs/runtime/build/gate/compareProfiles.js';
import { applyRetention } from '../../subgraphs/runtime/build/versions.js';
import { publishFiles, type BuildEnv } from '../../subgraphs/runtime/index.js';
import { versionId, versionStore } from '../../schema/index.js';

const profile = (rows: number, columns: Profile['columns']): Profile => ({ rows, columns });
const col = (column: string, nulls: number, rows: number, distinct: number, min?: string, max?: string) => ({
  column,
  nulls,
  nullShare: rows ? nulls / rows : 0,
  distinct,
  ...(min !== undefined && { min, max: max ?? null }),
});

describe('the anomaly checks', () => {
  const served = profile(100, [col('id', 0, 100, 100), col('amount', 5, 100, 80, '1', '500'), col('day', 0, 100, 30, '2026-01-01', '2026-01-30')]);

  it('find nothing without a served version, or without thresholds', () => {
    expect(compareProfiles(profile(1, []), undefined, { rows: { change: 0.1, action: 'block' } })).toEqual([]);
    expect(compareProfiles(profile(1, served.columns), served, {})).toEqual([]);
  });

  it('blocks a row count that changed more than allowed, and lets a smaller change through', () => {
    expect(compareProfiles(profile(40, served.columns), served, { rows: { change: 0.5, action: 'block' } })).toEqual([
      { check: 'anomaly-rows', severity: 'violation', message: 'the row count changed by 60% (100 → 40), more than the 50% its gate allows' },
    ]);
    expect(compareProfiles(profile(60, served.columns), served, { rows: { change: 0.5, action: 'block' } })).toEqual([]);
  });

  it('warns of a null share that rose, a distinct count that moved and a range left', () => {
    const next = profile(100, [col('id', 0, 100, 100), col('amount', 30, 100, 20, '-3', '500'), col('day', 0, 100, 31, '2026-01-01', '2026-02-02')]);
    const found = compareProfiles(next, served, { nulls: { increase: 0.1, action: 'warn' }, distinct: { change: 0.5, action: 'warn' }, range: { action: 'warn' } });
    expect(found.map((f) => [f.check, f.field, f.severity])).toEqual([
      ['anomaly-nulls', 'amount', 'warning'],
      ['anomaly-distinct', 'amount', 'warning'],
      ['anomaly-range', 'amount', 'warning'],
      ['anomaly-range', 'day', 'warning'],
    ]);
    expect(found[0]!.message).toBe('amount: its null share rose from 5% to 30%, more than the 10% its gate allows');
  });
});

describe('the gate on a publish', () => {
  let dir: string;
  let product: DataProduct;
  let env: BuildEnv;

  async function parquet(name: string, rows: number): Promise<string> {
    const out = path.join(dir, name);
    await mkdir(out, { recursive: true });
    const i = await DuckDBInstance.create(':memory:');
    const c = await i.connect();
    await c.run(`COPY (SELECT 'K' || x AS id, CAST(x AS DOUBLE) AS amount FROM range(${rows}) t(x)) TO '${path.join(out, 'part.parquet')}' (FORMAT parquet)`);
    c.closeSync();
    i.closeSync();
    return out;
  }

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'meshgate-gate-'));
    await mkdir(path.join(dir, 'domain'), { recursive: true });
    const descriptor = {
      name: 'ledger',
      domain: 'finance',
      owner: 'finance@company.com',
      outputs: [
        { name: 'ledger-v1', format: 'parquet', location: 'finance/ledger/', schema: 'ledger.avsc', retention: { keep: 2 }, gate: { rows: { change: '50%', action: 'block' } } },
      ],
    };
    const contract = {
      type: 'record',
      name: 'Entry',
      fields: [
        { name: 'id', type: 'string', key: true, classification: 'none' },
        { name: 'amount', type: 'double', classification: 'none' },
      ],
    };
    await writeFile(path.join(dir, 'domain', 'data-product.yaml'), JSON.stringify(descriptor));
    await writeFile(path.join(dir, 'domain', 'ledger.avsc'), JSON.stringify(contract));
    const loaded = await loadDataProduct(path.join(dir, 'domain', 'data-product.yaml'), { dataRoot: path.join(dir, 'data') });
    if (loaded.errors) throw new Error(JSON.stringify(loaded.errors));
    product = loaded.value;
    env = {
      dataRoot: path.join(dir, 'data'),
      products: new Map([[product.name, product]]),
      policy: null,
      policyFile: '',
      hashKey: 'k'.repeat(32),
      record: async () => undefined,
      connection: () => undefined,
      log: () => undefined,
      now: () => new Date(),
      memoryLimit: '1GB',
      threads: 1,
    };
  });

  it('publishes the first version, then blocks one whose row count halved, keeping it aside', async () => {
    expect((await publishFiles(product, await parquet('v1', 100), env)).status).toBe('published');
    const served = await readManifest(product.storeDir);
    const refused = await publishFiles(product, await parquet('v2', 40), env);
    expect(refused).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('the row count changed by 60% (100 → 40), more than the 50% its gate allows') as unknown as string,
    });
    expect(await readManifest(product.storeDir)).toEqual(served);
    expect(await readdir(versionStore(product.storeDir).failed)).toHaveLength(1);
    const report = JSON.parse(await readFile(path.join(versionStore(product.storeDir).failed, refused.version!, 'version.json'), 'utf8')) as { findings: { check: string }[] };
    expect(report.findings.map((f) => f.check)).toEqual(['anomaly-rows']);
  });

  it('keeps the newest versions retention asks for, and never the served one less', async () => {
    for (const n of [90, 95, 99]) expect((await publishFiles(product, await parquet(`r${n}`, n), env)).status).toBe('published');
    const versions = await readdir(versionStore(product.storeDir).versions);
    expect(versions).toHaveLength(2);
    const served = await readManifest(product.storeDir);
    expect(served.kind === 'ok' && versions).toContain(served.kind === 'ok' ? served.manifest.version : '');
  });
});

describe('retention', () => {
  it('keeps the newest N, anything younger than its duration, and the served version', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'meshgate-retention-'));
    const store = versionStore(dir);
    const now = new Date('2026-06-10T00:00:00Z');
    const ids = [1, 2, 3, 4, 5].map((seq) => versionId(seq, new Date(now.getTime() - (6 - seq) * 86_400_000)));
    for (const id of ids) await mkdir(path.join(store.versions, id), { recursive: true });
    const removed = await applyRetention(store, { keep: 1, forMs: 2.5 * 86_400_000 }, ids[0]!, now);
    expect(removed.sort()).toEqual([ids[1], ids[2]].sort());
    expect((await readdir(store.versions)).sort()).toEqual([ids[0], ids[3], ids[4]].sort());
  });
});
