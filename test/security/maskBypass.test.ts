/**
 * Misuse: an analyst reads PII masked, and no route recovers the raw values. Filtering, sorting,
 * grouping or aggregating on a masked field would reveal it (a binary search on `lt` needs no
 * unmasked output), so each is refused whole with FORBIDDEN, by literal, variable, variable default,
 * fragment, alias, nested and/or/not, connection, aggregate or reverse list. What is allowed
 * (entity references, reverse lists filtered on unmasked fields, cursors, explanations) stays masked.
 */
import { maskRow } from '../support/expectedMasks.js';
import { bearer, errorCodes } from '../support/postGraphQL.js';
import { connectionQuery, dataOf, type Page } from '../support/productQueries.js';
import { referenceRows, type ReferenceRows, type Row } from '../support/referenceRows.js';
import { startTestMesh, type GraphQLResponse, type TestMesh } from '../support/startTestMesh.js';

const CUSTOMER_PII = { fullName: 'redact', email: 'email', phone: 'last4', birthDate: 'year' } as const;
const PAYMENT_PII = { cardNumber: 'last4' } as const;

/** A field an analyst reads masked: where it lives, its groupBy enum value, an unmasked sibling to combine it with. */
interface Masked {
  readonly type: 'Customer' | 'Payment';
  readonly list: 'customers' | 'payments';
  readonly field: string;
  readonly enumValue: string;
  readonly date: boolean;
  readonly sibling: string;
}
const MASKED: readonly Masked[] = [
  ...(['fullName', 'email', 'phone', 'birthDate'] as const).map((field) => ({
    type: 'Customer' as const,
    list: 'customers' as const,
    field,
    enumValue: field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(),
    date: field === 'birthDate',
    sibling: 'country',
  })),
  { type: 'Payment', list: 'payments', field: 'cardNumber', enumValue: 'CARD_NUMBER', date: false, sibling: 'status' },
];

let mesh: TestMesh;
let ref: ReferenceRows;
let analyst: Record<string, string>;
beforeAll(async () => {
  mesh = await startTestMesh();
  ref = await referenceRows(mesh.dataRoot);
  analyst = bearer(await mesh.token({ roles: ['analyst'] }));
});
afterAll(() => mesh?.close());

const asAnalyst = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> => mesh.query<T>(query, variables, analyst);

/** A raw value of `m` from the Parquet, the kind a curious analyst would probe for. */
function rawOf(m: Masked): string {
  const table = m.list === 'customers' ? ref.customers : ref.payments;
  return String(table.rows.find((r) => r[m.field] !== null)![m.field]);
}

/** The raw PII of the sample, as it would appear inside a JSON response. */
function rawPii(): string[] {
  const values = [...ref.customers.rows.flatMap((r) => [r.fullName, r.email, r.phone, r.birthDate]), ...ref.payments.rows.map((r) => r.cardNumber)];
  // A birth date on January 1st reads the same masked; it reveals nothing.
  return values.filter((v): v is string => typeof v === 'string' && !/^\d{4}-01-01$/.test(v)).map((v) => JSON.stringify(v).slice(1, -1));
}

/** The whole response text holds no raw PII value at all. */
function expectNoRawPii(text: string): void {
  const leaked = rawPii().filter((v) => text.includes(v));
  expect(leaked).toEqual([]);
}

/** The refusal a user sees: HTTP 403, one FORBIDDEN error naming the field, no data, no raw value. */
function expectRefused(r: GraphQLResponse<unknown>, m: Masked): void {
  expect({ status: r.status, codes: errorCodes(r), data: r.data }).toEqual({ status: 403, codes: ['FORBIDDEN'], data: undefined });
  expect(r.errors![0]!.message).toContain(`${m.type}.${m.field}`);
  expect(r.text).not.toContain(rawOf(m));
}

