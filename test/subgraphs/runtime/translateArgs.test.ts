import { BadUserInputError, type ProductShape } from '../../../schema/index.js';
import {
  checkOffset,
  checkPageSize,
  decodeCursor,
  DEFAULT_LIMITS,
  encodeCursor,
  translateOrderBy,
  translateWhere,
  type Limits,
} from '../../../subgraphs/runtime/graphql/translateArgs.js';
import { loadSampleMesh } from '../../support/sampleMesh.js';

let order: ProductShape;

beforeAll(async () => {
  order = (await loadSampleMesh()).shape('orders-enriched');
});

const amount = { name: 'total_amount', type: 'double' } as const;
const status = { name: 'status', type: 'string' } as const;
const country = { name: 'shipping_country', type: 'string' } as const;
const where = (w: unknown, limits: Limits = DEFAULT_LIMITS): ReturnType<typeof translateWhere> => translateWhere(w, order, limits);

/** The message of the BAD_USER_INPUT `f` throws; fails the test when it throws anything else or nothing. */
function badInput(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return (error as BadUserInputError).message;
  }
  throw new Error('expected BAD_USER_INPUT, nothing was thrown');
}

/** `{ not: { not: ... { leaf } } }`, `depth` levels deep. */
const nested = (depth: number, leaf: Record<string, unknown>): Record<string, unknown> => (depth === 0 ? leaf : { not: nested(depth - 1, leaf) });

describe('translating a where filter', () => {
  it('translates no filter into no condition', () => {
    expect(where(undefined)).toBeUndefined();
    expect(where(null)).toBeUndefined();
  });

  it('translates one operator on one field into one comparison on its column', () => {
    expect(where({ totalAmount: { gt: 10 } })).toEqual({ kind: 'compare', column: amount, op: 'gt', value: 10 });
  });

  it('AND-s the operators of a field and the fields of a filter', () => {
    expect(where({ totalAmount: { gte: 1, lt: 5 }, status: { eq: 'paid' } })).toEqual({
      kind: 'and',
      items: [
        { kind: 'compare', column: amount, op: 'gte', value: 1 },
        { kind: 'compare', column: amount, op: 'lt', value: 5 },
        { kind: 'compare', column: status, op: 'eq', value: 'paid' },
      ],
    });
  });

  it('keeps and, or and not as the tree the caller wrote', () => {
    expect(where({ or: [{ status: { eq: 'paid' } }, { not: { shippingCountry: { in: ['DE', 'FR'] } } }] })).toEqual({
      kind: 'or',
      items: [
        { kind: 'compare', column: status, op: 'eq', value: 'paid' },
        { kind: 'not', item: { kind: 'in', column: country, negated: false, values: ['DE', 'FR'] } },
      ],
    });
  });

  it('translates in, nin and isNull, and passes over an isNull set to null', () => {
    expect(where({ shippingCountry: { nin: ['US'] } })).toEqual({ kind: 'in', column: country, negated: true, values: ['US'] });
    expect(where({ discountAmount: { isNull: true } })).toEqual({ kind: 'isNull', column: { name: 'discount_amount', type: 'double' }, isNull: true });
    expect(where({ discountAmount: { isNull: null }, status: null })).toEqual({ kind: 'and', items: [] });
  });

  it('refuses comparing with null, pointing to isNull', () => {
    expect(badInput(() => where({ status: { eq: null } }))).toBe('"status.eq" cannot compare with null: use isNull.');
    expect(badInput(() => where({ status: { in: null } }))).toBe('"status.in" needs a list, not null.');
  });

  it('refuses an operator it does not know', () => {
    expect(badInput(() => where({ totalAmount: { between: [1, 2] } }))).toBe('Unknown operator "between" on field "totalAmount".');
  });

  it('refuses a field the product does not have, or a column name in place of a field name', () => {
    expect(badInput(() => where({ total_amount: { eq: 1 } }))).toBe('Unknown field "total_amount" in the OrderWhere filter.');
    expect(badInput(() => where({ and: [{ email: { eq: 'a' } }] }))).toBe('Unknown field "email" in the OrderWhere filter.');
  });

  it('accepts and/or/not nested 16 levels deep and refuses 17', () => {
    expect(where(nested(16, { status: { eq: 'paid' } }))).toBeDefined();
    expect(badInput(() => where(nested(17, { status: { eq: 'paid' } })))).toBe('A where filter may nest and/or/not at most 16 levels deep.');
    expect(badInput(() => where({ or: [nested(16, { status: { eq: 'paid' } })] }))).toBe('A where filter may nest and/or/not at most 16 levels deep.');
  });

  it('refuses more conditions than the cap, counting each field and each and/or/not', () => {
    const limits = { ...DEFAULT_LIMITS, maxConditions: 3 };
    expect(where({ or: [{ status: { eq: 'a' } }, { status: { eq: 'b' } }] }, limits)).toBeDefined();
    expect(badInput(() => where({ or: [{ status: { eq: 'a' } }, { status: { eq: 'b' } }, { status: { eq: 'c' } }] }, limits))).toBe(
      'A where filter may hold at most 3 conditions.',
    );
  });

  it('counts each operator of one field filter as a condition of its own', () => {
    const limits = { ...DEFAULT_LIMITS, maxConditions: 3 };
    expect(where({ totalAmount: { gt: 1, lt: 9, neq: 5 } }, limits)).toBeDefined();
    expect(badInput(() => where({ totalAmount: { gt: 1, gte: 2, lt: 9, lte: 8 } }, limits))).toBe('A where filter may hold at most 3 conditions.');
  });

  it('refuses an in list longer than the cap', () => {
    const limits = { ...DEFAULT_LIMITS, maxInList: 2 };
    expect(where({ status: { in: ['a', 'b'] } }, limits)).toBeDefined();
    expect(badInput(() => where({ status: { nin: ['a', 'b', 'c'] } }, limits))).toBe('"status.nin" may list at most 2 values.');
  });

  it('refuses a filter value longer than 4096 characters, in a comparison or a list', () => {
    expect(where({ status: { eq: 'x'.repeat(4096) } })).toBeDefined();
    expect(badInput(() => where({ status: { like: 'x'.repeat(4097) } }))).toBe('A filter value may be at most 4096 characters long.');
    expect(badInput(() => where({ status: { in: ['ok', 'x'.repeat(4097)] } }))).toBe('A filter value may be at most 4096 characters long.');
  });
});

