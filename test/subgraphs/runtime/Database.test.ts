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

describe('statements kept prepared per connection', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'meshgate-prepared-'));
  let db: Database;
  let fresh: Database;
  beforeAll(async () => {
    db = await Database.open({ dataDirs: [dir], queryTimeoutMs: 300, threads: 1, connections: 1, preparedStatements: 3 });
    fresh = await Database.open({ dataDirs: [dir], queryTimeoutMs: 300, threads: 1, connections: 1, preparedStatements: 0 });
    for (const d of [db, fresh]) await d.exec("CREATE TABLE t AS SELECT range AS i, 'v' || range AS s FROM range(100)");
  });
  afterAll(() => {
    db.close();
    fresh.close();
  });

  it('binds each run its own values through the statement kept for the text', async () => {
    const q = (i: number) => ({ text: 'SELECT s, i::BIGINT AS i FROM t WHERE i = $1::BIGINT', values: [i] });
    expect(await db.query(q(7))).toEqual([{ s: 'v7', i: '7' }]);
    expect(await db.query(q(8))).toEqual([{ s: 'v8', i: '8' }]);
    expect(await db.query({ text: 'SELECT s FROM t WHERE i < $1 ORDER BY i LIMIT $2', values: [3, 2] })).toEqual([{ s: 'v0' }, { s: 'v1' }]);
    expect(await db.query({ text: 'SELECT s FROM t WHERE i < $1 ORDER BY i LIMIT $2', values: [3, 5] })).toEqual([{ s: 'v0' }, { s: 'v1' }, { s: 'v2' }]);
  });

  it('keeps at most the configured number of statements per connection', async () => {
    for (let n = 1; n <= 10; n++) await db.query({ text: `SELECT ${n} AS n, count(*)::INTEGER AS c FROM t WHERE i < $1`, values: [n] });
    expect(db.preparedCounts()).toEqual([3]);
    expect(fresh.preparedCounts()).toEqual([0]);
  });

  it.each([
    ['a missing table', 'SELECT * FROM nowhere WHERE x = $1', [1]],
    ['a missing column', 'SELECT nope FROM t WHERE i = $1', [1]],
    ['a syntax error', 'SELEKT 1 FROM t WHERE i = $1', [1]],
    ['a value of the wrong type', 'SELECT s FROM t WHERE i = $1::BIGINT', ['x']],
    ['too few values', 'SELECT s FROM t WHERE i = $1 AND s = $2', [1]],
    ['a file outside the data directory', 'SELECT * FROM read_csv($1)', ['/etc/passwd']],
  ])('fails on %s with the same error as a statement prepared anew', async (_what, text, values) => {
    // Prepared anew, DuckDB's parse errors came wrapped as "Failed to extract statements: <the error>".
    const kept = await db.query({ text, values }).then(
      () => 'no error',
      (e: Error) => e.message,
    );
    const anew = await fresh.query({ text, values }).then(
      () => 'no error',
      (e: Error) => e.message.replace(/^Failed to extract statements: /, ''),
    );
    expect(kept).not.toBe('no error');
    expect(kept).toBe(anew);
    await expect(db.query({ text: 'SELECT 1 AS one', values: [] })).resolves.toEqual([{ one: 1 }]);
  });

  it('refuses text holding several statements, running none of them', async () => {
    await expect(db.query({ text: 'CREATE TABLE sneaky AS SELECT 1 AS x; SELECT $1 AS y', values: [1] })).rejects.toThrow(/multiple statements/);
    await expect(db.query({ text: 'SELECT * FROM sneaky', values: [] })).rejects.toThrow(/sneaky/);
  });

  it('interrupts a kept statement past its time budget; the connection and the same text serve again', async () => {
    const slow = { text: 'SELECT count(*) FROM range(100000000) a, range(100000) b WHERE a.range * b.range = $1', values: [-1] };
    await expect(db.query(slow)).rejects.toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    await expect(db.query({ text: 'SELECT 42 AS answer', values: [] })).resolves.toEqual([{ answer: 42 }]);
    await expect(db.query(slow)).rejects.toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    const quick = { text: 'SELECT count(*)::INTEGER AS n FROM range(10) a, range(10) b WHERE a.range * b.range = $1', values: [-1] };
    await expect(db.query(quick)).resolves.toEqual([{ n: 0 }]);
  });

  it('sees a table dropped and made again under the same name', async () => {
    const q = { text: 'SELECT * FROM again WHERE a = $1', values: [1] };
    await db.exec('CREATE TABLE again AS SELECT 1 AS a');
    expect(await db.query(q)).toEqual([{ a: 1 }]);
    await db.exec("DROP TABLE again; CREATE TABLE again AS SELECT 1 AS a, 'new' AS b");
    expect(await db.query(q)).toEqual([{ a: 1, b: 'new' }]);
    await db.exec('DROP TABLE again');
    await expect(db.query(q)).rejects.toThrow(/again/);
  });
});
