/** The analysts' parts of a product's shape and SDL: time fields, quantile fields, measures, and list fields grouped by their elements. */
import { buildSubgraphSdl, productShape, productsByName, type DataProduct, type FieldContract } from '../../schema/index.js';
import { DEFAULT_LIMITS } from '../../subgraphs/runtime/graphql/translateArgs.js';
import { translateAggregate } from '../../subgraphs/runtime/read/translateRead.js';
import { loadSampleMesh, type SampleMesh } from '../support/sampleMesh.js';

let sample: SampleMesh;
beforeAll(async () => {
  sample = await loadSampleMesh();
});

/** orders-enriched with a list field of integers, as the types helper's lists will declare it. */
function withList(): DataProduct {
  const p = sample.shape('orders-enriched').product;
  const tags: FieldContract = { name: 'line_numbers', type: 'list', items: { type: 'integer', nullable: false }, nullable: true, key: false, classification: 'none', purposes: [] };
  return { ...p, contract: { ...p.contract, fields: [...p.contract.fields, tags] } };
}

describe("the analysts' shape of a product", () => {
  it('offers buckets on date and timestamp fields, quantiles on numbers and times, and the contract measures', () => {
    const s = sample.shape('orders-enriched');
    expect(s.timeFields.map((f) => f.enumValue)).toEqual(['ORDER_TS', 'ORDER_DATE']);
    expect(s.quantileFields.map((f) => f.name)).toEqual(['orderTs', 'orderDate', 'itemCount', 'totalAmount', 'discountAmount']);
    expect(s.measures.map((m) => [m.name, m.type, m.columns])).toEqual([
      ['revenue', 'Float', ['total_amount', 'status']],
      ['averageOrderValue', 'Float', ['total_amount', 'status']],
      ['customers', 'Int', ['customer_id']],
    ]);
    const sdl = buildSubgraphSdl('commerce', sample.shapes);
    expect(sdl).toContain(
      'ordersAggregate(where: OrderWhere, groupBy: [OrderField!], buckets: [OrderTimeBucket!], having: OrderHaving, orderBy: [OrderGroupOrderBy!], limit: Int): [OrderGroup!]!',
    );
    expect(sdl).toMatch(/"Revenue: the sum of total_amount over delivered orders[^"]*"\n {2}revenue: Float\n/);
    expect(sdl).toContain('  customers: Int!\n');
    expect(sdl).toContain('  percentile(p: Float!, discrete: Boolean = false): OrderQuantiles!');
    expect(sdl.match(/^enum TimeUnit \{/gm)).toHaveLength(1);
  });

  it('groups a list field by its elements: in the field enum, its key typed as one element, its SQL unnested', () => {
    const s = productShape(withList(), productsByName(sample.mesh));
    expect(s.fieldOfEnum('LINE_NUMBERS')?.name).toBe('lineNumbers');
    const sdl = buildSubgraphSdl('commerce', [...sample.shapes.filter((x) => x.product.name !== 'orders-enriched'), s]);
    expect(sdl).toMatch(/type OrderGroupKey \{[^}]*\n {2}lineNumbers: Int\n/);
    const read = translateAggregate({ shape: s, reverse: [], limits: DEFAULT_LIMITS }, { groupBy: ['LINE_NUMBERS'] }, {});
    expect(read.groupBy).toEqual([{ column: expect.objectContaining({ name: 'line_numbers', type: 'list' }), as: 'key.lineNumbers', elements: true }]);
  });
});
