/**
 * Analysts' questions over HTTP against a real mesh with real tokens: time buckets of every unit,
 * distinct counts, medians and percentiles, `having`, and the measures contracts declare, each
 * checked against answers computed here in TypeScript from the Parquet rows (read with a DuckDB of
 * the test's own, never meshgate's SQL). Then every way of aggregating a masked field an analyst
 * could try, refused, and a policy rule's `aggregate` list lifting exactly what it names.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../../cli/config.js';
import { startTestMesh, type GraphQLResponse, type TestMesh } from '../support/startTestMesh.js';
import { referenceRows, type ReferenceRows, type Row } from '../support/referenceRows.js';
import { bearer, errorCodes } from '../support/postGraphQL.js';
import { copyOfDeclarations } from '../subgraphs/serving/realSubgraph.js';

let mesh: TestMesh;
let ref: ReferenceRows;
let analyst: Record<string, string>;
let senior: Record<string, string>;

/** Two measures over PII columns, added to a copy of the customers contract (ODCS): one on email, one filtering on birth_date. */
const CUSTOMER_MEASURES = `  - property: measures
    value:
      - name: distinct_emails
        description: Distinct e-mail addresses.
        aggregate: countDistinct
        column: email
      - name: born_before_1970
        description: Customers born before 1970.
        aggregate: count
        filter:
          birth_date:
            lt: "1970-01-01"
`;

/** A rule that lets senior analysts aggregate the masked email and birth date, and the measure on email. */
const SENIOR_RULE = `
  - id: senior-analysts-aggregate-pii
    description: Senior analysts may aggregate e-mails and birth dates they read masked, never group by them.
    roles: [senior-analyst]
    products: [customer-profiles]
    aggregate: [email, birth_date, distinct_emails]
`;

beforeAll(async () => {
  const dir = await copyOfDeclarations();
  const odcs = path.join(dir, 'customers', 'schemas', 'customer-profiles-v1.odcs.yaml');
  const text = await readFile(odcs, 'utf8');
  await writeFile(odcs, text.replace('schema:\n', `${CUSTOMER_MEASURES}schema:\n`));
  const policy = (await readFile(path.join(REPO_ROOT, 'policies', 'access.yaml'), 'utf8')) + SENIOR_RULE;
  mesh = await startTestMesh({ subgraphsDir: dir, policy, buildTimers: false });
  ref = await referenceRows(mesh.dataRoot);
  analyst = bearer(await mesh.token({ sub: 'ana', roles: ['analyst'] }));
  senior = bearer(await mesh.token({ sub: 'sam', roles: ['analyst', 'senior-analyst'] }));
}, 180_000);
afterAll(() => mesh?.close());

type Group = { key: Record<string, string | null>; count: number } & Record<string, unknown>;

