/**
 * The sample's own products of the contract type system, as a new user meets them over HTTP:
 * order-lines (a composite key, exact decimal amounts, a list, a struct with a masked member, an
 * enum) and shipment-events (keyless, a composite reference, UUID, TIME, JSON, a list of emails).
 * Expected answers come from the published Parquet, read with plain DuckDB statements written here,
 * never from the SQL builder.
 */
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readManifest, manifestFiles } from '../../schema/index.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

let mesh: TestMesh;
let db: DuckDBConnection;
let analyst: Record<string, string>;

/** The files a product's manifest names, as a DuckDB list literal. */
async function parquet(product: string): Promise<string> {
  const dir = path.join(mesh.dataRoot, 'commerce', product);
  const read = await readManifest(dir);
  if (read.kind !== 'ok') throw new Error(`${product} has no published version`);
  return `read_parquet([${manifestFiles(dir, read.manifest)
    .map((f) => `'${f.replaceAll("'", "''")}'`)
    .join(', ')}])`;
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await db.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

beforeAll(async () => {
  mesh = await startTestMesh();
  db = await (await DuckDBInstance.create(':memory:')).connect();
  analyst = { authorization: `Bearer ${await mesh.token({ sub: 'ana', roles: ['analyst'] })}` };
}, 120_000);
afterAll(async () => {
  db?.closeSync();
  await mesh?.close();
});

describe('order-lines: a composite key and exact money', () => {
  it("adds each order's lines up to its total exactly, and sums them without binary noise", async () => {
    const r = await mesh.query<{ orderLinesAggregate: { count: number; lineRevenue: string; sum: { lineAmount: string } }[] }>(
      '{ orderLinesAggregate { count lineRevenue sum { lineAmount } } }',
    );
    expect(r.errors).toBeUndefined();
    const [expected] = await rows(`SELECT count(*)::INTEGER AS n, CAST(sum(line_amount) AS VARCHAR) AS total FROM ${await parquet('order-lines')}`);
    const [group] = r.data!.orderLinesAggregate;
    expect(group).toEqual({ count: expected!.n, lineRevenue: expected!.total, sum: { lineAmount: expected!.total } });
    expect(group!.lineRevenue).toMatch(/^\d+\.\d{2}$/);
    // Every order's lines add up to its total, to the cent (the orders' totals read as decimals here, independently).
    const [mismatch] = await rows(
      `SELECT count(*)::INTEGER AS n FROM (SELECT order_id, sum(line_amount) AS s FROM ${await parquet('order-lines')} GROUP BY order_id) l
       JOIN ${await parquet('orders-enriched')} o USING (order_id) WHERE l.s <> CAST(o.total_amount AS DECIMAL(12, 2))`,
    );
    expect(mismatch!.n).toBe(0);
  });

  it('looks a line up by every key field, and refuses a look-up missing one', async () => {
    const [line] = await rows(`SELECT order_id, line_number, CAST(line_amount AS VARCHAR) AS amount, tags FROM ${await parquet('order-lines')} WHERE line_number = 2 LIMIT 1`);
    const r = await mesh.query<{ orderLine: { orderId: string; lineNumber: number; lineAmount: string; tags: string[] } }>(
      'query($o: ID!, $n: Int!) { orderLine(orderId: $o, lineNumber: $n) { orderId lineNumber lineAmount tags } }',
      { o: line!.order_id, n: 2 },
    );
    expect(r.data?.orderLine).toEqual({ orderId: line!.order_id, lineNumber: 2, lineAmount: line!.amount, tags: line!.tags });
    const missing = await mesh.query('{ orderLine(orderId: "O000000001") { lineNumber } }');
    expect(missing.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('filters by list elements and an enum, and masks the struct member an analyst may not read', async () => {
    const r = await mesh.query<{ orderLinesConnection: { totalCount: number } }>(
      '{ orderLinesConnection(where: { tags: { containsAll: ["fragile", "bulky"] }, fulfilment: { eq: warehouse } }) { totalCount } }',
      undefined,
      analyst,
    );
    const [expected] = await rows(`SELECT count(*)::INTEGER AS n FROM ${await parquet('order-lines')} WHERE list_has_all(tags, ['fragile', 'bulky']) AND fulfilment = 'warehouse'`);
    expect(r.data?.orderLinesConnection.totalCount).toBe(expected!.n);
    const masked = await mesh.query<{ orderLines: { shipTo: { country: string; postalCode: string } }[] }>(
      '{ orderLines(limit: 5) { shipTo { country postalCode } } }',
      undefined,
      analyst,
    );
    expect(masked.data?.orderLines.map((l) => l.shipTo.postalCode)).toEqual(['***', '***', '***', '***', '***']);
    for (const l of masked.data!.orderLines) expect(l.shipTo.country).toMatch(/^[A-Z]{2}$/);
    const refused = await mesh.query('{ orderLines(where: { shipTo: { postalCode: { eq: "12345" } } }) { orderId } }', undefined, analyst);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('shipment-events: keyless, referencing its line by composite key', () => {
  it('has no look-up, pages in its declared order, and resolves each event’s line in one batch', async () => {
    const noLookUp = await mesh.query('{ shipmentEvent { orderId } }');
    expect(noLookUp.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const before = mesh.statements();
    const r = await mesh.query<{
      shipmentEvents: { orderId: string; lineNumber: number; eventTs: string; trackingId: string; weightKg: string; orderLine: { lineAmount: string } }[];
    }>('{ shipmentEvents(limit: 20) { orderId lineNumber eventTs trackingId weightKg orderLine { lineAmount } } }');
    expect(r.errors).toBeUndefined();
    // The page and one batch of 20 composite-key references.
    expect(mesh.statements() - before).toBeLessThanOrEqual(2);
    const expected = await rows(
      `SELECT e.order_id, e.line_number, CAST(e.tracking_id AS VARCHAR) AS tracking, CAST(e.weight_kg AS VARCHAR) AS weight, CAST(l.line_amount AS VARCHAR) AS amount
       FROM ${await parquet('shipment-events')} e JOIN ${await parquet('order-lines')} l USING (order_id, line_number)
       ORDER BY e.event_ts, e.order_id, e.line_number, e.event_type, e.event_time, e.tracking_id, e.carrier, e.weight_kg LIMIT 20`,
    );
    expect(r.data!.shipmentEvents.map((e) => [e.orderId, e.lineNumber, e.trackingId, e.weightKg, e.orderLine.lineAmount])).toEqual(
      expected.map((e) => [e.order_id, e.line_number, e.tracking, e.weight, e.amount]),
    );
  });

  it('masks each notified address for an analyst and refuses filtering by them', async () => {
    const r = await mesh.query<{ shipmentEvents: { notify: string[]; details: { depot: string } }[] }>('{ shipmentEvents(limit: 50) { notify details } }', undefined, analyst);
    expect(r.errors).toBeUndefined();
    for (const e of r.data!.shipmentEvents) {
      expect(e.notify.length).toBeGreaterThan(0);
      for (const address of e.notify) expect(address).toMatch(/^[a-z]\*\*\*@(carrier|shop)\.example$/);
      expect(e.details.depot).toMatch(/^D\d+$/);
    }
    expect(r.text).not.toContain('tracking+');
    const refused = await mesh.query('{ shipmentEvents(where: { notify: { contains: "ops@shop.example" } }) { orderId } }', undefined, analyst);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
