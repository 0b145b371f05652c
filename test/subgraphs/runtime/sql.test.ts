import {
  buildAggregate,
  buildKeyLookup,
  buildRepeatedKeys,
  buildReverseList,
  buildSelect,
  buildWriteVersion,
  compileCondition,
  matchKey,
  Params,
  quoteIdent,
  rowMatchKey,
  type Condition,
} from '../../../subgraphs/runtime/sql/index.js';

const id = { name: 'order_id', type: 'string' } as const;
const amount = { name: 'total_amount', type: 'double' } as const;
const day = { name: 'order_date', type: 'date' } as const;
const hostile = `'; DROP TABLE "orders"; --`;

describe('the SQL builder', () => {
  it('quotes identifiers, doubling embedded quotes', () => {
    expect(quoteIdent('total_amount')).toBe('"total_amount"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
  });

  it('binds every value as a typed parameter and never writes it into the text', () => {
    const where: Condition = {
      kind: 'or',
      items: [
        { kind: 'compare', column: id, op: 'eq', value: hostile },
        { kind: 'in', column: id, negated: false, values: [hostile, 'x'] },
        { kind: 'compare', column: day, op: 'gte', value: '2026-01-01' },
      ],
    };
    const q = buildSelect({ table: 'orders', columns: [{ column: id, as: 'orderId' }], where, orderBy: [], order: [id] }, 10, 0);
    expect(q.text).not.toContain('DROP');
    expect(q.text).not.toContain('2026');
    expect(q.values).toEqual([hostile, hostile, 'x', '2026-01-01', 10, 0]);
    expect(q.text).toContain('"order_date" >= $4::DATE');
  });

  it('makes not a complement that includes nulls', () => {
    const p = new Params();
    expect(compileCondition({ kind: 'not', item: { kind: 'compare', column: amount, op: 'gt', value: 5 } }, p)).toBe('(NOT coalesce(("total_amount" > $1::DOUBLE), FALSE))');
  });

  it('treats empty lists as matching nothing (in) or every non-null (nin)', () => {
    expect(compileCondition({ kind: 'in', column: id, negated: false, values: [] }, new Params())).toBe('FALSE');
    expect(compileCondition({ kind: 'in', column: id, negated: true, values: [] }, new Params())).toBe('("order_id" IS NOT NULL)');
  });

  it('ends every order with the key, so pages never overlap', () => {
    const q = buildSelect({ table: 't', columns: [], where: { kind: 'and', items: [] }, orderBy: [{ column: amount, direction: 'DESC' }], order: [id] }, 5, 0);
    expect(q.text).toContain('ORDER BY "total_amount" DESC NULLS FIRST, "order_id" ASC NULLS LAST');
  });

  it('looks up a batch of keys in one statement, each row carrying its raw key for matching', () => {
    const q = buildKeyLookup('t', [{ column: id, as: 'orderId' }], [id], [['a'], ['b'], ['c']], { kind: 'and', items: [] });
    expect(q.text).toBe('SELECT "order_id" AS "orderId", "order_id" AS "__match" FROM "t" WHERE "order_id" IN ($1::VARCHAR, $2::VARCHAR, $3::VARCHAR) AND TRUE');
  });

  it('limits a reverse list per parent with a window', () => {
    const q = buildReverseList(
      { table: 't', columns: [{ column: id, as: 'orderId' }], where: { kind: 'and', items: [] }, orderBy: [], order: [id] },
      [{ name: 'customer_id', type: 'string' }],
      [['c1'], ['c2']],
      3,
    );
    expect(q.text).toContain('row_number() OVER (PARTITION BY "customer_id"');
    expect(q.values).toEqual(['c1', 'c2', 3]);
  });

  it('looks up a batch of composite keys in one statement: a semi-join against bound VALUES, each row carrying every raw key column', () => {
    const line = { name: 'line_number', type: 'integer' } as const;
    const q = buildKeyLookup(
      't',
      [{ column: amount, as: 'totalAmount' }],
      [id, line],
      [
        ['o1', 1],
        [hostile, 2],
      ],
      { kind: 'and', items: [] },
    );
    // Narrowed by the first key column first (materialised, so its index is scanned), then semi-joined with the batch.
    expect(q.text).toBe(
      'WITH "__candidates" AS MATERIALIZED (SELECT * FROM "t" WHERE "order_id" IN ($1::VARCHAR, $2::VARCHAR)) ' +
        'SELECT "total_amount" AS "totalAmount", "order_id" AS "__match", "line_number" AS "__match1" FROM "__candidates" SEMI JOIN (VALUES ($3::VARCHAR, $4::BIGINT), ($5::VARCHAR, $6::BIGINT)) AS "__batch"("__k0", "__k1") ON "__candidates"."order_id" = "__batch"."__k0" AND "__candidates"."line_number" = "__batch"."__k1" WHERE TRUE',
    );
    expect(q.values).toEqual(['o1', hostile, 'o1', 1, hostile, 2]);
    // A row read back matches the look-up that asked for it, whatever the value's JavaScript type.
    expect(rowMatchKey({ __match: 'o1', __match1: 1 }, 2)).toBe(matchKey(['o1', '1']));
    expect(rowMatchKey({ __match: 'o1' }, 1)).toBe(matchKey(['o1']));
  });

  it('partitions a reverse list by every column of a composite reference', () => {
    const line = { name: 'line_number', type: 'integer' } as const;
    const q = buildReverseList({ table: 't', columns: [], where: { kind: 'and', items: [] }, orderBy: [], order: [day] }, [id, line], [['o1', 1]], 3);
    expect(q.text).toContain('row_number() OVER (PARTITION BY "order_id", "line_number" ORDER BY "order_date" ASC NULLS LAST)');
    expect(q.text).toContain('SEMI JOIN (VALUES ($1::VARCHAR, $2::BIGINT))');
    expect(q.values).toEqual(['o1', 1, 3]);
  });

  it('ends every order with each column of the total order the caller did not sort by', () => {
    const q = buildSelect({ table: 't', columns: [], where: { kind: 'and', items: [] }, orderBy: [{ column: day, direction: 'DESC' }], order: [id, day, amount] }, 5, 0);
    expect(q.text).toContain('ORDER BY "order_date" DESC NULLS FIRST, "order_id" ASC NULLS LAST, "total_amount" ASC NULLS LAST');
  });

  it('counts the rows repeating a composite key, and writes a version in the order of every key column', () => {
    const line = { name: 'line_number', type: 'integer' } as const;
    expect(buildRepeatedKeys('t', [id, line])).toContain('(SELECT count(*) FROM (SELECT DISTINCT "order_id", "line_number" FROM "t"))');
    expect(buildWriteVersion('t', [id, line], [id, line], '/x.parquet')).toContain('ORDER BY "order_id", "line_number")');
    expect(buildWriteVersion('t', [id], [], '/x.parquet')).not.toContain('ORDER BY');
  });

  it('asks for one group more than the cap, so a caller can tell there were more', () => {
    const q = buildAggregate('t', [], [{ fn: 'sum', column: amount, as: 'sum.totalAmount' }], { kind: 'and', items: [] }, 100);
    expect(q.values).toEqual([101]);
    expect(q.text).toContain('sum("total_amount")::DOUBLE AS "sum.totalAmount"');
  });
});
