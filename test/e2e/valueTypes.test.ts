/**
 * Lists, structs, decimals, UUIDs, times, JSON and enums end to end: a fixture product in a mesh of
 * its own, whose Parquet a plain DuckDB statement writes, served by a real mesh and queried over
 * HTTP with real tokens. Expected answers are computed here, from the rows written, never by the
 * SQL builder; masks and refusals are tried the way a caller would try to get around them.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadMesh } from '../../schema/index.js';
import { publishInPlace } from '../support/publishInPlace.js';
import { startTestMesh, type GraphQLResponse, type TestMesh } from '../support/startTestMesh.js';

interface Parcel {
  parcelId: string;
  tags: string[];
  sizes: number[];
  emails: string[];
  address: { street: string; country: string } | null;
  price: string;
  tracking: string;
  pickup: string;
  meta: unknown;
  status: 'created' | 'shipped' | 'delivered';
  stops: { city: string; phone: string | null }[];
}

const ROWS: Parcel[] = [
  {
    parcelId: 'p1',
    tags: ['fragile', 'gift'],
    sizes: [1, 2, 3],
    emails: ['ann@example.com', 'bob@example.org'],
    address: { street: 'Main Street 1', country: 'DE' },
    price: '12.30',
    tracking: '123e4567-e89b-12d3-a456-426614174000',
    pickup: '08:15:00.000000',
    meta: { k: [1, 2] },
    status: 'shipped',
    stops: [
      { city: 'Berlin', phone: '+491701234567' },
      { city: 'Hamburg', phone: null },
    ],
  },
  {
    parcelId: 'p2',
    tags: [],
    sizes: [5],
    emails: ['cy@example.net'],
    address: { street: 'Rue 2', country: 'FR' },
    price: '0.10',
    tracking: '00000000-0000-4000-8000-000000000002',
    pickup: '23:59:59.500000',
    meta: null,
    status: 'created',
    stops: [],
  },
  {
    parcelId: 'p3',
    tags: ['gift'],
    sizes: [2, 5],
    emails: [],
    address: null,
    price: '9999999999.99',
    tracking: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
    pickup: '00:00:00.000001',
    meta: [true, 'x'],
    status: 'delivered',
    stops: [{ city: 'Paris', phone: '+33612345678' }],
  },
  {
    parcelId: 'p4',
    tags: ['fragile'],
    sizes: [],
    emails: ['dee@example.com', 'eve@example.com', 'fay@example.com'],
    address: { street: 'Weg 4', country: 'DE' },
    price: '0.20',
    tracking: '00000000-0000-4000-8000-000000000004',
    pickup: '12:00:00.000000',
    meta: 'plain',
    status: 'delivered',
    stops: [],
  },
];

const CONTRACT = {
  type: 'record',
  name: 'Parcel',
  doc: 'One parcel.',
  version: '1.0.0',
  purposes: ['analytics'],
  fields: [
    { name: 'parcel_id', type: 'string', key: true, classification: 'none' },
    { name: 'tags', type: { type: 'array', items: 'string' }, classification: 'none' },
    { name: 'sizes', type: { type: 'array', items: 'int' }, classification: 'none' },
    { name: 'emails', type: { type: 'array', items: 'string' }, classification: 'email', doc: 'Who is told about the parcel.' },
    {
      name: 'address',
      type: [
        'null',
        {
          type: 'record',
          name: 'Address',
          fields: [
            { name: 'street', type: 'string', classification: 'address' },
            { name: 'country', type: 'string', classification: 'none' },
          ],
        },
      ],
      classification: 'none',
    },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 }, classification: 'none' },
    { name: 'tracking', type: { type: 'string', logicalType: 'uuid' }, classification: 'none' },
    { name: 'pickup', type: { type: 'long', logicalType: 'time-micros' }, classification: 'none' },
    { name: 'meta', type: ['null', { type: 'string', logicalType: 'json' }], classification: 'none' },
    { name: 'status', type: { type: 'enum', name: 'ParcelStatus', symbols: ['created', 'shipped', 'delivered'] }, classification: 'none' },
    {
      name: 'stops',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Stop',
          fields: [
            { name: 'city', type: 'string', classification: 'none' },
            { name: 'phone', type: ['null', 'string'], classification: 'phone' },
          ],
        },
      },
      classification: 'none',
    },
  ],
};

const POLICY = `version: 1
masks:
  email: email
  address: redact
  phone: last4
rules:
  - id: owners
    roles: [parcels-owner]
    products: ['*']
    unmask: all
  - id: analysts
    roles: [analyst]
    products: ['*']
`;

const sqlText = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** The fixture's rows as one plain DuckDB statement, every column typed as the Parquet should hold it. */
function copyStatement(file: string): string {
  const rows = ROWS.map((r) => {
    const address = r.address ? `{'street': ${sqlText(r.address.street)}, 'country': ${sqlText(r.address.country)}}` : 'NULL';
    return (
      `SELECT ${sqlText(r.parcelId)} AS parcel_id, [${r.tags.map(sqlText).join(', ')}]::VARCHAR[] AS tags, [${r.sizes.join(', ')}]::INTEGER[] AS sizes, ` +
      `[${r.emails.map(sqlText).join(', ')}]::VARCHAR[] AS emails, ${address}::STRUCT(street VARCHAR, country VARCHAR) AS address, ` +
      `${sqlText(r.price)}::DECIMAL(12,2) AS price, ${sqlText(r.tracking)}::UUID AS tracking, ${sqlText(r.pickup)}::TIME AS pickup, ` +
      `${r.meta === null ? 'NULL' : sqlText(JSON.stringify(r.meta))}::JSON AS meta, ${sqlText(r.status)} AS status, ` +
      `[${r.stops.map((x) => `{'city': ${sqlText(x.city)}, 'phone': ${x.phone === null ? 'NULL' : sqlText(x.phone)}}`).join(', ')}]::STRUCT(city VARCHAR, phone VARCHAR)[] AS stops`
    );
  });
  return `COPY (${rows.join(' UNION ALL ')}) TO ${sqlText(file)} (FORMAT parquet)`;
}

