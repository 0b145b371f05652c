/**
 * What the access log records of a read of a struct or a list: each classified part, masked or in
 * the clear, never only the plain column. A steward reading the log must see that an analyst got
 * `ship_to.postal_code` redacted, and that an owner read it unmasked.
 */
import type { GraphQLSchema } from 'graphql';
import { buildReadRecord } from '../../gateway/access/buildReadRecord.js';
import { decideAccess } from '../../gateway/access/decideAccess.js';
import { ProductIndex } from '../../gateway/access/ProductIndex.js';
import { readParts } from '../../policies/index.js';
import { usageOf } from '../support/operationUsage.js';
import { CALLERS, POLICY_FILE, loadSampleMesh, principal, sampleApiSchema, type SampleMesh } from '../support/sampleMesh.js';

let sample: SampleMesh;
let schema: GraphQLSchema;
let index: ProductIndex;

beforeAll(async () => {
  sample = await loadSampleMesh();
  schema = sampleApiSchema(sample.mesh);
  index = new ProductIndex(sample.shapes);
});

const record = (caller: ReturnType<typeof principal>, query: string) => {
  const usage = usageOf(schema, index, query);
  return buildReadRecord(usage, decideAccess(sample.policy, POLICY_FILE, caller, usage, index), index);
};

describe('the access log’s record of structs and lists', () => {
  it('records a struct member an analyst read masked, by its path, and the plain members not at all', () => {
    const r = record(CALLERS.analyst, '{ orderLines(limit: 1) { orderId shipTo { country postalCode } } }').products.get('order-lines')!;
    expect(r.columns).toEqual(expect.arrayContaining(['order_id', 'ship_to']));
    expect(r.masked).toEqual([['ship_to.postal_code', 'redact']]);
    expect(r.unmasked).toEqual([]);
  });

  it('records the member as PII read unmasked for the owning domain', () => {
    const r = record(principal('cora', ['commerce-owner']), '{ orderLines(limit: 1) { shipTo { postalCode } } }').products.get('order-lines')!;
    expect(r.masked).toEqual([]);
    expect(r.unmasked).toEqual(['ship_to.postal_code']);
  });

  it('records a list of emails masked as the list column, element by element', () => {
    const r = record(CALLERS.analyst, '{ shipmentEvents(limit: 1) { notify } }').products.get('shipment-events')!;
    expect(r.masked).toEqual([['notify', 'email']]);
  });

  it('covers a member with a mask on its enclosing struct', () => {
    const field = sample.shape('order-lines').product.contract.fields.find((f) => f.name === 'ship_to')!;
    expect(readParts(field, { ship_to: { mask: 'null' } })).toEqual({ masked: [['ship_to', 'null']], unmasked: [] });
    expect(readParts(field, {})).toEqual({ masked: [], unmasked: ['ship_to.postal_code'] });
  });
});