/** Every way to filter on `m` with the raw value `v`: operators, and/or/not nesting. */
function filtersOn(m: Masked, v: string): [string, Record<string, unknown>][] {
  const f = m.field;
  const ops: [string, Record<string, unknown>][] = [
    ['eq', { eq: v }],
    ['neq', { neq: v }],
    ['in', { in: [v] }],
    ['nin', { nin: [v] }],
    ['isNull true', { isNull: true }],
    ['isNull false', { isNull: false }],
    ...(m.date
      ? ([
          ['gt', { gt: v }],
          ['lte', { lte: v }],
        ] as [string, Record<string, unknown>][])
      : ([
          ['like', { like: `${v.slice(0, 1)}%` }],
          ['ilike', { ilike: `%${v.slice(-2)}` }],
        ] as [string, Record<string, unknown>][])),
  ];
  return [
    ...ops.map(([name, op]): [string, Record<string, unknown>] => [name, { [f]: op }]),
    ['an or nested under and', { and: [{ or: [{ [m.sibling]: { isNull: false } }, { and: [{ [f]: { eq: v } }] }] }] }],
    ['an or given as one object instead of a list', { or: { [f]: { eq: v } } }],
    ['not', { not: { [f]: { eq: v } } }],
    ['not inside or inside not', { not: { or: [{ not: { [f]: { isNull: true } } }] } }],
  ];
}

describe.each(MASKED.map((m) => [`${m.type}.${m.field}`, m] as const))('%s, which an analyst reads masked', (_name, m) => {
  const where = `${m.type}Where`;
  const orderBy = `[${m.type}OrderBy!]`;

  it.each(filtersOn(m, 'x').map(([name]) => name))('cannot be filtered on with %s, in a list, a connection or an aggregate', async (name) => {
    const w = filtersOn(m, rawOf(m)).find(([n]) => n === name)![1];
    for (const q of [
      `query($w: ${where}) { ${m.list}(where: $w) { __typename } }`,
      `query($w: ${where}) { ${m.list}Connection(where: $w) { totalCount } }`,
      `query($w: ${where}) { ${m.list}Aggregate(where: $w) { count } }`,
    ])
      expectRefused(await asAnalyst(q, { w }), m);
  });

  it('cannot be filtered on with the value written in the query itself', async () => {
    expectRefused(await asAnalyst(`{ ${m.list}(where: { ${m.field}: { eq: ${JSON.stringify(rawOf(m))} } }) { __typename } }`), m);
  });

  it('cannot be filtered on through a variable default, a fragment or an alias', async () => {
    const lit = `{ ${m.field}: { isNull: false } }`;
    for (const q of [
      `query($w: ${where} = ${lit}) { ${m.list}(where: $w) { __typename } }`,
      `query { ...Probe } fragment Probe on Query { ${m.list}(where: ${lit}) { __typename } }`,
      `query { ... on Query { innocent: ${m.list}(where: ${lit}) { __typename } } }`,
    ])
      expectRefused(await asAnalyst(q), m);
  });

  it('cannot be sorted by, alone, after an unmasked field, as a single object for the list, or by variable default', async () => {
    const cases: [string, Record<string, unknown>?][] = [
      [`{ ${m.list}(orderBy: [{ ${m.field}: ASC }]) { __typename } }`],
      [`{ ${m.list}Connection(orderBy: [{ ${m.sibling}: ASC }, { ${m.field}: DESC_NULLS_LAST }]) { totalCount } }`],
      [`query($o: ${orderBy}) { ${m.list}(orderBy: $o) { __typename } }`, { o: { [m.field]: 'DESC' } }],
      [`query($o: ${orderBy} = [{ ${m.field}: ASC_NULLS_FIRST }]) { ${m.list}(orderBy: $o) { __typename } }`],
    ];
    for (const [q, vars] of cases) expectRefused(await asAnalyst(q, vars), m);
  });

  it('cannot be grouped by, alone, with an unmasked field, or through a variable holding one value', async () => {
    for (const [q, vars] of [
      [`{ ${m.list}Aggregate(groupBy: [${m.enumValue}]) { count } }`],
      [`{ ${m.list}Aggregate(groupBy: [${m.sibling.toUpperCase()}, ${m.enumValue}]) { count } }`],
      [`query($g: [${m.type}Field!]) { ${m.list}Aggregate(groupBy: $g) { count } }`, { g: m.enumValue }],
    ] as [string, Record<string, unknown>?][])
      expectRefused(await asAnalyst(q, vars), m);
  });

  it('cannot be named in another letter case to slip past the check: refused before any data is read', async () => {
    const upper = m.field.toUpperCase();
    const capital = m.field[0]!.toUpperCase() + m.field.slice(1);
    for (const q of [
      `{ ${m.list}(where: { ${upper}: { isNull: false } }) { __typename } }`,
      `{ ${m.list}(where: { ${capital}: { isNull: false } }) { __typename } }`,
      `{ ${m.list}(orderBy: [{ ${upper}: ASC }]) { __typename } }`,
      `{ ${m.list}Aggregate(groupBy: [${m.enumValue.toLowerCase()}]) { count } }`,
    ]) {
      const r = await asAnalyst(q);
      expect({ status: r.status, codes: errorCodes(r), data: r.data }).toEqual({ status: 400, codes: ['BAD_USER_INPUT'], data: undefined });
    }
  });
});

