/**
 * The result cache over a real DuckDB: a repeated statement runs once, identical statements in
 * flight are merged, and nothing is ever shared across grants, bound values or versions (tables),
 * even when the statement text is the same. Errors are not kept. Misuse of its options is refused.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Database, ResultCache } from '../../../subgraphs/runtime/index.js';

let db: Database;
beforeAll(async () => {
  db = await Database.open({ dataDirs: [await mkdtemp(`${tmpdir()}/meshgate-cache-`)], connections: 4 });
  await db.exec('CREATE TABLE t__v1 AS SELECT range AS id, range * 10 AS v FROM range(100)');
  await db.exec('CREATE TABLE t__v2 AS SELECT range AS id, range * 100 AS v FROM range(100)');
});
afterAll(() => db?.close());

const lookUp = (table: string, id: number) => ({ text: `SELECT v FROM ${table} WHERE id = $1`, values: [id] });
/** Statements DuckDB ran during `fn`. */
async function ran(fn: () => Promise<unknown>): Promise<number> {
  const before = db.statements;
  await fn();
  return db.statements - before;
}

describe('ResultCache', () => {
  it('runs a repeated statement once, and answers the same rows after', async () => {
    const cache = new ResultCache(db);
    expect(await ran(() => cache.query(lookUp('t__v1', 3), 'g'))).toBe(1);
    expect(await ran(() => cache.query(lookUp('t__v1', 3), 'g'))).toBe(0);
    expect(await cache.query(lookUp('t__v1', 3), 'g')).toEqual([{ v: '30' }]);
    expect(cache.stats).toEqual({ hits: 2, misses: 1, merged: 0 });
  });

  it('merges identical statements in flight under one grant into one run', async () => {
    const cache = new ResultCache(db);
    const n = await ran(() => Promise.all(Array.from({ length: 16 }, () => cache.query(lookUp('t__v1', 5), 'g'))));
    expect(n).toBe(1);
    expect(cache.stats.merged).toBe(15);
  });

  it('never merges or shares across grants, even for the very same statement', async () => {
    const cache = new ResultCache(db);
    const n = await ran(() => Promise.all([cache.query(lookUp('t__v1', 7), 'analyst'), cache.query(lookUp('t__v1', 7), 'owner'), cache.query(lookUp('t__v1', 7), 'analyst')]));
    expect(n).toBe(2);
    expect(await ran(() => cache.query(lookUp('t__v1', 7), 'partner'))).toBe(1);
  });

  it('keys by bound values exactly: 1, "1" and 1n are three statements', async () => {
    const cache = new ResultCache(db);
    const q = (value: number | string | bigint) => ({ text: 'SELECT typeof($1) AS t', values: [value] });
    const answers = [await cache.query(q(1), 'g'), await cache.query(q('1'), 'g'), await cache.query(q(1n), 'g')];
    expect(answers.map((r) => r[0]!.t)).toEqual(['INTEGER', 'VARCHAR', 'HUGEINT']);
    expect(cache.stats.misses).toBe(3);
  });

  it('reads a new version as a new statement (the table names the version)', async () => {
    const cache = new ResultCache(db);
    expect(await cache.query(lookUp('t__v1', 2), 'g')).toEqual([{ v: '20' }]);
    expect(await cache.query(lookUp('t__v2', 2), 'g')).toEqual([{ v: '200' }]);
  });

  it('keeps no error: a failed statement runs again on the next call', async () => {
    const cache = new ResultCache(db);
    const bad = { text: 'SELECT v FROM missing__v1 WHERE id = $1', values: [1] };
    await expect(cache.query(bad, 'g')).rejects.toThrow();
    expect(await ran(() => cache.query(bad, 'g').catch(() => undefined))).toBe(1);
  });

  it('keeps within its size: an old result is evicted, a result too big for it is not kept but still answered', async () => {
    const cache = new ResultCache(db, { maxBytes: 4_096 });
    for (let id = 0; id < 50; id++) await cache.query(lookUp('t__v1', id), 'g');
    expect(cache.size.bytes).toBeLessThanOrEqual(4_096);
    expect(cache.size.entries).toBeLessThan(50);
    const big = { text: 'SELECT * FROM t__v1 WHERE id >= $1', values: [0] };
    expect(await cache.query(big, 'g')).toHaveLength(100);
    expect(await ran(() => cache.query(big, 'g'))).toBe(1);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses maxBytes %p with a TypeError naming it', (maxBytes) => {
    expect(() => new ResultCache(db, { maxBytes })).toThrow(new TypeError(`ResultCache: maxBytes must be a positive integer, got ${String(maxBytes)}`));
  });
});
