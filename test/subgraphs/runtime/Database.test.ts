import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MeshgateError } from '../../../schema/index.js';
import { Database } from '../../../subgraphs/runtime/index.js';

describe('the locked-down database', () => {
  let db: Database;
  const dir = mkdtempSync(path.join(tmpdir(), 'meshgate-db-'));
  beforeAll(async () => {
    db = await Database.open({ dataDirs: [dir], queryTimeoutMs: 300, memoryLimit: '512MB', threads: 1 });
    await db.exec(`COPY (SELECT 1 AS x) TO '${dir}/ok.parquet' (FORMAT parquet)`);
  });
  afterAll(() => db.close());

  it('reads Parquet inside the data directory', async () => {
    await expect(db.query({ text: `SELECT x FROM read_parquet('${dir}/ok.parquet')`, values: [] })).resolves.toEqual([{ x: 1 }]);
  });

  it.each([
    ['a file outside the data directory', "SELECT * FROM read_csv('/etc/passwd')"],
    ['a path that climbs out with ..', `SELECT * FROM read_parquet('${dir}/../../etc/passwd')`],
    ['a glob over the file system', "SELECT * FROM glob('/etc/*')"],
    ['a URL', "SELECT * FROM read_parquet('https://example.com/x.parquet')"],
    ['attaching another database', "ATTACH '/tmp/other.db' AS other"],
    ['installing an extension', 'INSTALL httpfs'],
    ['changing the configuration', "SET allowed_directories = ['/']"],
    ['lifting the memory limit', "SET memory_limit = '100GB'"],
  ])('refuses %s', async (_what, text) => {
    await expect(db.query({ text, values: [] })).rejects.toThrow();
  });

  it('interrupts a query past its time budget and keeps serving', async () => {
    const started = Date.now();
    const slow = db.query({ text: 'SELECT count(*) FROM range(100000000) a, range(100000) b WHERE a.range * b.range = -1', values: [] });
    await expect(slow).rejects.toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    await expect(slow).rejects.toBeInstanceOf(MeshgateError);
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(db.query({ text: 'SELECT 42 AS answer', values: [] })).resolves.toEqual([{ answer: 42 }]);
  });

  it('counts the statements it runs', async () => {
    const before = db.statements;
    await db.query({ text: 'SELECT 1', values: [] });
    expect(db.statements).toBe(before + 1);
  });
});