describe('aggregates of masked fields', () => {
  it.each(['min', 'max'])('refuses %s of a birth date', async (fn) => {
    expectRefused(await asAnalyst(`{ customersAggregate { count ${fn} { birthDate } } }`), MASKED[3]!);
  });

  it('refuses a masked field in the where of a reverse list: Order.payments(where: cardNumber) and its orderBy', async () => {
    const card = MASKED[4]!;
    expectRefused(await asAnalyst(`query($w: PaymentWhere) { orders(limit: 5) { orderId payments(where: $w) { paymentId } } }`, { w: { cardNumber: { eq: rawOf(card) } } }), card);
    expectRefused(await asAnalyst('{ orders(limit: 5) { orderId payments(orderBy: [{ cardNumber: ASC }]) { paymentId } } }'), card);
  });
});

describe('the routes an analyst may take, which return masked values only', () => {
  const masked = (row: Row, pii: Readonly<Record<string, 'redact' | 'email' | 'last4' | 'year'>>) => maskRow(row, pii);

  it('masks a plain list read with aliases, __typename, a fragment and variables', async () => {
    const r = await asAnalyst<{ people: Row[] }>(
      'query($l: Int) { people: customers(limit: $l) { __typename id: customerId ...Pii } } fragment Pii on Customer { fullName email phone birthDate }',
      { l: 500 },
    );
    const people = dataOf(r).people;
    expect(people).toHaveLength(500);
    expect(people).toEqual(
      people.map((p) => {
        const row = ref.customers.byKey.get(String(p.id))!;
        const m = masked(row, CUSTOMER_PII);
        return { __typename: 'Customer', id: row.customerId, fullName: m.fullName, email: m.email, phone: m.phone, birthDate: m.birthDate };
      }),
    );
    expectNoRawPii(r.text);
  });

  it('masks customers reached through entity references: orders { customer } and payments { order { customer } }', async () => {
    const r = await asAnalyst<{ orders: { customer: Row }[]; payments: { cardNumber: string | null; paymentId: string; order: { customer: Row } }[] }>(
      '{ orders(limit: 1000) { customer { customerId fullName email phone birthDate } } payments(limit: 500) { paymentId cardNumber order { customer { customerId email phone } } } }',
    );
    const { orders, payments } = dataOf(r);
    const expected = (c: Row) => Object.fromEntries(Object.keys(c).map((k) => [k, masked(ref.customers.byKey.get(String(c.customerId))!, CUSTOMER_PII)[k]]));
    expect(orders.map((o) => o.customer)).toEqual(orders.map((o) => expected(o.customer)));
    expect(payments.map((p) => p.order.customer)).toEqual(payments.map((p) => expected(p.order.customer)));
    expect(payments.map((p) => p.cardNumber)).toEqual(payments.map((p) => masked(ref.payments.byKey.get(p.paymentId)!, PAYMENT_PII).cardNumber));
    expectNoRawPii(r.text);
  });

  it('lets a reverse list filter and sort on unmasked order fields, with the customer still masked', async () => {
    const r = await asAnalyst<{ customers: { customerId: string; email: string; orders: { orderId: string; status: string }[] }[] }>(
      '{ customers(limit: 100) { customerId email orders(where: { status: { eq: paid } }, orderBy: [{ totalAmount: DESC }]) { orderId status } } }',
    );
    for (const c of dataOf(r).customers) {
      expect(c.email).toBe(masked(ref.customers.byKey.get(c.customerId)!, CUSTOMER_PII).email);
      const paid = ref.orders.rows.filter((o) => o.customerId === c.customerId && o.status === 'paid').map((o) => o.orderId);
      expect(c.orders.map((o) => o.orderId).sort()).toEqual([...paid].sort());
    }
    expectNoRawPii(r.text);
  });

  it('masks every page of a connection, and its cursors hold no value', async () => {
    const pages: Page[] = [];
    for (let after: string | null = null; pages.length === 0 || pages.at(-1)!.pageInfo.hasNextPage; after = pages.at(-1)!.pageInfo.endCursor) {
      pages.push(dataOf(await asAnalyst<{ customersConnection: Page }>(connectionQuery(ref.customers), { first: 120, after })).customersConnection);
    }
    const rows = pages.flatMap((p) => p.edges.map((e) => e.node));
    expect(pages).toHaveLength(5);
    expect(rows).toHaveLength(500);
    expect(rows).toEqual(rows.map((row) => masked(ref.customers.byKey.get(String(row.customerId))!, CUSTOMER_PII)));
    const cursors = pages.flatMap((p) => p.edges.map((e) => Buffer.from(e.cursor, 'base64url').toString('utf8')));
    expect(cursors.every((c) => /^mg1:\d+$/.test(c))).toBe(true);
  });

  it('explains the masks without any raw value', async () => {
    const r = await mesh.query('{ customers(limit: 500) { customerId fullName email phone birthDate } payments(limit: 1000) { cardNumber } }', undefined, {
      ...analyst,
      'x-meshgate-explain': '1',
    });
    expect(r.text).toContain('"meshgate"');
    expectNoRawPii(r.text);
  });
});

