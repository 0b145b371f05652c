import type { ProductShape } from '../../../schema/index.js';
import { reverseShapes } from '../../../schema/index.js';
import { DEFAULT_LIMITS, encodeCursor } from '../../../subgraphs/runtime/graphql/translateArgs.js';
import { applyGrant } from '../../../subgraphs/runtime/read/applyGrant.js';
import { buildRead, type ReadTarget } from '../../../subgraphs/runtime/read/buildRead.js';
import type { ReadRequest } from '../../../subgraphs/runtime/read/ReadRequest.js';
import { translateAggregate, translateByKey, translateConnection, translateList, translateReverse, type ReadContext } from '../../../subgraphs/runtime/read/translateRead.js';
import { accessOf } from '../../support/grants.js';
import { CALLERS, loadSampleMesh, type SampleMesh } from '../../support/sampleMesh.js';

const HASH_KEY = 'a-hash-key-of-at-least-32-bytes!!';
let sample: SampleMesh;
let order: ProductShape;
let orders: ReadContext;
const orderId = { name: 'order_id', type: 'string' } as const;
const target: ReadTarget = { table: 'orders_v1', keys: [orderId], order: [orderId], maxGroups: 50 };
const paid = { status: { eq: 'paid' } };

beforeAll(async () => {
  sample = await loadSampleMesh();
  order = sample.shape('orders-enriched');
  orders = { shape: order, reverse: [], limits: DEFAULT_LIMITS };
});

/** The statements of a read with access control off. */
const open = (read: ReadRequest, batch?: readonly string[]) =>
  buildRead(
    applyGrant(read, null, order, HASH_KEY),
    target,
    batch?.map((k) => [k]),
  );

describe('the statements of a list', () => {
  it('selects the page in one statement, the where and the page bound as values', () => {
    expect(open(translateList(orders, { where: paid, orderBy: [{ totalAmount: 'DESC' }], limit: 10, offset: 20 }, ['totalAmount']))).toEqual({
      rows: {
        text: 'SELECT "order_id" AS "orderId", "total_amount" AS "totalAmount" FROM "orders_v1" WHERE ("status" = $1::VARCHAR) ORDER BY "total_amount" DESC NULLS FIRST, "order_id" ASC NULLS LAST LIMIT $2 OFFSET $3',
        values: ['paid', 10, 20],
      },
    });
  });

  it('runs no statement for a list of limit 0', () => {
    expect(open(translateList(orders, { where: paid, limit: 0 }, ['totalAmount']))).toEqual({});
  });

  it("binds a partner's countries before the caller's own filter", () => {
    const read = applyGrant(translateList(orders, { where: paid }, []), accessOf(sample.policy, CALLERS.partner, sample.shapes), order, HASH_KEY);
    const { rows } = buildRead(read, target);
    expect(rows!.text).toContain('WHERE (("shipping_country" IN ($1::VARCHAR, $2::VARCHAR)) AND ("status" = $3::VARCHAR))');
    expect(rows!.values).toEqual(['DE', 'FR', 'paid', 100, 0]);
  });

  it('binds the key of a hash mask as a value, never into the text', () => {
    const log = sample.shape('access-log');
    const read = applyGrant(
      translateList({ shape: log, reverse: [], limits: DEFAULT_LIMITS }, {}, ['subject']),
      accessOf(sample.policy, CALLERS.steward, sample.shapes),
      log,
      HASH_KEY,
    );
    const { rows } = buildRead(read, { table: 'log_v1', keys: [{ name: 'event_id', type: 'string' }], order: [{ name: 'event_id', type: 'string' }], maxGroups: 50 });
    expect(rows!.text).not.toContain(HASH_KEY);
    expect(rows!.values).toContain(HASH_KEY);
    expect(rows!.text).toContain('substr(sha256($1::VARCHAR || "__r1"), 1, 16) AS "subject"');
  });
});

describe('the statements of a connection', () => {
  it('reads one row more than the page, to tell whether there is a next page, and counts the matches', () => {
    const read = translateConnection(orders, { where: paid, first: 5, after: encodeCursor(9) }, new Set(['edges', 'totalCount']), ['status']);
    expect(open(read)).toEqual({
      rows: {
        text: 'SELECT "order_id" AS "orderId", "status" AS "status" FROM "orders_v1" WHERE ("status" = $1::VARCHAR) ORDER BY "order_id" ASC NULLS LAST LIMIT $2 OFFSET $3',
        values: ['paid', 6, 10],
      },
      count: { text: 'SELECT count(*)::BIGINT AS "count" FROM "orders_v1" WHERE ("status" = $1::VARCHAR)', values: ['paid'] },
    });
  });

  it('counts only, when only totalCount is selected', () => {
    expect(Object.keys(open(translateConnection(orders, { where: paid }, new Set(['totalCount']), [])))).toEqual(['count']);
  });

  it('reads the page only, when only pageInfo or edges are selected', () => {
    expect(Object.keys(open(translateConnection(orders, {}, new Set(['pageInfo']), [])))).toEqual(['rows']);
    expect(Object.keys(open(translateConnection(orders, {}, new Set(['edges']), [])))).toEqual(['rows']);
  });

  it('runs no statement when neither is selected', () => {
    expect(open(translateConnection(orders, {}, new Set(['__typename']), []))).toEqual({});
  });
});

describe('the statements of batched reads', () => {
  it('looks a batch of keys up in one statement, each row carrying its raw key', () => {
    expect(open(translateByKey(orders, ['status'], true), ['o1', 'o2'])).toEqual({
      rows: {
        text: 'SELECT "order_id" AS "orderId", "status" AS "status", "order_id" AS "__match" FROM "orders_v1" WHERE "order_id" IN ($1::VARCHAR, $2::VARCHAR) AND TRUE',
        values: ['o1', 'o2'],
      },
    });
  });

  it("reads a reverse list for a batch of parents, at most limit rows each, after the where's values", () => {
    const reverse = reverseShapes(sample.shape('customer-profiles').product, sample.shapes)[0]!;
    const { rows } = open(translateReverse(orders, reverse, { where: paid, limit: 3 }, []), ['c1', 'c2']);
    expect(rows!.values).toEqual(['c1', 'c2', 'paid', 3]);
    expect(rows!.text).toContain('"customer_id" AS "__match"');
    expect(rows!.text).toContain('WHERE "customer_id" IN ($1::VARCHAR, $2::VARCHAR) AND ("status" = $3::VARCHAR)');
  });

  it('runs no statement for a reverse list of limit 0', () => {
    const reverse = reverseShapes(sample.shape('customer-profiles').product, sample.shapes)[0]!;
    expect(open(translateReverse(orders, reverse, { limit: 0 }, []), ['c1'])).toEqual({});
  });
});

describe('the statement of an aggregate', () => {
  it('groups, aggregates and asks for one group more than the cap', () => {
    const read = translateAggregate(orders, { where: paid, groupBy: ['CHANNEL'] }, { sum: ['totalAmount'], max: ['orderDate'] });
    expect(open(read)).toEqual({
      rows: {
        text: 'SELECT "channel" AS "key.channel", count(*)::BIGINT AS "__count", sum("total_amount")::DOUBLE AS "sum.totalAmount", max("order_date") AS "max.orderDate" FROM "orders_v1" WHERE ("status" = $1::VARCHAR) GROUP BY "channel" ORDER BY "channel" ASC NULLS LAST LIMIT $2',
        values: ['paid', 51],
      },
    });
  });
});