async function fixtureMesh(): Promise<TestMesh> {
  const subgraphsDir = await mkdtemp(path.join(tmpdir(), 'meshgate-types-'));
  const dataRoot = await mkdtemp(path.join(tmpdir(), 'meshgate-types-data-'));
  await mkdir(path.join(subgraphsDir, 'parcels', 'schemas'), { recursive: true });
  await writeFile(
    path.join(subgraphsDir, 'parcels', 'data-product.yaml'),
    'name: parcels\ndomain: parcels\nowner: parcels-team@company.com\noutputs:\n  - name: parcels-v1\n    format: parquet\n    location: parcels/parcels/\n    schema: schemas/parcels-v1.avsc\n',
  );
  await writeFile(path.join(subgraphsDir, 'parcels', 'schemas', 'parcels-v1.avsc'), JSON.stringify(CONTRACT, null, 2));
  const mesh = await loadMesh(subgraphsDir, { dataRoot });
  if (mesh.problems.length) throw new Error(JSON.stringify(mesh.problems));
  const product = mesh.domains[0]!.products[0]!;
  await mkdir(product.storeDir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  await c.run(copyStatement(path.join(product.storeDir, 'part-0.parquet')));
  c.closeSync();
  instance.closeSync();
  await publishInPlace(product);
  return startTestMesh({ subgraphsDir, dataRoot, policy: POLICY, buildTimers: false, env: { MESHGATE_ACCESS_LOG: 'off' } });
}

const ALL = 'parcelId tags sizes emails address { street country } price tracking pickup meta status stops { city phone }';

describe('value types end to end', () => {
  let mesh: TestMesh;
  let owner: Record<string, string>;
  let analyst: Record<string, string>;
  const as = <T = Record<string, unknown>>(headers: Record<string, string>, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> =>
    mesh.query<T>(query, variables, headers);

  beforeAll(async () => {
    mesh = await fixtureMesh();
    owner = { authorization: `Bearer ${await mesh.token({ roles: ['parcels-owner'] })}` };
    analyst = { authorization: `Bearer ${await mesh.token({ roles: ['analyst'] })}` };
  }, 120_000);
  afterAll(() => mesh?.close());

  /** The parcel ids of `where`, in key order. */
  const ids = async (where: string, headers = owner): Promise<string[]> => {
    const r = await as<{ parcels: { parcelId: string }[] }>(headers, `{ parcels(where: ${where}) { parcelId } }`);
    expect(r.errors).toBeUndefined();
    return r.data!.parcels.map((p) => p.parcelId);
  };
  const expected = (keep: (p: Parcel) => boolean): string[] => ROWS.filter(keep).map((p) => p.parcelId);

  it('serves every value exactly as written: a decimal as its digits, lists as lists, a struct as an object, JSON as its value', async () => {
    const r = await as<{ parcels: Parcel[] }>(owner, `{ parcels { ${ALL} } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.parcels).toEqual(ROWS);
  });

  it('filters lists by their elements', async () => {
    expect(await ids('{ tags: { contains: "gift" } }')).toEqual(expected((p) => p.tags.includes('gift')));
    expect(await ids('{ tags: { containsAny: ["gift", "nothing"] } }')).toEqual(expected((p) => p.tags.some((t) => ['gift', 'nothing'].includes(t))));
    expect(await ids('{ tags: { containsAll: ["fragile", "gift"] } }')).toEqual(expected((p) => ['fragile', 'gift'].every((t) => p.tags.includes(t))));
    expect(await ids('{ tags: { isEmpty: true } }')).toEqual(expected((p) => p.tags.length === 0));
    expect(await ids('{ sizes: { isEmpty: false } }')).toEqual(expected((p) => p.sizes.length > 0));
    expect(await ids('{ sizes: { contains: 5 } }')).toEqual(expected((p) => p.sizes.includes(5)));
    expect(await ids('{ sizes: { containsAll: [2, 5] } }')).toEqual(expected((p) => [2, 5].every((s) => p.sizes.includes(s))));
    expect(await ids('{ not: { tags: { contains: "gift" } } }')).toEqual(expected((p) => !p.tags.includes('gift')));
  });

  it('filters struct members, decimals exactly, UUIDs, times, enums and JSON nulls', async () => {
    expect(await ids('{ address: { country: { eq: "DE" } } }')).toEqual(expected((p) => p.address?.country === 'DE'));
    expect(await ids('{ address: { street: { like: "R%" } } }')).toEqual(expected((p) => p.address?.street.startsWith('R') ?? false));
    expect(await ids('{ address: { isNull: true } }')).toEqual(expected((p) => p.address === null));
    expect(await ids('{ address: { isNull: false, country: { neq: "FR" } } }')).toEqual(expected((p) => p.address !== null && p.address.country !== 'FR'));
    expect(await ids('{ price: { eq: "12.30" } }')).toEqual(['p1']);
    expect(await ids('{ price: { eq: "12.300" } }')).toEqual(['p1']);
    // 0.1 + 0.2 is not 0.3 in binary: an exact decimal filter must not care.
    expect(await ids('{ price: { in: ["0.10", "0.20"] } }')).toEqual(['p2', 'p4']);
    expect(await ids('{ price: { gt: "9999999999.98" } }')).toEqual(['p3']);
    expect(await ids('{ tracking: { eq: "00000000-0000-4000-8000-000000000004" } }')).toEqual(['p4']);
    expect(await ids('{ pickup: { gte: "12:00:00" } }')).toEqual(expected((p) => p.pickup >= '12:00:00'));
    expect(await ids('{ status: { eq: delivered } }')).toEqual(expected((p) => p.status === 'delivered'));
    expect(await ids('{ status: { in: [created, shipped] } }')).toEqual(expected((p) => p.status !== 'delivered'));
    expect(await ids('{ meta: { isNull: true } }')).toEqual(expected((p) => p.meta === null));
  });

  it('sorts by decimals, UUIDs and times, and leaves lists, structs and JSON out of orderBy', async () => {
    const r = await as<{ parcels: { parcelId: string }[] }>(owner, '{ parcels(orderBy: [{ price: DESC }]) { parcelId } }');
    const byPrice = [...ROWS].sort((a, b) => Number(b.price) - Number(a.price)).map((p) => p.parcelId);
    expect(r.data!.parcels.map((p) => p.parcelId)).toEqual(byPrice);
    for (const field of ['tags', 'address', 'meta']) {
      const bad = await as(owner, `{ parcels(orderBy: [{ ${field}: ASC }]) { parcelId } }`);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(bad.errors?.[0]?.message).toContain(`"${field}"`);
    }
  });

  it('masks a list of emails element by element and a struct member by member', async () => {
    const r = await as<{ parcels: Parcel[] }>(analyst, `{ parcels { ${ALL} } }`);
    expect(r.errors).toBeUndefined();
    const email = (e: string): string => `${e[0]}***@${e.split('@')[1]}`;
    const last4 = (t: string): string => `${'*'.repeat(Math.max(t.length - 4, 0))}${t.slice(-4)}`;
    expect(r.data!.parcels).toEqual(
      ROWS.map((p) => ({
        ...p,
        emails: p.emails.map(email),
        address: p.address && { ...p.address, street: '***' },
        // A list of structs: each element's classified member masked, the others kept.
        stops: p.stops.map((x) => ({ city: x.city, phone: x.phone && last4(x.phone) })),
      })),
    );
    for (const raw of ROWS.flatMap((p) => [...p.emails, p.address?.street ?? 'none-at-all', ...p.stops.flatMap((x) => (x.phone ? [x.phone] : []))]))
      expect(r.text).not.toContain(raw);
  });

  it('refuses filtering on a masked list or member, with FORBIDDEN, even inside not/or', async () => {
    for (const where of [
      '{ emails: { contains: "ann@example.com" } }',
      '{ emails: { isEmpty: true } }',
      '{ address: { street: { like: "M%" } } }',
      '{ or: [{ parcelId: { eq: "p1" } }, { address: { street: { eq: "Main Street 1" } } }] }',
      '{ not: { emails: { containsAny: ["ann@example.com"] } } }',
    ]) {
      const r = await as(analyst, `{ parcels(where: ${where}) { parcelId } }`);
      expect({ where, code: r.errors?.[0]?.extensions?.code }).toEqual({ where, code: 'FORBIDDEN' });
      expect(r.data ?? null).toBeNull();
    }
    // Through a variable, and in a connection: the same refusal.
    const v = await as(analyst, 'query($w: ParcelWhere) { parcelsConnection(where: $w) { totalCount } }', { w: { address: { street: { eq: 'Weg 4' } } } });
    expect(v.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // An unmasked member of the same struct may be filtered.
    expect(await ids('{ address: { country: { eq: "FR" } } }', analyst)).toEqual(['p2']);
  });

  it('refuses bad scalar input with BAD_USER_INPUT', async () => {
    for (const where of [
      '{ tracking: { eq: "not-a-uuid" } }',
      '{ pickup: { eq: "25:00:00" } }',
      '{ price: { eq: "12.3.4" } }',
      '{ price: { eq: "1e5" } }',
      // More digits than DECIMAL(12,2) holds: DuckDB would round 12.345 to 12.35, so it is refused, not rounded.
      '{ price: { eq: "12.345" } }',
      '{ price: { gt: "12345678901.00" } }',
    ]) {
      const r = await as(owner, `{ parcels(where: ${where}) { parcelId } }`);
      expect({ where, code: r.errors?.[0]?.extensions?.code }).toEqual({ where, code: 'BAD_USER_INPUT' });
    }
    const v = await as(owner, 'query($t: UUID) { parcels(where: { tracking: { eq: $t } }) { parcelId } }', { t: 'nope' });
    expect(v.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