/** The groups of one aggregate query, failing the test on any error. */
async function groups(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<Group[]> {
  const r = await mesh.query<Record<string, Group[]>>(query, variables, headers);
  expect(r.errors).toBeUndefined();
  return Object.values(r.data!)[0]!;
}

/** The start of a UTC bucket holding `iso` (`2026-06-13T00:29:13.965520Z` or a date), in the API's form. */
function bucketStart(iso: string, unit: string, date: boolean): string {
  const d = new Date(date ? `${iso}T00:00:00Z` : iso);
  let t: Date;
  const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
  if (unit === 'HOUR') t = new Date(Date.UTC(y, m, day, d.getUTCHours()));
  else if (unit === 'DAY') t = new Date(Date.UTC(y, m, day));
  else if (unit === 'WEEK') t = new Date(Date.UTC(y, m, day - ((d.getUTCDay() + 6) % 7)));
  else if (unit === 'MONTH') t = new Date(Date.UTC(y, m, 1));
  else if (unit === 'QUARTER') t = new Date(Date.UTC(y, m - (m % 3), 1));
  else t = new Date(Date.UTC(y, 0, 1));
  const text = t.toISOString();
  return date ? text.slice(0, 10) : `${text.slice(0, 19)}.000000Z`;
}

/** Rows grouped by `keyOf`, in key order (nulls last), as the API orders groups. */
function groupBy<K extends string | null>(rows: readonly Row[], keyOf: (r: Row) => K): [K, Row[]][] {
  const out = new Map<K, Row[]>();
  for (const r of rows) {
    const k = keyOf(r);
    out.set(k, [...(out.get(k) ?? []), r]);
  }
  return [...out.entries()].sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
}

const sum = (rows: readonly Row[], f: string): number => rows.reduce((s, r) => s + (r[f] as number), 0);
const distinct = (rows: readonly Row[], f: string): number => new Set(rows.map((r) => r[f]).filter((v) => v !== null)).size;
const sorted = (rows: readonly Row[], f: string): number[] =>
  rows
    .map((r) => r[f] as number)
    .filter((v) => v !== null)
    .sort((a, b) => a - b);
/** Interpolated quantile, as DuckDB's quantile_cont defines it. */
function quantileCont(values: readonly number[], p: number): number {
  const h = (values.length - 1) * p;
  const lo = Math.floor(h);
  return values[lo]! + (h - lo) * ((values[Math.ceil(h)] ?? values[lo]!) - values[lo]!);
}
/** The first value at or past the quantile, as DuckDB's quantile_disc defines it. */
const quantileDisc = <T>(values: readonly T[], p: number): T => values[Math.max(0, Math.ceil(values.length * p) - 1)]!;

describe('time buckets', () => {
  for (const unit of ['HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']) {
    it(`counts and sums orders per ${unit.toLowerCase()} of orderTs (UTC), the key holding the bucket's start`, async () => {
      const got = await groups(`query($u: TimeUnit!) { ordersAggregate(buckets: [{ field: ORDER_TS, unit: $u }]) { key { orderTs } count sum { totalAmount } } }`, { u: unit });
      const expected = groupBy(ref.orders.rows, (r) => bucketStart(r.orderTs as string, unit, false));
      expect(got.map((g) => g.key.orderTs)).toEqual(expected.map(([k]) => k));
      expect(got.map((g) => g.count)).toEqual(expected.map(([, rows]) => rows.length));
      got.forEach((g, i) => expect((g.sum as { totalAmount: number }).totalAmount).toBeCloseTo(sum(expected[i]![1], 'totalAmount'), 4));
    });
  }

  it('buckets a date field too (its key a Date), together with a plain groupBy', async () => {
    const got = await groups('{ ordersAggregate(groupBy: [CHANNEL], buckets: [{ field: ORDER_DATE, unit: WEEK }]) { key { channel orderDate } count } }');
    const expected = groupBy(ref.orders.rows, (r) => `${r.channel as string}|${bucketStart(r.orderDate as string, 'WEEK', true)}`);
    expect(got.map((g) => `${g.key.channel}|${g.key.orderDate}`)).toEqual(expected.map(([k]) => k));
    expect(got.map((g) => g.count)).toEqual(expected.map(([, rows]) => rows.length));
  });

  it('refuses an hour bucket of a date, and a field both grouped and bucketed, with BAD_USER_INPUT', async () => {
    const hour = await mesh.query('{ ordersAggregate(buckets: [{ field: ORDER_DATE, unit: HOUR }]) { count } }');
    expect(errorCodes(hour)).toEqual(['BAD_USER_INPUT']);
    expect(hour.errors![0]!.message).toMatch(/ORDER_DATE is a date, which has no hours: bucket it by DAY/);
    const twice = await mesh.query('{ ordersAggregate(groupBy: [ORDER_TS], buckets: [{ field: ORDER_TS, unit: DAY }]) { count } }');
    expect(errorCodes(twice)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('distinct counts, medians and percentiles', () => {
  it('counts distinct values per field in each group', async () => {
    const got = await groups('{ ordersAggregate(groupBy: [CHANNEL]) { key { channel } countDistinct { customerId status shippingCountry } } }');
    const expected = groupBy(ref.orders.rows, (r) => r.channel as string);
    expect(got.map((g) => g.countDistinct)).toEqual(
      expected.map(([, rows]) => ({ customerId: distinct(rows, 'customerId'), status: distinct(rows, 'status'), shippingCountry: distinct(rows, 'shippingCountry') })),
    );
  });

  it('gives the median and percentiles (interpolated, discrete, several through aliases) of each group', async () => {
    const got = await groups(`{ ordersAggregate(groupBy: [STATUS]) { key { status } median { totalAmount itemCount orderDate }
      p90: percentile(p: 0.9) { totalAmount } p25: percentile(p: 0.25, discrete: true) { totalAmount } } }`);
    const expected = groupBy(ref.orders.rows, (r) => r.status as string);
    expect(got.map((g) => g.key.status)).toEqual(expected.map(([k]) => k));
    got.forEach((g, i) => {
      const rows = expected[i]![1];
      const amounts = sorted(rows, 'totalAmount');
      const median = g.median as { totalAmount: number; itemCount: number; orderDate: string };
      expect(median.totalAmount).toBeCloseTo(quantileCont(amounts, 0.5), 6);
      expect(median.itemCount).toBeCloseTo(quantileCont(sorted(rows, 'itemCount'), 0.5), 6);
      expect(median.orderDate).toBe(quantileDisc(rows.map((r) => r.orderDate as string).sort(), 0.5));
      expect((g.p90 as { totalAmount: number }).totalAmount).toBeCloseTo(quantileCont(amounts, 0.9), 6);
      expect((g.p25 as { totalAmount: number }).totalAmount).toBe(quantileDisc(amounts, 0.25));
    });
  });

  it('refuses a percentile outside 0..1 with BAD_USER_INPUT', async () => {
    for (const p of [1.5, -0.1]) {
      const r = await mesh.query(`{ ordersAggregate { percentile(p: ${p}) { totalAmount } } }`);
      expect(errorCodes(r)).toEqual(['BAD_USER_INPUT']);
      expect(r.errors![0]!.message).toMatch(/p must be between 0 and 1/);
    }
  });
});

describe('having', () => {
  it('keeps only the groups whose count, sums and distinct counts meet the conditions', async () => {
    const got =
      await groups(`{ ordersAggregate(groupBy: [SHIPPING_COUNTRY], having: { count: { gt: 20 }, sum: { totalAmount: { gte: 5000 } }, countDistinct: { channel: { eq: 3 } } }) {
      key { shippingCountry } count } }`);
    const expected = groupBy(ref.orders.rows, (r) => r.shippingCountry as string).filter(
      ([, rows]) => rows.length > 20 && sum(rows, 'totalAmount') >= 5000 && distinct(rows, 'channel') === 3,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(got).toEqual(expected.map(([k, rows]) => ({ key: { shippingCountry: k }, count: rows.length })));
  });

  it('filters on a measure and on an average', async () => {
    const got = await groups('{ ordersAggregate(groupBy: [SHIPPING_COUNTRY], having: { revenue: { gt: 20000 }, avg: { itemCount: { lt: 4 } } }) { key { shippingCountry } } }');
    const delivered = (rows: readonly Row[]): Row[] => rows.filter((r) => r.status === 'delivered');
    const expected = groupBy(ref.orders.rows, (r) => r.shippingCountry as string).filter(
      ([, rows]) => sum(delivered(rows), 'totalAmount') > 20000 && sum(rows, 'itemCount') / rows.length < 4,
    );
    expect(got.map((g) => g.key.shippingCountry)).toEqual(expected.map(([k]) => k));
  });
});

describe('measures declared in the contract', () => {
  it('serves revenue, average order value and customers per group, with the contract description in the schema', async () => {
    const got = await groups('{ ordersAggregate(groupBy: [CHANNEL]) { key { channel } revenue averageOrderValue customers } }');
    const expected = groupBy(ref.orders.rows, (r) => r.channel as string);
    got.forEach((g, i) => {
      const rows = expected[i]![1];
      const delivered = rows.filter((r) => r.status === 'delivered');
      expect(g.key.channel).toBe(expected[i]![0]);
      expect(g.revenue as number).toBeCloseTo(sum(delivered, 'totalAmount'), 4);
      expect(g.averageOrderValue as number).toBeCloseTo(sum(delivered, 'totalAmount') / delivered.length, 6);
      expect(g.customers).toBe(distinct(rows, 'customerId'));
    });
    const doc = await mesh.query<{ __type: { fields: { name: string; description: string | null }[] } }>('{ __type(name: "OrderGroup") { fields { name description } } }');
    expect(doc.data!.__type.fields.find((f) => f.name === 'revenue')!.description).toMatch(/^Revenue: the sum of total_amount over delivered orders/);
  });

  it('gives the same number to an analyst as to the owner', async () => {
    const q = '{ ordersAggregate { revenue customers } }';
    expect(await groups(q, undefined, analyst)).toEqual(await groups(q));
  });

  it('serves a measure declared in an ODCS contract, with its filter', async () => {
    const got = await groups('{ customersAggregate { distinctEmails bornBefore1970 } }');
    expect(got).toEqual([
      {
        distinctEmails: distinct(ref.customers.rows, 'email'),
        bornBefore1970: ref.customers.rows.filter((r) => r.birthDate !== null && (r.birthDate as string) < '1970-01-01').length,
      },
    ]);
  });
});

/** The one FORBIDDEN refusal of `query` for `headers`, by its message (no data read). */
async function refusal(query: string, headers: Record<string, string>): Promise<string> {
  const r: GraphQLResponse = await mesh.query(query, undefined, headers);
  expect(errorCodes(r)).toEqual(['FORBIDDEN']);
  expect(r.data ?? null).toBeNull();
  return r.errors![0]!.message;
}

describe('aggregating a masked field', () => {
  it('refuses an analyst every aggregate of a field they read masked, naming the field and why', async () => {
    const masked = /of "customer-profiles" is not allowed: you read it masked, and this would reveal its values\.$/;
    expect(await refusal('{ customersAggregate(buckets: [{ field: BIRTH_DATE, unit: YEAR }]) { count } }', analyst)).toMatch(
      new RegExp(`^Grouping by Customer\\.birthDate ${masked.source}`),
    );
    expect(await refusal('{ customersAggregate { countDistinct { email } } }', analyst)).toMatch(new RegExp(`^Aggregating Customer\\.email ${masked.source}`));
    expect(await refusal('{ customersAggregate { median { birthDate } } }', analyst)).toMatch(new RegExp(`^Aggregating Customer\\.birthDate ${masked.source}`));
    expect(await refusal('{ customersAggregate { percentile(p: 0.5) { birthDate } } }', analyst)).toMatch(/^Aggregating Customer\.birthDate /);
    expect(await refusal('{ customersAggregate(groupBy: [COUNTRY], having: { countDistinct: { email: { gt: 1 } } }) { count } }', analyst)).toMatch(
      /^Aggregating Customer\.email /,
    );
    expect(await refusal('{ customersAggregate { distinctEmails } }', analyst)).toBe(
      'The measure Customer.distinctEmails of "customer-profiles" is not allowed: it aggregates Customer.email, and you read it masked; a policy rule\'s "aggregate" list must name "distinct_emails" for you to compute it.',
    );
    expect(await refusal('{ customersAggregate { bornBefore1970 } }', analyst)).toMatch(
      /^The measure Customer\.bornBefore1970 .* it aggregates Customer\.birthDate, and you read it masked/,
    );
    expect(await refusal('{ customersAggregate(having: { distinctEmails: { gt: 0 } }) { count } }', analyst)).toMatch(/^The measure Customer\.distinctEmails /);
  });

  it("lets a rule's aggregate list lift what it names, and only aggregating", async () => {
    const [g] = await groups('{ customersAggregate { countDistinct { email } median { birthDate } distinctEmails bornBefore1970 } }', undefined, senior);
    const births = ref.customers.rows
      .map((r) => r.birthDate as string | null)
      .filter((v): v is string => v !== null)
      .sort();
    expect(g).toEqual({
      countDistinct: { email: distinct(ref.customers.rows, 'email') },
      median: { birthDate: quantileDisc(births, 0.5) },
      distinctEmails: distinct(ref.customers.rows, 'email'),
      bornBefore1970: births.filter((b) => b < '1970-01-01').length,
    });
    const filtered = await groups('{ customersAggregate(groupBy: [COUNTRY], having: { countDistinct: { email: { gt: 5 } } }) { key { country } count } }', undefined, senior);
    const expected = groupBy(ref.customers.rows, (r) => r.country as string).filter(([, rows]) => distinct(rows, 'email') > 5);
    expect(filtered).toEqual(expected.map(([k, rows]) => ({ key: { country: k }, count: rows.length })));
    // Grouping or bucketing by a named column still shows its values in the key; sorting or filtering on it still reveals them.
    expect(await refusal('{ customersAggregate(groupBy: [EMAIL]) { count } }', senior)).toMatch(/^Grouping by Customer\.email /);
    expect(await refusal('{ customersAggregate(buckets: [{ field: BIRTH_DATE, unit: YEAR }]) { count countDistinct { email } } }', senior)).toMatch(
      /^Grouping by Customer\.birthDate /,
    );
    expect(await refusal('{ customersAggregate(where: { email: { like: "a%" } }) { countDistinct { email } } }', senior)).toMatch(/^Filtering on Customer\.email /);
    // A column the rule does not name stays refused.
    expect(await refusal('{ customersAggregate { countDistinct { phone } } }', senior)).toMatch(/^Aggregating Customer\.phone /);
  });
});
