/**
 * Misuse through `@skip` and `@include`: the gateway decides on the fields an operation will execute,
 * and every part of meshgate (row budget, access analysis, the subgraph's columns, the access log)
 * reads the directives the same way, with the request's variables. A masked field's filter cannot
 * hide behind a directive that is true at run time, and a field a directive leaves out is neither
 * refused, read nor logged as read.
 */
import path from 'node:path';
import { readAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { bearer, errorCodes } from '../support/postGraphQL.js';
import { startTestMesh, type TestMesh } from '../support/startTestMesh.js';

let mesh: TestMesh;
let analyst: Record<string, string>;
beforeAll(async () => {
  mesh = await startTestMesh();
  analyst = bearer(await mesh.token({ roles: ['analyst'] }));
});
afterAll(() => mesh?.close());

const FILTERED = 'query($on: Boolean!) { customers(limit: 2) { customerId } probe: customers(where: { email: { like: "a%" } }) @include(if: $on) { customerId } }';
const SORTED =
  'query($off: Boolean!) { customers(limit: 2) { customerId } ... @skip(if: $off) { ...Sorted } } fragment Sorted on Query { sorted: customers(orderBy: [{ birthDate: ASC }]) { customerId } }';

describe('@skip and @include cannot hide what an operation reveals', () => {
  it('refuses a filter on a masked field whose @include is true at run time', async () => {
    const res = await mesh.query(FILTERED, { on: true }, { ...analyst, 'x-request-id': 'skip-include-on' });
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    expect(res.data ?? null).toBeNull();
  });

  it('refuses a sort on a masked field whose @skip is false, and through a fragment', async () => {
    const res = await mesh.query(SORTED, { off: false }, analyst);
    expect(errorCodes(res)).toEqual(['FORBIDDEN']);
  });

  it('answers the rest when the directive leaves the revealing field out', async () => {
    const res = await mesh.query<{ customers: unknown[]; probe?: unknown }>(FILTERED, { on: false }, { ...analyst, 'x-request-id': 'skip-include-off' });
    expect(res.errors).toBeUndefined();
    expect(res.data?.customers).toHaveLength(2);
    expect(res.data).not.toHaveProperty('probe');
  });

  it('neither reads nor logs a masked field that @skip leaves out', async () => {
    const query = 'query($s: Boolean = true) { customers(limit: 1) { customerId email @skip(if: $s) } }';
    const res = await mesh.query<{ customers: Record<string, unknown>[] }>(query, {}, { ...analyst, 'x-request-id': 'skip-include-read' });
    expect(res.errors).toBeUndefined();
    expect(Object.keys(res.data!.customers[0]!)).toEqual(['customerId']);
    const log = await readAccessLog({ dataRoot: mesh.dataRoot, rawDir: path.join(mesh.dataRoot, 'governance', 'access-log-raw') });
    const entry = log.entries.find((e) => e.client_request_id === 'skip-include-read');
    expect(entry?.fields_read).toBe('customer-profiles.customer_id');
    expect(entry?.masks_applied).toBe('');
    expect(log.entries.find((e) => e.client_request_id === 'skip-include-on')?.decision).toBe('deny');
  });

  it('counts only the included pages in the row budget', async () => {
    const nested = 'query($deep: Boolean!) { customers(limit: 1000) { customerId orders(limit: 1000) @include(if: $deep) { orderId } } }';
    expect(errorCodes(await mesh.query(nested, { deep: true }, analyst))).toEqual(['QUERY_TOO_COMPLEX']);
    expect((await mesh.query(nested, { deep: false }, analyst)).errors).toBeUndefined();
  });
});
