import { DuckDBInstance } from '@duckdb/node-api';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { servedFiles } from '../support/referenceRows.js';
import { copyOfSeededData, startTestMesh } from '../support/startTestMesh.js';

async function duck(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(sql);
  c.closeSync();
  instance.closeSync();
}

describe('a product that cannot be served', () => {
  it('answers PRODUCT_UNAVAILABLE when no version of it could be published, and the other products still answer', async () => {
    const dataRoot = await copyOfSeededData();
    // No version, and no landing files to build one from at start: the build fails, and says so.
    await rm(path.join(dataRoot, 'payments'), { recursive: true });
    await rm(path.join(dataRoot, 'landing', 'payments'), { recursive: true });
    const lines: string[] = [];
    const mesh = await startTestMesh({ dataRoot, log: (l) => lines.push(l) });
    try {
      const r = await mesh.query('{ payments(limit: 1) { paymentId } }');
      expect(r.errors?.[0]?.extensions?.code).toBe('PRODUCT_UNAVAILABLE');
      expect(r.errors?.[0]?.message).toBe(
        'The data product "payments" is unavailable: no version of it is published yet (build it with "meshgate build payments" or publish one with "meshgate publish payments --from DIR").',
      );
      expect(r.text).not.toContain(dataRoot);
      const ok = await mesh.query('{ orders(limit: 1) { orderId } }');
      expect(ok.errors).toBeUndefined();
      expect(lines.some((l) => /^build failed: payments: input psp-settlements \(files\): no jsonl file in landing\/payments\/psp-settlements\//.test(l))).toBe(true);
      expect(lines.some((l) => l.includes('payments: unavailable: no version of it is published yet'))).toBe(true);
    } finally {
      await mesh.close();
    }
  });

  it('refuses a published version whose column types do not match the contract, saying which column', async () => {
    const dataRoot = await copyOfSeededData();
    const [file] = (await servedFiles(path.join(dataRoot, 'commerce/orders-enriched'))) as [string];
    await duck(`COPY (SELECT * REPLACE (CAST(order_date AS VARCHAR) || 'x' AS order_date) FROM read_parquet('${file}')) TO '${file}.bad' (FORMAT parquet)`);
    await cp(`${file}.bad`, file);
    await rm(`${file}.bad`);
    const mesh = await startTestMesh({ dataRoot });
    try {
      const r = await mesh.query('{ orders(limit: 1) { orderId } }');
      expect(r.errors?.[0]?.extensions?.code).toBe('PRODUCT_UNAVAILABLE');
      expect(r.errors?.[0]?.message).toContain('column "order_date" is VARCHAR in Parquet, the contract says DATE');
    } finally {
      await mesh.close();
    }
  });
});

describe('a domain with a bad descriptor', () => {
  it('is left out, and the rest of the mesh starts and says what was left out', async () => {
    const subgraphsDir = await mkdtemp(path.join(tmpdir(), 'meshgate-partial-'));
    await cp(path.join(REPO_ROOT, 'subgraphs'), subgraphsDir, { recursive: true, filter: (src) => !src.includes('runtime') });
    await writeFile(path.join(subgraphsDir, 'payments/data-product.yaml'), 'name: payments\ndomain: payments\nowner: p@x.io\noutputs: []\n');
    const lines: string[] = [];
    const mesh = await startTestMesh({ subgraphsDir, log: (l) => lines.push(l) });
    try {
      expect([...mesh.running.subgraphs.keys()]).toEqual(['commerce', 'customers', 'governance']);
      expect(lines).toContain(`declaration problem: ${subgraphsDir}/payments/data-product.yaml: outputs: at least one output`);
      expect(lines.some((l) => l.includes('domain "payments" is left out of the mesh until its declarations are fixed'))).toBe(true);
      const r = await mesh.query<{ orders: { customer: { customerId: string } }[] }>('{ orders(limit: 2) { orderId customer { customerId } } }');
      expect(r.errors).toBeUndefined();
      expect(r.data?.orders).toHaveLength(2);
      const gone = await mesh.query('{ payments { paymentId } }');
      expect(gone.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    } finally {
      await mesh.close();
    }
  });
});
