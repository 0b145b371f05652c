import { buildAggregate, buildKeyLookup, buildReverseList, buildSelect, compileCondition, Params, quoteIdent, type Condition } from '../../../subgraphs/runtime/sql/index.js';

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

  it('asks for one group more than the cap, so a caller can tell there were more', () => {
    const q = buildAggregate('t', [], [{ fn: 'sum', column: amount, as: 'sum.totalAmount' }], { kind: 'and', items: [] }, 100);
    expect(q.values).toEqual([101]);
    expect(q.text).toContain('sum("total_amount")::DOUBLE AS "sum.totalAmount"');
  });
});
