/**
 * The statements of analysts' aggregates, run on a DuckDB of the test's own over rows written here,
 * and checked against answers computed in TypeScript: exact decimal sums, groups by a list's
 * elements, buckets, `having` and measure filters bound as parameters.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { buildAggregate, type Aggregate, type Column, type Condition, type GroupColumn, type SqlQuery } from '../../../subgraphs/runtime/sql/index.js';

const amount: Column = { name: 'amount', type: 'decimal' };
const tags: Column = { name: 'tags', type: 'list' };
const colours: Column = { name: 'colours', type: 'list' };
const ts: Column = { name: 'ts', type: 'timestamp' };
const status: Column = { name: 'status', type: 'string' };
const everything: Condition = { kind: 'and', items: [] };

/** 300 rows whose amounts sum to binary noise as doubles (0.10, 0.20, 0.30 ... in cents). */
const ROWS = Array.from({ length: 300 }, (_, i) => ({
  id: i,
  cents: 10 + (i % 7) * 10 + 1,
  tags: i % 5 === 0 ? [] : i % 7 === 0 ? null : ['a', 'b', 'c'].slice(0, 1 + (i % 3)),
  colours: i % 2 ? ['red'] : ['red', 'blue'],
  ts: `2026-0${1 + (i % 3)}-1${i % 10} 0${i % 10}:30:00`,
  status: i % 4 ? 'delivered' : 'placed',
}));

let connection: DuckDBConnection;

beforeAll(async () => {
  connection = await (await DuckDBInstance.create(':memory:')).connect();
  await connection.run('CREATE TABLE t (id INTEGER, amount DECIMAL(12,2), tags VARCHAR[], colours VARCHAR[], ts TIMESTAMP, status VARCHAR)');
  const list = (l: string[] | null): string => (l === null ? 'NULL' : `[${l.map((x) => `'${x}'`).join(', ')}]::VARCHAR[]`);
  const values = ROWS.map((r) => `(${r.id}, ${(r.cents / 100).toFixed(2)}, ${list(r.tags)}, ${list(r.colours)}, TIMESTAMP '${r.ts}', '${r.status}')`);
  await connection.run(`INSERT INTO t VALUES ${values.join(', ')}`);
});

async function run(q: SqlQuery): Promise<Record<string, unknown>[]> {
  const statement = await connection.prepare(q.text);
  statement.bind(q.values as never);
  return (await statement.runAndReadAll()).getRowObjectsJson() as Record<string, unknown>[];
}

