/** Measures declared in a contract: read the same from Avro and ODCS, every mistake reported with its fix, exported and compared as definitions. */
import { compareContracts } from '../../policies/compatibility/index.js';
import { contractFromAvro } from '../../schema/contract/fromAvro.js';
import { contractFromOdcs } from '../../schema/contract/fromOdcs.js';
import { toOdcs } from '../../schema/contract/toOdcs.js';
import type { Contract, MeasureContract } from '../../schema/index.js';

const fields = [
  { name: 'order_id', type: 'string', key: true, classification: 'none' },
  { name: 'customer_id', type: 'string', classification: 'none' },
  { name: 'status', type: 'string', classification: 'none' },
  { name: 'total_amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 }, classification: 'none' },
  { name: 'order_date', type: { type: 'int', logicalType: 'date' }, classification: 'none' },
];

const REVENUE = {
  name: 'revenue',
  description: 'Sum of total_amount over delivered orders.',
  aggregate: 'sum',
  column: 'total_amount',
  filter: { status: { in: ['delivered', 'returned'] }, or: [{ order_date: { gte: '2026-01-01' } }, { customer_id: { isNull: false } }] },
};

const avro = (measures: unknown): unknown => ({ type: 'record', name: 'Order', fields, measures });

function read(measures: unknown): Contract {
  const r = contractFromAvro('orders.avsc', avro(measures));
  if (r.errors) throw new Error(r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return r.value;
}

function problems(measures: unknown): string[] {
  return (contractFromAvro('orders.avsc', avro(measures)).errors ?? []).map((e) => `${e.path}: ${e.message}`);
}

describe('measures in a contract', () => {
  it('reads an Avro record attribute into the model, the filter as a condition tree', () => {
    expect(read([REVENUE, { name: 'orders', description: 'Orders placed.', aggregate: 'count' }]).measures).toEqual<MeasureContract[]>([
      {
        name: 'revenue',
        description: 'Sum of total_amount over delivered orders.',
        aggregate: 'sum',
        column: 'total_amount',
        filter: {
          and: [
            { column: 'status', op: 'in', value: ['delivered', 'returned'] },
            {
              or: [
                { column: 'order_date', op: 'gte', value: '2026-01-01' },
                { column: 'customer_id', op: 'isNull', value: false },
              ],
            },
          ],
        },
      },
      { name: 'orders', description: 'Orders placed.', aggregate: 'count' },
    ]);
  });

  it('has none when the contract declares none', () => {
    expect(read(undefined).measures).toEqual([]);
  });

  it('reports every problem of every measure in one run, each saying how to fix it', () => {
    expect(
      problems([
        { name: 'revenue', description: 'x', aggregate: 'sum', column: 'totl_amount' },
        { name: 'status_sum', description: 'x', aggregate: 'sum', column: 'status' },
        { name: 'status', description: 'x', aggregate: 'countDistinct', column: 'status' },
        { name: 'count', description: 'x', aggregate: 'count', column: 'order_id' },
        { name: 'late', description: 'x', aggregate: 'max', column: 'order_date', filter: { shipped: { eq: true } } },
        { name: 'avg_x', description: 'x', aggregate: 'avg' },
      ]),
    ).toEqual([
      'measures[0].column: unknown column "totl_amount": name one of the contract\'s columns (order_id, customer_id, status, total_amount, order_date)',
      'measures[1].aggregate: "sum" does not apply to "status" (string): use it on a column of type integer, bigint, double, decimal, or choose "countDistinct" or "min"/"max"',
      'measures[2].name: "status" clashes with the field "status": a measure needs a name of its own, e.g. "total_status"',
      'measures[3].name: "count" clashes with the aggregate type\'s own field "count": name the measure after the figure, e.g. "revenue"',
      'measures[3].column: a "count" measure counts rows and takes no column: remove "column", or use "countDistinct" to count the distinct values of "order_id"',
      'measures[4].filter: unknown column "shipped" in the filter: name one of the contract\'s columns (order_id, customer_id, status, total_amount, order_date)',
      'measures[5].column: the aggregate "avg" needs a "column": name the contract column it aggregates',
    ]);
  });

  it('refuses a malformed declaration with the path of each mistake', () => {
    expect(problems([{ name: 'Revenue', aggregate: 'total', column: 'total_amount' }])).toEqual([
      'measures[0].name: a lower snake_case measure name such as "revenue"',
      'measures[0].description: a "description" saying what the figure means (it documents the field in the API)',
      'measures[0].aggregate: one of sum, avg, min, max, count, countDistinct',
    ]);
  });

  it('exports measures to ODCS as a contract-level customProperty that reads back into the same measures', () => {
    const contract = read([REVENUE, { name: 'customers', description: 'Distinct customers.', aggregate: 'countDistinct', column: 'customer_id' }]);
    const doc = toOdcs({ name: 'orders', domain: 'commerce', owner: 'team@x', status: 'active', contract });
    const back = contractFromOdcs('orders.odcs.yaml', doc);
    expect(back.errors).toBeUndefined();
    expect(back.value!.measures).toEqual(contract.measures);
  });

  it('reports an ODCS measure problem at its customProperty', () => {
    const contract = read(undefined);
    const doc = toOdcs({ name: 'orders', domain: 'commerce', owner: 'team@x', status: 'active', contract }) as { customProperties: unknown[] };
    doc.customProperties.push({ property: 'measures', value: [{ name: 'revenue', description: 'x', aggregate: 'sum', column: 'nope' }] });
    expect(contractFromOdcs('orders.odcs.yaml', doc).errors?.map((e) => `${e.path}: ${e.message}`)).toEqual([
      `customProperties[3].value[0].column: unknown column "nope": name one of the contract's columns (order_id, customer_id, status, total_amount, order_date)`,
    ]);
  });

  it('breaks compatibility when a measure is removed or redefined, and only warns when one is added or re-described', () => {
    const old = read([REVENUE]);
    const at = { product: 'orders' };
    const findings = (measures: unknown): [string, string][] => compareContracts(old, read(measures), 'BACKWARD', at).map((f) => [f.rule, f.severity]);
    expect(findings([])).toEqual([['measure-removed', 'violation']]);
    expect(findings([{ ...REVENUE, filter: { status: { eq: 'delivered' } } }])).toEqual([['measure-changed', 'violation']]);
    expect(findings([{ ...REVENUE, aggregate: 'avg' }])).toEqual([['measure-changed', 'violation']]);
    expect(findings([{ ...REVENUE, description: 'Revenue, in words of today.' }])).toEqual([]);
    expect(findings([REVENUE, { name: 'orders', description: 'Orders.', aggregate: 'count' }])).toEqual([['measure-added', 'warning']]);
  });
});