describe('translating an orderBy', () => {
  it('translates each item into a sort on its column, in order', () => {
    expect(translateOrderBy([{ shippingCountry: 'ASC' }, { totalAmount: 'DESC_NULLS_LAST' }], order)).toEqual([
      { column: country, direction: 'ASC' },
      { column: amount, direction: 'DESC_NULLS_LAST' },
    ]);
    expect(translateOrderBy(undefined, order)).toEqual([]);
  });

  it('refuses an item that sets two fields, or none', () => {
    expect(badInput(() => translateOrderBy([{ status: 'ASC' }, { totalAmount: 'ASC', orderTs: 'DESC' }], order))).toBe('orderBy[1] must set exactly one field, it sets 2.');
    expect(badInput(() => translateOrderBy([{ status: null }], order))).toBe('orderBy[0] must set exactly one field, it sets 0.');
  });

  it('refuses a field the product does not have', () => {
    expect(badInput(() => translateOrderBy([{ birthDate: 'ASC' }], order))).toBe('Unknown field "birthDate" in orderBy[0].');
  });
});

describe('page bounds', () => {
  it('gives a page of 100 when no size is given', () => {
    expect(checkPageSize('limit', undefined, DEFAULT_LIMITS)).toBe(100);
    expect(checkPageSize('first', null, DEFAULT_LIMITS)).toBe(100);
  });

  it('accepts 0 up to the cap, and refuses past it rather than cutting the page', () => {
    expect(checkPageSize('limit', 0, DEFAULT_LIMITS)).toBe(0);
    expect(checkPageSize('limit', 1000, DEFAULT_LIMITS)).toBe(1000);
    expect(badInput(() => checkPageSize('first', 1001, DEFAULT_LIMITS))).toBe(
      '"first" must be between 0 and 1000 (the cap on one page), got 1001; page through larger results with offset or a connection cursor.',
    );
  });

  it('refuses a negative or fractional page size', () => {
    expect(badInput(() => checkPageSize('limit', -1, DEFAULT_LIMITS))).toMatch(/^"limit" must be between 0 and 1000/);
    expect(badInput(() => checkPageSize('limit', 2.5, DEFAULT_LIMITS))).toMatch(/got 2\.5;/);
  });

  it('starts at offset 0 and refuses a negative or fractional offset', () => {
    expect(checkOffset(undefined)).toBe(0);
    expect(checkOffset(40)).toBe(40);
    expect(badInput(() => checkOffset(-1))).toBe('"offset" must be zero or more, got -1.');
    expect(badInput(() => checkOffset(0.5))).toBe('"offset" must be zero or more, got 0.5.');
  });
});

describe('cursors', () => {
  it('continues after the row a cursor names', () => {
    for (const offset of [0, 1, 99, 123_456_789_012]) expect(decodeCursor(encodeCursor(offset))).toBe(offset + 1);
  });

  it('starts at the first row without a cursor', () => {
    expect(decodeCursor(undefined)).toBe(0);
    expect(decodeCursor(null)).toBe(0);
  });

  it('makes cursors that are opaque text', () => {
    expect(encodeCursor(41)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encodeCursor(41)).not.toContain('41');
  });

  it('refuses a cursor it did not make', () => {
    const b64 = (text: string): string => Buffer.from(text).toString('base64url');
    for (const cursor of [
      '',
      'not a cursor',
      '41',
      b64('mg1:'),
      b64('mg1:-1'),
      b64('mg1:1e3'),
      b64('mg1:1 '),
      b64('mg2:1'),
      b64('mg1:1234567890123'),
      b64(`mg1:1${' '.repeat(60)}`),
      41,
      {},
    ]) {
      expect([cursor, badInput(() => decodeCursor(cursor))]).toEqual([cursor, 'Malformed cursor: pass the endCursor or an edge cursor from a previous page unchanged.']);
    }
  });
});
