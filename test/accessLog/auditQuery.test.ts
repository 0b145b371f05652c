/**
 * The access log as stewards use it: one entry per operation, with what was read and how; the
 * `meshgate audit query` filters and formats; and the graph's `access-log` product, stewards only.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cli } from '../support/cli.js';
import { FACT_KEYS, LIST_FACTS, type AccessEvent, type AccessEventV2 } from '../../schema/index.js';
import { readAccessLog } from '../../subgraphs/governance/readAccessLog.js';
import { startTestMesh, type GraphQLResponse, type TestMesh } from '../support/startTestMesh.js';

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      const end = /^"((?:[^"]|"")*)"/.exec(text.slice(i))!;
      field = end[1]!.replaceAll('""', '"');
      i += end[0].length - 1;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      records.push([...record, field]);
      [record, field] = [[], ''];
      i++;
    } else field += c;
  }
  return records;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const FIELDS = ['seq', 'event_id', 'prev_hash', ...FACT_KEYS.flatMap((k) => (k === 'pii_unmasked' ? [k, 'pii_fields_read' as const] : [k])), 'hash'] as const;
const split = (text: string): string[] => (text ? text.split(',') : []);
/** An entry as `meshgate audit` shows it (an access-log-v2 row), written out here from its text: each list fact split, and the PII columns read. */
function asRow(e: AccessEvent): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    row[k] = (LIST_FACTS as readonly string[]).includes(k) ? split(v as string) : v;
    if (k === 'pii_unmasked') row.pii_fields_read = [...new Set([...split(e.pii_unmasked), ...split(e.masks_applied).map((m) => m.split('=')[0]!)])].sort();
  }
  return row;
}
const ODD_PURPOSE = 'audit, "q3"\r\nreview';

let mesh: TestMesh;
let startedAt: string;
const responses = new Map<string, GraphQLResponse<Record<string, unknown[]>>>();
/** Each operation this file sends, by request id: who sends it, and how. */
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  mesh = await startTestMesh({ env: { MESHGATE_ACCESS_LOG_ROTATE_MS: '200' } });
  startedAt = new Date().toISOString();
  const partner = bearer(await mesh.token({ sub: 'acme', roles: ['partner'], countries: ['DE', 'AT'] }));
  const analyst = bearer(await mesh.token({ sub: 'ana', roles: ['analyst'] }));
  const app = bearer(await mesh.token({ sub: 'shop', roles: ['app'], purpose: 'fulfillment' }));
  const odd = bearer(await mesh.token({ sub: 'odd', roles: ['analyst'], purpose: ODD_PURPOSE }));
  const ops: [string, string, Record<string, string>][] = [
    ['aq-partner', 'query PartnerOrders { orders(limit: 5) { orderId shippingCountry totalAmount } }', { ...partner, 'apollographql-client-name': 'partner-portal' }],
    ['aq-analyst', '{ customers(limit: 3) { customerId email fullName } }', analyst],
    ['aq-owner', '{ customers(limit: 2) { customerId email } }', {}],
    ['aq-app', 'query Ship { orders(limit: 2) { orderId customer { email fullName } payments { cardNumber } } }', app],
    ['aq-denied', '{ accessLog(limit: 1) { eventId } }', analyst],
    ['aq-unauthenticated', '{ orders(limit: 1) { orderId } }', { authorization: '' }],
    ['aq-invalid', '{ customers(limit: 2) { customerId }', analyst],
    ['aq-odd', '{ orders(limit: 1) { orderId } }', { ...odd, 'apollographql-client-name': 'csv,"test" client' }],
  ];
  for (const [id, query, headers] of ops) responses.set(id, await mesh.query(query, {}, { ...headers, 'x-request-id': id }));
}, 60_000);
afterAll(() => mesh?.close());

const ids = (): string[] => [...responses.keys()];
const rawDir = (): string => path.join(mesh.dataRoot, 'governance', 'access-log-raw');
const readLog = () => readAccessLog({ dataRoot: mesh.dataRoot, rawDir: rawDir() });
async function ours(): Promise<Map<string, AccessEvent>> {
  return new Map((await readLog()).entries.filter((e) => ids().includes(e.client_request_id ?? '')).map((e) => [e.client_request_id!, e]));
}