/** `cents` as DuckDB prints a DECIMAL(38,2). */
const decimal = (cents: number): string => `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

describe("the statements of analysts' aggregates", () => {
  it('sums a decimal exactly, as DECIMAL(38, scale), where a double shows binary noise', async () => {
    const sum: Aggregate = { fn: 'sum', column: amount, as: 'sum.amount', scale: 2 };
    const [row] = await run(buildAggregate('t', [], [sum, { fn: 'min', column: amount, as: 'min.amount' }], everything, 10));
    const cents = ROWS.reduce((s, r) => s + r.cents, 0);
    expect(row!['sum.amount']).toBe(decimal(cents));
    expect(row!['min.amount']).toBe(decimal(Math.min(...ROWS.map((r) => r.cents))));
    const [plain] = await run({ text: 'SELECT sum(amount::DOUBLE) AS s FROM t', values: [] });
    expect(String(plain!.s)).not.toBe(decimal(cents));
  });

  it('averages a decimal exactly, to six more digits, truncated (DuckDB would divide as doubles)', async () => {
    const avg: Aggregate = { fn: 'avg', column: amount, as: 'avg.amount', scale: 2 };
    const delivered: Condition = { kind: 'compare', column: status, op: 'eq', value: 'delivered' };
    const [row] = await run(buildAggregate('t', [], [avg, { ...avg, as: 'aov', filter: delivered }], everything, 10));
    const exact = (rows: typeof ROWS): string => {
      const scaled = (BigInt(rows.reduce((s, r) => s + r.cents, 0)) * 10n ** 6n) / BigInt(rows.length);
      return `${scaled / 10n ** 8n}.${String(scaled % 10n ** 8n).padStart(8, '0')}`;
    };
    expect(row!['avg.amount']).toBe(exact(ROWS));
    expect(row!.aov).toBe(exact(ROWS.filter((r) => r.status === 'delivered')));
  });

  it("groups by a list's elements: a row counts in each element's group, an empty or null list in the null group", async () => {
    const groupBy: GroupColumn[] = [{ column: tags, as: 'key.tags', elements: true }];
    const rows = await run(buildAggregate('t', groupBy, [], everything, 10));
    const expected = new Map<string | null, number>();
    for (const r of ROWS) for (const e of r.tags?.length ? r.tags : [null]) expected.set(e, (expected.get(e) ?? 0) + 1);
    expect(rows.map((r) => [r['key.tags'], Number(r.__count)])).toEqual([...expected.entries()].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b))));
  });

  it('groups by two lists as every pair of their elements, not zipped', async () => {
    const groupBy: GroupColumn[] = [
      { column: tags, as: 'key.tags', elements: true },
      { column: colours, as: 'key.colours', elements: true },
    ];
    const rows = await run(buildAggregate('t', groupBy, [], everything, 100));
    const pairs = ROWS.reduce((n, r) => n + (r.tags?.length || 1) * r.colours.length, 0);
    expect(rows.reduce((n, r) => n + Number(r.__count), 0)).toBe(pairs);
  });

  it('computes a measure over the rows its filter matches, with the filter and having values bound', async () => {
    const delivered: Condition = { kind: 'compare', column: status, op: 'eq', value: 'delivered' };
    const revenue: Aggregate = { fn: 'sum', column: amount, as: 'measure.revenue', scale: 2, filter: delivered, measure: 'revenue' };
    const having: Condition = { kind: 'compare', column: { name: '__h0', type: 'bigint' }, op: 'gt', value: 99 };
    const groupBy: GroupColumn[] = [{ column: ts, as: 'key.ts', unit: 'month' }];
    const q = buildAggregate('t', groupBy, [revenue, { fn: 'count', as: '__h0' }], everything, 10, having);
    expect(q.text).toContain(`FILTER (WHERE ("status" = $1::VARCHAR))`);
    expect(q.text).toContain('HAVING ("__h0" > $2::BIGINT)');
    expect(q.text).not.toContain('delivered');
    expect(q.values).toEqual(['delivered', 99, 11]);
    const rows = await run(q);
    const months = new Map<string, { count: number; cents: number }>();
    for (const r of ROWS) {
      const m = `${r.ts.slice(0, 7)}-01 00:00:00`;
      const g = months.get(m) ?? { count: 0, cents: 0 };
      months.set(m, { count: g.count + 1, cents: g.cents + (r.status === 'delivered' ? r.cents : 0) });
    }
    const expected = [...months.entries()].filter(([, g]) => g.count > 99).sort(([a], [b]) => a.localeCompare(b));
    expect(rows.map((r) => [r['key.ts'], r['measure.revenue']])).toEqual(expected.map(([m, g]) => [m, decimal(g.cents)]));
  });

  it('binds a percentile as a parameter and interpolates it, or takes a row value when discrete', async () => {
    const aggs: Aggregate[] = [
      { fn: 'percentile', column: { name: 'id', type: 'integer' }, as: 'p', p: 0.9 },
      { fn: 'percentile', column: { name: 'id', type: 'integer' }, as: 'd', p: 0.9, discrete: true },
    ];
    const q = buildAggregate('t', [], aggs, everything, 10);
    expect(q.values).toEqual([0.9, 0.9, 11]);
    const [row] = await run(q);
    expect(row!.p).toBeCloseTo(299 * 0.9, 9);
    expect(row!.d).toBe(Math.ceil(300 * 0.9) - 1);
  });
});