describe('a field the caller may not read at all (a policy denying phones to analysts)', () => {
  let denying: TestMesh;
  let headers: Record<string, string>;
  beforeAll(async () => {
    denying = await startTestMesh({
      policy:
        'version: 1\nmasks: { name: redact, email: email, phone: last4, date-of-birth: year, pan: last4, person-id: hash, address: redact }\nrules:\n  - { id: analysts-without-phones, roles: [analyst], products: ["*"], denyFields: [phone] }\n',
    });
    headers = bearer(await denying.token({ roles: ['analyst'] }));
  });
  afterAll(() => denying?.close());

  it.each([
    ['selected', '{ customers(limit: 1) { customerId phone } }'],
    ['selected through an entity reference', '{ orders(limit: 1) { customer { phone } } }'],
    ['filtered on', '{ customers(where: { phone: { isNull: false } }) { customerId } }'],
    ['filtered on inside not', '{ customersConnection(where: { not: { phone: { like: "+49%" } } }) { totalCount } }'],
    ['sorted by', '{ customers(orderBy: [{ phone: ASC }]) { customerId } }'],
    ['grouped by', '{ customersAggregate(groupBy: [PHONE]) { count } }'],
  ])('is refused whole when %s: FORBIDDEN, no data', async (_name, query) => {
    const r = await denying.query(query, undefined, headers);
    expect({ status: r.status, codes: errorCodes(r), data: r.data }).toEqual({ status: 403, codes: ['FORBIDDEN'], data: undefined });
    expect(r.errors![0]!.message).toMatch(/Customer\.phone.*analysts-without-phones/);
  });

  it('leaves the other fields readable, masked as before', async () => {
    const rows = dataOf(await denying.query<{ customers: Row[] }>('{ customers(limit: 50) { customerId email } }', undefined, headers)).customers;
    expect(rows).toEqual(rows.map((c) => ({ customerId: c.customerId, email: maskRow(ref.customers.byKey.get(String(c.customerId))!, CUSTOMER_PII).email })));
  });
});