describe('the access log records every operation', () => {
  it('writes one entry per operation, with the decision and outcome the client saw', async () => {
    const all = (await readLog()).entries.filter((e) => ids().includes(e.client_request_id ?? ''));
    expect(all.map((e) => e.client_request_id).sort()).toEqual(ids().sort());
    const expected: Record<string, Partial<AccessEvent>> = {
      'aq-partner': { decision: 'allow', status: 'ok', http_status: 200, error_code: null, operation_name: 'PartnerOrders', client_name: 'partner-portal' },
      'aq-analyst': { decision: 'mask', status: 'ok', http_status: 200, error_code: null },
      'aq-owner': { decision: 'allow', status: 'ok', http_status: 200, error_code: null },
      'aq-app': { decision: 'mask', status: 'ok', http_status: 200, error_code: null, operation_name: 'Ship', purpose: 'fulfillment' },
      'aq-denied': { decision: 'deny', status: 'error', http_status: 403, error_code: 'FORBIDDEN', fields_denied: 'access-log', rows_total: 0 },
      'aq-unauthenticated': { decision: 'unauthenticated', status: 'error', http_status: 401, error_code: 'UNAUTHENTICATED', subject: null, roles: '', products: '' },
      'aq-invalid': { decision: 'invalid', status: 'error', http_status: 400, error_code: 'BAD_USER_INPUT', subject: 'ana', products: '' },
      'aq-odd': { decision: 'allow', purpose: ODD_PURPOSE, client_name: 'csv,"test" client' },
    };
    const byId = await ours();
    for (const [id, want] of Object.entries(expected)) {
      const r = responses.get(id)!;
      expect({ id, ...byId.get(id) }).toMatchObject({ id, ...want, http_status: r.status, error_code: (r.errors?.[0]?.extensions?.code as string | undefined) ?? null });
    }
  });

  it('records what a partner, an analyst, an owner and a fulfilment app read, masked and unmasked, and their row rules', async () => {
    const byId = await ours();
    const rows = (id: string, field: string) => responses.get(id)!.data![field]!.length;
    expect(byId.get('aq-partner')).toMatchObject({
      subject: 'acme',
      roles: 'partner',
      products: 'orders-enriched',
      fields_read: 'orders-enriched.order_id,orders-enriched.shipping_country,orders-enriched.total_amount',
      masks_applied: '',
      pii_unmasked: '',
      pii_unmasked_count: 0,
      row_rules: 'orders-enriched=partners-read-their-countries-orders',
      rows_returned: `orders-enriched=${rows('aq-partner', 'orders')}`,
      rows_total: 5,
    });
    expect(byId.get('aq-analyst')).toMatchObject({
      subject: 'ana',
      roles: 'analyst',
      products: 'customer-profiles',
      fields_read: 'customer-profiles.customer_id,customer-profiles.email,customer-profiles.full_name',
      masks_applied: 'customer-profiles.email=email,customer-profiles.full_name=redact',
      pii_unmasked: '',
      pii_unmasked_count: 0,
      row_rules: '',
      rows_returned: 'customer-profiles=3',
      rows_total: 3,
    });
    expect(byId.get('aq-owner')).toMatchObject({
      subject: 'owner-of-everything',
      roles: 'commerce-owner,customers-owner,governance-owner,payments-owner',
      products: 'customer-profiles',
      masks_applied: '',
      pii_unmasked: 'customer-profiles.email',
      pii_unmasked_count: 1,
      rows_returned: 'customer-profiles=2',
    });
    expect(byId.get('aq-app')).toMatchObject({
      subject: 'shop',
      roles: 'app',
      products: 'customer-profiles,orders-enriched,payments',
      fields_read: 'customer-profiles.email,customer-profiles.full_name,orders-enriched.order_id,payments.card_number',
      masks_applied: 'customer-profiles.full_name=redact,payments.card_number=last4',
      pii_unmasked: 'customer-profiles.email',
      pii_unmasked_count: 1,
      rows_returned: 'customer-profiles=2,orders-enriched=2,payments=2',
      rows_total: 6,
    });
    expect(rows('aq-partner', 'orders')).toBe(5);
  });
});

describe('meshgate audit query', () => {
  const query = async (...args: string[]): Promise<AccessEventV2[]> => {
    const r = await cli(['audit', 'query', '--data-dir', mesh.dataRoot, '--format', 'json', ...args]);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as AccessEventV2[];
  };
  const matching = async (...args: string[]): Promise<string[]> =>
    (await query(...args))
      .map((e) => e.client_request_id ?? '')
      .filter((id) => ids().includes(id))
      .sort();

  it.each([
    [
      ['--subject', 'ana'],
      ['aq-analyst', 'aq-denied', 'aq-invalid'],
    ],
    [['--role', 'partner'], ['aq-partner']],
    [
      ['--product', 'customer-profiles'],
      ['aq-analyst', 'aq-app', 'aq-owner'],
    ],
    [
      ['--field', 'customer-profiles.email'],
      ['aq-analyst', 'aq-app', 'aq-owner'],
    ],
    [['--field', 'card_number'], ['aq-app']],
    [
      ['--field', 'fullName'],
      ['aq-analyst', 'aq-app'],
    ],
    [['--pii-only'], ['aq-app', 'aq-owner']],
    [['--decision', 'deny'], ['aq-denied']],
    [
      ['--decision', 'unauthenticated,invalid'],
      ['aq-invalid', 'aq-unauthenticated'],
    ],
    [
      ['--decision', 'mask'],
      ['aq-analyst', 'aq-app'],
    ],
    [['--purpose', 'fulfillment'], ['aq-app']],
    [['--client', 'partner-portal'], ['aq-partner']],
    [
      ['--status', 'error'],
      ['aq-denied', 'aq-invalid', 'aq-unauthenticated'],
    ],
    [['--status', '401'], ['aq-unauthenticated']],
    [['--subject', 'ana', '--decision', 'mask'], ['aq-analyst']],
    [
      ['--since', '1h'],
      ['aq-analyst', 'aq-app', 'aq-denied', 'aq-invalid', 'aq-odd', 'aq-owner', 'aq-partner', 'aq-unauthenticated'],
    ],
    [['--until', '2000-01-01'], []],
    [['--since', '2999-01-01T00:00'], []],
  ])('filters with %j', async (args, expected) => {
    const got = await matching(...args);
    expect(got).toEqual(expected);
  });

  it('bounds time by a date and time, and by a whole day', async () => {
    const byId = await ours();
    const owner = byId.get('aq-owner')!;
    const after = await matching('--since', owner.time);
    expect(after).toEqual(['aq-app', 'aq-denied', 'aq-invalid', 'aq-odd', 'aq-owner', 'aq-unauthenticated']);
    expect(await matching('--until', owner.time)).toEqual(['aq-analyst', 'aq-owner', 'aq-partner']);
    expect(await matching('--since', startedAt.slice(0, 10), '--until', owner.time.slice(0, 10))).toHaveLength(8);
  });

  it('keeps the most recent entries with --limit', async () => {
    const all = (await readLog()).entries;
    expect(await query('--limit', '2')).toEqual(all.slice(-2).map(asRow));
  });

  it("prints the full entries as JSON access-log-v2 rows: the log's entries, their list facts as arrays", async () => {
    const got = await query('--subject', 'ana');
    expect(got).toEqual((await readLog()).entries.filter((e) => e.subject === 'ana').map(asRow));
    expect(got).toHaveLength(3);
    const analyst = got.find((e) => e.client_request_id === 'aq-analyst')!;
    expect(analyst.masks_applied).toEqual(['customer-profiles.email=email', 'customer-profiles.full_name=redact']);
    expect(analyst.pii_fields_read).toEqual(['customer-profiles.email', 'customer-profiles.full_name']);
    expect(got.find((e) => e.client_request_id === 'aq-invalid')!.products).toEqual([]);
  });

  it('prints every field as CSV (RFC 4180) that parses back to the entries', async () => {
    const r = await cli(['audit', 'query', '--data-dir', mesh.dataRoot, '--format', 'csv', '--role', 'analyst']);
    expect(r.code).toBe(0);
    const [header, ...records] = parseCsv(r.stdout);
    expect(header).toEqual([...FIELDS]);
    const entries = (await readLog()).entries.filter((e) => e.roles === 'analyst').map(asRow);
    // A list is its JSON array in a cell.
    expect(records).toEqual(entries.map((e) => FIELDS.map((f) => (e[f] === null ? '' : Array.isArray(e[f]) ? JSON.stringify(e[f]) : String(e[f])))));
    expect(records.some((rec) => rec.includes(ODD_PURPOSE) && rec.includes('csv,"test" client'))).toBe(true);
  });

  it('prints a compact table for people, one line per entry whatever the values hold', async () => {
    const r = await cli(['audit', 'query', '--data-dir', mesh.dataRoot, '--subject', 'odd']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/\s+/)).toEqual(['seq', 'time', 'subject', 'roles', 'purpose', 'decision', 'products', 'masks', 'pii_unmasked', 'status']);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d+\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\s+odd\s+analyst\s+audit, "q3"\s+review\s+allow\s+orders-enriched\s+0\s+-\s+ok 200$/);
    expect(r.stderr).toMatch(/^1 of \d+ entries\n$/);
  });

  it.each([
    [['audit', 'query', '--decision', 'maybe']],
    [['audit', 'usage', '--by', 'subject']],
    [['audit', 'usage', '--limit', '3']],
    [['audit', 'usage', '--format', 'xml']],
    [['audit', 'query', '--since', 'last week']],
    [['audit', 'query', '--format', 'xml']],
    [['audit', 'query', '--limit', '0']],
    [['audit', 'query', '--nope']],
    [['audit', 'verify', '--pii-only']],
    [['audit', 'frobnicate']],
    [['audit']],
  ])('refuses %j as a usage error (exit 2), without a stack trace', async (args) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^meshgate audit: .+\n\nUsage: meshgate audit query/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('meshgate audit usage', () => {
  type Line = Record<string, string | number>;
  const usage = async (...args: string[]): Promise<Line[]> => {
    const r = await cli(['audit', 'usage', '--data-dir', mesh.dataRoot, '--since', startedAt, '--format', 'json', ...args]);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Line[];
  };
  /** The entries since the file's requests began, counted here from their text: per element of `list`, reads, answered, refused and distinct subjects. */
  async function expected(key: string, list: (e: AccessEvent) => string[], pii = false): Promise<Line[]> {
    const since = Date.parse(startedAt);
    const entries = (await readLog()).entries.filter((e) => Date.parse(e.time) >= since);
    const lines = new Map<string, { reads: number; answered: number; refused: number; subjects: Set<string>; masked: number; unmasked: number }>();
    for (const e of entries)
      for (const k of new Set(list(e))) {
        const l = lines.get(k) ?? { reads: 0, answered: 0, refused: 0, subjects: new Set<string>(), masked: 0, unmasked: 0 };
        lines.set(k, l);
        l.reads += 1;
        if (['allow', 'mask'].includes(e.decision) && ['ok', 'partial'].includes(e.status)) l.answered += 1;
        if (e.decision === 'deny') l.refused += 1;
        if (e.subject !== null) l.subjects.add(e.subject);
        if (split(e.masks_applied).some((m) => m.startsWith(`${k}=`))) l.masked += 1;
        if (split(e.pii_unmasked).includes(k)) l.unmasked += 1;
      }
    return [...lines]
      .map(([k, l]): Line => ({
        [key]: k,
        reads: l.reads,
        answered: l.answered,
        refused: l.refused,
        subjects: l.subjects.size,
        ...(pii && { masked: l.masked, unmasked: l.unmasked }),
      }))
      .sort((a, b) => Number(b.reads) - Number(a.reads) || (String(a[key]) < String(b[key]) ? -1 : 1));
  }
  const piiRead = (e: AccessEvent): string[] => [...split(e.pii_unmasked), ...split(e.masks_applied).map((m) => m.split('=')[0]!)];

  it('counts reads per product, as the entries name them', async () => {
    const got = await usage();
    expect(got).toEqual(await expected('product', (e) => split(e.products)));
    expect(got.find((l) => l.product === 'customer-profiles')).toMatchObject({ reads: 3, answered: 3, refused: 0 });
  });

  it('counts reads per column, and per PII column read masked or not', async () => {
    expect(await usage('--by', 'field')).toEqual(await expected('field', (e) => split(e.fields_read)));
    const pii = await usage('--by', 'pii-field');
    expect(pii).toEqual(await expected('pii_field', piiRead, true));
    // The analyst read the e-mail masked; the owner and the fulfilment app unmasked.
    expect(pii.find((l) => l.pii_field === 'customer-profiles.email')).toEqual({
      pii_field: 'customer-profiles.email',
      reads: 3,
      answered: 3,
      refused: 0,
      subjects: 3,
      masked: 1,
      unmasked: 2,
    });
    expect(pii.find((l) => l.pii_field === 'payments.card_number')).toMatchObject({ reads: 1, masked: 1, unmasked: 0 });
  });

  it('counts per role, under the same filters as query', async () => {
    expect(await usage('--by', 'role')).toEqual(await expected('role', (e) => split(e.roles)));
    const analysts = await usage('--role', 'analyst', '--decision', 'mask');
    expect(analysts).toEqual([{ product: 'customer-profiles', reads: 1, answered: 1, refused: 0, subjects: 1 }]);
  });

  it('prints CSV and a table with the same counts', async () => {
    const want = await expected('pii_field', piiRead, true);
    const csv = await cli(['audit', 'usage', '--data-dir', mesh.dataRoot, '--since', startedAt, '--by', 'pii-field', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(parseCsv(csv.stdout)).toEqual([['pii_field', 'reads', 'answered', 'refused', 'subjects', 'masked', 'unmasked'], ...want.map((l) => Object.values(l).map(String))]);
    const table = await cli(['audit', 'usage', '--data-dir', mesh.dataRoot, '--since', startedAt]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/\s+/)).toEqual(['product', 'reads', 'answered', 'refused', 'subjects']);
    expect(lines.slice(1).map((l) => l.split(/\s+/))).toEqual((await expected('product', (e) => split(e.products))).map((l) => Object.values(l).map(String)));
    expect(table.stderr).toMatch(/^\d+ product\(s\) in \d+ of \d+ entries\n$/);
  });
});

describe('the access-log product in the graph', () => {
  it('refuses an analyst (FORBIDDEN)', () => {
    const r = responses.get('aq-denied')!;
    expect(r.status).toBe(403);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(r.data ?? null).toBeNull();
  });

  it('serves stewards every entry once compacted, the subject hashed, and aggregates by purpose', async () => {
    const steward = bearer(await mesh.token({ sub: 'stew', roles: ['steward'] }));
    const byId = await ours();
    const lastSeq = Math.max(...[...byId.values()].map((e) => e.seq));
    type Row = { requestId: string; clientRequestId: string; subject: string | null; decision: string; seq: string };
    let rows: Row[] = [];
    // Rotation (200 ms), then the governance job (every 5 s), then the product reload (every 2 s).
    for (let waited = 0; rows.length < ids().length; waited += 500) {
      if (waited > 30_000)
        throw new Error(
          `the steward saw ${rows.length} of ${ids().length} entries after 30 s (compacted up to ${await readFile(path.join(rawDir(), 'compacted-head.json'), 'utf8').catch(() => 'nothing')}, last ${lastSeq})`,
        );
      await sleep(500);
      const r = await mesh.query<{ accessLog: Row[] }>(
        'query($ids: [String!]) { accessLog(where: { clientRequestId: { in: $ids } }, limit: 50) { requestId clientRequestId subject decision seq } }',
        { ids: ids() },
        steward,
      );
      expect(r.errors).toBeUndefined();
      rows = r.data!.accessLog;
    }
    for (const row of rows) {
      const e = byId.get(row.clientRequestId)!;
      expect({ id: row.requestId, decision: row.decision, seq: row.seq }).toEqual({ id: e.request_id, decision: e.decision, seq: String(e.seq) });
      if (e.subject === null) expect(row.subject).toBeNull();
      else expect(row.subject).toMatch(/^[0-9a-f]{16}$/);
    }
    const agg = await mesh.query<{ accessLogAggregate: { key: { purpose: string | null }; count: number }[] }>(
      'query($since: DateTime) { accessLogAggregate(where: { time: { gte: $since }, piiUnmaskedCount: { gt: 0 } }, groupBy: [PURPOSE]) { key { purpose } count } }',
      { since: startedAt },
      steward,
    );
    expect(agg.errors).toBeUndefined();
    const groups = Object.fromEntries(agg.data!.accessLogAggregate.map((g) => [String(g.key.purpose), g.count]));
    expect(groups).toEqual({ fulfillment: 1, null: 1 });
  }, 60_000);
});
